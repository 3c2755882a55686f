"""Make the post-correction corpus: typed, damaged, OCR'd pages of texts written for it.

    .venv/bin/python scripts/make_correct_corpus.py [--force] [--only NAME...]

For every text in ``scans/correct/texts/`` (1930s documents of the project's genres:
Politburo minutes, cipher telegrams, reports, written for ocrfix),
``scans/correct/texts-new/`` (more texts of those genres with new people, places and institutions,
written in the ninth round as development material for new-text generalisation; typed and damaged
as ``texts/`` is) and ``scans/correct/other/`` (modern Russian of other genres, written for ocrfix), it
types and damages a page with ``scripts/typewriter.py``, cleans it with
``ocrfix.preprocess`` and reads it with Tesseract ``rus`` through ``ocrfix.ocr``,
as ``ocrfix run`` does, and writes beside the text:

- ``<name>.gt.txt``: what was typed (the ground truth, one typed line a line);
- ``<name>.ocr.txt``: what Tesseract read;
- ``<name>.conf.tsv``: what Tesseract said of the words it read, from the same run: their
  confidences and the character alternatives the corrector reads (``corpus_pages.py``),
  so the benchmark corrects the page model as ``ocrfix run`` does.

All are committed, so ``scripts/bench_correct.py`` never runs Tesseract for them
(OCR costs CPU; make them once). A page that has all three is kept unless ``--force``;
one whose confidences file is missing is read again and gets it only when the reading
is the committed ``.ocr.txt`` exactly (the corpus and its split never change under it).
Each page's font, damage and seed follow from its name (a stable hash), so a run
on the same fonts, libraries and Tesseract model gives the same files.
``scans/correct/manifest.json`` records each page's settings and the Tesseract
version.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

import corpus_pages  # noqa: E402
import typewriter  # noqa: E402
from typewriter import PageLayout, TypingStyle, damage_preset  # noqa: E402

CORPUS = REPO / "scans" / "correct"
# Elite pitch, single spacing on A4: a page of 300 to 400 words fits.
ELITE_SINGLE = PageLayout(chars_per_inch=12.0, lines_per_inch=6.0, blank_line_fraction=0.5,
                          margins_mm=(22.0, 15.0, 12.0, 12.0))
FONTS = ("freemono", "liberation-mono", "nimbus-mono", "dejavu-sans-mono")


def stable(name: str) -> int:
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)


def texts(group: str) -> list[Path]:
    """The texts of ``group`` (a folder of the corpus: texts, texts-new, other), in name order, without the
    pages made of them (``.gt.txt``, ``.ocr.txt``, the confidences)."""
    return [path for path in sorted((CORPUS / group).glob("*.txt"))
            if not path.name.endswith((".gt.txt", ".ocr.txt", corpus_pages.SUFFIX))]


def settings(group: str, name: str) -> dict:
    h = stable(f"render:{name}")
    fonts = [f for f in FONTS if f in typewriter.available_fonts()]
    font = fonts[h % len(fonts)]
    # the project's pages: light or medium damage; modern print: light damage
    level = ("light", "medium")[(h >> 8) % 2] if group in ("texts", "texts-new") else "light"
    return {"font": font, "damage": level, "seed": h % 1_000_000}


def typed_and_read(text: str, seed: int, level: str, font: str, image_path: Path) -> tuple:
    """(the rendered page, Tesseract's page model, its text ending in a newline) of ``text`` typed
    in ``font`` with ``level`` damage (``seed``), read as ``ocrfix run`` reads it (ocrfix's
    preprocessing, then Tesseract); the image is written to ``image_path`` and removed."""
    from ocrfix import preprocess
    from ocrfix.config import Config
    from ocrfix.ocr import recognize, to_text

    rendered = typewriter.render_page(text, seed, damage=damage_preset(level), style=TypingStyle(font=font),
                                      layout=ELITE_SINGLE)
    config = Config()
    image_path.write_bytes(typewriter.encode_image(rendered.damaged, ".png"))
    try:
        loaded = preprocess.load_page(image_path, 0, config=config.preprocess)
        prepared = preprocess.preprocess(loaded, config.preprocess)
        page = recognize(prepared.image, config.ocr)
    finally:
        image_path.unlink(missing_ok=True)
    ocr = to_text(page)
    return rendered, page, ocr if ocr.endswith("\n") else ocr + "\n"


def make_pair(group: str, path: Path, force: bool) -> dict:
    name = path.stem
    gt_path, ocr_path = path.with_name(f"{name}.gt.txt"), path.with_name(f"{name}.ocr.txt")
    conf_path = path.with_name(f"{name}{corpus_pages.SUFFIX}")
    chosen = settings(group, name)
    entry = {"name": name, "group": group, **chosen}
    made = gt_path.exists() and ocr_path.exists() and not force
    if made and conf_path.exists():
        return entry
    rendered, page, ocr = typed_and_read(path.read_text(encoding="utf-8"), chosen["seed"], chosen["damage"],
                                         chosen["font"], CORPUS / f".{name}.png")
    if made:  # only the confidences are missing: kept only from a reading of the same text
        if ocr != ocr_path.read_text(encoding="utf-8") or rendered.text != gt_path.read_text(encoding="utf-8"):
            print(f"{group}/{name}: read differently now; no confidences written (--force makes the page again)",
                  file=sys.stderr)
            return entry
        conf_path.write_text(corpus_pages.to_tsv(page), encoding="utf-8", newline="\n")
        print(f"{group}/{name}: confidences", file=sys.stderr)
        return entry
    gt_path.write_text(rendered.text, encoding="utf-8", newline="\n")
    ocr_path.write_text(ocr, encoding="utf-8", newline="\n")
    conf_path.write_text(corpus_pages.to_tsv(page), encoding="utf-8", newline="\n")
    print(f"{group}/{name}: {len(rendered.text.split())} words", file=sys.stderr)
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="make pairs again even when they exist")
    parser.add_argument("--only", nargs="*", default=None, help="only these names")
    args = parser.parse_args()
    import subprocess

    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    entries = []
    for group in ("texts", "texts-new", "other"):
        for path in texts(group):
            if args.only is not None and path.stem not in args.only:
                continue
            entries.append(make_pair(group, path, args.force))
    manifest = {"tesseract": version, "layout": asdict(ELITE_SINGLE), "pages": entries}
    if args.only is None:
        (CORPUS / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
