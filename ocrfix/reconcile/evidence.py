"""The evidence for a reading, on one scale: log10 probabilities.

For a reading ``r`` of a place where the witnesses are compared, four terms
add up (each a log10 probability, or log10 odds where the term is relative):

* **lexicon**: is each word of ``r`` a word? A form the lexicon, the
  collection lexicon or the reviewers' memory knows gets its frequency's say
  (:data:`KNOWN_SLOPE` per Zipf unit around Zipf 3); a form nobody knows costs
  :data:`UNKNOWN_WORD`; words in mixed case (``КВжД``) or mixed scripts cost
  more. Numbers and punctuation are neutral.
* **scan**: how likely is what Tesseract printed if ``r`` was typed? If the
  scan reads ``r``: the probability that Tesseract was right, from the word's
  confidence. If not: the probability it was wrong, times the error model's
  probability of this misreading (``10 ** (-2 * cost)``, the confusion table's
  convention: an arbitrary edit, cost 1.0, about 1 reading in 100), where a
  letter Tesseract offered as its own alternative costs what Tesseract's
  probability for it says.
* **published**: the same for the published transcription, another OCR with
  the same kinds of errors, whose reliability is estimated on the page itself
  (see :func:`published_error_rate`) and, at each place, is taken as no better
  than the scan's there (:mod:`.decide`): hard places are hard for both.
* **context**: agreement with the neighbouring words (:mod:`ocrfix.correct.context`).
* **third**: where the scan's line was unsure and a third witness read it
  (:mod:`.third`), the same channel for its reading.
* **width**: on a typescript, how many characters the scan's boxes have room
  for (:mod:`.width`): a space or a letter more or less is a cell of the page's pitch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from ocrfix.correct import context, roman, structural, tables
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.sentences import NUMBER_ABBREVIATIONS
from ocrfix.correct.tokens import CYRILLIC, LATIN, WORD, case_shape
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon.normalize import fold

TEMPERATURE = 0.3  # log10 odds per Zipf unit of a word below TYPICAL_ZIPF
TYPICAL_ZIPF = 5.0  # a word at least this frequent counts 0: the lexicon judges words, not the length of a reading
UNKNOWN_ZIPF = -5.0  # a form no lexicon knows scores as if this frequent: 3 (log10) below a typical word
UNJUDGED_ZIPF = 3.0  # a letter alone (a list item, an initial), a number, a date, punctuation: an ordinary word
MIXED_CASE = -1.0
PROPER_IN_LOWER_CASE = -1.0  # a name or place the lexicon spells with a capital, written in lower case
MIXED_SCRIPT = -1.5
CASE_COST = 0.3  # edit cost of a letter read in the other case
MIN_ALTERNATIVE_COST = 0.5  # the least edit cost of a letter Tesseract offered as an alternative at that place
ALTERNATIVE_MIN_PROBABILITY = 0.01
CONTEXT_LINK = 0.5  # log10 per agreement link with a neighbour
SENTENCE_CASE = -0.5  # log10 odds of a sentence begun in lower case, or a full stop before a lower-case word
LOG10_PER_COST = 2.0  # an edit of cost c has probability 10 ** (-2 c)
MIN_ERROR, MAX_ERROR = 0.003, 0.95
_ROMAN = regex.compile(r"[IVXLC]+")
_NOT_RUSSIAN = regex.compile(r"[^\P{Cyrillic}а-яёА-ЯЁ]")
# What a Russian typewriter of the period could print besides letters and digits; anything else in a
# reading (©, ~, ”, ‹, ^, °) is an OCR's invention.
_UNTYPEABLE = regex.compile(r"[^\p{L}\p{N}\s.,;:!?()\-–—«»\"'/№%+=*&]")
UNTYPEABLE = -1.5  # log10 odds per character no typewriter printed
_LETTERS = regex.compile(r"\p{L}+")
_INNER_MARK = regex.compile(r"(?P<before>(?<!\p{L})\p{L}{2,})(?P<mark>[^\p{L}\p{N}\s\-‐–'’])(?=\p{Ll})")
INNER_MARK = -2.4  # log10 odds of a mark inside a word (an unknown word's, against an ordinary token)
_HYPHENS = "-\u2010\u2013"
# a letter too faint to read, printed as a space with a mark on one side ('Розен, ольцу,'): one misreading
_FAINT_LETTER = regex.compile(r"[^\p{L}\p{N}\s] |\s[^\p{L}\p{N}\s]")


@dataclass(frozen=True, slots=True)
class Evidence:
    lexicon: float
    scan: float
    published: float
    context: float
    width: float = 0.0  # the characters the scan's boxes have room for (:mod:`.width`)
    third: float = 0.0  # the third witness, where there is one (:mod:`.third`)

    @property
    def total(self) -> float:
        return self.lexicon + self.scan + self.published + self.context + self.width + self.third

    def to_dict(self) -> dict[str, float]:
        return {
            "lexicon": round(self.lexicon, 3),
            "scan": round(self.scan, 3),
            "published": round(self.published, 3),
            "context": round(self.context, 3),
            "width": round(self.width, 3),
            "third": round(self.third, 3),
            "total": round(self.total, 3),
        }


@lru_cache(maxsize=1)
def confidence_curve() -> tuple[tuple[float, float], ...]:
    """(confidence, word error rate) points, from ``ocrfix/data/confidence_errors.tsv``."""
    text = (resources.files("ocrfix") / "data" / "confidence_errors.tsv").read_text(encoding="utf-8")
    points = []
    for line in text.splitlines():
        if line and not line.startswith("#") and not line.startswith("confidence"):
            confidence, error = line.split("\t")[:2]
            points.append((float(confidence), float(error)))
    return tuple(sorted(points))


def error_rate_of_confidence(confidence: float | None, default: float) -> float:
    """The probability that Tesseract misread a word it gave this confidence (0..100), read off
    the measured curve (Tesseract's confidence itself is too hopeful)."""
    if confidence is None:
        return default
    points = confidence_curve()
    value = points[-1][1]
    for (c0, e0), (c1, e1) in zip(points, points[1:]):
        if confidence <= c1:
            value = e0 + (e1 - e0) * (max(confidence, c0) - c0) / (c1 - c0) if c1 > c0 else e1
            break
    return min(MAX_ERROR, max(MIN_ERROR, value))


def published_error_rate(agreed: int, compared: int, scan_error: float, floor: float, ceiling: float) -> float:
    """How often the published transcription misreads a word, estimated on the page.

    Where both witnesses read a word, they agree with probability about
    (1 - scan error) x (1 - published error) when their errors are independent,
    so the published error is 1 - agreement / (1 - scan error), kept within
    [floor, ceiling].
    """
    if compared <= 0:
        return ceiling
    agreement = agreed / compared
    return min(ceiling, max(floor, 1.0 - agreement / max(1e-6, 1.0 - scan_error)))


def lexicon_score(reading: str, vocab: Vocabulary, lookalikes: frozenset[str] = frozenset()) -> float:
    """log10 odds that the words of ``reading`` are words of the document, word by word.

    A character no typewriter printed (©, ~, ”) costs :data:`UNTYPEABLE`. A token
    with digits (a date, a number, ``36-й``) or without letters counts as a
    typical word, less what its letters say (:func:`_number_token_score`; ``lookalikes``:
    the letters the error model reads for digits, :func:`digit_lookalikes`), or
    when the corrector's structural rules read it as a misreading (a Roman month
    read as Cyrillic letters: ``15.У1.37г.``), as an unknown word.
    """
    total = 0.0
    for token in reading.split():
        total += UNTYPEABLE * len(_UNTYPEABLE.findall(token)) + MIXED_SCRIPT * len(_NOT_RUSSIAN.findall(token))
        pieces = [m.group() for m in WORD.finditer(token)]
        if not pieces or any(c.isdigit() for c in token):
            total += _tempered(UNJUDGED_ZIPF)
            letters = _number_token_score(token, vocab, lookalikes)
            if not letters and (roman.roman_dates(token) or structural.party_name(token)):
                letters = TEMPERATURE * (UNKNOWN_ZIPF - UNJUDGED_ZIPF)
            total += letters
            continue
        for piece in pieces:
            total += _word_score(piece, vocab)
        total += INNER_MARK * len(inner_marks(token, vocab))
    return total


def inner_marks(token: str, vocab: Vocabulary) -> list[str]:
    """The marks inside a word: between a piece of two or more letters that is no abbreviation and a
    lower-case letter (``пограничного.отряда``, ``Синь.зяном``, ``див”зии``: a letter or a space read as a
    mark); ``т.е.``, ``тов.литвинову``, ``по.Казахской`` and hyphens are not."""
    found = []
    for match in _INNER_MARK.finditer(token):
        before = fold(match.group("before"))
        if not vocab.lexicon.is_abbreviation(before):
            found.append(match.group("mark"))
    return found


@lru_cache(maxsize=1)
def number_suffixes() -> frozenset[str]:
    """What is written after a number ('й', 'го', 'г', 'тыс'), from ``data/lexicons/number_suffixes.tsv``."""
    return frozenset(tables.column("number_suffixes"))


def digit_lookalikes(model: ErrorModel) -> frozenset[str]:
    """The letters the error model confuses with a digit (``з`` and ``3``, ``о`` and ``0``, ``б`` and ``6``),
    folded: a digit among letters is a misread letter, a letter glued to digits a misread digit."""
    found = set()
    for seen, intended in model.pairs:
        if len(seen) == len(intended) == 1 and seen.isdigit() != intended.isdigit():
            letter = intended if seen.isdigit() else seen
            if letter.isalpha():
                found.add(fold(letter))
    return frozenset(found)


def _letter_runs(token: str, lookalikes: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The runs of letters of a token with digits, each with its place: 'glued' (a misreading: a digit
    inside a word, ``мирно`` of ``мирно1о``, or a letter the error model confuses with a digit glued
    before digits, ``З`` of ``З7г``), 'suffix' (it follows a number, at once or after a hyphen: ``й`` of
    ``36-й``, ``г`` of ``37г``) or 'word' (``VI`` of ``14.VI.37г.``; a prefix, ``П`` of ``П51/118``)."""
    runs = []
    for match in _LETTERS.finditer(token):
        start, end = match.span()
        digits_end = end
        while digits_end < len(token) and token[digits_end].isdigit():
            digits_end += 1
        inside = digits_end > end and token[digits_end : digits_end + 1].isalpha()
        if digits_end > end and (inside or fold(match.group()[-1]) in lookalikes):
            place = "glued"
        elif token[start - 1 : start].isdigit() or (
                start >= 2 and token[start - 1] in _HYPHENS and token[start - 2].isdigit()):
            place = "suffix"
        else:
            place = "word"
        runs.append((match.group(), place))
    return runs


def _number_token_score(token: str, vocab: Vocabulary, lookalikes: frozenset[str] = frozenset()) -> float:
    """log10 odds for the letters of a token with digits, against a typical token (0 or less).

    Letters glued before a digit are a misreading when letters follow the digits
    too (a word with a letter read as a digit, ``мирно1о``) or the error model reads
    the letter for a digit (``З7г``): an unknown word. Letters
    after a number are a suffix: one of :func:`number_suffixes` costs nothing in lower
    case and :data:`MIXED_CASE` in capitals (``36-Й``); any other is judged as a word.
    Letters standing apart (a Roman month) are judged as a word.
    """
    score = 0.0
    for run, place in _letter_runs(token, lookalikes):
        if place == "glued":
            score += TEMPERATURE * (UNKNOWN_ZIPF - UNJUDGED_ZIPF)
        elif place == "suffix" and fold(run) in number_suffixes():
            score += 0.0 if run.islower() else MIXED_CASE
        else:
            score += min(0.0, _word_score(run, vocab) - _tempered(UNJUDGED_ZIPF))
    return score


def unknown_words(reading: str, vocab: Vocabulary, lookalikes: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``reading`` no lexicon knows (letters alone are not judged; in a token with digits,
    letters glued before a digit are never a word, and a suffix or a Roman numeral is not judged), and
    the tokens with a mark inside a word (:func:`inner_marks`)."""
    found = []
    for token in reading.split():
        if any(c.isdigit() for c in token):
            for run, place in _letter_runs(token, lookalikes):
                if place == "glued" or (place == "word" and len(run) > 1 and not _ROMAN.fullmatch(run)
                                        and not vocab.known(fold(run))):
                    found.append(run)
            continue
        for match in WORD.finditer(token):
            key = fold(match.group())
            if not vocab.known(key) and len(key) > 1:
                found.append(match.group())
        if inner_marks(token, vocab):
            found.append(token)
    return found


def word_share(text: str, vocab: Vocabulary) -> float:
    """The share of the tokens of ``text`` with two or more letters that are words (see :func:`all_words`)."""
    tokens = [t for t in text.split() if sum(c.isalpha() for c in t) >= 2]
    return sum(1 for t in tokens if all_words(t, vocab)) / len(tokens) if tokens else 0.0


def all_words(reading: str, vocab: Vocabulary, lookalikes: frozenset[str] = frozenset()) -> bool:
    """Whether every word of ``reading`` is a word a typist could have typed (known, in the Russian
    alphabet, no character a typewriter lacks)."""
    return not unknown_words(reading, vocab, lookalikes) and not _UNTYPEABLE.search(reading) and not _NOT_RUSSIAN.search(reading)


def _word_score(word: str, vocab: Vocabulary) -> float:
    """Whether the word is a word: a tempered unigram model (TEMPERATURE x log10 of its frequency,
    frequent words all alike), plus penalties for case and script no typist made."""
    score = 0.0
    if CYRILLIC.search(word) and LATIN.search(word):
        score += MIXED_SCRIPT  # Latin among Cyrillic (a Cyrillic letter no Russian typewriter had, і, ғ, һ, costs as much)
    shape = case_shape(word)
    if shape == "mixed":
        score += MIXED_CASE
    key = fold(word)
    if vocab.known(key):
        if shape == "lower":
            canonical = vocab.lexicon.canonical(key)
            if canonical and canonical[:1].isupper():
                score += PROPER_IN_LOWER_CASE
        zipf = vocab.zipf(key)
    elif len(key) == 1 or _ROMAN.fullmatch(word):
        zipf = UNJUDGED_ZIPF
    else:
        zipf = UNKNOWN_ZIPF
    return score + _tempered(zipf)


def _tempered(zipf: float) -> float:
    return TEMPERATURE * min(0.0, zipf - TYPICAL_ZIPF)


def channel(seen: str, intended: str, error_rate: float, model: ErrorModel,
            alternatives: Sequence[Mapping[str, float]] = (), repair_cost: float | None = None) -> float:
    """log10 P(a witness wrote ``seen`` | ``intended`` was typed), for a witness that errs at ``error_rate``.

    ``repair_cost``: the corrector's cost for turning ``seen`` into ``intended``
    when it made that repair (a Roman month read as Cyrillic letters costs it
    0.2, while letter by letter it is several arbitrary edits); the cheaper of
    the two counts.
    """
    if seen == intended:
        return math.log10(1.0 - error_rate)
    if not seen or not intended:  # words missed or invented as a whole: one error of the witness per word
        return len((seen or intended).split()) * math.log10(error_rate)
    cost = edit_cost(seen, intended, model, tuple(alternatives))
    if repair_cost is not None:
        cost = min(cost, repair_cost)
    return math.log10(error_rate) - LOG10_PER_COST * cost


def second_channel(seen: str, first: str, intended: str, error_rate: float, model: ErrorModel,
                   repair_cost: float | None = None) -> float:
    """:func:`channel` for a second witness that read ``seen`` where the first read ``first``, counting only
    the misreadings the second makes on its own: where both read a letter alike and ``intended`` differs,
    one misreading misled both (they read the same sheet), and the first witness's channel has counted it.
    The misreadings of ``seen`` shared with ``first`` are taken as half the slack of the triangle
    ``cost(seen) + cost(first) - cost(first -> seen)``; with nothing left, the second witness reads
    ``intended`` as far as its own errors go. (Where the two agree, it says nothing of its own.)"""
    if not seen or not first or not intended or seen == intended:
        return channel(seen, intended, error_rate, model, repair_cost=repair_cost)
    cost = edit_cost(seen, intended, model)
    if repair_cost is not None:
        cost = min(cost, repair_cost)
    shared = max(0.0, (cost + edit_cost(first, intended, model) - edit_cost(first, seen, model)) / 2)
    own = max(0.0, cost - shared)
    if own <= 1e-9:
        return math.log10(1.0 - error_rate)
    return math.log10(error_rate) - LOG10_PER_COST * own


def _pair_cost(model: ErrorModel, seen: str, intended: str) -> float:
    if seen == intended:
        return 0.0
    low_seen, low_intended = fold(seen), fold(intended)
    if low_seen == low_intended:
        return CASE_COST
    cost = model.cost(low_seen, low_intended)
    if seen.isupper() != intended.isupper() and seen.isalpha() and intended.isalpha():
        cost += CASE_COST
    return cost


def edit_cost(seen: str, intended: str, model: ErrorModel, alternatives: tuple[Mapping[str, float], ...] = ()) -> float:
    """The least total cost of the edits that turn ``intended`` into ``seen`` (weighted Levenshtein).

    Single letters cost what the error model says (and ``CASE_COST`` for a case
    slip); a listed two-letter misreading (``іо`` for ``ю``) is one edit; a
    mark and a space printed for one letter (a letter too faint to read) is one edit; a
    letter of ``seen`` at a place where Tesseract offered the intended letter
    as an alternative (``alternatives[i]``, aligned with ``seen``: letter ->
    cost) costs what that alternative's probability says, if that is less.
    """
    n, m = len(seen), len(intended)
    dropped = model.pairs
    row = [0.0] * (m + 1)
    for j in range(1, m + 1):
        row[j] = row[j - 1] + dropped.get(("", fold(intended[j - 1])), model.default_cost)
    rows = [row]
    for i in range(1, n + 1):
        seen_char = seen[i - 1]
        options = alternatives[i - 1] if i - 1 < len(alternatives) else {}
        invented = dropped.get((fold(seen_char), ""), model.default_cost)
        faint = i > 1 and _FAINT_LETTER.fullmatch(seen[i - 2 : i]) is not None  # a faint letter: a mark and a space
        current = [rows[i - 1][0] + invented] + [0.0] * m
        for j in range(1, m + 1):
            want = intended[j - 1]
            substitute = _pair_cost(model, seen_char, want)
            if substitute and want in options:
                substitute = min(substitute, options[want])
            best = min(
                rows[i - 1][j - 1] + substitute,
                rows[i - 1][j] + invented,
                current[j - 1] + dropped.get(("", fold(want)), model.default_cost),
            )
            if i > 1 and (fold(seen[i - 2 : i]), fold(want)) in dropped:  # two letters printed for one
                best = min(best, rows[i - 2][j - 1] + dropped[(fold(seen[i - 2 : i]), fold(want))])
            if faint and want.isalpha():
                best = min(best, rows[i - 2][j - 1] + model.default_cost)
            if j > 1 and (fold(seen_char), fold(intended[j - 2 : j])) in dropped:  # one letter for two
                best = min(best, rows[i - 1][j - 2] + dropped[(fold(seen_char), fold(intended[j - 2 : j]))])
            current[j] = best
        rows.append(current)
    return rows[n][m]


def context_score(reading: str, before: str | None, after: str | None, vocab: Vocabulary | None = None) -> float:
    """log10 odds from agreement with the neighbouring words (one-word readings only): the
    links :func:`ocrfix.correct.context.agreement` counts, and a preposition followed by a
    word in a case it governs."""
    words = reading.split()
    if len(words) != 1:
        return 0.0
    match = WORD.fullmatch(words[0].strip(".,;:!?()«»\"'"))
    if match is None:
        return 0.0
    word, following = fold(match.group()), _plain(after)
    if vocab is not None and not vocab.known(word):
        return 0.0  # a form no lexicon knows has no grammar to agree with (pymorphy3 would guess one)
    governed = context.GOVERNMENT.get(word)
    if governed is not None:
        if following and any(t.POS in context.NOMINAL and t.case in governed for t in context.guessed_tags(following)):
            return CONTEXT_LINK
        return 0.0
    return CONTEXT_LINK * context.agreement(word, _plain(before), following, guess=True)


def sentence_score(reading: str, before: str | None, after: str | None, vocab: Vocabulary) -> float:
    """log10 odds from how the reading sits in its sentence: a sentence (at the start of the page, after a
    full stop or a list item's number) begins with a capital, and a full stop is not followed by a word in
    lower case. Each slip costs :data:`SENTENCE_CASE`; the period of an abbreviation (``тов.``, ``млн.``,
    ``т.``, ``с.г.``) ends no sentence."""
    words = reading.split()
    if not words:
        return 0.0
    score = 0.0
    first = WORD.search(words[0])
    if (first is not None and not words[0][: first.start()].strip("«\"„“(") and case_shape(first.group()) == "lower"
            and (before is None or _LIST_ITEM.fullmatch(before) or _full_stop(before, vocab))):
        score += SENTENCE_CASE
    if after and after[:1].isalpha() and after[:1].islower() and _full_stop(words[-1], vocab):
        score += SENTENCE_CASE
    return score


_LIST_ITEM = regex.compile(r"\d+[.)]|\p{L}\)")


def _full_stop(token: str, vocab: Vocabulary) -> bool:
    """Whether the token ends a sentence: '!' or '?', or a period that is not an abbreviation's."""
    if token[-1:] in "!?":
        return True
    if token[-1:] != "." or token.count(".") > 1 or any(c.isdigit() for c in token):
        return False
    pieces = [m.group() for m in WORD.finditer(token)]
    if not pieces:
        return False
    word = fold(pieces[-1])
    return len(word) > 1 and word not in NUMBER_ABBREVIATIONS and not vocab.lexicon.is_abbreviation(word)


def _plain(word: str | None) -> str | None:
    if not word:
        return None
    match = WORD.fullmatch(word.strip(".,;:!?()«»\"'"))
    return fold(match.group()) if match else None


def alternatives_of(words: Sequence) -> tuple[Mapping[str, float], ...]:
    """Tesseract's alternatives per character of the words' text joined by spaces, as the edit cost
    of each (``-log10(p) / 2``: an alternative Tesseract gave probability 0.1 costs 0.5, one it gave
    0.01 or less counts for nothing); empty where there are none."""
    result: list[Mapping[str, float]] = []
    for number, word in enumerate(words):
        if number:
            result.append({})
        choices = word.alternatives if len(word.alternatives) == len(word.text) else ()
        for index in range(len(word.text)):
            if choices:
                result.append({c: max(MIN_ALTERNATIVE_COST, -math.log10(p) / LOG10_PER_COST)
                               for c, p in choices[index].choices if p >= ALTERNATIVE_MIN_PROBABILITY})
            else:
                result.append({})
    return tuple(result)
