"""Learn the corrector's repair priors and calibrate its confidence on the development part.

    .venv/bin/python scripts/calibrate_confidence.py [--fresh-seeds 3 4 5 6 7 8] [--rounds 6] [--isotonic [--least 30]]

Runs ocrfix on the development part of every set of ``scripts/bench_correct.py``
(typed, published, other, and the sample scans, all development; the typed and other
pages as the page model with Tesseract's confidences, as ``ocrfix run``), and on the
development texts typed, damaged and read again with the fresh seed offsets
(``--fresh-seeds``, default 3 to 8, the ones ``scripts/learn_error_model.py`` learns from:
``scripts/probe_fresh_damage.py``'s pages, made once and kept in its cache; the offsets that
probe measures on, 1 and 2, are refused, and 9 and 10 are left for a second check), and
judges each correction right or wrong against the truth as the benchmark does. Then:

1. the score's priors and weights (``ocrfix/data/lexicons/repair_priors.tsv``): a
   logistic regression of right/wrong on each change's evidence (see
   :mod:`ocrfix.correct.scoring`): one intercept per kind of repair (its prior, log10
   odds) and one weight each for the noisy-channel margin (language + context - channel),
   the rival term, the OCR's doubt (Tesseract's word confidence; ``--no-ocr-term``
   leaves it out, weight 0, to see what it pays) and the edge term (letters added or dropped
   at the printed word's first or last letter; ``--no-edge-term``), with a light ridge
   penalty. A kind's prior is the overall prior (most changes are right; not penalised), plus
   its family's departure from it (the family: the registry entry that proposes most of the
   kind's changes), plus its own departure from its family's, both departures penalised
   (:data:`RIDGE`), so a kind seen a few times stays near its family's prior and a family seen a
   few times near the overall one (``--no-families``: each kind shrunk toward the overall prior
   alone); the evidence's weights penalised too (:data:`WEIGHT_RIDGE`). The priors also choose
   among overlapping candidates, so the changes they are fitted on depend on the priors they were
   made with: the first pass runs with neutral priors (:data:`NEUTRAL`: every kind at even odds,
   the candidates ranked by their noisy-channel evidence), the priors fitted on it run the next
   pass, and so on until a fit gives back the priors its pass was made with (they settle; on the
   development part after 5 fits at the ninth round's final refit) or after ``--rounds`` fits
   (:data:`ROUNDS`; each round is printed). The priors written are the last fitted; when they had
   not settled, the corrector makes one more pass with them (when they had, their pass is the last);
2. on the last pass, made with the priors written, a map from the score to the share of changes that
   were right is fitted (``ocrfix/data/lexicons/calibration.tsv``): a logistic curve of the
   score (two numbers, by maximum likelihood), written as steps of :data:`GRID` score units; with
   ``--isotonic``, isotonic (monotone, pool-adjacent-violators) steps instead, each of at least
   ``--least`` changes (:data:`MIN_STEP`; a smaller step pooled with its nearer neighbour), each
   claiming (right + 1) / (changes + 2). The curve did better on documents the fit did not see:
   the isotonic map pools a long stretch of scores whose share right is flat at about 0.9 into one
   step, and which side of 0.9 that step's share falls on moved most confident changes in or out.
   The map is fitted on cross-fitted scores: each page's changes scored by priors learned, on the
   pass the written priors were fitted on, without its fold (:data:`FOLDS` folds by a stable hash of the document the page shows, so a text's
   fresh pages share its fold), so it learns how sure scores the priors never saw are, as at run
   time, not how well the priors fit their own data.

Nothing ocrfix ships is read (the corrector is given the priors of each round and no calibration,
``correct_text(priors=..., calibration=...)``): two refits from the same inputs write byte-identical
tables, whatever the tables shipped, and ``--out-dir`` may be anywhere.

It reports how the whole fit does on documents it did not see (:func:`held_out`: each
document's pages judged by a fit on the others; on the pass the priors written were fitted on),
with and without the OCR's doubt and the edge term and the families, and with the isotonic map;
then the share right among the changes given >= 0.9 on the development folds (the cross-fitted
scores through the map) and in sample (the scores the corrector gave them, through the map).

``scripts/bench_correct.py`` checks the result on the test part (the share right among
changes given >= 0.9), ``scripts/probe_fresh_damage.py --seeds 1 2`` (and ``9 10``) on fresh
damage no fit saw.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from ocrfix.correct import scoring  # noqa: E402
from ocrfix.correct.confidence import CALIBRATION_FILE, CONFIDENT, Calibration, parse_calibration, probability  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
RIDGE = 5.0  # the penalty on the square of each family's and each kind's departure (natural-log odds): held out
# document by document, log loss is flat from 3 to 12 (0.4206, 0.4203, 0.4211, 0.4208; 0.4224 at 1), and below 5 the
# kinds scored by their prior alone reached >= 0.9 on a few right changes and were right there only 39 of 46 times at 1,
# 24 of 29 at 3 (5 of 9 at 5)
WEIGHT_RIDGE = 1.0  # ... and on each evidence weight's. Nearly free (0.01), the rival's weight rose from 1.7 to 5.3
# and the log loss held out document by document fell (0.4206 -> 0.4087): the rival says much of how sure a change
# is. But the floor and the choice among overlapping candidates use the same score, and at 5.3 five cases of
# tests/data/correct_cases.tsv were no longer made (дитъся -> диться, оявление -> появление, у.равнением ...)
MIN_STEP = 30  # the fewest changes a step of the isotonic map holds (see main's held-out report)


def isotonic(points: list[tuple[float, bool]], least: int) -> list[tuple[float, int, int]]:
    """(raw upper bound, right, changes) of the pooled steps, rising: pool adjacent violators,
    then pool each step of fewer than ``least`` changes, the smallest first, with the neighbour
    whose share right is nearer (pooling two neighbours of a rising sequence keeps it rising;
    ``least`` 1: adjacent violators pooled only)."""
    blocks: list[list] = []  # [upper, right, n]
    for raw, right in sorted(points):
        blocks.append([raw, int(right), 1])
        while len(blocks) > 1 and blocks[-2][1] * blocks[-1][2] >= blocks[-1][1] * blocks[-2][2]:
            upper, r, n = blocks.pop()
            blocks[-1] = [upper, blocks[-1][1] + r, blocks[-1][2] + n]
    while len(blocks) > 1 and min(n for _, _, n in blocks) < least:
        i = min(range(len(blocks)), key=lambda k: (blocks[k][2], k))
        share = blocks[i][1] / blocks[i][2]
        sides = [k for k in (i - 1, i + 1) if 0 <= k < len(blocks)]
        j = min(sides, key=lambda k: (abs(blocks[k][1] / blocks[k][2] - share), k))
        lo, hi = min(i, j), max(i, j)
        blocks[lo:hi + 1] = [[blocks[hi][0], blocks[lo][1] + blocks[hi][1], blocks[lo][2] + blocks[hi][2]]]
    return [(upper, r, n) for upper, r, n in blocks]


def logistic(features: np.ndarray, right: np.ndarray, penalty: np.ndarray | float = RIDGE,
             steps: int = 50) -> np.ndarray:
    """Weights of a ridge-penalised logistic regression (natural-log odds), by Newton's method;
    ``penalty``: on each weight's square, one for all or one per weight."""
    weights = np.zeros(features.shape[1])
    penalty = np.broadcast_to(np.asarray(penalty, dtype=float), weights.shape)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-features @ weights))
        gradient = features.T @ (p - right) + penalty * weights
        hessian = features.T @ (features * (p * (1 - p))[:, None]) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


