"""One scale for every repair: candidates with their evidence, one score, one resolver.

Every candidate generator of the registry (registry.py) proposes :class:`Candidate`
records: a span of the text, its replacement, the kind of repair (``kind``, the key of
its learned prior) and the evidence for it (:class:`Evidence`), in log10 units:

- channel: the error model's cost of the characters changed (``error_model.py``; cost
  units, 1.0 = an arbitrary edit; Tesseract's own alternatives cost less),
- language: how much more probable the proposed reading is than the printed one
  (Zipf gain; an unknown printed word counts as :func:`unknown_zipf` of its length),
- context: the agreement links the reading makes with its neighbours,
- rival: log10 of the chosen reading's share among the readings weighed (0: no rival),
- ocr: the OCR's own doubt about the words changed, from Tesseract's word confidence
  (:func:`ocr_doubt`; 0 for text read without confidences),
- edge: the letters the reading adds or drops at the printed word's first or last letter
  (:func:`edge_letters`): a word cut short or run on at its edge fits many longer or shorter
  words, and the lexicon's likeliest is often not the one typed ('шерст' -> 'шерсти' for
  'шерстью'); inside a word the letters around the change pin it down.

:func:`score` turns them into one number, the log10 odds that the change is right:
the prior of its kind plus the weighted evidence. Priors and weights are learned on the
development part of the post-correction corpus (``scripts/calibrate_confidence.py``,
``ocrfix/data/lexicons/repair_priors.tsv``); a repair the error model cannot price (a
Roman numeral, a speck) is scored by its prior alone. :func:`resolve` keeps, among
overlapping candidates, the one with the best score (the registry's declared order
breaks ties); the guards' protections are constraints the corrector applies before.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocrfix.correct import context, tables
from ocrfix.errors import BadInputError

ALPHA = 3.0  # score units (log10) one unit of error-model cost is worth (candidates.score's alpha)
CONTEXT_WEIGHT = context.CONTEXT_WEIGHT  # score units one link of agreement with a neighbour is worth
PRIORS_FILE = "repair_priors.tsv"
EVIDENCE = "evidence"  # the priors file's row for the weight of language + context - channel
RIVAL = "rival"  # ... and for the weight of the rival term
OCR = "ocr"  # ... and for the weight of the OCR's doubt (absent: 0, the term is not used)
EDGE = "edge"  # ... and for the weight of the letters added or dropped at the word's edge (absent: 0)
OCR_CENTER = 75.0  # the word confidence (0..100) whose doubt is 0: the median confidence of the words the
# corrector changes on the development part's typed and other pages (74.8; all their words: 96.2), so text
# read without confidences (a published transcription) counts as a typical changed word
OCR_SCALE = 10.0  # confidence points per unit of doubt
MIN_LOG_ODDS = 0.0  # a candidate whose own evidence leaves its odds below this is not made (see resolve)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What speaks for a change, in log10 units (see the module's docstring)."""

    channel: float = 0.0
    language: float = 0.0
    context: float = 0.0
    rival: float = 0.0
    ocr: float = 0.0
    edge: float = 0.0

    @property
    def margin(self) -> float:
        """The noisy-channel margin of the reading over the printed one: positive when
        the reading is likelier (language and context) than its cost makes it doubtful."""
        return self.language + CONTEXT_WEIGHT * self.context - ALPHA * self.channel


