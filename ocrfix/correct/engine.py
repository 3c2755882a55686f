"""The corrector: runs the candidate generators of the registry (registry.py) in their
declared order: structural repairs (structural.py, roman.py, years.py), then each
word against the lexicon and the error model (candidates.py), case slips
(case_slips.py, judged by sentences.py), then real-word errors caught by agreement
with the neighbours (real_words.py). The generators propose candidates with their
evidence; the corrector scores each on one scale and keeps, among overlapping ones,
the best scored, outside the spans the guards protect (scoring.py)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import regex
from rapidfuzz.distance import Levenshtein

from ocrfix.config import CorrectConfig
from ocrfix.correct import bounds, case_slips, context, inner_marks, registry, roman, scoring, structural
from ocrfix.correct.candidates import GOOD_ENOUGH, best_score, cheap_edits, edits, generate, score, substitutions
from ocrfix.correct.collection import build_collection_lexicon
from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.correct.confidence import Calibration, probability
from ocrfix.correct.error_model import CHEAP_COST, DEFAULT_COST, ErrorModel, default_error_model
from ocrfix.correct.pitch import Cells
from ocrfix.correct.registry import Generator
from ocrfix.correct.scoring import Candidate, Evidence, Priors, unknown_zipf
from ocrfix.correct.sentences import SHORT_ABBREVIATION, Words
from ocrfix.correct.tokens import (
    Token,
    after_blank,
    apply_case,
    case_shape,
    glued_span,
    has_latin,
    line_blank_before,
    lone_letter,
    one_letter_word,
    word_tokens,
)
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.grams import ALPHABET
from ocrfix.lexicon.normalize import fold, folds_letterwise, has_yo
from ocrfix.lexicon.sources import ABBREVIATION, DOMAIN, MORPH, NAME, PLACE, web_only
from ocrfix.model import Correction

_LINE_END_HYPHEN = regex.compile(r"-[ \t]*(?:\n|$)")  # 'командо-' ending a line: the word goes on below
_MARKUP_PARTS = (r"</?[A-Za-z][A-Za-z0-9]*[^<>]*>", r"(?:https?://|www\.)\S+", r"\S+@\S+\.\w+")  # tags, URLs, e-mail
_MARKUP = regex.compile("|".join(_MARKUP_PARTS))  # the spans to protect, as one pattern: what _markup_spans finds
_MARKUP_SEARCHES = tuple(regex.compile(part) for part in _MARKUP_PARTS)
NAME_MAX_COST = 0.65  # a capitalised or hyphenated unknown word: the cost of the readings that may change its length
RARE_NAME_ZIPF = 3.0  # a known name at most this frequent may be an OCR error of a frequent one
CHEAP_NAME_COST = 0.45
COLLECTION_MIN_FAMILY = 3
UPPER_MAX_COST = 0.65  # ... and a word in capitals
ONE_SUBSTITUTION = DEFAULT_COST  # beyond those, such a word may take one arbitrary substitution, its length kept,
SUBSTITUTION_MIN_ZIPF = 2.0  # into a word at least this common (an unknown name is often one letter from a rare word)
ALTERNATIVE_COST = 0.2  # per letter, a reading the OCR offered as its own alternative
READING_SEEDS = 4  # readings of one offered letter a word's search starts again from, at most
# the one unknown part of a hyphenated word is searched alone from this many letters (many common
# words lie one substitution from a shorter part)
COMPOUND_PART_MIN_LETTERS = 4
LATIN_ALTERNATIVE_COST = 0.3  # per letter, a second-choice Cyrillic reading of a Latin look-alike (U as Ц)
WEAK_ZIPF = 2.5  # a word only the frequency list knows, below this, may be an OCR error
WEAK_MARGIN = 0.5  # ... and is replaced only by a candidate scoring this much better than itself
CUT_SHORT_MIN = 4  # letters: a word in capitals cut short before a period is an abbreviation (Corrector._cut_short)
QUOTED_SURE = 90.0  # a capitalised word opening a quotation read at this confidence is a title or name as read
SHORT_MAX_LETTERS = 3  # a word of one or two letters no dictionary has is read as a word this short ...
SHORT_MIN_ZIPF = 5.0  # ... and this common (the function words: 'за', 'не', 'из', 'в')
COMMON_PIECE_ZIPF = 5.0  # a piece of a join this common a word is read as a word: the join keeps its letters
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL"})  # ... and a piece of these parts of speech (pymorphy3's)
SPECK_LETTER_MARGIN = 1.0  # a mark is a lost letter when that word fits this much better than the word without it
OFFERED_LETTER_MARGIN = 0.0  # ... or no worse, for a letter Tesseract offered for the mark itself
# a comma, semicolon or colon closing a word is read as its lost last letter only when Tesseract read the word
# below this confidence (on the development part such marks were letters after words read at 63 to 83, and
# punctuation after words read at 93 or more)
MARK_LETTER_MAX_CONFIDENCE = 90.0
MEMORY = "memory"  # the kind of a change a reviewer made before (the collection memory)


@dataclass(frozen=True)
class CorrectionResult:
    text: str
    corrections: tuple[Correction, ...]


_LETTERS = regex.compile(r"\p{L}+")
_LETTERS_AT_END = regex.compile(r"\p{L}+$")
_LOOK_BACK = 64  # characters searched before a position for the letters that end there



def _letters_before(text: str, end: int) -> regex.Match | None:
    """``_LETTERS_AT_END.search(text[:end])``: the letters ending at ``end`` (or just before a
    line break there, as ``$`` allows), searched in the last _LOOK_BACK characters first
    instead of the whole text before them (a search from the text's start at every speck)."""
    start = max(0, end - _LOOK_BACK)
    found = _LETTERS_AT_END.search(text[start:end])
    if found is not None and found.start() == 0 and start > 0:  # the letters may go on further back
        return _LETTERS_AT_END.search(text[:end])
    return found


def _acceptable_score(word: str) -> float:
    """The noisy-channel score (see candidates.score) a reading must reach to replace an
    unknown printed word: the score the printed word itself counts as."""
    return -unknown_zipf(len(word))


def _markup_spans(text: str) -> list[tuple[int, int]]:
    """The spans ``_MARKUP.finditer(text)`` finds, found part by part: the regex module
    tries an alternation at every position of the text, but finds each part alone with
    a fast scan (about 15 times faster on a page). As in the alternation, the leftmost
    match wins, a tie goes to the earlier part, and the next search starts at its end."""
    spans = []
    pos = 0
    ahead: list = [None] * len(_MARKUP_SEARCHES)  # each part's leftmost match at or after pos (None: none left)
    for k, part in enumerate(_MARKUP_SEARCHES):
        ahead[k] = part.search(text)
    while True:
        best = None
        for k, part in enumerate(_MARKUP_SEARCHES):
            found = ahead[k]
            if found is not None and found.start() < pos:  # overtaken by an earlier part's match: search again
                found = ahead[k] = part.search(text, pos)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        if best is None:
            return spans
        spans.append(best.span())
        pos = best.end()  # never empty: every part consumes a character


class _Corrector:
    def __init__(self, text: str, lexicon: Lexicon, config: CorrectConfig, collection: CollectionLexicon,
                 model: ErrorModel, tokens: list[Token] | None = None, priors: Priors | None = None) -> None:
        self.text = text
        self.lexicon = lexicon
        self.config = config
        self.model = model
        self.vocab = Vocabulary(lexicon, collection)
        self.collection = collection
        self.tokens = word_tokens(text) if tokens is None else tokens
        self.keys = [fold(t.text) for t in self.tokens]
        self._token_ends = [t.end for t in self.tokens]
        self.candidates: list[Candidate] = []  # proposed by the generators, scored, not yet resolved
        self.decided: list[Candidate] = []  # made before any generator: the reviewers' memory, OCR alternatives
        self.generator = ""  # the registry entry running (name@version)
        self.priors = scoring.shipped_priors() if priors is None else priors  # what scores the candidates
        self._stems: list[str] | None = None
        self._capitals: bool | None = None
        self.readings: Mapping[int, tuple[str, ...]] = {}
        self.marks: Mapping[int, str] = {}  # offset of a mark -> the other characters Tesseract offered for it
        self.cells: Cells | None = None  # what the words' boxes say of their cells (pitch.py); None: no boxes
        self.taken = bytearray(len(text) + 1)  # 1 where a protection or a decided change holds the character
        self.held = bytearray(len(text) + 1)  # ... but for the words protected by Tesseract's confidence alone
        self._free_tokens: list[tuple[int, Token]] | None = None  # free_tokens(), until the next protection
        self._weak_tokens: list[int] | None = None  # weak_tokens(), made once
        self._lone_digits: list[tuple[int, int, str, str]] | None = None  # inner_marks.lone_digits, found once asked
        self._lone_digit_known: dict[int, bool] = {}  # ... of each, whether a letter there makes a known word
        self.words = Words(text, text, self.tokens, self.keys)  # judged with the specks blanked once they are known
        self.confidences: dict[int, float] = {}
        self.judged: set[int] = set()  # the tokens the word search proposed an edit for (ё is left to it)

    # -- bookkeeping --
    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def keeps_yo(self) -> bool:
        """ё stays in this text: the collection writes it, or the configuration does not write it as е
        (else the yo pass takes it out of the words the word search left alone)."""
        return not self.config.yo_as_e or self.collection.writes_yo

    def add(self, candidate: Candidate | None) -> bool:
        """Score a candidate and keep it for the resolver, unless it lies in a protected
        span, changes nothing or is a change a reviewer forbade."""
        if candidate is None or not self.free(candidate.start, candidate.end):
            return False
        return self._scored(candidate)

    def add_sure(self, candidate: Candidate | None) -> bool:
        """:meth:`add` for the repair of a short non-word (:meth:`short_word`), which a word protected only
        by Tesseract's confidence does not refuse: that confidence protects words, and it is none."""
        if candidate is None or not self.joinable(candidate.start, candidate.end):
            return False
        return self._scored(candidate)

    def add_case(self, candidate: Candidate | None) -> bool:
        """:meth:`add_sure` for a change of case alone (the same letters), which a word protected only by
        Tesseract's confidence does not refuse either (the confidence says nothing of the case of a letter
        whose capital has the small letter's shape)."""
        if candidate is not None and candidate.replacement.lower() != self.text[candidate.start:candidate.end].lower():
            return False
        return self.add_sure(candidate)

    def _scored(self, candidate: Candidate) -> bool:
        printed = self.text[candidate.start:candidate.end]
        if candidate.replacement == printed or not self.model.allows(printed, candidate.replacement):
            return False
        evidence = candidate.evidence
        if self.confidences and not evidence.ocr:
            evidence = scoring.with_ocr(evidence, self._ocr_doubt(candidate))
        score = scoring.score(candidate.kind, evidence, self.priors)
        chosen_by, made_by = scoring.choosing(evidence), scoring.making(evidence)
        choice = scoring.score(candidate.kind, chosen_by, self.priors) if chosen_by is not evidence else None
        made = scoring.score(candidate.kind, made_by, self.priors) if evidence.edge else None
        self.candidates.append(replace(candidate, evidence=evidence, generator=candidate.generator or self.generator,
                                       score=score, choice=choice, made=made))
        return True

    def _ocr_doubt(self, candidate: Candidate) -> float:
        """The OCR's doubt (scoring.ocr_doubt) about the least sure word the change touches or
        is stuck to (a mark at a word's edge was read as part of that word)."""
        sure = []
        for token in self.tokens[bisect.bisect_left(self._token_ends, candidate.start):]:
            if token.start > candidate.end:
                break
            if token.index in self.confidences:
                sure.append(self.confidences[token.index])
        return scoring.ocr_doubt(min(sure)) if sure else 0.0

    def joinable(self, start: int, end: int) -> bool:
        """No guard holds the span: words Tesseract read surely may lie in it (:meth:`add_join`)."""
        return self.held.find(1, start, end) == -1

    def add_join(self, candidate: Candidate | None) -> bool:
        """:meth:`add` for a join of a word with the fragment beside it ('пост авщикам' ->
        'поставщикам'), which a word protected only by Tesseract's confidence does not refuse
        when the join keeps its letters as read (the confidence is the letters', not the space's).
        A piece read as a word of its own (:meth:`_read_as_word`) is joined only so too: the join
        may restore a letter lost at the gap, never edit or drop the word's ('товари на' -> 'товарища')."""
        if candidate is None or not self.joinable(candidate.start, candidate.end):
            return False
        replacement = candidate.replacement
        first, after = self._tokens_in(candidate.start, candidate.end)
        inside = self.tokens[first:after]
        for token in inside:
            sure = not self.free(token.start, token.end)
            if sure and any(len(other.text) < 2 for other in inside if other is not token):
                return False  # a word read surely and another of one letter ('протокола м 56', м for №)
            if token.start == candidate.start:
                kept = replacement.startswith(token.text)
            else:
                kept = token.end == candidate.end and replacement.endswith(token.text)
            if not kept and (sure or self._read_as_word(token)):
                return False  # its letters stay where they are: asked of a piece only when the join changes them
        return self._scored(candidate)

    def _tokens_in(self, start: int, end: int) -> tuple[int, int]:
        """The indices ``first`` to ``after`` (exclusive) of the word tokens ``text[start:end]`` overlaps:
        ``first`` the first token ending after ``start``."""
        tokens = self.tokens
        first = after = bisect.bisect_right(self._token_ends, start)
        while after < len(tokens) and tokens[after].start < end:
            after += 1
        return first, after

    def _read_as_word(self, token: Token) -> bool:
        """A piece of a join that is itself a word the reading gives no cause to doubt: one of the words of
        one letter, a preposition, conjunction or particle, or a common word, read without Tesseract's
        doubt (a confidence below scoring.OCR_CENTER) or an alternative it offered for one of its
        letters. A join keeps such a piece's letters as read ('товари на' is not 'товарища')."""
        index = token.index
        if self._doubted(index) or self.readings.get(index):
            return False
        key = self.keys[index]
        if len(key) == 1:
            return one_letter_word(key)
        return (not self.vocab.weak(key) and self.vocab.zipf(key) >= COMMON_PIECE_ZIPF) or any(
            tag.POS in FUNCTION_POS for tag in context.tags(key))

    def protect(self, start: int, end: int, *, sure: bool = False) -> None:
        """Hold the span from change; ``sure``: a word held by Tesseract's confidence alone (its
        case may still change: :meth:`add_case`)."""
        self.taken[start:end] = b"\x01" * (end - start)
        if not sure:
            self.held[start:end] = b"\x01" * (end - start)
        self._free_tokens = None

    def weak_tokens(self) -> list[int]:
        """The indices of the tokens whose words are weak (Vocabulary.weak: unknown, or known to the web
        frequency list alone), made once: the joins look only beside them (every word not known is weak)."""
        if self._weak_tokens is None:
            self._weak_tokens = self.vocab.weak_indices(self.keys)
        return self._weak_tokens

    def free_tokens(self) -> list[tuple[int, Token]]:
        """(index, token) of the tokens no protection holds (as :meth:`free` finds them), made
        once and kept until the next protection: the passes after the protections ask for the
        same list (none of them protects while it walks it)."""
        if self._free_tokens is None:
            find = self.taken.find
            self._free_tokens = [(i, t) for i, t in enumerate(self.tokens) if find(1, t.start, t.end) == -1]
        return self._free_tokens

    # -- the registry's entries run in their declared order (registry.py), then one resolver --
    def run(self, confidences: dict[int, float] | None = None, pre_edits: Iterable[Candidate] = (),
            readings: Mapping[int, tuple[str, ...]] | None = None,
            generators: Iterable[Generator] | None = None, floor: float | None = None,
            marks: Mapping[int, str] | None = None, cells: Cells | None = None) -> list[Candidate]:
        self.cells = cells
        self.readings = {} if readings is None else readings  # (not made: see page._Readings)
        self.marks = marks or {}
        self.confidences = confidences or {}
        self.generator = "decided"
        for candidate in pre_edits:  # decided before any generator: the reviewers' memory, OCR alternatives
            if self.add(candidate):
                self.decided.append(self.candidates.pop())
                self.protect(candidate.start, candidate.end)
        generators = tuple(registry.running() if generators is None else generators)
        for generator in generators:
            self.generator = generator.label
            generator.run(self)
        order = {g.label: i for i, g in enumerate(generators)}
        return scoring.resolve(self.decided, self.candidates, order, floor)

    def protect_tokens(self) -> None:
        confidences = self.confidences
        text = self.text
        for start, end in _markup_spans(text):  # <u>...</u>, URLs: not words of the document
            self.protect(start, end)
        for m in structural.DEGREES.finditer(text):  # '180 °C': a unit, no Latin word
            self.protect(m.start(), m.end())
        for token in self.tokens:
            before = text[token.start - 1] if token.start else ""
            before2 = text[token.start - 2] if token.start > 1 else ""
            after = text[token.end] if token.end < len(text) else ""
            key = self.keys[token.index]
            if before == "-" and before2.isdigit() or after == "-" and text[token.end + 1:token.end + 2].isdigit():
                self.protect(token.start, token.end)  # 36-й, 4-го; a model's name: Ми-8, Ту-154
            elif (after.isdigit() or before.isdigit()) and not self._letter_digit(token) and not (
                    before.isdigit() and inner_marks.edge_digit(text, token.start - 1, self.vocab, self.model)):
                # identifiers: 255/л, 7а, №12б (not a word whose first letter was read as a digit: 0бследованием)
                self.protect(token.start, token.end)
            elif after == "." and len(key) <= SHORT_ABBREVIATION and self.vocab.entry(key) is None and case_shape(token.text) == "lower":
                self.protect(token.start, token.end)  # тыс., с.г.
            elif after == "." and self._cut_short(token, key):
                self.protect(token.start, token.end)  # ДАЛЬНЕВ. (ДАЛЬНЕВОСТОЧНЫЙ): a word in capitals cut short
            elif confidences.get(token.index, 0.0) >= self.config.protect_confidence:
                self.protect(token.start, token.end, sure=True)

    def _cut_short(self, token: Token, key: str) -> bool:
        """A word in capitals before a period that no lexicon has, but with which known words begin
        ('ДАЛЬНЕВ.': ДАЛЬНЕВОСТОЧНЫЙ, 'ЦЕНТРАЛЬН.'): an abbreviation cut short where the typist chose, which
        the search in capitals (one substitution) would make another word ('ДАЛЬНЕМ.')."""
        return (len(key) >= CUT_SHORT_MIN and case_shape(token.text) == "upper" and key.isalpha()
                and not self.vocab.known_cached(key) and self.vocab.has_prefix(key))

    def _after_number(self, token: Token) -> bool:
        """The token follows a number on its line, blanks between ('5,8 ысячи')."""
        at = line_blank_before(self.text, token.start)
        return self.text[at - 1:at].isdigit()

    def _letter_digit(self, token: Token) -> bool:
        """The token is one side of a word a digit alone stands inside, read for a letter the
        lexicon has there ('Лит5инову', 'хлебоз2готовок'; inner_marks.py reads it): not an identifier.
        The text's such words are found once, and each is looked up once for both its sides."""
        if self._lone_digits is None:
            self._lone_digits = inner_marks.lone_digits(self.text)
        found = self._lone_digits
        i = bisect.bisect_right(found, token.start, key=lambda word: word[0]) - 1
        if i < 0 or token.end > found[i][1]:
            return False
        known = self._lone_digit_known.get(i)
        if known is None:
            left, right = fold(found[i][2]), fold(found[i][3])
            known = self._lone_digit_known[i] = any(self.vocab.known(left + letter + right) for letter in ALPHABET)
        return known

    def line_hyphens(self) -> None:
        """'командо-' / 'вания': kept as printed unless configured to join; never 'corrected' apart."""
        text = self.text
        for index, (token, nxt) in enumerate(zip(self.tokens, self.tokens[1:])):
            if not self._hyphenated_across_lines(index):
                continue
            gap = text[token.end + 1:nxt.start]
            joined = token.text + nxt.text
            if not (self.vocab.known(fold(joined)) or case_shape(token.text) == "title"):
                continue
            if self.config.join_line_hyphens and self.vocab.known(fold(joined)):
                self.add(Candidate(token.start, nxt.end, joined + "\n" * gap.count("\n"), "line-hyphen-join",
                                   "word hyphenated across lines joined"))
            self.protect(token.start, nxt.end)  # no other repair takes the halves apart

    def _neighbours(self, index: int) -> tuple[str | None, str | None]:
        prev = self.keys[index - 1] if index > 0 else None
        nxt = self.keys[index + 1] if index + 1 < len(self.tokens) else None
        return prev, nxt

    def word(self, token: Token, index: int) -> Candidate | None:
        """The repair proposed for one word: the first of the rules below that claims it
        (Latin look-alikes, one-letter words, short words, line-end fragments, case slips,
        known words) settles it; an unknown or weakly known word goes to :meth:`_search`."""
        word = token.text
        lookalikes = structural.latin_lookalikes(word)
        if lookalikes is not None:
            # a Roman numeral typed in Latin ('в XX веке', '27.X.37г.') stays, unless read straight
            # it is a dictionary word ('C', 'CM': с, см), which the OCR may print in Latin
            if roman.is_roman_numeral(word) and self.vocab.weak(fold(lookalikes[0])):
                return None
            # nor a piece of a Latin name glued by marks to letters no look-alike reads ('main.py')
            if structural.latin_readings(self._glued_run(token)) is None:
                return None
            return self._latin(token, lookalikes)
        key = self.keys[index]
        if word.isupper() and one_letter_word(word):
            return case_slips.capital_preposition(self.words, index)
        if word.islower() and (edit := case_slips.lower_abbreviation(token, key, self.lexicon)):
            return edit
        if len(key) <= 2:  # too short to judge: prepositions, initials, unit abbreviations; but no word at all
            return self.short_word(token, index, key)
        if key.isalpha() and self.text.startswith("-", token.end) and _LINE_END_HYPHEN.match(self.text, token.end):
            return self._fragment(token, key, start=True)
        if key.isalpha() and index and self._hyphenated_across_lines(index - 1):
            return self._fragment(token, key, start=False)
        shape = case_shape(word)
        canonical = self.lexicon.canonical(key)
        if canonical and canonical != word and shape != "upper" and (shape == "mixed" or "-" in word) and (
                self.lexicon.is_abbreviation(key) or self.lexicon.flags(key) & (NAME | PLACE)):
            return Candidate(token.start, token.end, canonical, "canonical-case", "case slip in an abbreviation or a name")
        if shape == "mixed":
            # (a word in Latin letters no look-alike reads, 'iPhone', is a foreign name written so)
            return None if has_latin(word) else self._mixed_case(token, index, key)
        if not key.replace("-", "").isalpha():
            return None
        weak = False
        if self.vocab.known_cached(key):
            if shape == "title" and not self.words.sentence_start(token):
                return self._rare_name(token, key) or self._alternative_reading(token, index, key)
            if not self._weakly_known(token, key, shape):
                return self._alternative_reading(token, index, key)
            weak = True
        return self._search(token, index, key, shape, weak)

    def short_word(self, token: Token, index: int, key: str) -> Candidate | None:
        """A word of one or two letters in lower case that no dictionary has (none, or only the web
        frequency list), standing alone between spaces before a lower-case word (a letter alone before a
        name too: 'закупаемую з Синьцзяне' -> в) ('зё границу',
        'ге проводилась', 'йз шерсти', 'з размере'): the common short word one edit of the error model
        away that is likeliest (the noisy-channel score), a preposition that governs the next word's
        case counting its link ('за границу', 'из шерсти'), when it beats the printed word. (Pieces
        of a word broken by specks are not alone: 'Э‹з.', 'эп, демиологический'; a lone sign such as
        'ь' is a speck's to remove.)"""
        word, text = token.text, self.text
        nxt = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        name_after = nxt is not None and len(key) == 1 and case_shape(nxt.text) == "title"
        # a letter that is no word of one letter before a name, not after a number (no unit: '5 т'), is none
        # either ('Уш-Тобе л Луговая' -> и)
        letter = name_after and lone_letter(key) and not self._after_number(token)
        if (not word.islower() or (len(key) == 1 and key in structural.LONE_SIGNS) or not (letter or self.vocab.weak(key))
                or key in self.collection or nxt is None
                or not after_blank(text, token.start) or not text[token.end:nxt.start].isspace()
                or not (nxt.text[:1].islower() or name_after)):
            return None
        nxt_key = self.keys[index + 1]
        zipf = self.vocab.zipf
        # (only the known variants are made: an unknown one has no frequency, below SHORT_MIN_ZIPF)
        found = {v: cost for v, cost in edits(key, self.model, cheap_only=False, held_by=self.vocab.known_sets).items()
                 if len(v) <= SHORT_MAX_LETTERS and zipf(v) >= SHORT_MIN_ZIPF and not self.vocab.weak(v)}
        return self._choose(token, index, key, found, "short non-word", "word",
                            printed_zipf=zipf(key) + WEAK_MARGIN if key in self.lexicon and not letter else None,
                            links=lambda v: int(context.governs(v, nxt_key)))

    def _search(self, token: Token, index: int, key: str, shape: str, weak: bool) -> Candidate | None:
        """The word searched for in the lexicon through the error model: an unknown word, or a
        ``weak``ly known one (replaced only by a reading clearly more frequent), as an
        abbreviation (capitals), a name (a capital inside a sentence, a hyphen) or a word."""
        word = token.text
        if shape == "lower" and self._after_mark(token):
            return None  # a piece of a damaged word (inner_marks, gap_joins and speck_letter read it with its mark)
        if shape == "upper":
            max_cost, mode = ONE_SUBSTITUTION, "upper"
        elif "-" in key or (shape == "title" and not self.words.sentence_start(token)):
            max_cost, mode = ONE_SUBSTITUTION, "name"
        else:
            max_cost, mode = self.config.max_cost, "word"
        if mode == "name" and shape == "title" and self._quoted_sure(token, index):
            return None  # a title or a ship's name in quotation marks, read surely: '(«Сулдаль»' is no 'Суздаль'
        found = self._candidates(key, max_cost)
        alternatives = self.readings.get(index)
        if alternatives:
            found = self._with_readings(key, found, alternatives)
            if best_score(found, self.vocab.zipf) > GOOD_ENOUGH:
                found = self._searched_from_readings(key, found, alternatives, max_cost)
        # beyond the cheap confusions, a word in capitals or a name may only change a letter, not its length
        # ('ПОКЛАДНАЯ' -> 'ДОКЛАДНАЯ', 'Убласти' -> 'области', 'политизескую' -> 'политическую')
        # into a common word ('Лядовка' is no misread 'рядовка')
        if mode == "upper":
            found = {k: c for k, c in found.items() if (self.lexicon.is_abbreviation(k) or len(k) >= 5)
                     and (c <= UPPER_MAX_COST or self._one_substitution(key, k))}
        elif mode == "name":
            # and an unknown name never becomes another by losing a letter ('Лядовка' is no misread 'Лядова');
            # where that leaves nothing, a word Tesseract doubted (below scoring.OCR_CENTER) may take one edit of any
            # kind into a dictionary word ('Касноводской' read at 50 -> 'Красноводской'): the reading's own evidence
            # that it is misread
            # and a capitalised one that keeps its first letter (and so its capital) becomes no common word that no
            # name is ('Нейто' is no misread 'Нечто': a capital inside a sentence on a pronoun would be a slip too);
            # one whose capital is itself misread ('Убласти': области) has no other letter changed ('Нейто' is no
            # misread 'пейте': a name needing two changes is likelier a name read right)
            title = shape == "title" and word[:1].isupper()
            kept = {k: c for k, c in found.items() if not (len(k) < len(key) and self._is_name(k))
                    and not (title and (not self._may_name(k) if k[:1] == key[:1] else k[1:] != key[1:]))}
            found = {k: c for k, c in kept.items() if c <= NAME_MAX_COST or self._one_substitution(key, k)}
            if not found and self._doubted(index):
                found = {k: c for k, c in kept.items() if c <= ONE_SUBSTITUTION and not self.vocab.weak(k)
                         and Levenshtein.distance(k, key) == 1}
        edit = self._choose(token, index, key, found, reason_prefix={
            "upper": "abbreviation", "name": "name or place", "word": "non-word"}[mode],
            kind={"upper": "abbreviation", "name": "name", "word": "word"}[mode],
            printed_zipf=self.vocab.zipf(key) + WEAK_MARGIN if weak else None)
        if mode == "word" and not weak:
            split = structural.split_glued(token, key, self.lexicon.lookup, MORPH, DOMAIN | PLACE | NAME,
                                           PLACE | NAME)
            # the split stands when nothing else fits, or beats deleting the short word's letters
            # ('кгенконсулу'); a word the error model repairs whole stays one ('оявление': появление)
            if split is not None and (edit is None or fold(edit.replacement) == fold(split.replacement.split(" ")[1])):
                edit = split
        if edit is None and mode == "name" and (word.islower() or (
                "-" in key and all(part[:1].isupper() for part in word.split("-")) and self._doubted(index))):
            # (a hyphenated name's part, every part capitalised, only where Tesseract doubted the word: 'Бенцер-Шахе'
            # read at 47; not 'Выьпи-ка', a word's)
            edit = self._compound_part(token, index, key, alternatives or ())
        if edit is not None and mode == "name":
            edit = case_slips.misread_capital(self.words, edit, index, self.lexicon)
        if edit is not None and alternatives and edit.replacement in alternatives + tuple(
                apply_case(word, r) for r in alternatives):
            edit = replace(edit, reason=f"OCR character alternatives spell a known word (edit cost {edit.evidence.channel:.2f})")
        return edit

    def lone_preposition(self, edit: Candidate) -> Candidate | None:
        """A speck (one or two marks) standing alone between two words of a line, before a noun or adjective in lower case
        ('вопрос › снятии', 'производился ‹ большими', 'в губернии ^ середины'): the mark is a damaged
        preposition of one letter (the scan shows something typed there), the one that governs the next word's
        case (context.governs; one Tesseract offered for the mark first, then one governing the case of the next
        word's likeliest reading, then the commonest). Removed, the
        word it was is lost with it. None where no such preposition governs the next word."""
        text = self.text
        mark = text[edit.start:edit.end].strip(" \t")
        if not 1 <= len(mark) <= 2 or any(c.isalnum() for c in mark):
            return None  # (a lone sign, 'выдава ь', is a letter read: the joins read it)
        at = edit.start + text[edit.start:edit.end].index(mark)
        end = at + len(mark)
        before, after = text[at - 2:at], text[end:end + 2]
        if len(before) < 2 or before[1] != " " or not before[0].isalpha() or len(after) < 2 or after[0] != " ":
            return None  # between two words of one line, a space either side
        first, nxt = self._tokens_in(end + 1, end + 2)
        if nxt == first or self.tokens[first].start != end + 1 or not self.tokens[first].text.islower():
            return None
        key = self.keys[first]
        offered = self.offered(at)
        tags = context.tags(key)
        likeliest = tags[0].case if tags else None
        found = [(p in offered, likeliest in context.GOVERNMENT[p], self.vocab.zipf(p), p) for p in context.GOVERNMENT
                 if len(p) == 1 and context.governs(p, key)]
        if not found:
            return None
        letter = max(found)[-1]
        return Candidate(at, end, letter, "speck-letter",
                         f"a speck standing alone read for a lost preposition ('{mark}' for '{letter}', governing the next word)",
                         Evidence(context=1))

    def speck_letter(self, edit: Candidate, *, lost: bool = False) -> Candidate | None:
        """A mark stuck to a word's edge that stands for a letter the OCR lost ('та‹' for 'так',
        '‹зыках' for 'языках', 'на юг>' for 'юге'): the letter that makes a known word, when that
        word fits better than the word without the mark, by frequency and by agreement with the
        neighbours (context.agreement, context.CONTEXT_WEIGHT a link), by SPECK_LETTER_MARGIN, or by
        OFFERED_LETTER_MARGIN for a letter Tesseract itself offered for the mark; any known word
        when the word without the mark is unknown. The word is then held as a word Tesseract read
        surely is: no other repair changes its letters, but a join through the mark keeps them and may
        still compete ('металличес ‹ие': the join 'металлические' against the letter's 'сие'); the letter
        relies on the word as read (Candidate.relies): a join that takes the word in drops it ('растен ями,'
        is 'растениями,', not 'растениямин')."""
        text = self.text
        mark = text[edit.start:edit.end]
        if edit.replacement:
            return None
        if len(mark) == 2 and mark[0] in " \t" and mark[1] in structural.SPECK_CHARS:
            # a speck standing alone just after a word, the space before it taken with it ('тольк ›'; not a
            # letter standing alone, 'выдава ь', which a join reads)
            before, after = _letters_before(text, edit.start), None
        elif len(mark) == 1:
            before = _letters_before(text, edit.start)
            after = _LETTERS.match(text, edit.end)
        else:
            return None
        word = after.group() if after else before.group() if before else ""
        if not word:
            return None
        at_start = after is not None
        folded = fold(word)
        own = self.vocab.zipf(folded) if self.vocab.known(folded) else None
        prev, nxt = self._neighbours_of(edit.end if at_start else edit.start - len(word))
        offered = self.offered(edit.end - 1)  # (the mark itself: after the space taken with a speck standing alone)
        # agreement weighs the readings of a word in lower case of two letters or more (a name's or a
        # heading's case says nothing of them, nor does a letter alone: 'с,' is no 'со')
        weigh = len(word) >= 2 and word.islower() and (prev or nxt)
        forms, others = self.vocab.known_sets  # (Vocabulary.known, asked of each letter without a call)
        if not folds_letterwise(word):
            keys = [(letter, fold(letter + word if at_start else word + letter)) for letter in ALPHABET]
        elif at_start:  # (the word folded once: see folds_letterwise)
            keys = [(letter, letter + folded) for letter in ALPHABET]
        else:
            keys = [(letter, folded + letter) for letter in ALPHABET]
        options = [(letter, key) for letter, key in keys if key in forms or key in others]
        if not options:
            return None
        base = context.agreement(folded, prev, nxt) if weigh and own is not None else 0
        own_fit = (own if own is not None else unknown_zipf(len(word))) + context.CONTEXT_WEIGHT * base
        best = None
        for letter, key in options:
            zipf = self.vocab.zipf(key)
            gain = context.agreement(key, prev, nxt) - base if weigh else 0
            fit = zipf + context.CONTEXT_WEIGHT * gain
            need = OFFERED_LETTER_MARGIN if letter in offered else SPECK_LETTER_MARGIN
            # (a letter Tesseract offered for the mark goes before one it did not)
            if (own is None or lost or fit - own_fit >= need) and (
                    best is None or (letter in offered, fit) > (best[1] in offered, best[0])):
                best = (fit, letter, zipf, gain)
        if best is None:
            return None
        fit, letter, zipf, gain = best
        found = fold(letter + word if at_start else word + letter)
        name = at_start and bool(self.lexicon.flags(found) & (NAME | PLACE))  # '“иньцзяне': Синьцзяне
        letter = letter.upper() if word.isupper() or (at_start and word[:1].isupper()) or name else letter
        span = (edit.end, edit.end + len(word)) if at_start else (edit.start - len(word), edit.start)
        language = zipf - (own if own is not None else unknown_zipf(len(word)))
        why = " (Tesseract offered it)" if best[1] in offered else ""
        start, replacement = edit.start, letter
        relies: tuple[tuple[int, int], ...] = ()
        if len(mark) == 2:  # the word and the speck after it become one word (a page merges their words)
            start, replacement = span[0], text[span[0]:span[1]] + letter
        else:
            self.protect(*span, sure=True)  # (as a word read surely: a join with a fragment beside it keeps it)
            relies = (span,)  # the word the letter completes, as read: a join that takes it in leaves no room for it
        return Candidate(start, edit.end, replacement, "speck-letter",
                         f"a mark read for a lost letter ('{mark.strip()}' for '{letter}'){why}",
                         Evidence(language=language, context=gain),
                         ((letter, round(-fit, 3)), ("", round(-own_fit, 3))), relies=relies)

    def _neighbours_of(self, start: int) -> tuple[str | None, str | None]:
        """The folded words before and after the word token starting at ``start`` (None, None where
        no token starts there)."""
        i = bisect.bisect_right(self._token_ends, start)
        if i >= len(self.tokens) or self.tokens[i].start != start:
            return None, None
        return self._neighbours(i)

    def _after_mark(self, token: Token) -> bool:
        """The word is glued to a mark before it that no typist sets there ('гернувш“еся', 'сем^нную',
        '‚„,ровинцьи', 'у.ндию'): not a hyphen, nor a quotation mark or bracket opening after a space. Such a
        piece is the rest of a word whose start the mark hides, and searched alone it becomes another word
        (on the development part and fresh damage 3-8, 0 of 14 such changes were right)."""
        start = token.start
        if after_blank(self.text, start):
            return False
        before = self.text[start - 1]
        if before.isalnum() or before in structural.DASHES:
            return False
        opening = before in structural.OPENING_MARKS + "(["
        return not (opening and after_blank(self.text, start - 1))

    def _quoted_sure(self, token: Token, index: int) -> bool:
        """The word opens a quotation (an opening mark just before it) and Tesseract read it at QUOTED_SURE or more."""
        confidence = self.confidence(index)
        return (confidence is not None and confidence >= QUOTED_SURE and token.start > 0
                and self.text[token.start - 1] in structural.OPENING_MARKS)

    def _doubted(self, index: int) -> bool:
        """Tesseract read word token ``index`` below scoring.OCR_CENTER (False for text read without confidences)."""
        confidence = self.confidence(index)
        return confidence is not None and confidence < scoring.OCR_CENTER

    def _one_substitution(self, printed: str, reading: str) -> bool:
        """A reading a capitalised or upper-case word may take beyond the cheap confusions: its length
        kept, and a word at least SUBSTITUTION_MIN_ZIPF common."""
        return len(reading) == len(printed) and self.vocab.zipf(reading) >= SUBSTITUTION_MIN_ZIPF

    def offered(self, pos: int) -> str:
        """The other characters Tesseract offered for the mark at ``pos`` ('' where it offered none, or
        for text read without them)."""
        return self.marks.get(pos, "")

    def confidence(self, index: int) -> float | None:
        """Tesseract's confidence of word token ``index`` (None for text read without confidences)."""
        return self.confidences.get(self.tokens[index].index)

    def doubted_before(self, pos: int) -> bool:
        """The word ending at ``pos`` was read by Tesseract below MARK_LETTER_MAX_CONFIDENCE (False for
        text read without confidences, and where no word ends there)."""
        i = bisect.bisect_left(self._token_ends, pos)
        if i >= len(self.tokens) or self.tokens[i].end != pos:
            return False
        confidence = self.confidences.get(self.tokens[i].index)
        return confidence is not None and confidence < MARK_LETTER_MAX_CONFIDENCE

    def _may_name(self, key: str) -> bool:
        """A word that may be (or begin) a name or a title written with a capital: one no dictionary has (the
        web list's, the collection's), a curated one, or one some reading of which is no function word
        (context.is_common_function_word: not 'нечто', 'пейте'; 'Нивы', 'Кяхтинской', 'Отправлена')."""
        return (self.vocab.weak(key) or bool(self.lexicon.flags(key) & (DOMAIN | NAME | PLACE))
                or not context.is_common_function_word(key))

    def _is_name(self, key: str) -> bool:
        """A person's or a place's name: curated as one, or so tagged by the dictionary."""
        return bool(self.lexicon.flags(key) & (NAME | PLACE)) or context.is_proper_name(key)

    def offered_small(self, index: int) -> bool:
        """Tesseract offered the small letter for the capital that begins word ``index`` (one of its
        readings, from the character alternatives, begins so)."""
        first = self.tokens[index].text[:1]
        return any(reading[:1] == first.lower() for reading in self.readings.get(index, ()))

    def offered_capital(self, index: int) -> bool:
        """Tesseract offered the capital for the small letter that begins word ``index``."""
        first = self.tokens[index].text[:1]
        return any(reading[:1] == first.upper() for reading in self.readings.get(index, ()))

    def deliberate_capitals(self) -> bool:
        """The text capitalises function words inside sentences on purpose (counted once)."""
        if self._capitals is None:
            self._capitals = case_slips.capitalised_function_words(self.words) >= case_slips.DELIBERATE_CAPITALS
        return self._capitals

    def _hyphenated_across_lines(self, index: int) -> bool:
        """Tokens ``index`` and ``index + 1`` are the halves of a word hyphenated at a line end
        ('распоря-' / 'диться'), with nothing but specks between them ('|' on a line of its own)."""
        token, text = self.tokens[index], self.text
        if text[token.end:token.end + 1] != "-" or index + 1 >= len(self.tokens):
            return False
        gap = text[token.end + 1:self.tokens[index + 1].start]
        return "\n" in gap and not any(c.isalnum() for c in gap)

    def _fragment(self, token: Token, key: str, *, start: bool) -> Candidate | None:
        """Part of a word hyphenated at a line end, judged as such (the rest of the word
        may lie beyond a speck or a stamp, out of the hyphen join's reach): left alone
        when some known form starts (``start``) or ends so, else given the cheapest
        listed confusion that makes it such a part ('хомандо-' -> 'командо-')."""
        fits = self.vocab.has_prefix if start else self.vocab.has_suffix
        if fits(key):
            return None
        parts = sorted((cost, variant) for variant, cost in cheap_edits(key, self.model).items() if fits(variant))
        if not parts or (len(parts) > 1 and parts[1][0] == parts[0][0]):
            return None  # nothing, or no single cheapest reading
        cost, variant = parts[0]
        where = "start" if start else "end"
        return Candidate(token.start, token.end, apply_case(token.text, variant), "line-end-fragment",
                         f"{where} of a word hyphenated at a line end: OCR confusion (edit cost {cost:.2f})",
                         # language: the reading begins or ends a known form, the printed part counts as an unknown word
                         Evidence(channel=cost, language=-unknown_zipf(len(key)),
                                  rival=scoring.share(scoring.ALPHA * cost, (scoring.ALPHA * c for c, _ in parts[:5]))),
                         tuple((apply_case(token.text, v), round(c, 3)) for c, v in parts[:5]))

    def _family_count(self, key: str) -> int:
        """How many words of this text start like ``key`` without its last two letters (its ending)."""
        stem = key[:max(4, len(key) - 2)]
        if self._stems is None:
            self._stems = sorted(self.keys)
        return bisect.bisect_left(self._stems, stem + "\U0010ffff") - bisect.bisect_left(self._stems, stem)

    def _rare_name(self, token: Token, key: str) -> Candidate | None:
        """A rare known name one cheap confusion from a name the text keeps using
        (Синьцзина beside Синьцзяне, Синьцзяна, Синьцзяном): corrected toward it."""
        if self.lexicon.zipf(key) > RARE_NAME_ZIPF or len(key) < 5:
            return None
        own = self._family_count(key)
        best = None
        for variant, cost in substitutions(key, self.model, CHEAP_NAME_COST, self.vocab.known_sets).items():
            family = self._family_count(variant)
            if family >= COLLECTION_MIN_FAMILY and family >= 3 * own and (best is None or family > best[0]):
                best = (family, variant, cost)
        if best is None:
            return None
        return Candidate(token.start, token.end, apply_case(token.text, best[1]), "rare-name",
                         f"rare name beside a frequent one in this text ({best[0]} occurrences)",
                         # language: how much more often the text writes the name's family than the word's own
                         Evidence(channel=best[2], language=math.log10((best[0] + 1) / (own + 1))),
                         ((apply_case(token.text, best[1]), float(best[0])), (token.text, float(own))))

    def _with_readings(self, key: str, found: dict[str, float], readings: tuple[str, ...]) -> dict[str, float]:
        """Candidates plus the known readings the OCR's own character alternatives spell,
        which cost little: the engine itself saw those letters."""
        found = dict(found)
        for reading in readings:
            variant = fold(reading)
            if variant != key and self.vocab.known(variant):
                changed = _changed_letters(variant, key) or 1
                found[variant] = min(found.get(variant, 9.0), ALTERNATIVE_COST * changed)
        return found

    def _searched_from_readings(self, key: str, found: dict[str, float], readings: tuple[str, ...],
                                max_cost: float) -> dict[str, float]:
        """Candidates plus the words the error model reaches from the readings Tesseract's alternatives
        give at one letter (READING_SEEDS at most), each at ALTERNATIVE_COST more: the letter the OCR
        itself offered, then one edit it did not, or two listed confusions (the search without its
        deep stage; 'наиболывим', ь offered for ы: 'наибольвим', then 'наибольшим'). Asked only when
        the word's own search found nothing convincing."""
        found = dict(found)
        seeds = [fold(r) for r in readings if len(r) == len(key)
                 and _changed_letters(fold(r), key) == 1][:READING_SEEDS]
        for seed in seeds:
            for variant, cost in self._candidates(seed, max_cost - ALTERNATIVE_COST, deep=False).items():
                if variant != key and cost + ALTERNATIVE_COST < found.get(variant, 9.0):
                    found[variant] = cost + ALTERNATIVE_COST
        return found

    def _compound_part(self, token: Token, index: int, key: str, alternatives: tuple[str, ...]) -> Candidate | None:
        """A hyphenated word in lower case that no dictionary knows whole, every part of which but
        one is a dictionary word: that part searched alone, as a part of a name is (the cheap
        confusions, or one substitution that keeps its length into a common word), with the
        readings Tesseract's alternatives give it ('массово-политизескую' -> 'массово-политическую')."""
        parts = key.split("-")
        unknown = [i for i, part in enumerate(parts) if not self.vocab.known_cached(part)]
        if len(unknown) != 1 or len(parts[unknown[0]]) < COMPOUND_PART_MIN_LETTERS or not all(
                self.lexicon.flags(part) & MORPH for i, part in enumerate(parts) if i != unknown[0]):
            return None
        at = unknown[0]
        part = parts[at]
        offset = sum(len(p) + 1 for p in parts[:at])
        surface = token.text[offset:offset + len(part)]
        found = self._candidates(part, ONE_SUBSTITUTION)
        readings = tuple(r[offset:offset + len(part)] for r in alternatives
                         if len(r) == len(key) and fold(r[:offset]) == key[:offset]
                         and fold(r[offset + len(part):]) == key[offset + len(part):])
        if readings:
            found = self._with_readings(part, found, readings)
        # a word's part becomes no name; a name's part may (its capital: 'Бенцер-Шахе' -> 'Бендер-Шахе'), but
        # not by losing a letter, as a name searched whole ('Лядовка' is no misread 'Лядова')
        named = surface[:1].isupper()
        found = {k: c for k, c in found.items() if (c <= NAME_MAX_COST or self._one_substitution(part, k))
                 and not (self._is_name(k) and (not named or len(k) < len(part)))}
        return self._choose(Token(surface, token.start + offset, token.start + offset + len(part), token.index),
                            index, part, found, reason_prefix="part of a hyphenated word", kind="word")

    def _alternative_reading(self, token: Token, index: int, key: str) -> Candidate | None:
        """A known word whose letters Tesseract itself offered another reading of, spelling a
        known word clearly more common ('дань' with е offered for а: 'день'): the noisy channel
        the unknown words get, with the printed word's own frequency (plus WEAK_MARGIN) as the
        reading to beat. A capitalised name is not read as another word, nor a word as a curated name."""
        alternatives = self.readings.get(index)
        if not alternatives or (case_shape(token.text) == "title" and self._is_name(key)):
            return None
        found = {k: c for k, c in self._with_readings(key, {}, alternatives).items()
                 if not self.lexicon.flags(k) & (NAME | PLACE)}
        if not found:
            return None
        return self._choose(token, index, key, found, reason_prefix="real word", kind="word",
                            printed_zipf=self.vocab.zipf(key) + WEAK_MARGIN)

    def _mixed_case(self, token: Token, index: int, key: str) -> Candidate | None:
        """'СУмму', 'ИзъяЯвляет': case slips inside a word, written as the sentence needs
        (lower case inside a sentence, unless the word is a name); 'гОМИТЕТ', 'КОМдИВ'
        (capitals but for one letter): a word in capitals with a slip. A first capital whose small
        letter has another shape ('ЕГо': Е is no misread е) was typed so and stays: only the letters
        the OCR can read in the other case change ('Его' of a text that capitalises it)."""
        word = token.text
        inside = self.words.inside_sentence(index)
        if case_slips.upper_after_first(word) or case_slips.mostly_upper(word):
            template = key.upper()
        elif inside and not case_slips.typed_capital(word):
            template = key
        else:
            template = key[:1].upper() + key[1:]
        if key in self.lexicon and not self.lexicon.flags(key) & (NAME | PLACE | ABBREVIATION):
            zipf, flags = self.vocab.entry(key) or (0.0, 0)
            if web_only(flags) or context.is_proper_name(key):
                # 'ПТи' is no case slip of the web's 'пти', nor 'МГц' of 'мгц'; a word some dictionary reading
                # of which is an abbreviation or a name may be written with capitals on purpose ('кВт', 'МВт';
                # case_slips.upper_runs asks the same of a word in capitals); but a
                # capitalised word of the web's (most are names) with one inner capital of its small letter's
                # shape read larger keeps its first letter and loses that capital ('в КУльдже' -> 'Кульдже')
                if web_only(flags) and case_slips.inner_capital(word):
                    return Candidate(token.start, token.end, _inner_lowered(word), "mixed-case",
                                     "case slip inside a word")
                return None
            return Candidate(token.start, token.end, template, "mixed-case", "case slip inside a word")
        found = self._candidates(key, self.config.max_cost)
        edit = self._choose(Token(template, token.start, token.end, token.index), index, key, found,
                            reason_prefix="case slip and non-word", kind="mixed-case-word")
        if edit is not None and case_shape(edit.replacement) == "lower" and self.lexicon.flags(
                fold(edit.replacement)) & (NAME | PLACE):
            edit = replace(edit, replacement=edit.replacement[:1].upper() + edit.replacement[1:])
        if edit is None and case_slips.inner_capital(word):
            # no word it may be: a name no list holds keeps its first letter as read ('в МУгур-Аксы' -> 'Мугур-Аксы')
            return Candidate(token.start, token.end, _inner_lowered(word), "mixed-case", "case slip inside a word")
        return edit

    def _weakly_known(self, token: Token, key: str, shape: str) -> bool:
        """Known only to the frequency list, and rarely: web text is full of typos
        ('послани'), so such a word may still be an OCR error of a common word. So is a word in lower
        case the dictionary knows only as a name ('сорск' for 'сорок': a name is written with its capital),
        standing alone (not a piece after a mark, 'в.ады'), unless a curated list or the collection holds it."""
        if shape != "lower" or len(key) < 3 or key in self.vocab.collection:
            return False
        entry = self.vocab.entry(key)
        if entry is None:
            return True  # not in the lexicon: no flags, zipf 0
        zipf, flags = entry
        if web_only(flags) and zipf < WEAK_ZIPF:
            return True
        return after_blank(self.text, token.start) and not flags & DOMAIN and context.only_names(key)

    def links(self, key: str, start: int, end: int) -> int:
        """The agreement links (context.agreement) a reading ``key`` of ``text[start:end]`` makes
        with the words before and after that span."""
        first, after = self._tokens_in(start, end)
        prev = self.keys[first - 1] if first > 0 else None
        nxt = self.keys[after] if after < len(self.tokens) else None
        return context.agreement(key, prev, nxt, guess=True)

    def _candidates(self, key: str, max_cost: float, deep: bool = True) -> dict[str, float]:
        memo = self.lexicon.memo("candidates")
        memo_key = (key, max_cost, self.vocab.signature, hash(self.model.forbidden), self.model.signature, deep)
        found = memo.get(memo_key)
        if found is None:
            found = generate(key, self.vocab, self.model, max_cost=max_cost, deep=deep)
            if len(memo) > 200_000:
                memo.clear()
            memo[memo_key] = found
        return found

    def _choose(self, token: Token, index: int, key: str, found: dict[str, float], reason_prefix: str,
                kind: str, printed_zipf: float | None = None,
                links: Callable[[str], int] | None = None) -> Candidate | None:
        """The best of the readings ``found`` (folded key -> error-model cost) by the noisy-
        channel score, close calls settled by agreement with the neighbours (or every reading
        ranked with its ``links``, when given), when it beats the printed word: an unknown one
        (its Zipf counts as :func:`~scoring.unknown_zipf`), or a weakly known one counted at
        ``printed_zipf``."""
        if not found:
            return None
        zipf = self.vocab.zipf
        if links is not None and self.config.use_context:
            ranked = sorted((score(c, zipf(k)) - context.CONTEXT_WEIGHT * n, k, c, n)
                            for k, c in found.items() for n in (links(k),))
        else:
            ranked = sorted((score(c, zipf(k)), k, c, 0) for k, c in found.items())
        ranked = ranked[:6]
        own_links = None  # the printed word's own agreement, when the readings' was counted
        if links is None and len(ranked) > 1 and ranked[1][0] - ranked[0][0] < context.CONTEXT_WEIGHT and self.config.use_context:
            prev, nxt = self._neighbours(index)
            # (a reading that is a preposition links with the word after it when it governs that word's case and
            # stands apart from it: 'ерез Индию' -> через)
            apart = nxt is not None and self.text[token.end:self.tokens[index + 1].start].isspace()
            ranked = sorted((s - context.CONTEXT_WEIGHT * n, k, c, n)
                            for s, k, c, _ in ranked
                            for n in (context.agreement(k, prev, nxt, guess=True)
                                      or int(apart and context.governs(k, nxt)),))
            if printed_zipf is not None and ranked[0][3]:
                own_links = context.agreement(key, prev, nxt)
        elif links is not None and printed_zipf is not None and self.config.use_context and ranked[0][3]:
            own_links = links(key)
        if own_links:
            # a known printed word agrees with its neighbours too: the reading is weighed by what it adds
            # ('КАЗАХСКОЙ ССР' is no 'СЕР' for agreeing with 'казахской')
            ranked = [(ranked[0][0] + context.CONTEXT_WEIGHT * min(own_links, ranked[0][3]), ranked[0][1], ranked[0][2],
                       ranked[0][3] - min(own_links, ranked[0][3])), *ranked[1:]]
        best_score, best, cost, agree = ranked[0]
        if best_score > _acceptable_score(key) or (printed_zipf is not None and best_score > -printed_zipf):
            return None
        if kind != "mixed-case-word" and _edge_letters_invented(key, best):
            # the likeliest reading takes whole letters at the edge for invented: the word stands (a word read
            # in mixed case may be a speck read as a letter glued to it: 'дАлма-Атинской')
            return None
        printed = unknown_zipf(len(key)) if printed_zipf is None else printed_zipf
        evidence = Evidence(channel=cost, language=self.vocab.zipf(best) - printed, context=agree,
                            rival=scoring.share(best_score, (s for s, *_ in ranked)),
                            edge=scoring.edge_letters(key, best))
        replacement = self._kept_yo(token.text, self._spell(token.text, best))
        if _lost_initial(key, best) and replacement[:1].islower() and (
                after_blank(self.text, token.start) and self.words.sentence_start(token) and not self._after_number(token)
                or (self.lexicon.canonical(best) or "")[:1].isupper()):  # (not after a mark glued to it: 'о..ытных')
            # (nor after a number: 'закупил 5,8 ысячи тонн' is 'тысячи')
            replacement = replacement[:1].upper() + replacement[1:]  # the lost letter's case: the sentence's or the name's
        return Candidate(token.start, token.end, replacement, kind,
                         f"{reason_prefix}: OCR confusion (edit cost {cost:.2f})", evidence,
                         tuple((self._spell(token.text, k), round(s, 3)) for s, k, *_ in ranked))

    def _kept_yo(self, printed: str, replacement: str) -> str:
        """The replacement written with ё, in a text where ё stays (the yo repair would not take it
        out: the collection writes ё, or the configuration keeps it): where the printed word had ё at
        a letter the replacement keeps ('посзящённая' -> 'посвящённая': the lexicon's keys write е),
        else as the dictionary writes the word, when all its readings agree ('четвертои' ->
        'четвёртой', not 'все')."""
        if has_yo(replacement) or not self.keeps_yo():
            return replacement
        if len(printed) == len(replacement) and has_yo(printed):
            return _yo_as_in(printed, replacement)
        spelling = context.yo_spelling(fold(replacement))
        if spelling is None or len(spelling) != len(replacement):
            return replacement
        return _yo_as_in(spelling, replacement)

    def _spell(self, template: str, key: str) -> str:
        canonical = self.lexicon.canonical(key)
        if canonical and (self.lexicon.is_abbreviation(key) or "-" in key and case_shape(template) != "upper"
                          and self.lexicon.flags(key) & (NAME | PLACE)):
            return canonical  # НКИД; Марал-Баши (each part of a hyphenated name keeps its curated case)
        surface = self.vocab.collection.surfaces.get(key)
        if surface and case_shape(template) != "upper":
            return apply_case(template, surface) if case_shape(surface) == "lower" else surface
        return apply_case(template, key)

    def _glued_run(self, token: Token) -> str:
        """The characters around the token up to the blanks on either side ('main.py' for 'py')."""
        start, end = glued_span(self.text, token.start, token.end)
        return self.text[start:end]

    def _latin(self, token: Token, readings: list[str]) -> Candidate | None:
        options = self._latin_options(token.text)
        if options:
            # a curated abbreviation read straight from the look-alikes first (UK -> ЦК), then the
            # noisy-channel score: the cost of second-choice look-alikes and OCR confusions against frequency
            best = min(options, key=lambda k: (not (options[k][2] and self.lexicon.is_abbreviation(k)),
                                                score(options[k][0], self.vocab.zipf(k)), k))
            if not self._latin_may_read(best):
                return None
            cost, surface, literal = options[best]
            ranked = sorted(options, key=lambda k: score(options[k][0], self.vocab.zipf(k)))[:5]
            replacement = self._spell(token.text, best) if self.lexicon.is_abbreviation(best) else surface
            reason = "Latin look-alike letters in a Russian word"
            if not literal:
                reason += f", then an OCR confusion (edit cost {cost:.2f})"
            scores = [score(options[k][0], self.vocab.zipf(k)) for k in ranked]
            evidence = Evidence(channel=cost, language=self.vocab.zipf(best) - unknown_zipf(len(token.text)),
                                rival=scoring.share(score(cost, self.vocab.zipf(best)), scores))
            return Candidate(token.start, token.end, replacement, "latin", reason, evidence,
                             tuple((options[k][1], round(s, 3)) for k, s in zip(ranked, scores)))
        if len(token.text) == 1 and self.text[token.end:token.end + 1] == "." and self._line_is_cyrillic(token):
            return Candidate(token.start, token.end, readings[0], "latin-initial", "Latin look-alike initial in a Russian line")
        best = None
        for reading in readings[:8]:
            found = self._candidates(fold(reading), 1.0)
            for k, c in found.items():
                s = score(c, self.vocab.zipf(k))
                if best is None or s < best[0]:
                    best = (s, k, c)
        if best is None or best[0] > _acceptable_score(token.text) or not self._latin_may_read(best[1]):
            return None
        evidence = Evidence(channel=best[2], language=self.vocab.zipf(best[1]) - unknown_zipf(len(token.text)))
        return Candidate(token.start, token.end, apply_case(token.text, best[1]), "latin",
                         "Latin look-alike letters in a Russian word, then an OCR confusion", evidence)

    def _latin_may_read(self, key: str) -> bool:
        """A Latin look-alike word may be read as the Cyrillic ``key``: a dictionary or a curated list has it,
        and it is no letter alone that is no word. Else the Latin is the text's own word or symbol ('в XX веке',
        'NOx', 'ppm', 'p < 0,05'; 'CCCP', 'UK', 'CEKPETAPH', 'c' for 'с' are read)."""
        return not (self.vocab.weak(key) or lone_letter(key))

    def _latin_options(self, word: str) -> dict[str, tuple[float, str, bool]]:
        """Known words a Latin look-alike word may be: folded key -> (cost, spelling, read
        straight from the look-alikes). The readings cost LATIN_ALTERNATIVE_COST per
        second-choice letter; when the literal reading is no word, its cheap OCR confusions
        join at the error model's cost (CEKPETAPH: H is Н, and a typed Ь is read as Н)."""
        readings = structural.latin_readings(word) or []
        options: dict[str, tuple[float, str, bool]] = {}
        for reading, alternatives in readings:
            key = fold(reading)
            cost = LATIN_ALTERNATIVE_COST * alternatives
            if self.vocab.known(key) and cost < options.get(key, (9.0,))[0]:
                options[key] = (cost, reading, True)
        if readings and fold(readings[0][0]) not in options:
            literal = readings[0][0]
            for variant, cost in substitutions(fold(literal), self.model, CHEAP_COST, self.vocab.known_sets).items():
                if cost < options.get(variant, (9.0,))[0]:
                    options[variant] = (cost, apply_case(literal, variant), False)
        return options

    def _line_is_cyrillic(self, token: Token) -> bool:
        line_start = self.text.rfind("\n", 0, token.start) + 1
        line_end = self.text.find("\n", token.end)
        line = self.text[line_start:line_end if line_end != -1 else len(self.text)]
        return sum(1 for c in line if "\u0400" <= c <= "\u04ff") + sum(
            1 for c in line if c.isascii() and c.isalpha()) > 0 and any(
            structural.latin_lookalikes(w) for w in line.split() if len(w) > 1)



def _inner_lowered(word: str) -> str:
    """The word with its capitals lowered but each hyphenated part's first letter ('МУгур-Аксы' -> 'Мугур-Аксы')."""
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


def _lost_initial(printed: str, reading: str) -> bool:
    """The reading restores letters before the printed word's first one ('румчи' -> 'урумчи'):
    the printed word's case says nothing of theirs."""
    return len(reading) > len(printed) and reading[0] != printed[0] and reading.endswith(printed[1:])


def _edge_letters_invented(printed: str, reading: str) -> bool:
    """The reading is the printed word with letters dropped at its first or last letter only
    ('культбазах' -> 'культбаза', 'Делее' -> 'Деле', 'ютому' -> 'тому'): it takes those letters for
    ones the OCR invented. Damage read at a word's edge is a mark (the speck repairs read it), not a
    whole letter; on the development pages and their fresh damage every such reading the search
    made was wrong (5 of 5; new text: 2 of 2). A letter that repeats its neighbour is the OCR
    doubling a letter, and may go ('ппоставки'). (Where this is the likeliest reading, the printed
    word stands: the next likeliest, which the search ranked below it, is no surer.)"""
    if len(reading) >= len(printed) or not reading:
        return False
    if printed.startswith(reading):
        return printed[len(reading)] != reading[-1] or len(set(printed[len(reading):])) > 1
    if printed.endswith(reading):
        cut = len(printed) - len(reading)
        return printed[cut - 1] != reading[0] or len(set(printed[:cut])) > 1
    return False


def _changed_letters(a: str, b: str) -> int:
    """At how many places ``a`` and ``b`` hold different letters (compared as far as the shorter goes)."""
    return sum(1 for x, y in zip(a, b) if x != y)


def _yo_as_in(spelling: str, word: str) -> str:
    """``word`` written with ё (Ё in a capital) where ``spelling``, as long, writes ё and ``word`` е."""
    return "".join(("Ё" if w == "Е" else "ё") if s in "ёЁ" and w in "еЕ" else w for s, w in zip(spelling, word))


def apply_edits(text: str, edits: Iterable[Candidate], calibration: Calibration | None = None
                ) -> tuple[str, tuple[Correction, ...]]:
    """The text with the chosen candidates made, and a :class:`Correction` for each: its
    error-model cost as ``score``, its kind, generator and evidence, and its confidence (the
    probability of its score by ``calibration``, the shipped one when None; a reviewer's
    decision made again counts as sure)."""
    out: list[str] = []
    corrections: list[Correction] = []
    pos = 0
    line = 0  # counted as the edits go, not from the start each time (a text can have many edits)
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < pos:
            continue
        line += text.count("\n", pos, edit.start)
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        original = text[edit.start:edit.end]
        terms = edit.evidence
        sure = 1.0 if edit.kind == MEMORY else probability(edit.score, calibration)
        corrections.append(Correction(
            original=original, replacement=edit.replacement, start=edit.start, end=edit.end,
            line=line, score=round(terms.channel, 4), reason=edit.reason, candidates=edit.alternatives,
            confidence=sure,
            repair=edit.kind, generator=edit.generator, log_odds=edit.score,
            terms=(("channel", terms.channel), ("language", round(terms.language, 4)),
                   ("context", terms.context), ("rival", terms.rival), ("ocr", terms.ocr), ("edge", terms.edge))))
        line += text.count("\n", edit.start, edit.end)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out), tuple(corrections)