FRESH_SEEDS = (3, 4, 5, 6, 7, 8)  # learn_error_model.py's; 1 and 2 are held out, 9 and 10 kept for a second check


Change = tuple  # (correction, right, set/page)
NEUTRAL = scoring.Priors({})  # where the refit starts: every kind at even odds, the margin and the rival term
# weighed 1, the OCR's doubt and the edge term 0 (overlapping candidates ranked by their noisy-channel evidence)
ROUNDS = 6  # the most fits the refit makes, each followed by a pass of the corrector with the priors it fitted


@dataclass(frozen=True)
class Material:
    """What the refit runs the corrector on: (set, pages) of the development part, then of its texts damaged
    again with the fresh seed offsets ``seeds`` (the first ``corpus`` parts the corpus's own)."""

    parts: tuple[tuple[str, list], ...]
    corpus: int
    seeds: tuple[int, ...] = ()


def development_material(seeds: tuple[int, ...] = (), cache: Path | None = None) -> Material:
    """The development part of every set but other-clean, and the development texts damaged again with the
    fresh seed offsets ``seeds`` (probe_fresh_damage.py's pages, made once and kept in its cache; each seed's
    pages of a set together); held-out offsets are refused (ValueError)."""
    import bench_correct as bench
    import probe_fresh_damage as fresh

    if seeds and (refusal := fresh.held_out_refusal(list(seeds))):
        raise ValueError(refusal)
    parts: list[tuple[str, list]] = []
    for name, items in bench.load_sets().items():
        if name == "other-clean":
            continue  # no errors: every change there is wrong, and the other sets hold those words already
        parts.append((name, bench.in_part(name, items, "dev")))
    corpus = len(parts)
    for name in fresh.GROUPS if seeds else ():
        parts += [(name, fresh.fresh_pages(name, shift, cache)) for shift in seeds]
    return Material(tuple(parts), corpus, tuple(seeds))