@dataclass(frozen=True, slots=True)
class Candidate:
    """A repair proposed for ``text[start:end]``."""

    start: int
    end: int
    replacement: str
    kind: str  # what repair this is: the key of its prior (repair_priors.tsv)
    reason: str
    evidence: Evidence = Evidence()
    alternatives: tuple[tuple[str, float], ...] = ()  # the readings weighed, with their scores
    generator: str = ""  # the registry entry that proposed it (name@version), set by the corrector
    score: float = 0.0  # log10 odds that it is right (:func:`score`), set by the corrector
    choice: float | None = None  # the score it is chosen by: without the OCR's doubt (None: ``score``)
    made: float | None = None  # the score the floor judges: without the edge term either (None: ``choice``)
    # the spans of the text its evidence reads and which must stay as read (a sentence's period for the
    # capital of the word after it): a chosen candidate that edits one drops this one (:func:`resolve`)
    relies: tuple[tuple[int, int], ...] = ()

    @property
    def chosen_by(self) -> float:
        return self.score if self.choice is None else self.choice

    @property
    def made_by(self) -> float:
        return self.chosen_by if self.made is None else self.made


@dataclass(frozen=True)
class Priors:
    """Each kind's prior (log10 odds that its changes are right) and the evidence's weights."""

    kinds: Mapping[str, float]
    evidence_weight: float = 1.0
    rival_weight: float = 1.0
    ocr_weight: float = 0.0
    edge_weight: float = 0.0

    def prior(self, kind: str) -> float:
        return self.kinds.get(kind, 0.0)


def score(kind: str, evidence: Evidence, priors: Priors) -> float:
    """The log10 odds that a change of this kind, with this evidence, is right."""
    return round(priors.prior(kind) + priors.evidence_weight * evidence.margin
                 + priors.rival_weight * evidence.rival + priors.ocr_weight * evidence.ocr
                 + priors.edge_weight * evidence.edge, 4)


def choosing(evidence: Evidence) -> Evidence:
    """The evidence a candidate is ranked by among overlapping ones (see :func:`resolve`):
    without the OCR's doubt, which weighs how sure a change is, not which is made."""
    return with_ocr(evidence, 0.0) if evidence.ocr else evidence


def with_ocr(evidence: Evidence, ocr: float) -> Evidence:
    """``evidence`` with the OCR's doubt ``ocr``: as ``dataclasses.replace(evidence, ocr=ocr)``, made
    field by field, without its look-up of the fields (the corrector asks it of every candidate)."""
    return Evidence(channel=evidence.channel, language=evidence.language, context=evidence.context,
                    rival=evidence.rival, ocr=ocr, edge=evidence.edge)


def making(evidence: Evidence) -> Evidence:
    """The evidence the floor judges a candidate by (see :func:`resolve`): without the OCR's
    doubt and the edge term, which weigh how sure a change is, not whether it is made."""
    if not (evidence.ocr or evidence.edge):
        return evidence
    return Evidence(channel=evidence.channel, language=evidence.language, context=evidence.context,
                    rival=evidence.rival)  # (ocr and edge 0.0)


def edge_letters(printed: str, reading: str) -> int:
    """How many letters the reading adds or drops at the printed word's first or last letter
    (folded keys): 0 when the lengths agree or the letters it adds or drops lie inside, between
    letters both keep ('шерст' -> 'шерсти': 1, 'ютому' -> 'тому': 1, 'станцилх' -> 'станциях': 0)."""
    if len(printed) == len(reading):
        return 0
    n = min(len(printed), len(reading))
    head = 0
    while head < n and printed[head] == reading[head]:
        head += 1
    tail = 0
    while tail < n - head and printed[-1 - tail] == reading[-1 - tail]:
        tail += 1
    return abs(len(printed) - len(reading)) if head == 0 or tail == 0 else 0


def ocr_doubt(confidence: float | None) -> float:
    """The OCR's doubt about a word it read with this confidence (0..100): positive below
    :data:`OCR_CENTER`, negative above, in units of :data:`OCR_SCALE` points; 0 when unknown."""
    if confidence is None:
        return 0.0
    return round((OCR_CENTER - confidence) / OCR_SCALE, 4)


