"""Render the bundled sample scans from the page texts.

    .venv/bin/python scripts/make_sample_scans.py --out scans/sample --seed 1937

For every page in ``PAGES`` it reads ``scans/texts/<stem>.txt``, types and
scans it with :mod:`typewriter`, and writes into ``--out``:

- ``<stem>.png`` or ``<stem>.jpg``: the damaged scan (JPEG when the damage
  includes JPEG compression, at that quality; colour when the paper is tinted);
- ``<stem>.gt.txt``: the ground truth, one line per typed line (runs of
  spaces collapsed, blank lines kept), NFC;
- ``<stem>.published.txt``: the archive's transcription, when
  ``scans/texts/<stem>.published.txt`` exists (copied verbatim);
- ``manifest.json``: seed, font, layout, damage parameters and true skew of
  every page, so benchmarks can score deskewing.

The output depends only on the texts, the seed and the installed fonts and
libraries; running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import typewriter
from typewriter import PageLayout, RenderedPage, ScanDamage, TypingStyle, damage_preset

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = REPO / "scans" / "texts"
DEFAULT_OUT = REPO / "scans" / "sample"

# The seed document is long and was typed dense: elite pitch, single spacing,
# half-line gaps, on the taller pre-war sheet (about 21 x 33 cm).
DENSE_FOOLSCAP = PageLayout(
    paper_mm=(210.0, 330.0),
    margins_mm=(22.0, 15.0, 12.0, 12.0),
    chars_per_inch=12.0,
    lines_per_inch=6.0,
    blank_line_fraction=0.5,
)
PICA_ONE_AND_HALF = PageLayout()  # A4, 10 characters per inch, 4 lines per inch


@dataclass(frozen=True)
class SamplePage:
    stem: str
    font: str
    damage: ScanDamage
    layout: PageLayout
    note: str


PAGES: tuple[SamplePage, ...] = (
    SamplePage("page1", "freemono", damage_preset("medium"), DENSE_FOOLSCAP, "seed document (gold reading), yellowed"),
    SamplePage("page2", "freemono", damage_preset("light"), PICA_ONE_AND_HALF, "cipher telegram, light damage"),
    SamplePage(
        "page3", "liberation-mono", damage_preset("medium", max_skew_degrees=3.5), PICA_ONE_AND_HALF, "NKVD report"
    ),
    SamplePage(
        "page4",
        "nimbus-mono",
        damage_preset("light", skew_degrees=-3.2, lighting=0.2),
        PICA_ONE_AND_HALF,
        "Politburo protocol extract, strong skew and shading",
    ),
    SamplePage(
        "page5",
        "dejavu-sans-mono",
        damage_preset("medium", blur_sigma=1.0, speck_density=70.0),
        PICA_ONE_AND_HALF,
        "NKID memorandum, blurred and speckled",
    ),
)


def page_seed(seed: int, index: int) -> int:
    return seed * 100 + index


def render_sample(page: SamplePage, text: str, seed: int) -> RenderedPage:
    return typewriter.render_page(
        text, seed=seed, damage=page.damage, style=TypingStyle(font=page.font), layout=page.layout
    )


def image_suffix(damage: ScanDamage) -> str:
    return ".jpg" if damage.jpeg_quality is not None else ".png"


def write_sample(page: SamplePage, rendered: RenderedPage, texts_dir: Path, out_dir: Path) -> dict[str, object]:
    suffix = image_suffix(page.damage)
    image_name = page.stem + suffix
    data = typewriter.encode_image(
        rendered.damaged, suffix, jpeg_quality=page.damage.jpeg_quality or 90, dpi=page.layout.dpi
    )
    (out_dir / image_name).write_bytes(data)
    (out_dir / f"{page.stem}.gt.txt").write_text(rendered.text, encoding="utf-8", newline="\n")
    published = texts_dir / f"{page.stem}.published.txt"
    if published.is_file():
        shutil.copyfile(published, out_dir / published.name)
    return {
        "stem": page.stem,
        "image": image_name,
        "ground_truth": f"{page.stem}.gt.txt",
        "published": published.name if published.is_file() else None,
        "note": page.note,
        "seed": rendered.seed,
        "font": page.font,
        "skew_degrees": rendered.skew_degrees,
        "image_size": [int(rendered.damaged.shape[1]), int(rendered.damaged.shape[0])],
        "colour": rendered.damaged.ndim == 3,
        "typed_lines": sum(1 for line in rendered.lines if line),
        "layout": asdict(page.layout),
        "damage": asdict(page.damage),
    }


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over the reference length, whitespace runs collapsed."""
    from rapidfuzz.distance import Levenshtein

    ref = " ".join(unicodedata.normalize("NFC", reference).split())
    hyp = " ".join(unicodedata.normalize("NFC", hypothesis).split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def tesseract_text(image_path: Path) -> str:
    """Plain Tesseract (rus, --psm 6) on one image: the readability check."""
    result = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "rus", "--psm", "6"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"tesseract failed on {image_path}: {result.stderr.strip()}")
    return result.stdout


def check_readability(rendered: RenderedPage, image_path: Path) -> tuple[float, float]:
    """CER of raw Tesseract on the undamaged sheet and on the written scan."""
    with tempfile.TemporaryDirectory() as tmp:
        clean_path = Path(tmp) / "clean.png"
        clean_path.write_bytes(typewriter.encode_image(rendered.clean))
        clean_cer = character_error_rate(rendered.text, tesseract_text(clean_path))
    damaged_cer = character_error_rate(rendered.text, tesseract_text(image_path))
    return clean_cer, damaged_cer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: scans/sample)")
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="page texts (default: scans/texts)")
    parser.add_argument("--seed", type=int, default=1937, help="base seed (default: 1937)")
    parser.add_argument("--only", nargs="*", default=None, help="render only these stems")
    parser.add_argument(
        "--check-ocr", action="store_true", help="run Tesseract on each clean sheet and scan and print the CER"
    )
    args = parser.parse_args(argv)
    if args.check_ocr and shutil.which("tesseract") is None:
        print("--check-ocr needs the tesseract binary (Debian: tesseract-ocr tesseract-ocr-rus)", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    entries = []
    for index, page in enumerate(PAGES):
        if args.only and page.stem not in args.only:
            continue
        text_path = args.texts / f"{page.stem}.txt"
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError as error:
            print(f"cannot read {text_path}: {error}", file=sys.stderr)
            return 2
        try:
            rendered = render_sample(page, text, page_seed(args.seed, index))
        except (typewriter.LayoutError, typewriter.FontMissingError) as error:
            print(f"{page.stem}: {error}", file=sys.stderr)
            return 2
        entry = write_sample(page, rendered, args.texts, args.out)
        entries.append(entry)
        report = f"{entry['image']}: {entry['typed_lines']} lines, skew {rendered.skew_degrees:+.3f} deg"
        if args.check_ocr:
            clean_cer, damaged_cer = check_readability(rendered, args.out / str(entry["image"]))
            report += f", Tesseract CER clean {clean_cer:.3f}, scan {damaged_cer:.3f}"
        print(report, flush=True)
    if not args.only:
        manifest = {"generator": "scripts/make_sample_scans.py", "base_seed": args.seed, "pages": entries}
        (args.out / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
