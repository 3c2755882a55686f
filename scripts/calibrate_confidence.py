"""Learn the corrector's repair priors and calibrate its confidence on the development part.

    .venv/bin/python scripts/calibrate_confidence.py

Runs ocrfix on the development part of every set of ``scripts/bench_correct.py``
(typed, published, other, and the sample scans, all development) and judges each
correction right or wrong against the truth as the benchmark does. Then:

1. the score's priors and weights (``ocrfix/data/lexicons/repair_priors.tsv``): a
   logistic regression of right/wrong on each change's evidence (see
   :mod:`ocrfix.correct.scoring`): one intercept per kind of repair (its prior, log10
   odds) and one weight each for the noisy-channel margin (language + context - channel)
   and the rival term, with a light ridge penalty (:data:`RIDGE`) so a kind seen a few
   times stays near even odds;
2. with those, the corrector runs again and an isotonic (monotone, pool-adjacent-
   violators) map from the score to the share of changes that were right is fitted
   (``ocrfix/data/lexicons/calibration.tsv``); each step's probability is
   (right + 1) / (changes + 2), so a step of few changes never claims certainty.

``scripts/bench_correct.py`` checks the result on the test part (the share right among
changes given >= 0.9).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from ocrfix.correct import scoring  # noqa: E402
from ocrfix.correct.confidence import shipped_calibration  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
RIDGE = 1.0  # the penalty on each parameter's square (natural-log odds)


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, int, int]]:
    """(raw upper bound, right, changes) of the pooled steps, rising."""
    blocks: list[list] = []  # [upper, right, n]
    for raw, right in sorted(points):
        blocks.append([raw, int(right), 1])
        while len(blocks) > 1 and blocks[-2][1] * blocks[-1][2] >= blocks[-1][1] * blocks[-2][2]:
            upper, r, n = blocks.pop()
            blocks[-1] = [upper, blocks[-1][1] + r, blocks[-1][2] + n]
    return [(upper, r, n) for upper, r, n in blocks]


def logistic(features: np.ndarray, right: np.ndarray, ridge: float = RIDGE, steps: int = 50) -> np.ndarray:
    """Weights of a ridge-penalised logistic regression (natural-log odds), by Newton's method."""
    weights = np.zeros(features.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-features @ weights))
        gradient = features.T @ (p - right) + ridge * weights
        hessian = features.T @ (features * (p * (1 - p))[:, None]) + ridge * np.eye(len(weights))
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def judged_changes(lexicon, config) -> tuple[list[tuple[object, bool]], list[str]]:
    """(correction, right) for every change ocrfix makes on the development part."""
    import bench_correct as bench

    from ocrfix.correct import build_collection_lexicon, correct_text

    out, used = [], []
    for name, items in bench.load_sets().items():
        if name == "other-clean":
            continue  # no errors: every change there is wrong, and the other sets hold those words already
        chosen = [p for p in items if name == "scans" or bench.part_of(p[0]) == "dev"]
        texts = [p[1] for p in chosen]
        collection = build_collection_lexicon(texts, lexicon)
        results = [correct_text(text, lexicon, config, collection=collection) for text in texts]
        out.extend((c, right) for _conf, right, _item, c in bench.judge_corrections(results, chosen)
                   if c.repair != "memory")
        used.append(f"{name} ({len(chosen)} pages)")
    return out, used


def fit_priors(changes: list[tuple[object, bool]]) -> tuple[dict[str, float], float, float, Counter, Counter]:
    kinds = sorted({c.repair for c, _ in changes})
    rows = []
    for c, _ in changes:
        terms = dict(c.terms)
        evidence = scoring.Evidence(terms["channel"], terms["language"], terms["context"], terms["rival"])
        rows.append([1.0 if c.repair == k else 0.0 for k in kinds] + [evidence.margin, evidence.rival])
    weights = logistic(np.array(rows), np.array([float(r) for _, r in changes])) / math.log(10)
    right, seen = Counter(c.repair for c, r in changes if r), Counter(c.repair for c, _ in changes)
    return dict(zip(kinds, weights[:len(kinds)])), float(weights[-2]), float(weights[-1]), right, seen


def main() -> int:
    from ocrfix.config import CorrectConfig
    from ocrfix.lexicon import load_lexicon

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=LEXICONS, help="where the two tables go")
    args = parser.parse_args()
    config = CorrectConfig()
    lexicon = load_lexicon(config)

    floor, scoring.MIN_LOG_ODDS = scoring.MIN_LOG_ODDS, -math.inf  # learn from every change the search would make
    changes, used = judged_changes(lexicon, config)
    scoring.MIN_LOG_ODDS = floor
    priors, evidence_weight, rival_weight, right, seen = fit_priors(changes)
    source = f"# Development part: {', '.join(used)}; {len(changes)} changes, {sum(r for _, r in changes)} right."
    rows = [
        "# The corrector's repair priors: made by scripts/calibrate_confidence.py, do not edit by hand.",
        source,
        "# A change's score (ocrfix/correct/scoring.py) is the log10 odds that it is right: its kind's",
        "# prior, plus weight:evidence x (language + 2 x context - 3 x channel), plus weight:rival x rival.",
        "# A ridge-penalised logistic regression of right/wrong on the changes the corrector made there.",
        "# A kind not listed counts as even odds (0).",
        "kind\tlog10_odds\tright/changes",
        f"weight:{scoring.EVIDENCE}\t{evidence_weight:.4f}\t",
        f"weight:{scoring.RIVAL}\t{rival_weight:.4f}\t",
        *(f"{kind}\t{value:.4f}\t{right[kind]}/{seen[kind]}" for kind, value in sorted(priors.items())),
    ]
    (args.out_dir / scoring.PRIORS_FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")

    scoring.shipped_priors.cache_clear()  # the second run scores with the priors just learned
    shipped_calibration.cache_clear()
    changes, used = judged_changes(lexicon, config)
    points = [(c.log_odds, right) for c, right in changes]
    steps = isotonic(points)
    lines, last = [], 0.0
    for upper, r, n in steps:
        p = max(last, (r + 1) / (n + 2))
        lines.append(f"{upper:g}\t{p:.4f}\t{r}/{n} right")
        last = p
    header = [
        "# Confidence calibration: made by scripts/calibrate_confidence.py, do not edit by hand.",
        f"# Development part: {', '.join(used)}; {len(points)} changes, {sum(r for _, r in points)} right.",
        "# A change whose score (log10 odds, repair_priors.tsv) is at most raw_up_to (and above the row",
        "# before) is right with this probability (isotonic steps, (right + 1) / (changes + 2)).",
        "raw_up_to\tprobability\tevidence",
    ]
    (args.out_dir / "calibration.tsv").write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(priors)} priors and {len(lines)} calibration steps from {len(points)} changes -> {args.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