def resolve(decided: Iterable[Candidate], candidates: Sequence[Candidate],
            order: Mapping[str, int], floor: float | None = None) -> list[Candidate]:
    """The changes to make: every ``decided`` one (a reviewer's memory, the OCR's own
    alternatives), then the candidates by score, best first, each unless it overlaps one
    already kept. Ties go to the generator declared first (``order``: label -> position),
    then to the earlier span. The result is sorted by position.

    Candidates are ranked by the score without the OCR's doubt (``choice``, :func:`choosing`):
    Tesseract's word confidence weighs how sure a change is, not which is made (on the
    development part, letting it decide dropped changes that were right more often than not:
    typed 1.20% -> 1.23% CER, other 0.74% -> 0.80%, with the priors of commit 1b4d871). The
    edge term ranks (a join 'опытных' beats 'о..ытных' read as 'Сытных'), but the floor judges a
    candidate without it either (``made``, :func:`making`): a lost first or last letter restored
    alone is kept ('оявление' -> 'появление'), only its confidence is lower.
    A candidate with evidence of its own whose score is below ``floor`` (default
    :data:`MIN_LOG_ODDS`: even odds, more likely wrong than right) is not made; one scored by
    its kind's prior alone (the OCR's doubt aside) is (whether a kind of repair pays is the ablation's question,
    ``scripts/bench_correct.py --ablate``, not a prior learned from a handful of changes).

    A candidate over two or more others inside its span (a join over its pieces' repairs) is weighed against
    them together, not each alone (:func:`_wholes_first`).

    Two changes are not made together when one rests on evidence the other removes: a kept candidate
    whose ``relies`` spans another kept change edits (a capital after a period that a speck's removal
    takes out: 'мокрый. двор' is not 'мокрый Двор') is dropped, whatever its score, and the choice
    is made again without it (what it overlapped may then be kept), until no kept change relies on
    a span another edits."""
    floor = MIN_LOG_ODDS if floor is None else floor
    decided = list(decided)
    ranked = [c for c in sorted(candidates, key=lambda c: (-c.chosen_by, order.get(c.generator, len(order)),
                                                           c.start, c.end))
              if not (c.made_by < floor and making(c.evidence) != Evidence())]
    ranked = _wholes_first(ranked)
    while True:
        kept = _kept(decided, ranked)
        undermined = [c for c in kept if c.relies and not any(c is d for d in decided)  # (a decided one stays)
                      and any(_edits(other, c.relies) for other in kept if other is not c)]
        if not undermined:
            return sorted(kept, key=lambda c: c.start)
        ranked = [c for c in ranked if not any(c is u for u in undermined)]


def _wholes_first(ranked: Sequence[Candidate]) -> list[Candidate]:
    """``ranked`` with each candidate that spans two or more others (a join of a word's pieces:
    'прибы, ием' -> 'прибытием' over 'прибы' -> 'прибыл' and 'ием' -> 'нем') moved before them when it is
    likelier right than they are all together: the pieces' readings are the whole's rival as one reading
    of the span, right only if every one of them is (the product of their probabilities), not each
    alone. The pieces weighed are the best ones inside the span that do not overlap (as :func:`_kept`
    keeps them); a whole over one piece stays where its own score puts it."""
    by_start = sorted(range(len(ranked)), key=lambda i: ranked[i].start)
    starts = [ranked[i].start for i in by_start]
    moved: dict[int, float] = {}  # position in ranked -> the score of its best piece
    for at, whole in enumerate(ranked):
        if whole.end - whole.start < 3:
            continue
        within = sorted(i for i in by_start[bisect.bisect_left(starts, whole.start):bisect.bisect_left(starts, whole.end)]
                        if i != at and ranked[i].end <= whole.end
                        and (ranked[i].start, ranked[i].end) != (whole.start, whole.end))
        if len(within) < 2:
            continue
        inside = _kept((), [ranked[i] for i in within])
        if len(inside) < 2:
            continue
        lost = sum(math.log10(1.0 + 10.0 ** -c.chosen_by) for c in inside)  # -log10 of the product of their odds' p
        pieces = -math.log10(10.0 ** lost - 1.0) if lost > 0 else math.inf  # the log10 odds that all are right
        if whole.chosen_by > pieces:
            moved[at] = max(c.chosen_by for c in inside)
    if not moved:
        return list(ranked)
    # (ranked is best first: a moved whole goes just before its best piece, the order otherwise kept)
    out = [c for i, c in enumerate(ranked) if i not in moved]
    for i, best in moved.items():
        out.insert(next((k for k, o in enumerate(out) if o.chosen_by <= best), len(out)), ranked[i])
    return out