def judged(material: Material, lexicon, config, priors: scoring.Priors) -> tuple[list[Change], list[str]]:
    """(correction, right, set/page) for every change ocrfix makes on ``material``, scoring its candidates
    with ``priors``, judged against the truth as the benchmark does, and the material named. No score
    floor: every change the search would make; no calibration (the confidences are not used): nothing
    shipped is read."""
    import bench_correct as bench

    out, pages, fresh_pages = [], Counter(), Counter()
    for number, (name, chosen) in enumerate(material.parts):
        # the page model where the corpus keeps one, as `ocrfix run` corrects
        results = bench.ocrfix_correct(chosen, lexicon, config, floor=-math.inf, priors=priors,
                                       calibration=Calibration())
        out.extend((c, right, f"{name}/{item}") for _conf, right, item, c in bench.judge_corrections(results, chosen)
                   if c.repair != "memory")
        (pages if number < material.corpus else fresh_pages)[name] += len(chosen)
    used = [f"{name} ({n} pages)" for name, n in pages.items()]
    if material.seeds:
        used.append(f"and its texts damaged again with seed offsets {' '.join(map(str, material.seeds))} "
                    "(probe_fresh_damage.py): " + ", ".join(f"{name} ({n} pages)" for name, n in fresh_pages.items()))
    return out, used


def recorded_evidence(correction) -> scoring.Evidence:
    """The evidence terms a change recorded (``Correction.terms``; no ``ocr`` or ``edge`` term: 0)."""
    t = dict(correction.terms)
    return scoring.Evidence(t["channel"], t["language"], t["context"], t["rival"], t.get("ocr", 0.0),
                            t.get("edge", 0.0))


@dataclass(frozen=True)
class Fit:
    """How the priors and the map are fitted: the OCR's doubt and the edge term fitted or left out
    (weight 0), each kind shrunk toward its family's prior or toward even odds alone, and the
    fewest changes a step of the map may hold."""

    ocr: bool = True
    edge: bool = True
    families: bool = True
    least: int = MIN_STEP
    isotonic: bool = False  # the map: isotonic steps (of at least ``least`` changes), or the logistic curve


def family_of(correction) -> str:
    """The registry entry that proposed a change (its name, without the version)."""
    return (correction.generator or "").split("@")[0]


def kind_families(changes: list[tuple[object, bool]]) -> dict[str, str]:
    """kind -> its family: the registry entry that proposed most of its changes (ties: by name)."""
    counts = Counter((c.repair, family_of(c)) for c, _ in changes)
    out: dict[str, str] = {}
    for (kind, family), _n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.setdefault(kind, family)
    return out


@dataclass(frozen=True)
class Fitted:
    """What :func:`fit_priors` learns (log10 odds): each kind's prior (the overall one, plus its
    family's departure, plus its own), the evidence's weights (margin, rival, OCR's doubt, edge),
    the overall prior and each family's departure, each kind's family (:func:`kind_families`; none
    without families), with each kind's right and seen changes."""

    priors: dict[str, float]
    weights: list[float]
    overall: float
    families: dict[str, float]
    family: dict[str, str]
    right: Counter
    seen: Counter


