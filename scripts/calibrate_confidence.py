"""Calibrate the corrector's confidence on the development part of the post-correction corpus.

    .venv/bin/python scripts/calibrate_confidence.py [-o ocrfix/data/lexicons/calibration.tsv]

Runs ocrfix on the development part of every set of ``scripts/bench_correct.py``
(typed, published, other, and the sample scans, all development), judges each
correction right or wrong against the truth as the benchmark does, and fits an
isotonic (monotone, pool-adjacent-violators) map from the corrector's raw evidence
(:func:`ocrfix.correct.confidence.raw_confidence`) to the share of changes that were
right. Each step's probability is (right + 1) / (changes + 2), so a step of few
changes never claims certainty. ``scripts/bench_correct.py`` checks the result on
the test part (the share right among changes given >= 0.9).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from ocrfix.correct.confidence import raw_confidence  # noqa: E402

OUT = REPO / "ocrfix" / "data" / "lexicons" / "calibration.tsv"


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, int, int]]:
    """(raw upper bound, right, changes) of the pooled steps, rising."""
    blocks: list[list] = []  # [upper, right, n]
    for raw, right in sorted(points):
        blocks.append([raw, int(right), 1])
        while len(blocks) > 1 and blocks[-2][1] * blocks[-1][2] >= blocks[-1][1] * blocks[-2][2]:
            upper, r, n = blocks.pop()
            blocks[-1] = [upper, blocks[-1][1] + r, blocks[-1][2] + n]
    return [(upper, r, n) for upper, r, n in blocks]


def main() -> int:
    import bench_correct as bench

    from ocrfix.config import CorrectConfig
    from ocrfix.correct import build_collection_lexicon, correct_text
    from ocrfix.lexicon import load_lexicon

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args()
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    points: list[tuple[float, bool]] = []
    used = []
    for name, items in bench.load_sets().items():
        if name == "other-clean":
            continue  # no errors: every change there is wrong, and the other sets hold those words already
        chosen = [p for p in items if name == "scans" or bench.part_of(p[0]) == "dev"]
        texts = [p[1] for p in chosen]
        collection = build_collection_lexicon(texts, lexicon)
        results = [correct_text(text, lexicon, config, collection=collection) for text in texts]
        for _conf, right, _item, c in bench.judge_corrections(results, chosen):
            points.append((raw_confidence(c.replacement, c.score, c.candidates, c.original), right))
        used.append(f"{name} ({len(chosen)} pages)")
    steps = isotonic(points)
    rows, last = [], 0.0
    for upper, right, n in steps:
        p = max(last, (right + 1) / (n + 2))
        rows.append(f"{upper:g}\t{p:.4f}\t{right}/{n} right")
        last = p
    header = [
        "# Confidence calibration: made by scripts/calibrate_confidence.py, do not edit by hand.",
        f"# Development part: {', '.join(used)}; {len(points)} corrections, "
        f"{sum(r for _, r in points)} right.",
        "# A change whose raw evidence is at most raw_up_to (and above the row before) is right",
        "# with this probability (isotonic steps, (right + 1) / (changes + 2)).",
        "raw_up_to\tprobability\tevidence",
    ]
    args.out.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} steps from {len(points)} corrections -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
