"""Reconciling one page: the recognised page, the corrector's page and the published text in,
the reconciled page and a record of every decision out.

The reconciled page is the recognised page with each unit's chosen reading
written into its words: words keep their ids and boxes, a word whose text
changed keeps the scan's reading in ``original``, every word says where its
reading comes from (``source``: agree, scan, published, corrector) and, where
the witnesses disagreed, which reading was rejected (``rejected``). Words only
the published text has are added without a box; words the scan has and the
decision drops are removed (the record keeps them). Each disagreement, and
each change of an agreed word, becomes a :class:`~ocrfix.model.Correction`
(offsets into the raw OCR text, the page words' ids, the reason, the
candidates with their evidence, ``source``, ``rejected``, ``published``).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ocrfix.align import nfc, word_tokens
from ocrfix.config import ReconcileConfig
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.model import Block, Correction, Line, Page, Step, Word, enclosing, with_ids
from ocrfix.reconcile import evidence as ev
from ocrfix.reconcile.decide import AGREE, Decision, PageWitnesses, decide_units
from ocrfix.reconcile.third import third_readings
from ocrfix.reconcile.units import Unit, align_witnesses, page_text
from ocrfix.reconcile.width import measure_pitch

LOW_AGREEMENT = 0.3  # below this share of words read alike, one witness failed or the texts are not the same
FAILED_SCAN_MEAN = 0.5  # ... and the scan failed when its words are this unsure on average (and read fewer words)
FAILED_SCAN_ERROR = 0.95  # every scan word's error rate on a failed scan
SURE_SCAN_ERROR = 0.03  # scan words at most this likely wrong measure the published text's error rate
STEP_NAME = "reconcile"
STEP_VERSION = "1"


@dataclass(frozen=True)
class ThirdWitness:
    """A third reading of the scan's unsure lines (``page``: its words, in the scan's frame), or why there is none."""

    lines: tuple[int, ...]  # the lines read again (indexes into Page.lines)
    page: Page | None  # None: not read
    why: str = ""  # when not read: the reason (the model is not installed)


@dataclass(frozen=True)
class Reconciled:
    page: Page
    decisions: tuple[Decision, ...]  # one per unit, agreements included
    corrections: tuple[Correction, ...]  # the disagreements and the changed agreed words, in reading order
    published_error: float
    agreement: float  # share of the words the two witnesses read alike
    used: bool = True  # False: the transcription does not match the scan and was left aside

    @property
    def disagreements(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.source != AGREE or not d.unit.agree)


def reconcile_page(raw: Page, corrected: Page, corrector_changes: Sequence[Correction], published: str,
                   vocab: Vocabulary, model: ErrorModel, config: ReconcileConfig,
                   published_changes: Callable[[str], Sequence[Correction]] | None = None,
                   third: ThirdWitness | None = None) -> Reconciled:
    """The page read from both witnesses (see the module docstring).

    ``corrector_changes`` are the corrector's changes that made ``corrected``
    from ``raw``; ``published_changes`` corrects a text (the published one,
    without markup), so its repairs are candidates too; ``third``: another
    model's reading of the scan's unsure lines (:mod:`.third`), or why there is none.
    """
    raw = with_ids(raw)
    alignment = align_witnesses(raw, published)
    units = alignment.units
    words = raw.words
    compared = [u for u in units if u.words and u.published]
    agreed = sum(1 for u in compared if u.agree)
    errors = [ev.error_rate_of_confidence(w.confidence, 0.1) for w in words]
    scan_error = sum(errors) / len(errors) if errors else 0.1
    # the published text's error rate, measured where the scan is sure (its own errors are rare there)
    sure = [u for u in compared if max(errors[i] for i in u.words) <= SURE_SCAN_ERROR]
    sure_error = sum(max(errors[i] for i in u.words) for u in sure) / len(sure) if sure else scan_error
    published_error = max(  # where the scan is sure, and over the whole page: hard places are hard for both
        ev.published_error_rate(sum(1 for u in sure if u.agree), len(sure), sure_error,
                                config.published_error_floor, config.published_error_ceiling),
        ev.published_error_rate(agreed, len(compared), scan_error, config.published_error_floor,
                                config.published_error_ceiling),
    )
    # Few words read alike: one witness failed (an unreadable scan), or the transcription is another page's.
    agreement = agreed / max(sum(len(u.scan) for u in units), sum(len(u.published) for u in units), 1)
    scan_failed = False
    if agreement < LOW_AGREEMENT:
        scan_words = ev.word_share(" ".join(u.scan_text for u in units), vocab)
        published_words = ev.word_share(" ".join(u.published_text for u in units), vocab)
        if scan_error < FAILED_SCAN_MEAN or published_words < scan_words:
            step = Step(STEP_NAME, STEP_VERSION, {
                "used": False, "agreement": round(agreement, 4), "scan_words": round(scan_words, 4),
                "published_words": round(published_words, 4),
                "why": "the published transcription and the scan read too few words alike: another page's text?",
            })
            return Reconciled(corrected.with_step(step), (), tuple(corrector_changes), published_error, agreement, False)
        scan_failed = True  # the scan is unreadable here and the transcription reads: take it
        scan_error = FAILED_SCAN_ERROR
        published_error = min(config.published_error_ceiling, max(config.published_error_floor, 1.0 - published_words))
    repaired_published = {}
    if published_changes is not None:
        repaired_published = _published_readings(alignment.cleaned.text, published_changes(alignment.cleaned.text), units)
    pitch = measure_pitch(words)
    line_of = [number for number, line in enumerate(raw.lines) for _ in line.words]
    readings = {} if third is None or third.page is None else third_readings(raw, third.page, third.lines)
    witnesses = PageWitnesses(words, _corrector_readings(raw, corrected, corrector_changes, units), repaired_published,
                              scan_error, published_error, scan_failed, pitch, line_of, readings)
    decisions = decide_units(units, witnesses, vocab, model, config)
    page = replace(_apply(raw, decisions), steps=corrected.steps)  # the corrector's step stays on record
    page = page.with_step(Step(STEP_NAME, STEP_VERSION, {
        "used": True,
        "scan_failed": scan_failed,
        "published_error": round(published_error, 4),
        "scan_error": round(scan_error, 4),
        "third_witness": None if third is None else {"lines": len(third.lines), "read": third.page is not None,
                                                     **({"why": third.why} if third.why else {})},
        "pitch": None if pitch is None else {"cell": round(pitch.cell, 2), "offset": round(pitch.offset, 2),
                                             "sigma": round(pitch.sigma, 3)},
        "agreement": round(agreed / len(compared), 4) if compared else 0.0,
        "disagreements": sum(1 for d in decisions if not d.unit.agree),
        "agreed_words_changed": sum(1 for d in decisions if d.unit.agree and d.source != AGREE),
    }))
    corrections = _corrections(raw, decisions)
    return Reconciled(page, decisions, corrections, published_error, agreement)


def _published_readings(text: str, changes: Sequence[Correction], units: Sequence[Unit]) -> dict[int, tuple[str, float]]:
    """Per unit index, the corrector's reading of the unit's published words and its cost, where it changed them."""
    readings: dict[int, tuple[str, float]] = {}
    spans = [(index, unit.clean_span) for index, unit in enumerate(units) if unit.clean_span is not None]
    starts = [span[0] for _, span in spans]
    by_unit: dict[int, list[Correction]] = {}
    for change in changes:
        position = bisect.bisect_right(starts, change.start) - 1
        if position < 0:
            continue
        index, (start, end) = spans[position]
        if change.start >= start and change.end <= end:  # a repair across units is left out
            by_unit.setdefault(index, []).append(change)
    for index, found in by_unit.items():
        start, end = units[index].clean_span  # type: ignore[misc]
        piece = text[start:end]
        for change in sorted(found, key=lambda c: -c.start):
            piece = piece[: change.start - start] + change.replacement + piece[change.end - start :]
        reading = " ".join(t.key for t in word_tokens(piece))
        if reading != units[index].published_text:
            readings[index] = (reading, sum(repair_cost(c) for c in found))
    return readings


def _corrector_readings(raw: Page, corrected: Page, changes: Sequence[Correction],
                        units: Sequence[Unit]) -> dict[int, tuple[str, float]]:
    """Per unit index, the corrector's reading of the unit's words and its cost, where it differs from the scan's."""
    ids = [w.id for w in raw.words]
    unit_of_word = {word: index for index, unit in enumerate(units) for word in unit.words}
    unit_of_id = {ids[word]: index for word, index in unit_of_word.items()}
    spanning = set()
    costs: dict[int, float] = {}
    for change in changes:
        touched = {unit_of_id.get(i) for i in change.word_ids}
        if len(touched) > 1:  # a change across units (a merge) cannot be read unit by unit
            spanning |= touched
        elif touched:
            index = touched.pop()
            if index is not None:
                costs[index] = costs.get(index, 0.0) + repair_cost(change)
    by_id = {w.id: (w, line_number) for line_number, line in enumerate(corrected.lines) for w in line.words}
    readings: dict[int, str] = {}
    for index, unit in enumerate(units):
        if not unit.words or index in spanning:
            continue
        found = [by_id[ids[w]] for w in unit.words if ids[w] in by_id]
        if not any(word.changed for word, _ in found):
            continue
        parts: list[str] = []
        for number, (word, line_number) in enumerate(found):
            if number:
                parts.append("\n" if line_number != found[number - 1][1] else " ")
            parts.append(nfc(word.text))
        reading = " ".join(t.key for t in word_tokens("".join(parts)))
        if reading != unit.scan_text:
            readings[index] = (reading, costs.get(index, 1.0))
    return readings