def fit_priors(changes: list[tuple[object, bool]], fit: Fit = Fit()) -> Fitted:
    """Each kind's prior and the weights of the margin, the rival term, the OCR's doubt and the
    edge term (each of the last two 0 when ``fit`` leaves it out). A kind's prior is the overall
    prior (not penalised: most changes are right), plus its family's departure from it, plus its
    own departure from its family's, both departures penalised by the ridge (:data:`RIDGE`): a kind
    of few changes stays near its family's prior, a family of few near the overall one. Without
    families, a kind departs from the overall prior alone."""
    kinds = sorted({c.repair for c, _ in changes})
    family = kind_families(changes) if fit.families else {}
    names = sorted(set(family.values()))
    evidence_terms = 2 + fit.ocr + fit.edge
    rows = []
    for c, _ in changes:
        evidence = recorded_evidence(c)
        rows.append([1.0] + [1.0 if c.repair == k else 0.0 for k in kinds]
                    + [1.0 if family.get(c.repair) == f else 0.0 for f in names]
                    + [evidence.margin, evidence.rival]
                    + ([evidence.ocr] if fit.ocr else []) + ([evidence.edge] if fit.edge else []))
    penalty = np.array([0.0] + [RIDGE] * (len(kinds) + len(names)) + [WEIGHT_RIDGE] * evidence_terms)
    fitted = iter(logistic(np.array(rows), np.array([float(r) for _, r in changes]), penalty) / math.log(10))
    overall = float(next(fitted))
    own = {k: float(next(fitted)) for k in kinds}
    families = {f: float(next(fitted)) for f in names}
    priors = {k: overall + families.get(family.get(k, ""), 0.0) + own[k] for k in kinds}
    weights = [float(next(fitted)), float(next(fitted)), float(next(fitted)) if fit.ocr else 0.0,
               float(next(fitted)) if fit.edge else 0.0]
    right, seen = Counter(c.repair for c, r in changes if r), Counter(c.repair for c, _ in changes)
    return Fitted(priors, weights, overall, families, family, right, seen)


FOLDS = 4  # the documents in this many folds (by a stable hash of the document) for cross-fitting


def document_of(page: str) -> str:
    """The document a page shows ('typed/memo-wool-prices.3' -> 'memo-wool-prices', 'scans/page1' and
    'published/page1' -> 'page1'): a text's fresh pages repeat its words and their misreadings, so
    they are never split between a fit and the pages it is judged on."""
    return page.split("/", 1)[-1].split(".")[0]


def fold_of(page: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(document_of(page).encode("utf-8")).hexdigest(), 16) % folds


def _priors(changes: list[Change], fit: Fit) -> scoring.Priors:
    fitted = fit_priors([(c, r) for c, r, _ in changes], fit)
    return scoring.Priors(fitted.priors, *fitted.weights)


def rescore(correction, priors: scoring.Priors) -> float:
    """A change's score under other priors, from the evidence terms it recorded."""
    return scoring.score(correction.repair, recorded_evidence(correction), priors)


def cross_fitted(fitted_on: list[Change], scored: list[Change], fit: Fit) -> list[tuple[float, bool]]:
    """(score, right) of each change of ``scored``, its score from the priors fitted on the
    changes of ``fitted_on`` outside its document's fold: scores the priors never saw, as at run time."""
    by_fold = {k: _priors([ch for ch in fitted_on if fold_of(ch[2]) != k], fit) for k in range(FOLDS)}
    return [(rescore(c, by_fold[fold_of(page)]), right) for c, right, page in scored]


GRID = 0.05  # the width (score units) of a step of the logistic map


def calibration_steps(points: list[tuple[float, bool]], fit: Fit = Fit()) -> list[tuple[float, float, int, int]]:
    """(raw upper bound, probability, right, changes) of the steps of the map from score to
    probability: :func:`logistic_steps`, or with ``fit.isotonic`` :func:`isotonic_steps`."""
    return isotonic_steps(points, fit.least) if fit.isotonic else logistic_steps(points)


def isotonic_steps(points: list[tuple[float, bool]], least: int = MIN_STEP) -> list[tuple[float, float, int, int]]:
    """The isotonic steps (each of at least ``least`` changes), each step's probability
    (right + 1) / (changes + 2), never below the step before."""
    out, last = [], 0.0
    for upper, r, n in isotonic(points, least):
        last = max(last, (r + 1) / (n + 2))
        out.append((upper, last, r, n))
    return out


