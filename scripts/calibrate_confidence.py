"""Learn the corrector's repair priors and calibrate its confidence on the development part.

    .venv/bin/python scripts/calibrate_confidence.py

Runs ocrfix on the development part of every set of ``scripts/bench_correct.py``
(typed, published, other, and the sample scans, all development; the typed and other
pages as the page model with Tesseract's confidences, as ``ocrfix run``) and judges each
correction right or wrong against the truth as the benchmark does. Then:

1. the score's priors and weights (``ocrfix/data/lexicons/repair_priors.tsv``): a
   logistic regression of right/wrong on each change's evidence (see
   :mod:`ocrfix.correct.scoring`): one intercept per kind of repair (its prior, log10
   odds) and one weight each for the noisy-channel margin (language + context - channel),
   the rival term, the OCR's doubt (Tesseract's word confidence; ``--no-ocr-term``
   leaves it out, weight 0, to see what it pays) and the edge term (letters added or dropped
   at the printed word's first or last letter; ``--no-edge-term``), with a light ridge
   penalty (:data:`RIDGE`) so a kind seen a few times stays near even odds;
2. with those, the corrector runs again and an isotonic (monotone, pool-adjacent-
   violators) map from the score to the share of changes that were right is fitted
   (``ocrfix/data/lexicons/calibration.tsv``); each step's probability is
   (right + 1) / (changes + 2), so a step of few changes never claims certainty. The map
   is fitted on cross-fitted scores: each page's changes scored by priors learned without
   its fold (:data:`FOLDS` folds by a stable hash of the page), so it learns how sure
   scores the priors never saw are, as at run time, not how well the priors fit their own
   data (judged page by page on the development part, it did better than the map fitted on
   the priors' own scores).

It first reports how the whole fit does on pages it did not see (:func:`held_out`: each
development page judged by a fit on the others), with and without the OCR's doubt and the
edge term.

``scripts/bench_correct.py`` checks the result on the test part (the share right among
changes given >= 0.9).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from ocrfix.correct import scoring  # noqa: E402
from ocrfix.correct.confidence import CONFIDENT, Calibration, probability, shipped_calibration  # noqa: E402

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


def judged_changes(lexicon, config) -> tuple[list[tuple[object, bool, str]], list[str]]:
    """(correction, right, set/item) for every change ocrfix makes on the development part."""
    import bench_correct as bench

    out, used = [], []
    for name, items in bench.load_sets().items():
        if name == "other-clean":
            continue  # no errors: every change there is wrong, and the other sets hold those words already
        chosen = bench.in_part(name, items, "dev")
        # the page model where the corpus keeps one; no score floor: learn from every change the search would make
        results = bench.ocrfix_correct(chosen, lexicon, config, floor=-math.inf)
        out.extend((c, right, f"{name}/{item}") for _conf, right, item, c in bench.judge_corrections(results, chosen)
                   if c.repair != "memory")
        used.append(f"{name} ({len(chosen)} pages)")
    return out, used


def recorded_evidence(correction) -> scoring.Evidence:
    """The evidence terms a change recorded (``Correction.terms``; no ``ocr`` or ``edge`` term: 0)."""
    t = dict(correction.terms)
    return scoring.Evidence(t["channel"], t["language"], t["context"], t["rival"], t.get("ocr", 0.0),
                            t.get("edge", 0.0))


Terms = tuple[bool, bool]  # (the OCR's doubt, the edge term) fitted, or left out (weight 0)
ALL_TERMS: Terms = (True, True)


def fit_priors(changes: list[tuple[object, bool]], terms: Terms = ALL_TERMS
               ) -> tuple[dict[str, float], list[float], Counter, Counter]:
    """Each kind's prior and the weights of the margin, the rival term, the OCR's doubt and
    the edge term (each of the last two 0 when ``terms`` leaves it out)."""
    ocr_term, edge_term = terms
    kinds = sorted({c.repair for c, _ in changes})
    rows = []
    for c, _ in changes:
        evidence = recorded_evidence(c)
        rows.append([1.0 if c.repair == k else 0.0 for k in kinds] + [evidence.margin, evidence.rival]
                    + ([evidence.ocr] if ocr_term else []) + ([evidence.edge] if edge_term else []))
    fitted = iter(logistic(np.array(rows), np.array([float(r) for _, r in changes])) / math.log(10))
    priors = {k: float(next(fitted)) for k in kinds}
    weights = [float(next(fitted)), float(next(fitted)), float(next(fitted)) if ocr_term else 0.0,
               float(next(fitted)) if edge_term else 0.0]
    right, seen = Counter(c.repair for c, r in changes if r), Counter(c.repair for c, _ in changes)
    return priors, weights, right, seen


Change = tuple  # (correction, right, set/page)
FOLDS = 4  # the development part's pages in this many folds (by a stable hash of the page) for cross-fitting


def fold_of(page: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(page.encode("utf-8")).hexdigest(), 16) % folds


def _priors(changes: list[Change], terms: Terms) -> scoring.Priors:
    kinds, weights, _, _ = fit_priors([(c, r) for c, r, _ in changes], terms)
    return scoring.Priors(kinds, *weights)


def rescore(correction, priors: scoring.Priors) -> float:
    """A change's score under other priors, from the evidence terms it recorded."""
    return scoring.score(correction.repair, recorded_evidence(correction), priors)


def cross_fitted(fitted_on: list[Change], scored: list[Change], terms: Terms) -> list[tuple[float, bool]]:
    """(score, right) of each change of ``scored``, its score from the priors fitted on the
    changes of ``fitted_on`` outside its page's fold: scores the priors never saw, as at run time."""
    by_fold = {k: _priors([ch for ch in fitted_on if fold_of(ch[2]) != k], terms) for k in range(FOLDS)}
    return [(rescore(c, by_fold[fold_of(page)]), right) for c, right, page in scored]


