"""Can the self-check see letters a reading lost? The ink no word box covers, on dense-toner pages (development part).

    .venv/bin/python scripts/probe_ink_coverage.py OUT

``OUT`` is a recognition benchmark run made with ``--keep-pages`` (its ``items.jsonl`` and
``pages/``). For each page item the page's ink is taken as the dither step takes it
(:func:`ocrfix.preprocess.dither.ink_level` on the flattened image as loaded: pieces darker than
the ink's level, of at least the dither step's dot size) and kept where a piece is of a letter's
height (0.5 to 2.5 times the x-height the preprocessing measured). A letter piece is covered when
its centre lies in a word box of the reading given out (padded by 3 pixels; the boxes are in the
frame of the image read, scaled back by the rescale step's factor). The uncovered share is printed
per page beside the true CER and the estimated CER, with each one's rank correlation with the true
CER, and that of the estimate with the uncovered share folded in (1 - (1 - estimated)(1 - uncovered)).

Instrumentation only, nothing of it is in ocrfix: the ink's level is a measure for pages of dense
toner (on clean, faded or tinted pages it does not find the strokes), and the boxes are mapped back
by the scale alone (no turn or rotation).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from recbench import report  # noqa: E402

from ocrfix.preprocess import dither, illumination  # noqa: E402

PAD = 3  # pixels around a word box
LETTER_HEIGHTS = (0.5, 2.5)  # x-heights: a piece of ink this high is a letter's (or a few letters')
DEFAULT_X_HEIGHT = 22.0  # pixels, when the page has no rescale step


def uncovered_share(page: dict) -> tuple[float, int]:
    """(share of the page's letter pieces outside every word box, the number of letter pieces)."""
    settings = {s["name"]: s["settings"] for s in page["steps"]}
    rescale = settings.get("preprocess.rescale") or {}
    x_height = rescale.get("x_height_before") or DEFAULT_X_HEIGHT
    factor = rescale.get("factor") or 1.0
    gray = cv2.imread(page["source"], cv2.IMREAD_GRAYSCALE)
    flat = illumination.flatten(gray, letter_px=max(40.0, min(gray.shape) / 40.0))
    level = dither.ink_level(flat)
    _, _, stats, centres = cv2.connectedComponentsWithStats((flat < level).astype(np.uint8), connectivity=8)
    heights, areas = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    letters = (areas >= dither.DOT_AREA) & (heights >= LETTER_HEIGHTS[0] * x_height) & (heights <= LETTER_HEIGHTS[1] * x_height)
    boxes = [w["bbox"] for block in page["blocks"] for line in block["lines"] for w in line["words"]]
    covered = np.zeros(len(heights), bool)
    x, y = centres[1:, 0], centres[1:, 1]
    for left, top, right, bottom in (np.array(b[:4], float) / factor for b in boxes):
        covered |= (x >= left - PAD) & (x <= right + PAD) & (y >= top - PAD) & (y <= bottom + PAD)
    count = int(letters.sum())
    return (float((letters & ~covered).sum()) / count if count else 0.0), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a recognition benchmark run made with --keep-pages")
    args = parser.parse_args(argv)
    rows = []
    for line in (args.out / "items.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["kind"] != "page":
            continue
        path = args.out / "pages" / (item["name"].replace("/", "--") + ".json")
        if not path.exists():
            continue
        share, count = uncovered_share(json.loads(path.read_text(encoding="utf-8")))
        estimated = (item.get("ocrfix_verdict") or {}).get("estimated_cer")
        rows.append((item["name"], item["cer"]["ocrfix"], estimated, share))
        print(f"{item['name']:50s} CER {100 * item['cer']['ocrfix']:6.2f}  estimated {100 * (estimated or 0):6.2f}  "
              f"uncovered {100 * share:5.1f}% of {count} letter pieces", flush=True)  # fmt: skip
    judged = [r for r in rows if r[2] is not None]
    truth = [r[1] for r in judged]
    for label, values in (
        ("estimated CER", [r[2] for r in judged]),
        ("uncovered share", [r[3] for r in judged]),
        ("both", [1 - (1 - r[2]) * (1 - r[3]) for r in judged]),
    ):
        rho = report.spearman(values, truth)
        print(f"rank correlation with the true CER, {label}: {'-' if rho is None else f'{rho:+.2f}'} (n={len(judged)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
