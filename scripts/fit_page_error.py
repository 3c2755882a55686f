"""Fit the self-check's page error scale (``ocrfix/data/page_error_scale.tsv``) on development pages.

    .venv/bin/python scripts/fit_page_error.py DEV_RUN [DEV_RUN ...] [--out FILE] [--offset 0.005]

Each DEV_RUN is a folder written by ``scripts/bench_recognition.py --part dev --keep-pages``: its
``items.jsonl`` gives each item's true CER and plain Tesseract's, its ``pages/`` ocrfix's page JSON,
whose ``recognition`` step records the estimate of the reading kept (``quality.free_score``: Tesseract's
confidence and the garbage rate, without the lexicon; :mod:`ocrfix.ocr.error_scale` says why that one).
Only page items of SCALE_MIN_WORDS words or more are used, fitted and counted alike (lines and crops of a
few words are judged by their least sure word: ``recognition._line_doubt``); a test-part row stops the fit
(tune on dev, report test).

Fitted: ``log(cer + offset) = intercept + slope * free_score`` by least squares, and ``doubtful``, the
rate above which a page is doubtful: halfway (on the log scale) between the highest estimate of a good
page (CER <= 2% and not worse than plain Tesseract) and the lowest of a bad one (worse than plain
Tesseract by more than 0.5 points, or CER > 10%). Prints the fit, each source's Spearman correlation of
the estimate with the true CER, and whether the scale tells every bad page from every good one.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import page_file  # noqa: E402
from recbench import report  # noqa: E402

from ocrfix.ocr import error_scale  # noqa: E402
from ocrfix.recognition import SCALE_MIN_WORDS  # noqa: E402

BAD_CER = 0.10  # a page read worse than this must be flagged whatever plain Tesseract reads


def samples(runs: list[Path]) -> list[dict]:
    """One record per page item of the runs: name, source, true CER, plain Tesseract's best, the kept estimate."""
    found = []
    for run in runs:
        for line in (run / "items.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["part"] != "dev":
                sys.exit(f"{run}: {row['name']} is a {row['part']} item; fit on the development part only")
            path = page_file(run / "pages", row["name"])
            if row["kind"] != "page" or row["cer"].get("ocrfix") is None or not path.is_file():
                continue
            steps = json.loads(path.read_text(encoding="utf-8")).get("steps", [])
            verdict = next((s["settings"] for s in reversed(steps) if s["name"] == "recognition"), None)
            if verdict is None:
                continue
            plain = report.plain_best(row, [e for e in row["cer"] if e.startswith("tesseract_psm")])
            quality = verdict["quality"]
            found.append({"name": row["name"], "source": row["source"], "cer": row["cer"]["ocrfix"], "plain": plain,
                          "words": quality["words"], "free_score": quality["free_score"]})  # fmt: skip
    return found


def fit(read: list[dict], offset: float) -> error_scale.ErrorScale:
    """The scale fitted on the pages ``read`` (each of SCALE_MIN_WORDS words or more: :func:`scaled`)."""
    design = np.array([[1.0, p["free_score"]] for p in read])
    target = np.array([math.log(p["cer"] + offset) for p in read])
    (intercept, slope), *_ = np.linalg.lstsq(design, target, rcond=None)
    scale = error_scale.ErrorScale(float(intercept), float(slope), offset, 0.0)
    bad = [_log(scale, p) for p in read if _bad(p)]
    good = [_log(scale, p) for p in read if _good(p)]
    cut = (min(bad) + max(good)) / 2 if bad and good else math.log(report.GOOD_CER + offset)
    return error_scale.ErrorScale(scale.intercept, scale.slope, offset, round(math.exp(cut) - offset, 4))


def scaled(pages: list[dict]) -> list[dict]:
    """The pages the scale is for: of SCALE_MIN_WORDS words or more (fewer: judged by the least sure word)."""
    return [p for p in pages if p["words"] >= SCALE_MIN_WORDS]


def _log(scale: error_scale.ErrorScale, page: dict) -> float:
    return math.log(scale.cer(page["free_score"]) + scale.offset)


def _bad(page: dict) -> bool:
    return report.worse_than_plain(page["cer"], page["plain"]) or page["cer"] > BAD_CER


def _good(page: dict) -> bool:
    return page["cer"] <= report.GOOD_CER and not _bad(page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", type=Path, nargs="+", help="bench_recognition.py --part dev --keep-pages output folders")
    parser.add_argument("--out", type=Path, default=REPO / "ocrfix" / "data" / error_scale.SCALE_FILE)
    parser.add_argument("--offset", type=float, default=0.005, help="added to the CER before its logarithm")
    args = parser.parse_args(argv)
    pages = scaled(samples(args.runs))  # (fitted, and counted below, alike)
    if not pages:
        sys.exit(f"no page items of {SCALE_MIN_WORDS} words or more with kept page JSON "
                 "(run bench_recognition.py with --keep-pages)")
    scale = fit(pages, args.offset)
    for source in sorted({p["source"] for p in pages}):
        members = [p for p in pages if p["source"] == source]
        rho = report.spearman([scale.cer(p["free_score"]) for p in members], [p["cer"] for p in members])
        print(f"{source}: {len(members)} pages, Spearman of the estimated CER with the true CER "
              + ("-" if rho is None else f"{rho:+.3f}"))  # fmt: skip
    flagged = [p for p in pages if scale.cer(p["free_score"]) > scale.doubtful]
    bad_missed = [p["name"] for p in pages if _bad(p) and p not in flagged]
    good_flagged = [p["name"] for p in pages if _good(p) and p in flagged]
    print(
        f"doubtful above {scale.doubtful:.2%}: {len(flagged)} of {len(pages)} pages; bad not flagged: "
        f"{bad_missed or 'none'}; good flagged: {good_flagged or 'none'}"
    )
    sources = ", ".join(sorted({p["source"] for p in pages}))
    comment = (
        f"Fitted by scripts/fit_page_error.py on {len(pages)} development pages ({sources}) kept by\n"
        "scripts/bench_recognition.py --part dev --keep-pages; the commands: docs/recognition-benchmark.md,\n"
        "One scale for every source. log(cer + offset) = intercept + slope * free_score;\n"
        "a page estimated above doubtful is doubtful."
    )
    args.out.write_text(scale.to_tsv(comment), encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