def _kept(decided: Sequence[Candidate], ranked: Sequence[Candidate]) -> list[Candidate]:
    """Every ``decided`` change, then the ``ranked`` candidates in turn, each unless it overlaps one
    already kept."""
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []

    def free(c: Candidate) -> bool:
        return not any(start < c.end and c.start < end for start, end in taken)

    for c in (*decided, *ranked):
        if free(c):
            kept.append(c)
            taken.append((c.start, c.end))
    return kept


def _edits(change: Candidate, spans: Iterable[tuple[int, int]]) -> bool:
    """``change`` replaces characters of one of ``spans`` (or inserts inside one)."""
    if change.start == change.end:
        return any(start < change.start < end for start, end in spans)
    return any(change.start < end and start < change.end for start, end in spans)


def unknown_zipf(length: int) -> float:
    """The Zipf an unknown printed word of this length counts as: the less likely that a
    longer word was typed as no word at all (-0.8 to -2.5)."""
    return -min(2.5, 0.8 + 0.1 * length)


def pieces_zipf(pieces: Iterable[str], known: Callable[[str], bool], zipf: Callable[[str], float]) -> float:
    """The Zipf of a reading printed in pieces (folded keys; a word split by a space or a
    damaged letter): its least likely piece's, an unknown one counted as :func:`unknown_zipf`."""
    return min(zipf(p) if known(p) else unknown_zipf(len(p)) for p in pieces)


def share(chosen: float, scores: Iterable[float]) -> float:
    """log10 of a reading's share among the readings weighed, from their noisy-channel
    scores (lower is better; a reading weighs ``10 ** -score``): 0 when it had no rival.
    Rounded to four places, as evidence is recorded (:func:`log_share` unrounded)."""
    return round(log_share(chosen, scores), 4)


def log_share(chosen: float, scores: Iterable[float]) -> float:
    """:func:`share`, unrounded."""
    scores = list(scores)
    if len(scores) < 2:
        return 0.0
    best = min(scores)
    total = sum(10 ** -(s - best) for s in scores)
    return -(chosen - best) - math.log10(total)


def read_priors(path: Path) -> Priors:
    return parse_priors(tables.read_lines(path, "repair priors"), path)


def parse_priors(lines: Sequence[str], path: Path | str) -> Priors:
    """The priors a priors file's lines give (``path`` names it in an error): a header row, then
    kind<TAB>log10 odds and weight:<term><TAB>weight rows; a weight not given keeps its default."""
    kinds: dict[str, float] = {}
    weights = {EVIDENCE: 1.0, RIVAL: 1.0, OCR: 0.0, EDGE: 0.0}
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    for number, line in enumerate(rows[1:], 2):
        cells = line.split("\t")
        try:
            value = float(cells[1])
        except (IndexError, ValueError) as exc:
            raise BadInputError(f"{path}: row {number}: expected kind<TAB>log10 odds") from exc
        if cells[0].startswith("weight:"):
            weights[cells[0].removeprefix("weight:")] = value
        else:
            kinds[cells[0]] = value
    return Priors(kinds, weights[EVIDENCE], weights[RIVAL], weights[OCR], weights[EDGE])


@lru_cache(maxsize=1)
def shipped_priors() -> Priors:
    path = tables.shipped(PRIORS_FILE)
    return read_priors(path) if path.is_file() else Priors({})