def _apply(raw: Page, decisions: Sequence[Decision]) -> Page:
    """The raw page with every decision's reading written into its words."""
    words = list(raw.words)
    texts: dict[int, Word | None] = {}  # word index -> its new form (None: removed)
    inserted: dict[int, list[Word]] = {}  # after word index (-1: at the start) -> new words
    previous_word = -1  # the last page word of the decision before
    for decision in decisions:
        unit = decision.unit
        rejected = decision.rejected
        if decision.joined and previous_word >= 0 and texts.get(previous_word) is not None:
            # its word went into the word before: that word's box takes in this one's
            joined = texts[previous_word]
            if joined.bbox is not None:
                joined = replace(joined, bbox=enclosing((joined.bbox, *(words[i].bbox for i in unit.words))))
            texts[previous_word] = joined
        if unit.words:
            previous_word = unit.words[-1]
        if not unit.words:
            if decision.chosen.text:
                new = [Word(text, source=decision.source, rejected="" if n == 0 else None)
                       for n, text in enumerate(decision.chosen.text.split())]
                inserted.setdefault(unit.after, []).extend(new)
            continue
        pieces = _pieces(decision.chosen.text, unit, words)
        for position, word_index in enumerate(unit.words):
            word = words[word_index]
            text = pieces[position]
            extra = {"source": decision.source}
            if position == 0 and rejected is not None:
                extra["rejected"] = rejected
            if text is None:
                texts[word_index] = None
                continue
            if position == 0 and any(p is None for p in pieces[1:]):  # merged words: one box over them all
                word = replace(word, bbox=enclosing(words[other].bbox for other in unit.words))
            original = word.text if text != word.text else None
            texts[word_index] = replace(word, text=text, original=original, **extra)
    blocks = []
    index = 0
    for block in raw.blocks:
        lines = []
        for line in block.lines:
            kept: list[Word] = []
            if index == 0:
                kept.extend(inserted.get(-1, []))
            for _ in line.words:
                new = texts.get(index, words[index])
                if new is not None:
                    kept.append(new)
                kept.extend(inserted.get(index, []))
                index += 1
            lines.append(replace(line, words=tuple(kept)))
        blocks.append(replace(block, lines=tuple(lines)))
    if not raw.blocks and inserted:
        blocks = [Block((Line(tuple(w for group in inserted.values() for w in group)),))]
    return with_ids(replace(raw, blocks=tuple(blocks)))