def logistic_steps(points: list[tuple[float, bool]], grid: float = GRID) -> list[tuple[float, float, int, int]]:
    """The score recalibrated by a logistic curve (probability = 1 / (1 + exp(-(a x score + b))),
    a and b by maximum likelihood on the points), in steps of ``grid`` score units over the
    points' range, each step's probability the curve's at its middle; a smooth rise where
    isotonic steps pool a long stretch of scores into one share (on the development part a step of
    some 700 changes at 0.898 to 0.902, so that which side of 0.9 it fell on moved most of the
    confident changes), and a better log loss on documents the fit did not see (see :func:`main`)."""
    scores = np.array([score for score, _ in points])
    a, b = logistic(np.c_[scores, np.ones_like(scores)], np.array([float(r) for _, r in points]), 1e-6)
    if a <= 0:
        raise ValueError("the score does not rise with the share of changes right: no map to fit")
    first, last = math.floor(scores.min() / grid), math.ceil(scores.max() / grid)
    uppers = [round(k * grid, 4) for k in range(first + 1, last + 1)]
    counts: dict[int, list[int]] = {}
    for score, right in points:
        k = min(max(math.ceil(round(score / grid, 9)) - first - 1, 0), len(uppers) - 1)
        counts.setdefault(k, [0, 0])
        counts[k][0] += int(right)
        counts[k][1] += 1
    return [(upper, round(float(1 / (1 + math.exp(-(a * (upper - grid / 2) + b)))), 4), *counts.get(k, [0, 0]))
            for k, upper in enumerate(uppers)]


def held_out(changes: list[Change], fit: Fit) -> tuple[float, int, int]:
    """The whole fit judged on documents it did not see: each document's changes (all its pages)
    scored by priors fitted on the others and calibrated by their cross-fitted scores (as :func:`main`
    does). Returns the mean log loss and (right, all) among the changes given >= 0.9."""
    loss, right, confident = 0.0, 0, 0
    for document in sorted({document_of(p) for _, _, p in changes}):
        train = [ch for ch in changes if document_of(ch[2]) != document]
        steps = calibration_steps(cross_fitted(train, train, fit), fit)
        calibrate = Calibration(tuple(s[0] for s in steps), tuple(s[1] for s in steps))
        priors = _priors(train, fit)
        for c, r, _ in (ch for ch in changes if document_of(ch[2]) == document):
            p = min(max(calibrate(rescore(c, priors)), 1e-4), 1 - 1e-4)
            loss -= math.log(p if r else 1 - p)
            if p >= CONFIDENT:
                confident += 1
                right += r
    return loss / max(1, len(changes)), right, confident


def priors_table(fitted: Fitted, fit: Fit, used: list[str], changes: list[Change], rounds: str) -> str:
    """repair_priors.tsv's text for ``fitted``, fitted on ``changes`` (of the material ``used``)."""
    evidence_weight, rival_weight, ocr_weight, edge_weight = fitted.weights
    family = fitted.family
    rows = [
        "# The corrector's repair priors: made by scripts/calibrate_confidence.py, do not edit by hand.",
        f"# Fitted on the development part: {', '.join(used)}; {len(changes)} changes, {sum(r for _, r, _ in changes)} right;",
        f"# {rounds}.",
        "# A change's score (ocrfix/correct/scoring.py) is the log10 odds that it is right: its kind's",
        f"# prior, plus weight:{scoring.EVIDENCE} x (language + {scoring.CONTEXT_WEIGHT:g} x context - {scoring.ALPHA:g} x channel),"
        f" plus weight:{scoring.RIVAL} x rival,",
        f"# plus weight:{scoring.OCR} x the OCR's doubt (({scoring.OCR_CENTER:g} - Tesseract's word confidence) / "
        f"{scoring.OCR_SCALE:g}; 0 without one),",
        f"# plus weight:{scoring.EDGE} x the letters the reading adds or drops at the printed word's first or last letter.",
        "# A logistic regression of right/wrong on the changes the corrector made there: a kind's prior is",
        f"# the overall prior ({fitted.overall:.4f}), plus "
        + ("its family's departure from it (the family: the registry entry that proposes most of the kind's\n"
           "# changes; in brackets beside its count, with that departure), plus its own departure from the family's,\n"
           "# both departures shrunk by a ridge penalty: a kind of few changes stays near its family's prior, a family\n"
           "# of few near the overall one." if fit.families else
           "its own departure from it, shrunk by a ridge penalty: a kind of few changes stays near the overall prior."),
        "# A kind not listed counts as even odds (0).",
        "kind\tlog10_odds\tright/changes",
        f"weight:{scoring.EVIDENCE}\t{evidence_weight:.4f}\t",
        f"weight:{scoring.RIVAL}\t{rival_weight:.4f}\t",
        f"weight:{scoring.OCR}\t{ocr_weight:.4f}\t",
        f"weight:{scoring.EDGE}\t{edge_weight:.4f}\t",
        *(f"{kind}\t{value:.4f}\t{fitted.right[kind]}/{fitted.seen[kind]}"
          + (f" ({family[kind]} {fitted.families[family[kind]]:+.4f})" if fit.families else "")
          for kind, value in sorted(fitted.priors.items())),
    ]
    return "\n".join(rows) + "\n"


