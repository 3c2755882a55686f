"""A page's estimated character error rate: the self-check's estimate on a scale fitted to true CER.

The estimate of :mod:`ocrfix.ocr.quality` does not mean the same on every source. Its ``score`` counts a
word the lexicon knows as right: on a Russian page most words are judged so, on a Czech page or a
Komi page none are, and the same score stands for 1% CER on one and 6% on another (the development
part of ``scripts/bench_recognition.py``). ``free_score``, the same estimate from Tesseract's confidence
and the garbage rate alone, means the same wherever Tesseract reads: it is the signal here.

The scale is log-linear, ``log(cer + offset) = intercept + slope * free_score``, fitted by least squares
on the development part's pages (``scripts/fit_page_error.py``), and so is the rate above which a page
is doubtful (``doubtful``: between the worst-estimated good page and the best-estimated bad one). The
fitted numbers are data (``ocrfix/data/page_error_scale.tsv``), never literals here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ocrfix.errors import BadInputError
from ocrfix.ocr.quality import Quality

SCALE_FILE = "page_error_scale.tsv"
FIELDS = ("intercept", "slope", "offset", "doubtful")


@dataclass(frozen=True)
class ErrorScale:
    intercept: float
    slope: float  # per unit of free_score
    offset: float  # added to the CER before its logarithm (a page read perfectly has CER 0)
    doubtful: float  # a page estimated to read worse than this share of characters wrong is doubtful

    def cer(self, free_score: float) -> float:
        """The estimated character error rate, 0..1, of a reading with words whose ``free_score`` (Quality's) this is."""
        return min(1.0, max(0.0, math.exp(self.intercept + self.slope * free_score) - self.offset))

    def to_tsv(self, comment: str = "") -> str:
        head = "".join(f"# {line}\n" for line in comment.splitlines())
        return head + "".join(f"{name}\t{getattr(self, name):.6g}\n" for name in FIELDS)


def read_scale(path: Path) -> ErrorScale:
    """The scale in ``path``: ``name<TAB>value`` lines for each of FIELDS; ``#`` starts a comment."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read the page error scale {path}: {exc}") from exc
    values: dict[str, float] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        try:
            values[cells[0]] = float(cells[1])
        except (IndexError, ValueError) as exc:
            raise BadInputError(f"{path}:{number}: expected name<TAB>number") from exc
    missing = [name for name in FIELDS if name not in values]
    if missing:
        raise BadInputError(f"{path}: missing {', '.join(missing)}")
    return ErrorScale(*(values[name] for name in FIELDS))


@lru_cache(maxsize=1)
def shipped_scale() -> ErrorScale:
    return read_scale(Path(str(resources.files("ocrfix") / "data" / SCALE_FILE)))


def estimated_cer(quality: Quality) -> float:
    """The estimated character error rate of a reading, on the shipped scale (1.0 without words: nothing read)."""
    return 1.0 if quality.words == 0 else shipped_scale().cer(quality.free_score)