def _pieces(reading: str, unit: Unit, words: Sequence[Word]) -> list[str | None]:
    """The reading cut into the unit's words: word by word when the counts allow, else all in the first."""
    tokens = reading.split()
    count = len(unit.words)
    if reading == unit.scan_text:
        return [words[i].text for i in unit.words]
    if len(tokens) == len(unit.scan) == count:
        return list(tokens)
    if len(tokens) == 1 and len(unit.scan) == 1 and count == 2:  # a word hyphenated at a line end
        head = words[unit.words[0]].text
        if head.endswith(("-", "\u00ad", "\u2010", "\u00ac")) and len(head) - 1 < len(tokens[0]):
            cut = len(head) - 1
            return [tokens[0][:cut] + head[-1], tokens[0][cut:]]
    if not tokens:
        return [None] * count
    return [" ".join(tokens)] + [None] * (count - 1)


def _corrections(raw: Page, decisions: Sequence[Decision]) -> tuple[Correction, ...]:
    text, spans = page_text(raw)
    ids = [w.id for w in raw.words]
    out = []
    for decision in decisions:
        unit = decision.unit
        if decision.source == AGREE:
            continue
        if unit.words:
            start, end = spans[unit.words[0]][0], spans[unit.words[-1]][1]
        else:
            start = end = spans[unit.after][1] if unit.after >= 0 else 0
        best = decision.candidates[0].evidence.total
        out.append(Correction(
            original=text[start:end],
            replacement=decision.chosen.text,
            start=start,
            end=end,
            line=text.count("\n", 0, start),
            score=-_log10(decision.posterior),
            reason=decision.reason,
            candidates=tuple((c.text, round(best - c.evidence.total, 4)) for c in decision.candidates),
            word_ids=tuple(ids[i] for i in unit.words),
            confidence=round(decision.posterior, 4),
            source=decision.source,
            rejected=decision.rejected,
            published=unit.published_text,
            evidence=tuple((c.text, tuple(c.offered_by), c.evidence.to_dict()) for c in decision.candidates),
        ))
    return tuple(out)


def _log10(value: float) -> float:
    return math.log10(max(value, 1e-300))


def repair_cost(change: Correction) -> float:
    """What the corrector's change costs as a reading of the witness it changed, in error-model cost units
    (:func:`.evidence.channel`): the cost of the characters it changes as the corrector scored them (its
    recorded ``channel`` term, the learned error model), plus its doubt, ``-log10 P(right) / 2`` with P from
    the log10 odds it scored (``log_odds``, :mod:`ocrfix.correct.scoring`), so the reading's likelihood is the
    channel's times the corrector's odds-given probability. A change recorded without its scoring counts its
    ``score``."""
    if change.log_odds is None or not change.terms:
        return max(0.0, change.score)
    channel = max(0.0, dict(change.terms).get("channel", 0.0))
    right = 1.0 / (1.0 + 10 ** -change.log_odds)
    return channel - math.log10(max(right, 1e-9)) / ev.LOG10_PER_COST