def calibration_table(steps: list[tuple[float, float, int, int]], fit: Fit, used: list[str],
                      points: list[tuple[float, bool]]) -> str:
    """calibration.tsv's text for the map's ``steps``, fitted on ``points``."""
    header = [
        "# Confidence calibration: made by scripts/calibrate_confidence.py, do not edit by hand.",
        f"# Development part: {', '.join(used)}; {len(points)} changes, {sum(r for _, r in points)} right.",
        "# A change whose score (log10 odds, repair_priors.tsv) is at most raw_up_to (and above the row",
        "# before) is right with this probability ("
        + (f"isotonic steps of at least {fit.least} changes, (right + 1) / (changes + 2))," if fit.isotonic else
           f"a logistic curve of the score fitted by maximum likelihood, at the middle of steps of {GRID:g}),"),
        "# fitted on cross-fitted scores: each document's changes, as the corrector made them with the priors of",
        f"# repair_priors.tsv, scored by priors learned without its fold ({FOLDS} folds of documents; a text's fresh",
        "# pages in its fold).",
        "raw_up_to\tprobability\tevidence",
    ]
    return "\n".join(header + [f"{upper:g}\t{p:.4f}\t{r}/{n} right" for upper, p, r, n in steps]) + "\n"


@dataclass(frozen=True)
class Refit:
    """What :func:`refit` makes: the two tables' text, the priors and the map they give, the pass the priors
    were fitted on and the pass the corrector made with them (the same pass when the fits settled), and the
    map's cross-fitted points."""

    priors_text: str
    calibration_text: str
    priors: scoring.Priors
    calibration: Calibration
    fitted_on: list[Change]
    last: list[Change]
    points: list[tuple[float, bool]]


def refit(material: Material, lexicon, config, fit: Fit = Fit(), rounds: int = ROUNDS,
          report=lambda line: print(line, file=sys.stderr)) -> Refit:
    """The priors and the map from ``material`` alone: the corrector runs with :data:`NEUTRAL` priors, the
    priors are fitted on its changes, it runs again with them (as written: four decimals), and so on until a
    fit gives the priors its pass was made with (settled) or after ``rounds`` fits; then the map is fitted on
    the last pass (made with the priors written), each change scored by the priors fitted, on the pass those
    were fitted on, without its fold (:func:`cross_fitted`). Nothing shipped is read: two refits of the same
    material write the same tables."""
    if rounds < 1:
        raise ValueError("the refit fits the priors at least once")
    priors = NEUTRAL
    changes, used = judged(material, lexicon, config, priors)
    fitted_on = changes
    settled = False
    for round_ in range(1, rounds + 1):
        fitted = fit_priors([(c, r) for c, r, _ in changes], fit)
        text = priors_table(fitted, fit, used, changes, "")
        new = scoring.parse_priors(text.splitlines(), scoring.PRIORS_FILE)
        moved = max([abs(new.prior(k) - priors.prior(k)) for k in {*new.kinds, *priors.kinds}]
                    + [abs(a - b) for a, b in zip(_weights(new), _weights(priors))])
        report(f"round {round_}: {len(changes)} changes, {sum(r for _, r, _ in changes)} right, made with "
               f"{'the neutral priors' if priors is NEUTRAL else 'the priors of round ' + str(round_ - 1)}; "
               f"the priors fitted moved at most {moved:.4f}")
        fitted_on, settled = changes, new == priors
        if settled:
            break
        priors = new
        changes, used = judged(material, lexicon, config, priors)
    made = (f"settled after {round_} fits (the last gave the priors its pass was made with)" if settled else
            f"after {round_} fits, not settled (the last moved the priors by up to {moved:.4f})")
    priors_text = priors_table(fitted, fit, used, fitted_on,
                               f"the refit starts from neutral priors and fits, runs the corrector again, {made}")
    points = cross_fitted(fitted_on, changes, fit)
    calibration_text = calibration_table(calibration_steps(points, fit), fit, used, points)
    calibration = parse_calibration(calibration_text.splitlines(), CALIBRATION_FILE)
    return Refit(priors_text, calibration_text, priors, calibration, fitted_on, changes, points)