def calibration_steps(points: list[tuple[float, bool]]) -> list[tuple[float, float, int, int]]:
    """(raw upper bound, probability, right, changes) of the isotonic steps, each step's
    probability (right + 1) / (changes + 2), never below the step before."""
    out, last = [], 0.0
    for upper, r, n in isotonic(points):
        last = max(last, (r + 1) / (n + 2))
        out.append((upper, last, r, n))
    return out


def held_out(changes: list[Change], terms: Terms) -> tuple[float, int, int]:
    """The whole fit judged on pages it did not see: each development page's changes scored by
    priors fitted on the other pages and calibrated by their cross-fitted scores (as :func:`main`
    does). Returns the mean log loss and (right, all) among the changes given >= 0.9."""
    loss, right, confident = 0.0, 0, 0
    for page in sorted({p for _, _, p in changes}):
        train = [ch for ch in changes if ch[2] != page]
        steps = calibration_steps(cross_fitted(train, train, terms))
        calibrate = Calibration(tuple(s[0] for s in steps), tuple(s[1] for s in steps))
        priors = _priors(train, terms)
        for c, r, _ in (ch for ch in changes if ch[2] == page):
            p = min(max(calibrate(rescore(c, priors)), 1e-4), 1 - 1e-4)
            loss -= math.log(p if r else 1 - p)
            if p >= CONFIDENT:
                confident += 1
                right += r
    return loss / max(1, len(changes)), right, confident


def main() -> int:
    from ocrfix.config import CorrectConfig
    from ocrfix.lexicon import load_lexicon

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=LEXICONS, help="where the two tables go")
    parser.add_argument("--no-ocr-term", action="store_true", help="fit without the OCR's doubt (its weight 0)")
    parser.add_argument("--no-edge-term", action="store_true", help="fit without the edge term (its weight 0)")
    args = parser.parse_args()
    config = CorrectConfig()
    lexicon = load_lexicon(config)

    first, used = judged_changes(lexicon, config)
    for each in ((False, False), (True, False), (False, True), (True, True)):
        loss, right_, confident = held_out(first, each)
        print(f"held out, page by page, {'with' if each[0] else 'without'} the OCR's doubt, "
              f"{'with' if each[1] else 'without'} the edge term: log loss {loss:.4f}; >= {CONFIDENT}: {right_}/{confident} right",
              file=sys.stderr)
    terms = (not args.no_ocr_term, not args.no_edge_term)
    changes = [(c, r) for c, r, _ in first]
    priors, (evidence_weight, rival_weight, ocr_weight, edge_weight), right, seen = fit_priors(changes, terms)
    source = f"# Development part: {', '.join(used)}; {len(changes)} changes, {sum(r for _, r in changes)} right."
    rows = [
        "# The corrector's repair priors: made by scripts/calibrate_confidence.py, do not edit by hand.",
        source,
        "# A change's score (ocrfix/correct/scoring.py) is the log10 odds that it is right: its kind's",
        "# prior, plus weight:evidence x (language + 2 x context - 3 x channel), plus weight:rival x rival,",
        "# plus weight:ocr x the OCR's doubt ((75 - Tesseract's word confidence) / 10; 0 without one),",
        "# plus weight:edge x the letters the reading adds or drops at the printed word's first or last letter.",
        "# A ridge-penalised logistic regression of right/wrong on the changes the corrector made there.",
        "# A kind not listed counts as even odds (0).",
        "kind\tlog10_odds\tright/changes",
        f"weight:{scoring.EVIDENCE}\t{evidence_weight:.4f}\t",
        f"weight:{scoring.RIVAL}\t{rival_weight:.4f}\t",
        f"weight:{scoring.OCR}\t{ocr_weight:.4f}\t",
        f"weight:{scoring.EDGE}\t{edge_weight:.4f}\t",
        *(f"{kind}\t{value:.4f}\t{right[kind]}/{seen[kind]}" for kind, value in sorted(priors.items())),
    ]
    (args.out_dir / scoring.PRIORS_FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")

    scoring.shipped_priors.cache_clear()  # the second run chooses with the priors just learned
    shipped_calibration.cache_clear()
    second, used = judged_changes(lexicon, config)
    points = cross_fitted(first, second, terms)
    lines = [f"{upper:g}\t{p:.4f}\t{r}/{n} right" for upper, p, r, n in calibration_steps(points)]
    header = [
        "# Confidence calibration: made by scripts/calibrate_confidence.py, do not edit by hand.",
        f"# Development part: {', '.join(used)}; {len(points)} changes, {sum(r for _, r in points)} right.",
        "# A change whose score (log10 odds, repair_priors.tsv) is at most raw_up_to (and above the row",
        "# before) is right with this probability (isotonic steps, (right + 1) / (changes + 2)), fitted",
        f"# on cross-fitted scores: each page's changes scored by priors learned without its fold ({FOLDS} folds).",
        "raw_up_to\tprobability\tevidence",
    ]
    (args.out_dir / "calibration.tsv").write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(priors)} priors and {len(lines)} calibration steps from {len(points)} changes -> {args.out_dir}",
          file=sys.stderr)
    shipped_calibration.cache_clear()
    confident = [r for c, r, _ in second if probability(c.log_odds) >= CONFIDENT]
    print(f"development part: weights evidence {evidence_weight:.3f}, rival {rival_weight:.3f}, ocr {ocr_weight:.3f}, "
          f"edge {edge_weight:.3f}; "
          f">= {CONFIDENT} (in sample): {sum(confident)}/{len(confident)} right", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
