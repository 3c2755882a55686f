"""How sure the corrector is of a change: a probability, calibrated on data.

Every change has one score, the log10 odds that it is right (:mod:`ocrfix.correct.scoring`);
the calibration table (``ocrfix/data/lexicons/calibration.tsv``, made by
``scripts/calibrate_confidence.py`` from the development part of the post-correction
corpus and fresh damage of its texts) turns it into the share of such changes that were
right: a rising step function (steps of a logistic curve of the score fitted to the changes;
the script can also write isotonic steps, each the right / all of its changes with one of each
added). Without the table the odds themselves are turned into a probability.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocrfix.correct import tables
from ocrfix.correct.scoring import log_share
from ocrfix.errors import BadInputError

CALIBRATION_FILE = "calibration.tsv"
# The confidence at which a change counts as confident: `regenerate --policy confident`'s default
# --min-confidence, the review app's "accept all above" default, and what a batch learns its own
# confusions from (ocrfix.correct.learn).
CONFIDENT = 0.9


def raw_confidence(replacement: str, score: float, candidates: Sequence[tuple[str, float]], original: str = "") -> float:
    """For a change recorded without a confidence (a run from before the calibration), a
    0..1 rank of how sure the corrector was: the chosen reading's share among the
    candidates it weighed (:func:`~ocrfix.correct.scoring.log_share`; 1 when it had no rival) times ``exp(-cost)`` of the change's
    error-model cost."""
    scores: dict[str, float] = {}
    for text, value in candidates:
        scores[text] = min(value, scores.get(text, value))
    share = 10 ** log_share(scores[replacement], scores.values()) if replacement in scores else 1.0
    return round(share * math.exp(-max(score, 0.0)), 4)


@dataclass(frozen=True)
class Calibration:
    """Steps of a monotone map: raw values up to ``bounds[i]`` are right with ``probabilities[i]``."""

    bounds: tuple[float, ...] = ()
    probabilities: tuple[float, ...] = ()

    def __call__(self, raw: float) -> float:
        if not self.bounds:
            return raw
        index = min(bisect.bisect_left(self.bounds, raw), len(self.bounds) - 1)
        return self.probabilities[index]


def read_calibration(path: Path) -> Calibration:
    return parse_calibration(tables.read_lines(path, "confidence calibration"), path)


def parse_calibration(lines: Sequence[str], path: Path | str) -> Calibration:
    """The map a calibration file's lines give (``path`` names it in an error): raw_up_to<TAB>probability
    rows, rising."""
    bounds, probabilities = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("raw_up_to"):
            continue
        cells = line.split("\t")
        try:
            bounds.append(float(cells[0]))
            probabilities.append(float(cells[1]))
        except (IndexError, ValueError) as exc:
            raise BadInputError(f"{path}:{number}: expected raw_up_to<TAB>probability") from exc
    if bounds != sorted(bounds) or probabilities != sorted(probabilities):
        raise BadInputError(f"{path}: the steps must rise")
    return Calibration(tuple(bounds), tuple(probabilities))


@lru_cache(maxsize=1)
def shipped_calibration() -> Calibration:
    path = tables.shipped(CALIBRATION_FILE)
    return read_calibration(path) if path.is_file() else Calibration()


def probability(log_odds: float, calibration: Calibration | None = None) -> float:
    """The probability that a change with this score is right, by ``calibration`` (None: the
    shipped one); by the odds themselves when it has no steps."""
    calibration = shipped_calibration() if calibration is None else calibration
    if not calibration.bounds:
        return round(1 / (1 + 10 ** -log_odds), 4)
    return round(calibration(log_odds), 4)