def _weights(priors: scoring.Priors) -> tuple[float, ...]:
    return priors.evidence_weight, priors.rival_weight, priors.ocr_weight, priors.edge_weight


def main() -> int:
    from probe_fresh_damage import held_out_refusal

    from ocrfix.config import CorrectConfig
    from ocrfix.lexicon import load_lexicon

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=LEXICONS, help="where the two tables go")
    parser.add_argument("--fresh-seeds", nargs="*", type=int, default=list(FRESH_SEEDS),
                        help="also the development texts damaged again with these seed offsets (not 1, 2: held out)")
    parser.add_argument("--cache", type=Path, help="where probe_fresh_damage.py keeps its pages (default: its own)")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"the most fits of the priors, each followed by a pass with them (default {ROUNDS})")
    parser.add_argument("--no-ocr-term", action="store_true", help="fit without the OCR's doubt (its weight 0)")
    parser.add_argument("--no-edge-term", action="store_true", help="fit without the edge term (its weight 0)")
    parser.add_argument("--no-families", action="store_true", help="shrink each kind toward even odds, not its family")
    parser.add_argument("--isotonic", action="store_true", help="an isotonic map, not the logistic curve")
    parser.add_argument("--least", type=int,
                        help=f"the fewest changes a step of the isotonic map holds (default {MIN_STEP}; with --isotonic)")
    args = parser.parse_args()
    if args.least is not None and not args.isotonic:
        parser.error("--least sets the isotonic map's steps: give --isotonic too (the logistic map has none)")
    if refusal := held_out_refusal(args.fresh_seeds):
        parser.error(refusal)
    if args.rounds < 1:
        parser.error("--rounds: at least 1 (the priors are fitted at least once)")
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    fit = Fit(not args.no_ocr_term, not args.no_edge_term, not args.no_families,
              MIN_STEP if args.least is None else args.least, args.isotonic)

    done = refit(development_material(tuple(args.fresh_seeds), args.cache), lexicon, config, fit, args.rounds)
    for each in (Fit(False, False, fit.families, fit.least, fit.isotonic), Fit(True, True, False, fit.least, fit.isotonic),
                 Fit(True, True, True, 1, True), Fit(True, True, True, MIN_STEP, True), Fit(True, True, True)):
        loss, right_, confident = held_out(done.fitted_on, each)
        mapped = f"isotonic steps of {each.least}+" if each.isotonic else "the logistic map"
        print(f"held out, document by document, {'with' if each.ocr else 'without'} the OCR's doubt, "
              f"{'with' if each.edge else 'without'} the edge term, {'with' if each.families else 'without'} "
              f"families, {mapped}: log loss {loss:.4f}; >= {CONFIDENT}: {right_}/{confident} right", file=sys.stderr)
    (args.out_dir / scoring.PRIORS_FILE).write_text(done.priors_text, encoding="utf-8")
    (args.out_dir / CALIBRATION_FILE).write_text(done.calibration_text, encoding="utf-8")
    steps = len(done.calibration.bounds)
    print(f"{len(done.priors.kinds)} priors and {steps} calibration steps from {len(done.points)} changes "
          f"-> {args.out_dir}", file=sys.stderr)
    folds = [r for p, r in done.points if probability(p, done.calibration) >= CONFIDENT]
    confident = [r for c, r, _ in done.last if probability(c.log_odds, done.calibration) >= CONFIDENT]
    print(f"development part: weights evidence {done.priors.evidence_weight:.3f}, rival {done.priors.rival_weight:.3f}, "
          f"ocr {done.priors.ocr_weight:.3f}, edge {done.priors.edge_weight:.3f}; >= {CONFIDENT}: cross-fitted "
          f"(each fold scored by priors fitted without it) {sum(folds)}/{len(folds)} right, in sample (the scores "
          f"the corrector gave) {sum(confident)}/{len(confident)} right", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