def reviewed_fixes(text: str, fixes: Mapping[str, str]) -> list[Candidate]:
    """Changes for the words a reviewer corrected before: the same reading gets the same fix.

    A word matches a fix exactly, or folded (case, ё) with the fix written in the word's case.
    """
    if not fixes:
        return []
    folded = {fold(seen): intended for seen, intended in fixes.items()}
    edits = []
    for token in word_tokens(text):
        intended = fixes.get(token.text)
        if intended is None and fold(token.text) in folded:
            intended = apply_case(token.text, folded[fold(token.text)])
        if intended is not None and intended != token.text:
            edits.append(Candidate(token.start, token.end, intended, MEMORY, "collection memory: a reviewer made this fix",
                                   alternatives=((intended, 0.0),), generator=MEMORY))
    return edits


def correct_text(text: str, lexicon: Lexicon, config: CorrectConfig, *, collection: CollectionLexicon | None = None,
                 error_model: ErrorModel | None = None, forbidden: Iterable[tuple[str, str]] = (),
                 confidences: dict[int, float] | None = None, pre_edits: Iterable[Candidate] = (),
                 fixes: Mapping[str, str] | None = None,
                 readings: Mapping[int, tuple[str, ...]] | None = None, off: Iterable[str] = (),
                 floor: float | None = None, tokens: list[Token] | None = None,
                 marks: Mapping[int, str] | None = None, cells: Cells | None = None,
                 priors: Priors | None = None, calibration: Calibration | None = None) -> CorrectionResult:
    """Correct OCR text. ``collection`` is the batch lexicon (built from this text alone
    when not given); ``error_model`` overrides the confusion table next to the lexicon;
    ``forbidden`` lists (original, replacement) word pairs never to make;
    ``confidences`` maps word-token index to OCR confidence (protected at or above
    ``config.protect_confidence``); ``pre_edits`` are edits decided elsewhere (OCR alternatives);
    ``fixes`` maps OCR readings to the words reviewers corrected them to (the collection
    memory), made wherever the same reading comes up, before anything else; ``readings``
    maps word-token index to the spellings the OCR's character alternatives allow;
    ``off`` names candidate generators of the registry not to run (an ablation); ``floor``
    replaces the score below which a candidate is not made (scoring.resolve; the
    calibration, ``-math.inf``, learns from every change the search would make); ``tokens``
    are the text's word tokens (tokens.word_tokens) when the caller has them already; ``marks`` maps
    the offset of a mark (not a letter or digit) to the other characters Tesseract offered for it; ``cells``
    says how many typewriter cells the words' boxes span (pitch.Cells; None: no boxes); ``priors`` score
    the candidates (which of overlapping ones is made, and whether one clears the floor) and ``calibration``
    turns a score into a confidence (None: the shipped ones, scoring.shipped_priors and
    confidence.shipped_calibration; scripts/calibrate_confidence.py runs the corrector with the priors it fits)."""
    import unicodedata

    normal = unicodedata.normalize("NFC", text)
    if normal != text:
        text, tokens, marks, cells = normal, None, None, None  # tokens and offsets of the text as given
    if not config.enabled or not text.strip():
        return CorrectionResult(text, ())
    bounds.check_text_size(text)
    model = error_model or default_error_model(lexicon)
    forbidden = tuple(forbidden)
    if forbidden:
        model = model.with_forbidden(forbidden)
    if collection is None:
        collection = build_collection_lexicon([text], lexicon, error_model=model)
    if len(text) > bounds.CHUNK_CHARS:  # a long text: one piece at a time (see bounds.py)
        corrected, corrections = bounds.correct_in_chunks(
            lambda piece, **each: correct_text(piece, lexicon, config, collection=collection, error_model=model,
                                               fixes=fixes, off=off, floor=floor, priors=priors,
                                               calibration=calibration, **each),
            text, confidences=confidences, readings=readings, pre_edits=pre_edits, marks=marks, cells=cells)
        return CorrectionResult(corrected, tuple(corrections))
    pre_edits = [*reviewed_fixes(text, fixes or {}), *pre_edits]
    generators = registry.running(off)
    edits = _Corrector(text, lexicon, config, collection, model, tokens, priors).run(
        confidences, pre_edits, readings, generators, floor, marks, cells)
    corrected, corrections = apply_edits(text, edits, calibration)
    return CorrectionResult(corrected, corrections)
