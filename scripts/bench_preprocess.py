"""Benchmark: does preprocessing make damaged scans read like undamaged ones?

Renders typewritten Russian pages with ``scripts/typewriter.py`` (several
fonts, three damage levels, skews up to +-5 degrees, dark scanner borders),
each also undamaged, and reports in one run, per page and on average:

- CER of Tesseract (``tesseract IMG - -l rus --psm 6``, ``OMP_THREAD_LIMIT=1``)
  on the raw damaged page, the preprocessed page and the undamaged page;
- CER and time of OCRmyPDF run as a user would for such scans
  (``ocrmypdf -l rus --deskew --tesseract-thresholding sauvola --force-ocr
  --sidecar``, one job per page, the page made into a PDF by img2pdf at 300 dpi);
- detected vs true skew;
- preprocessing time (one OpenCV thread) vs Tesseract's time on the same page.

``--extra`` adds stress pages outside the issue's set: skews up to +-10
degrees, a negative (inverted) scan, over-inked type, a page turned upside
down and one turned a quarter.

Run: ``.venv/bin/python scripts/bench_preprocess.py [--pages 12] [--extra] [--seed-base 1000] [--no-ocrmypdf] [--json out.json] [--strict]``.
Needs tesseract with ``rus``; OCRmyPDF columns are skipped when ``ocrmypdf``
or ``img2pdf`` is missing (``pip install -e .[bench]``, Debian ``ghostscript``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

import typewriter  # noqa: E402  (scripts/ is on sys.path)

from ocrfix.config import PreprocessConfig  # noqa: E402
from ocrfix.preprocess import load_page, preprocess  # noqa: E402

TEXT_SOURCE = REPO / "tests" / "data" / "seed_gold.txt"
LEVELS = ("light", "medium", "heavy")
SKEWS = (-4.8, 3.9, -2.7, 1.6, 5.0, -0.6, 2.4, -3.5, 0.9, -1.9, 4.4, -5.0, 3.1, -4.1, 0.3)
LINES_PER_PAGE = 26
TESSERACT_TIMEOUT = 300


@dataclass
class PageFigures:
    name: str
    level: str
    font: str
    true_skew: float
    detected_skew: float
    cer_raw: float
    cer_preprocessed: float
    cer_undamaged: float
    cer_ocrmypdf: float | None
    seconds_preprocess: float
    seconds_tesseract_raw: float
    seconds_tesseract_preprocessed: float
    seconds_ocrmypdf: float | None
    binarization: str
    scale: float
    note: str = ""

    @property
    def skew_error(self) -> float:
        return abs(self.detected_skew - self.true_skew)

    @property
    def preprocess_share(self) -> float:
        return self.seconds_preprocess / self.seconds_tesseract_preprocessed


def normalise(text: str) -> str:
    """NFC, one space between words, no blank lines: layout is not what CER measures here."""
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).replace("\f", "\n").splitlines())
    return "\n".join(line for line in lines if line)


def cer(hypothesis: str, truth: str) -> float:
    reference = normalise(truth)
    return Levenshtein.distance(normalise(hypothesis), reference) / max(1, len(reference))


def tesseract(image_path: Path) -> tuple[str, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "rus", "--psm", "6"],
        capture_output=True,
        env=env,
        timeout=TESSERACT_TIMEOUT,
        check=True,
    )
    return done.stdout.decode("utf-8"), time.perf_counter() - started


def ocrmypdf(image_path: Path, workdir: Path) -> tuple[str | None, float, str]:
    """Sidecar text (None when OCRmyPDF failed), seconds, and a note."""
    pdf_path = workdir / (image_path.stem + ".pdf")
    sidecar = workdir / (image_path.stem + ".txt")
    converted = subprocess.run(
        [sys.executable, "-m", "img2pdf", "--imgsize", "300dpi", "-o", str(pdf_path), str(image_path)],
        capture_output=True,
    )
    if converted.returncode:
        return None, 0.0, "img2pdf failed"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [
        sys.executable, "-m", "ocrmypdf", "-l", "rus", "--deskew", "--tesseract-thresholding", "sauvola",
        "--force-ocr", "--jobs", "1", "--sidecar", str(sidecar), str(pdf_path), str(workdir / (image_path.stem + ".ocr.pdf")),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, timeout=TESSERACT_TIMEOUT * 2)
    seconds = time.perf_counter() - started
    if done.returncode or not sidecar.exists():
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        return None, seconds, f"ocrmypdf exit {done.returncode}: {last[:80]}"
    return sidecar.read_text(encoding="utf-8"), seconds, ""


def page_texts(count: int) -> list[str]:
    """``count`` overlapping windows of the seed document, each about one page of lines."""
    paragraphs = [p.strip() for p in TEXT_SOURCE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    text = "\n".join(paragraphs)
    chars = LINES_PER_PAGE * 62
    step = max(1, (len(text) - chars) // max(1, count - 1))
    windows = []
    for i in range(count):
        start = min(i * step, max(0, len(text) - chars))
        start = text.find(" ", start) + 1 if start else 0  # begin at a word
        windows.append(text[start : start + chars].rsplit(" ", 1)[0])
    return windows


@dataclass(frozen=True)
class Case:
    name: str
    level: str
    font: str
    damage: typewriter.ScanDamage
    text: str
    seed: int
    transform: str = ""  # "", "negative", "upside-down", "quarter-turn"
    style_overrides: tuple[tuple[str, object], ...] = ()


def standard_cases(count: int, seed_base: int = 1000) -> list[Case]:
    fonts = typewriter.available_fonts()
    texts = page_texts(count)
    cases = []
    for i in range(count):
        level = LEVELS[i % len(LEVELS)]
        font = fonts[i % len(fonts)]
        damage = typewriter.damage_preset(level).with_skew(SKEWS[i % len(SKEWS)])
        cases.append(Case(f"p{i + 1:02d}-{level}-{font}", level, font, damage, texts[i], seed=seed_base + i))
    return cases


def extra_cases() -> list[Case]:
    fonts = typewriter.available_fonts()
    texts = page_texts(6)
    medium = typewriter.damage_preset("medium")
    return [
        Case("x1-skew+9.3", "medium", fonts[0], medium.with_skew(9.3), texts[0], 2001),
        Case("x2-skew-10", "heavy", fonts[2 % len(fonts)], typewriter.damage_preset("heavy").with_skew(-10.0), texts[1], 2002),
        Case("x3-negative", "medium", fonts[1 % len(fonts)], medium.with_skew(1.2), texts[2], 2003, "negative"),
        Case(
            "x4-overinked", "medium", fonts[0], medium.with_skew(-2.1), texts[3], 2004,
            style_overrides=(("ink_spread_px", 4), ("ink_level", 1.0), ("pressure_sd", 0.2)),
        ),  # fmt: skip
        Case("x5-upside-down", "light", fonts[3 % len(fonts)], typewriter.damage_preset("light").with_skew(0.7), texts[4], 2005, "upside-down"),
        Case("x6-quarter-turn", "light", fonts[4 % len(fonts)], typewriter.damage_preset("light").with_skew(-1.3), texts[5], 2006, "quarter-turn"),
    ]


def render(case: Case) -> typewriter.RenderedPage:
    style = replace(typewriter.TypingStyle(font=case.font), **dict(case.style_overrides))
    page = typewriter.render_page(case.text, seed=case.seed, damage=case.damage, style=style)
    damaged = page.damaged
    if case.transform == "negative":
        damaged = 255 - damaged
    elif case.transform == "upside-down":
        damaged = np.ascontiguousarray(np.rot90(damaged, 2))
    elif case.transform == "quarter-turn":
        damaged = np.ascontiguousarray(np.rot90(damaged, 1))
    return replace(page, damaged=damaged)


def run_case(case: Case, workdir: Path, config: PreprocessConfig, with_ocrmypdf: bool) -> PageFigures:
    page = render(case)
    damaged_path = workdir / f"{case.name}.png"
    clean_path = workdir / f"{case.name}.clean.png"
    prepared_path = workdir / f"{case.name}.prepared.png"
    damaged_path.write_bytes(typewriter.encode_image(page.damaged))
    clean_path.write_bytes(typewriter.encode_image(page.clean))

    loaded = load_page(damaged_path, config=config)
    started = time.perf_counter()
    result = preprocess(loaded, config)
    seconds_preprocess = time.perf_counter() - started
    ok, png = cv2.imencode(".png", result.image)
    assert ok
    prepared_path.write_bytes(png.tobytes())

    raw_text, seconds_raw = tesseract(damaged_path)
    prepared_text, seconds_prepared = tesseract(prepared_path)
    clean_text, _ = tesseract(clean_path)
    ocrmypdf_cer = ocrmypdf_seconds = None
    note = ""
    if with_ocrmypdf:
        sidecar_text, ocrmypdf_seconds, note = ocrmypdf(damaged_path, workdir)
        ocrmypdf_cer = cer(sidecar_text or "", page.text)
    binarization = next((s.settings.get("method", "") for s in result.steps if s.name == "preprocess.binarize"), "none")
    return PageFigures(
        name=case.name,
        level=case.level,
        font=case.font,
        true_skew=page.skew_degrees,
        detected_skew=result.skew_degrees,
        cer_raw=cer(raw_text, page.text),
        cer_preprocessed=cer(prepared_text, page.text),
        cer_undamaged=cer(clean_text, page.text),
        cer_ocrmypdf=ocrmypdf_cer,
        seconds_preprocess=seconds_preprocess,
        seconds_tesseract_raw=seconds_raw,
        seconds_tesseract_preprocessed=seconds_prepared,
        seconds_ocrmypdf=ocrmypdf_seconds,
        binarization=binarization,
        scale=result.scale,
        note=note + ("; empty page" if result.empty else ""),
    )


def percent(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:6.2f}"


def print_table(rows: list[PageFigures], title: str) -> None:
    print(f"\n## {title}")
    header = (
        f"{'page':<28} {'skew true':>9} {'found':>7} {'err':>5} | {'CER raw':>7} {'prep':>6} {'clean':>6} {'ocrmypdf':>8} |"
        f" {'prep s':>6} {'tess s':>6} {'share':>5} {'ocrmypdf s':>10} | bin    scale"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        ocrmypdf_seconds = "-" if r.seconds_ocrmypdf is None else f"{r.seconds_ocrmypdf:.1f}"
        print(
            f"{r.name:<28} {r.true_skew:+9.2f} {r.detected_skew:+7.2f} {r.skew_error:5.2f} |"
            f" {percent(r.cer_raw):>7} {percent(r.cer_preprocessed)} {percent(r.cer_undamaged)} {percent(r.cer_ocrmypdf):>8} |"
            f" {r.seconds_preprocess:6.3f} {r.seconds_tesseract_preprocessed:6.2f} {100 * r.preprocess_share:4.0f}% {ocrmypdf_seconds:>10} |"
            f" {r.binarization:<6} {r.scale:.2f} {r.note}"
        )


def summarise(rows: list[PageFigures]) -> dict[str, object]:
    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else float("nan")

    summary: dict[str, object] = {}
    for level in ("all", *LEVELS):
        chosen = [r for r in rows if level == "all" or r.level == level]
        if not chosen:
            continue
        ocrmypdf_values = [r.cer_ocrmypdf for r in chosen if r.cer_ocrmypdf is not None]
        summary[level] = {
            "pages": len(chosen),
            "cer_raw": mean([r.cer_raw for r in chosen]),
            "cer_preprocessed": mean([r.cer_preprocessed for r in chosen]),
            "cer_undamaged": mean([r.cer_undamaged for r in chosen]),
            "cer_ocrmypdf": mean(ocrmypdf_values) if ocrmypdf_values else None,
            "max_cer_preprocessed": max(r.cer_preprocessed for r in chosen),
            "max_skew_error": max(r.skew_error for r in chosen),
            "seconds_preprocess": mean([r.seconds_preprocess for r in chosen]),
            "max_seconds_preprocess": max(r.seconds_preprocess for r in chosen),
            "seconds_tesseract_preprocessed": mean([r.seconds_tesseract_preprocessed for r in chosen]),
            "seconds_tesseract_raw": mean([r.seconds_tesseract_raw for r in chosen]),
            "preprocess_share_of_tesseract": mean([r.preprocess_share for r in chosen]),
            "max_preprocess_share_of_tesseract": max(r.preprocess_share for r in chosen),
            "seconds_ocrmypdf": mean([r.seconds_ocrmypdf for r in chosen if r.seconds_ocrmypdf is not None]) if ocrmypdf_values else None,
        }
    return summary


def print_summary(summary: dict[str, object], title: str) -> None:
    print(f"\n## {title}: means per damage level")
    print(f"{'level':<8} {'pages':>5} | {'CER raw':>8} {'prep':>7} {'clean':>7} {'ocrmypdf':>8} | {'max prep':>8} "
          f"{'max skew err':>12} | {'prep s':>6} {'tess s':>6} {'share':>6} {'ocrmypdf s':>10}")
    for level, s in summary.items():
        assert isinstance(s, dict)
        ocrmypdf_seconds = "-" if s["seconds_ocrmypdf"] is None else f"{s['seconds_ocrmypdf']:.1f}"
        print(
            f"{level:<8} {s['pages']:>5} | {percent(s['cer_raw']):>8} {percent(s['cer_preprocessed']):>7} {percent(s['cer_undamaged']):>7}"
            f" {percent(s['cer_ocrmypdf']):>8} | {percent(s['max_cer_preprocessed']):>8} {s['max_skew_error']:12.3f} |"
            f" {s['seconds_preprocess']:6.3f} {s['seconds_tesseract_preprocessed']:6.2f}"
            f" {100 * s['preprocess_share_of_tesseract']:5.1f}% {ocrmypdf_seconds:>10}"
        )


def check_targets(rows: list[PageFigures], summary: dict[str, object]) -> list[str]:
    overall = summary["all"]
    assert isinstance(overall, dict)
    checks = [
        (
            overall["cer_preprocessed"] <= overall["cer_undamaged"] + 0.01,
            f"mean CER preprocessed {100 * overall['cer_preprocessed']:.2f}% <= undamaged {100 * overall['cer_undamaged']:.2f}% + 1 pp",
        ),
        (overall["max_cer_preprocessed"] <= 0.05, f"no page above 5% CER (worst {100 * overall['max_cer_preprocessed']:.2f}%)"),
        (overall["max_skew_error"] <= 0.2, f"skew error <= 0.2 deg (worst {overall['max_skew_error']:.3f})"),
        (overall["max_seconds_preprocess"] <= 0.5, f"preprocessing <= 0.5 s per page (worst {overall['max_seconds_preprocess']:.3f} s)"),
        (
            overall["max_preprocess_share_of_tesseract"] <= 0.3,
            f"preprocessing <= 30% of Tesseract's time (worst {100 * overall['max_preprocess_share_of_tesseract']:.1f}%)",
        ),
    ]
    for level in LEVELS:
        s = summary.get(level)
        if isinstance(s, dict) and s["cer_ocrmypdf"] is not None:
            checks.append(
                (
                    s["cer_preprocessed"] < s["cer_ocrmypdf"],
                    f"{level}: beats OCRmyPDF ({100 * s['cer_preprocessed']:.2f}% vs {100 * s['cer_ocrmypdf']:.2f}%)",
                )
            )
    return [("PASS " if ok else "FAIL ") + text for ok, text in checks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="standard pages (spread over the three damage levels)")
    parser.add_argument("--extra", action="store_true", help="also run the stress pages (skew to 10 deg, negative, over-inked, rotated)")
    parser.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF comparison")
    parser.add_argument("--seed-base", type=int, default=1000, help="page i is typed and damaged with seed SEED_BASE + i (another value: other pages)")
    parser.add_argument("--json", type=Path, default=None, help="write every figure here as JSON")
    parser.add_argument("--keep", type=Path, default=None, help="keep the rendered and preprocessed images in this directory")
    parser.add_argument("--only", default="", help="run only pages whose name contains this")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args()

    if shutil.which("tesseract") is None:
        print("tesseract is not installed", file=sys.stderr)
        return 2
    with_ocrmypdf = not args.no_ocrmypdf and _have_module("ocrmypdf") and _have_module("img2pdf")
    if not args.no_ocrmypdf and not with_ocrmypdf:
        print("ocrmypdf/img2pdf not installed: OCRmyPDF columns skipped (pip install -e .[bench])", file=sys.stderr)

    cv2.setNumThreads(1)  # preprocessing is measured on one core
    config = PreprocessConfig()
    groups = [("standard pages", standard_cases(args.pages, args.seed_base))]
    if args.extra:
        groups.append(("stress pages (outside the issue's targets)", extra_cases()))
    report: dict[str, object] = {"config": asdict(config), "seed_base": args.seed_base, "groups": {}}
    exit_code = 0
    with tempfile.TemporaryDirectory(prefix="bench_preprocess_") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for title, cases in groups:
            cases = [c for c in cases if args.only in c.name]
            if not cases:
                continue
            rows = []
            for case in cases:
                rows.append(run_case(case, workdir, config, with_ocrmypdf))
                print(f"done {case.name}", file=sys.stderr, flush=True)
            print_table(rows, title)
            summary = summarise(rows)
            print_summary(summary, title)
            if title == "standard pages":
                print("\n## targets")
                verdicts = check_targets(rows, summary)
                print("\n".join(verdicts))
                if args.strict and any(v.startswith("FAIL") for v in verdicts):
                    exit_code = 1
            report["groups"][title] = {  # type: ignore[index]
                "pages": [{**asdict(r), "skew_error": r.skew_error, "preprocess_share": r.preprocess_share} for r in rows],
                "summary": summary,
            }
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return exit_code


def _have_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


if __name__ == "__main__":
    sys.exit(main())
