"""Deciding every place where the witnesses are compared.

Each :class:`~ocrfix.reconcile.units.Unit` gets its candidate readings: the
scan's, the published one, and the corrector's reading of the scan's words
when it differs from both. Every candidate is scored with the same evidence
(:mod:`.evidence`); the best total wins. The published text's error rate
at a place is the larger of the page's estimate and the scan's there: both
OCRs read the same sheet, and where it is hard for one it is hard for the
other (unless the scan failed as a whole). Where the two witnesses agree, the
agreed reading stands unless the corrector's reading beats it by
``agreed_change_margin`` (log10 odds): two independent witnesses reading the
same thing is strong evidence, and a change needs stronger. A run of more than
``max_inserted_words`` words that only the published text has (a line the
archive repeated, text of another page) is never added: the scan shows what is
on this page. Two neighbouring words of a line that are not both words (a letter
too faint for either OCR, read as a space or a mark) are also decided as one
place, the known words near the two joined among its candidates (:func:`_joins`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field

import regex

from ocrfix.config import ReconcileConfig
from ocrfix.correct.candidates import generate
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.tokens import apply_case
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon.normalize import fold
from ocrfix.model import Word
from ocrfix.reconcile import evidence as ev
from ocrfix.reconcile import width as wd
from ocrfix.reconcile.units import Unit

AGREE, SCAN, PUBLISHED, CORRECTOR = "agree", "scan", "published", "corrector"
UNINFORMATIVE = 0.9  # scan words at least this likely wrong carry no evidence
SURE_AROUND = 0.3  # a long run only the published text has is not added where the scan around it reads this surely


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str  # layout words joined by single spaces ("" for nothing)
    offered_by: tuple[str, ...]  # SCAN, PUBLISHED, CORRECTOR
    evidence: ev.Evidence


@dataclass(frozen=True, slots=True)
class Decision:
    unit: Unit
    candidates: tuple[Candidate, ...]  # best first
    chosen: Candidate
    source: str  # AGREE, SCAN, PUBLISHED or CORRECTOR
    reason: str
    scan_confidence: float | None = None
    joined: bool = False  # the unit's words were joined to the word before (see _joins): it reads nothing

    @property
    def scan(self) -> str:
        return self.unit.scan_text

    @property
    def published(self) -> str:
        return self.unit.published_text

    @property
    def rejected(self) -> str | None:
        """The witness reading not taken (the scan's when the corrector or the published text won)."""
        if self.source == AGREE:
            return None
        if self.source == SCAN:
            return self.published
        return self.scan

    @property
    def odds(self) -> float:
        """log10 odds of the chosen reading against the best other candidate."""
        others = [c.evidence.total for c in self.candidates if c is not self.chosen]
        return self.chosen.evidence.total - max(others) if others else math.inf

    @property
    def posterior(self) -> float:
        """The chosen reading's share of the candidates' probability."""
        best = self.chosen.evidence.total
        return 1.0 / sum(10 ** (c.evidence.total - best) for c in self.candidates)


@dataclass(frozen=True)
class PageWitnesses:
    """What the decisions need to know about the page."""

    words: Sequence[Word]  # the scan's words (Page.words of the recognised page)
    corrected: Mapping[int, tuple[str, float]]  # per unit index, the corrector's reading of the scan's words and its cost
    corrected_published: Mapping[int, tuple[str, float]]  # the same for the published words
    scan_error: float  # mean error rate of the scan's words, from their confidences
    published_error: float
    scan_failed: bool = False  # the scan is unreadable: every word of it as unsure as FAILED_SCAN_ERROR says
    pitch: wd.Pitch | None = None  # the typescript's character width, where its boxes follow one (see .width)
    line_of: Sequence[int] = ()  # per page word, the number of its line
    third: Mapping[int, str] = dataclass_field(default_factory=dict)  # per page word on an unsure line, the third witness's reading


def decide_units(units: Sequence[Unit], witnesses: PageWitnesses, vocab: Vocabulary, model: ErrorModel,
                 config: ReconcileConfig) -> tuple[Decision, ...]:
    decisions: list[Decision] = []
    lookalikes = ev.digit_lookalikes(model)
    joined_at = _joins(units, witnesses, vocab, model, config, lookalikes)
    for index, unit in enumerate(units):
        if index in joined_at:
            decisions.append(joined_at[index])
            continue
        near = None
        if not unit.words:  # did Tesseract miss words here? as likely as it misread the words around
            around = [witnesses.words[w] for u in units[max(0, index - 1) : index + 2] for w in u.words]
            rates = [_word_error(w, witnesses) for w in around]
            near = max(config.scan_drop_rate, sum(rates) / len(rates)) if rates else config.scan_drop_rate
        decisions.append(_decide(unit, _repairs(units, witnesses, index), witnesses, vocab, model, config,
                                 *_neighbours(units, index, index), near, lookalikes))
    return tuple(decisions)


def _repairs(units: Sequence[Unit], witnesses: PageWitnesses, *indexes: int) -> dict[str, tuple[str, float] | None]:
    """The corrector's reading of the scan's and of the published words of the units ``indexes`` (one
    reading of them all: each unit's repair, or its witness's words where the corrector changed nothing)
    and its cost; None for a witness the corrector changed nowhere there."""
    found: dict[str, tuple[str, float] | None] = {}
    for witness, readings in ((SCAN, witnesses.corrected), (PUBLISHED, witnesses.corrected_published)):
        if not any(i in readings for i in indexes):
            found[witness] = None
            continue
        parts = [readings.get(i) or (units[i].scan_text if witness == SCAN else units[i].published_text, 0.0)
                 for i in indexes]
        found[witness] = (" ".join(text for text, _ in parts if text), sum(cost for _, cost in parts))
    return found


def _neighbours(units: Sequence[Unit], first: int, last: int) -> tuple[str | None, str | None]:
    """The scan's word before unit ``first`` and after unit ``last``."""
    before = units[first - 1].scan[-1] if first and units[first - 1].scan else None
    after = units[last + 1].scan[0] if last + 1 < len(units) and units[last + 1].scan else None
    return before, after


def _decide(unit: Unit, repairs: Mapping[str, tuple[str, float] | None], witnesses: PageWitnesses, vocab: Vocabulary, model: ErrorModel,
            config: ReconcileConfig, before: str | None, after: str | None, near: float | None = None,
            lookalikes: frozenset[str] = frozenset(), *, extra: Sequence[str] = (), protected: bool | None = None,
            as_one_word: bool = False) -> Decision:
    """The unit's candidates scored on one scale, and the winner. ``extra``: more candidates (the words
    two pieces read apart may be, see :func:`_joins`); ``protected``: the unit holds a word both witnesses
    read alike, so a change needs ``agreed_change_margin`` (default: the unit is such a word);
    ``as_one_word``: the reason says the winner is written as one word."""
    words = [witnesses.words[i] for i in unit.words]
    confidence = _least_confidence(unit, witnesses)
    if unit.words:
        scan_error = max(_word_error(w, witnesses) for w in words)
    else:
        scan_error = near if near is not None else config.scan_drop_rate  # the scan has nothing here
    # the published text is another OCR of the same sheet: where the scan finds the sheet hard, it errs about as
    # often (scripts/bench_reconcile.py --part dev --calibration: 0.8-1.4 times the scan's rate where that is over 3%)
    published_error = _published_error(scan_error, witnesses)
    joined = " ".join(w.text for w in words)
    alternatives = ev.alternatives_of(words) if joined == unit.scan_text else ()
    offers: dict[str, list[str]] = {}
    offers.setdefault(unit.scan_text, []).append(SCAN)
    offers.setdefault(unit.published_text, []).append(PUBLISHED)
    repair_cost: dict[str, dict[str, float]] = {SCAN: {}, PUBLISHED: {}}
    for witness, repair in repairs.items():
        if repair is not None:
            text, cost = repair
            offers.setdefault(text, [])
            if CORRECTOR not in offers[text]:
                offers[text].append(CORRECTOR)
            repair_cost[witness][text] = cost
    observed = None
    if witnesses.pitch is not None and not witnesses.scan_failed:
        observed = wd.observed_cells(witnesses.words, witnesses.line_of, unit.words, unit.after, witnesses.pitch)
    scan_width = wd.width_score(unit.scan_text, observed, witnesses.pitch)
    third = None
    if unit.words and not unit.agree and not witnesses.scan_failed and all(w in witnesses.third for w in unit.words):
        third = " ".join(" ".join(witnesses.third[w] for w in unit.words).split())
    for text in [*joint_candidates(unit, vocab, model, lookalikes), *extra]:
        offers.setdefault(text, [CORRECTOR])
    candidates = []
    for text, offered in offers.items():
        evidence = ev.Evidence(
            lexicon=ev.lexicon_score(text, vocab, lookalikes),
            # a scan this unsure says nothing about what was typed (a failed page, a smudge read as letters)
            scan=0.0 if scan_error >= UNINFORMATIVE else ev.channel(unit.scan_text, text, scan_error, model,
                                                                     alternatives, repair_cost[SCAN].get(text)),
            # where the witnesses agree, the published reading says nothing the scan does not: both read
            # the same sheet, and what misled one there (a broken letter of the typewriter) misleads the other
            published=0.0 if unit.agree else ev.second_channel(unit.published_text, unit.scan_text, text, published_error,
                                                               model, repair_cost[PUBLISHED].get(text)),
            context=ev.context_score(text, before, after, vocab) + ev.sentence_score(text, before, after, vocab),
            # the room the scan's boxes leave; reading nothing where the scan read words (a speck) is judged as its reading
            width=wd.width_score(text, observed, witnesses.pitch) if text or not unit.words else scan_width,
            # the third witness read the same image where the scan was unsure: it errs there as often as the scan
            third=0.0 if third is None else ev.channel(third, text, published_error, model),
        )
        candidates.append(Candidate(text, tuple(offered), evidence))
    candidates.sort(key=lambda c: -c.evidence.total)
    scan_candidate = next(c for c in candidates if SCAN in c.offered_by)
    # a long run only the published text has is not added where the scan around it reads surely
    long_insertion = (not unit.agree and not unit.words and len(unit.published) > config.max_inserted_words
                      and scan_error <= SURE_AROUND)
    # a word both witnesses read alike stands unless the evidence against it is strong; an agreed reading
    # that is no word (both read 'созетскому' off a broken letter) takes the corrector's word on ordinary evidence
    if protected is None:
        protected = unit.agree and ev.all_words(unit.scan_text, vocab, lookalikes)
    margin = config.agreed_change_margin if protected else 0.0
    chosen = scan_candidate if long_insertion else candidates[0]
    if chosen is not scan_candidate and chosen.evidence.total - scan_candidate.evidence.total < margin:
        chosen = scan_candidate
    if unit.agree:
        source = AGREE if chosen is scan_candidate else CORRECTOR
    else:
        source = SCAN if SCAN in chosen.offered_by else PUBLISHED if PUBLISHED in chosen.offered_by else CORRECTOR
    decision = Decision(unit, tuple(candidates), chosen, source, "", confidence)
    if source == AGREE:
        return decision
    return replace(decision, reason=explain(decision, vocab, lookalikes, long_insertion=long_insertion,
                                            as_one_word=as_one_word))


def _joins(units: Sequence[Unit], witnesses: PageWitnesses, vocab: Vocabulary, model: ErrorModel,
           config: ReconcileConfig, lookalikes: frozenset[str]) -> dict[int, Decision]:
    """Words the witnesses read in two pieces on one line: a letter too faint for either OCR, read as a
    space or a mark ('Синьцз нским', 'генко зсульство', 'Сов -инторга'). Where two neighbouring words of
    a line are not both words, the two are decided as one place (:func:`_decide`, the same evidence as any
    other) whose candidates include the known words nearest to the two joined (an agreed word among them
    needs ``agreed_change_margin``); if such a word wins, it is written as one word in the first word's
    place. Returns the decisions for the two units, by unit index. (Across a line break, a hyphen misread
    or lost, nothing was joined on bench_reconcile's development pages: it is not tried.)"""
    found: dict[int, Decision] = {}
    if witnesses.scan_failed or not witnesses.line_of:
        return found
    for index in range(len(units) - 1):
        first, second = units[index], units[index + 1]
        if index in found or len(first.scan) != 1 or len(second.scan) != 1 or not first.words or not second.words:
            continue
        if witnesses.line_of[first.words[-1]] != witnesses.line_of[second.words[0]]:
            continue
        head, tail = _PIECE_HEAD.fullmatch(first.scan[0]), _PIECE_TAIL.fullmatch(second.scan[0])
        if head is None or tail is None:
            continue
        words = [ev.all_words(u.scan_text, vocab, lookalikes) for u in (first, second)]
        if all(words):
            continue
        joined = head.group("core") + tail.group("core")
        near = generate(fold(joined), vocab, model, max_cost=JOINT_MAX_COST)
        if vocab.known(fold(joined)):
            near[fold(joined)] = 0.0
        written = [apply_case(joined, word) + tail.group("end") for word in sorted(near, key=lambda w: near[w])[:JOINT_KEPT]]
        if not written:
            continue
        both = Unit(first.words + second.words, first.scan + second.scan, first.published + second.published,
                    _span(first.published_span, second.published_span), first.after,
                    _span(first.clean_span, second.clean_span))
        decision = _decide(both, _repairs(units, witnesses, index, index + 1), witnesses, vocab, model, config,
                           *_neighbours(units, index, index + 1), lookalikes=lookalikes, extra=written,
                           protected=any(w and u.agree for w, u in zip(words, (first, second))), as_one_word=True)
        if decision.chosen.text not in written:
            continue
        chosen = decision.chosen
        nothing = Candidate("", (CORRECTOR,), chosen.evidence)
        others = tuple(c for c in decision.candidates if c is not chosen)
        found[index] = Decision(first, decision.candidates, chosen, CORRECTOR, decision.reason,
                                _least_confidence(first, witnesses))
        found[index + 1] = Decision(second, (nothing, *others), nothing, CORRECTOR, decision.reason,
                                    _least_confidence(second, witnesses), joined=True)
    return found


_PIECE_HEAD = regex.compile(r"(?P<core>\p{L}+)(?P<mark>[^\p{L}\p{N}\s]?)")  # 'Розен,' / 'ольцу,': the letter read as a mark
_PIECE_TAIL = regex.compile(r"(?P<lead>[^\p{L}\p{N}\s]?)(?P<core>\p{L}+)(?P<end>[.,;:!?)»\"]*)")


def _span(first: tuple[int, int] | None, second: tuple[int, int] | None) -> tuple[int, int] | None:
    spans = [s for s in (first, second) if s is not None]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


JOINT_MAX_COST = 2.0  # the corrector's usual reach (CorrectConfig.max_cost)
JOINT_KEPT = 3  # the cheapest words kept from each witness's reading
_OUTER = regex.compile(r"^(?P<head>[(«\"„“]*)(?P<core>.*?)(?P<tail>[.,;:!?)»\"”]*)$")


def joint_candidates(unit: Unit, vocab: Vocabulary, model: ErrorModel, lookalikes: frozenset[str]) -> list[str]:
    """Where the witnesses disagree and neither reads a word, the known words near the reading of either
    that is one token (the corrector's candidate search, :func:`ocrfix.correct.candidates.generate`, on the
    token without its outer punctuation: a mark inside it is a misread letter), written with that token's
    outer punctuation and case: the evidence of both witnesses then judges each."""
    if unit.agree or not unit.words or not unit.published:
        return []
    if ev.all_words(unit.scan_text, vocab, lookalikes) or ev.all_words(unit.published_text, vocab, lookalikes):
        return []
    found: list[str] = []
    for tokens in (unit.scan, unit.published):
        if len(tokens) != 1 or any(c.isdigit() for c in tokens[0]):
            continue
        parts = _OUTER.match(tokens[0])
        core = parts.group("core") if parts else ""
        if sum(c.isalpha() for c in core) < 3:
            continue
        near = generate(fold(core), vocab, model, max_cost=JOINT_MAX_COST)
        for word, _ in sorted(near.items(), key=lambda item: item[1])[:JOINT_KEPT]:
            found.append(parts.group("head") + apply_case(core, word) + parts.group("tail"))
    return found


def _word_error(word: Word, witnesses: PageWitnesses) -> float:
    rate = ev.error_rate_of_confidence(word.confidence, witnesses.scan_error)
    return max(rate, witnesses.scan_error) if witnesses.scan_failed else rate


def _published_error(scan_error: float, witnesses: PageWitnesses) -> float:
    """The published text's error rate at a place where the scan errs at ``scan_error``: no better than the
    scan's (another OCR of the same sheet), unless the scan failed as a whole."""
    return witnesses.published_error if witnesses.scan_failed else max(witnesses.published_error, scan_error)


def _least_confidence(unit: Unit, witnesses: PageWitnesses) -> float | None:
    confidences = [witnesses.words[i].confidence for i in unit.words if witnesses.words[i].confidence is not None]
    return min(confidences) if confidences else None


def _quote(text: str) -> str:
    return f"“{text}”" if text else "nothing"


def explain(decision: Decision, vocab: Vocabulary, lookalikes: frozenset[str] = frozenset(), *,
            long_insertion: bool = False, as_one_word: bool = False) -> str:
    """"scan reads X · published Y · ocrfix chose Z because …", from the evidence that made the difference
    (``long_insertion``: the scan was kept by the rule against adding a long run only the published text has)."""
    unit, chosen = decision.unit, decision.chosen
    head = f"scan reads {_quote(unit.scan_text)} · published {_quote(unit.published_text)}"
    if decision.source == AGREE:
        return head
    if decision.source == CORRECTOR and unit.agree:
        head = f"scan and published both read {_quote(unit.scan_text)}"
    if long_insertion:
        return (f"{head} · ocrfix kept the scan's reading because the published text has {len(unit.published)} words "
                "the scan lacks here (a repeated or dropped line, or another page's text): the scan shows what is on the page")
    rivals = [c for c in decision.candidates if c is not chosen]
    rival = rivals[0] if rivals else None
    because = _because(decision, rival, vocab, lookalikes) if rival is not None else []
    odds = decision.odds
    odds_text = f" (odds {10 ** odds:,.0f}:1)" if math.isfinite(odds) and odds < 12 else ""
    one_word = " as one word" if as_one_word else ""
    return (f"{head} · ocrfix chose {_quote(chosen.text)}{one_word} because " + "; ".join(because or ["the evidence is even"])
            + odds_text)


def _because(decision: Decision, rival: Candidate, vocab: Vocabulary, lookalikes: frozenset[str]) -> list[str]:
    chosen = decision.chosen
    unit = decision.unit
    reasons: list[tuple[float, str]] = []
    lexicon = chosen.evidence.lexicon - rival.evidence.lexicon
    if lexicon > 0.2:
        if ev.unknown_words(rival.text, vocab, lookalikes) and not ev.unknown_words(chosen.text, vocab, lookalikes):
            reasons.append((lexicon, f"{_quote(rival.text)} is not a word and {_quote(chosen.text)} is"))
        else:
            reasons.append((lexicon, f"{_quote(chosen.text)} is the more likely word"))
    scan = chosen.evidence.scan - rival.evidence.scan
    if scan > 0.2:
        if SCAN in chosen.offered_by and unit.words:
            confidence = f" with confidence {decision.scan_confidence:.0f}" if decision.scan_confidence is not None else ""
            reasons.append((scan, f"the scan reads it{confidence} and {_quote(rival.text)} would be "
                                  f"{_misreadings(unit.scan_text, rival.text)} of it"))
        elif unit.words:
            reasons.append((scan, f"the scan's {_quote(unit.scan_text)} is {_misreadings(unit.scan_text, chosen.text)} "
                                  f"of it, {_misreadings(unit.scan_text, rival.text)} of {_quote(rival.text)}"))
        else:
            reasons.append((scan, "the scan has nothing here"))
    published = chosen.evidence.published - rival.evidence.published
    if published > 0.2:
        if PUBLISHED in chosen.offered_by:
            reasons.append((published, "the published text reads it"))
        else:
            reasons.append((published, f"the published {_quote(unit.published_text)} is closer to it"))
    width = chosen.evidence.width - rival.evidence.width
    if width > 0.2:
        reasons.append((width, f"the scan's {'box has' if unit.words else 'gap has'} room for "
                               f"{_characters(chosen.text)}, not {_characters(rival.text)}"))
    context = chosen.evidence.context - rival.evidence.context
    if context > 0.2:
        reasons.append((context, "it agrees with the neighbouring words"))
    reasons.sort(key=lambda item: -item[0])
    return [text for _, text in reasons[:3]]


def _characters(text: str) -> str:
    count = len(text)
    return "nothing" if not count else "1 character" if count == 1 else f"{count} characters"


def _misreadings(seen: str, intended: str) -> str:
    from rapidfuzz.distance import Levenshtein

    if not intended:
        return "an invention"
    count = Levenshtein.distance(seen, intended)
    if count == 0:
        return "the same"
    return "one misread letter" if count == 1 else f"{count} misread letters"
