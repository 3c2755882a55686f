"""The case channel: how likely a word printed in one case shape was typed in another, given
where it stands and what Tesseract said of its letters, learned on the development part
(``scripts/learn_case_model.py``, ``ocrfix/data/lexicons/case_model.tsv``).

A word's case is read from its place (:func:`case_context`: a sentence's start after a full
word's stop, after an abbreviation's stop, a line's start, inside a sentence, a line whose other
words are in capitals), its class (:func:`word_class`: a name, a word no name is made of, a word
before a capitalised one, another word, a word no dictionary knows; abbreviations keep the case
they are printed in), the printed shape (lower, title, upper) and what the letters the change
flips say (:func:`channel`: Tesseract offered the other case of each as its own alternative; or
each is a letter whose capital and small forms differ only in size, С/с, О/о, В/в ...; or not).
For each other shape the table counts, over the development pages' words so printed there (words
Tesseract was sure of left out, as the corrector leaves them alone), how many were typed in it.
A candidate's language term is the log10 odds of those counts (with a prior that the printed
shape is right: :data:`TYPED_PRIOR`, :data:`PRINTED_PRIOR`): a change is
proposed where the development pages typed the other shape more often than the printed one,
which the floor of the one scale then judges like any other (scoring.py)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from ocrfix.correct import context
from ocrfix.correct.case_slips import CASE_LOOKALIKE_CAPITALS
from ocrfix.correct.scoring import Candidate, Evidence
from ocrfix.correct.sentences import NUMBER_ABBREVIATIONS, RUNNING_LINE, Words, runs_on
from ocrfix.correct.tokens import case_shape
from ocrfix.errors import BadInputError
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.sources import ABBREVIATION, MORPH, NAME, PLACE

MODEL_FILE = "case_model.tsv"
SHAPES = ("lower", "title", "upper")
# the counts' prior: half a word typed in the other shape, one and a half as printed (Tesseract reads a
# word's case right far more often than not), so a change seen once is not enough to propose it
TYPED_PRIOR, PRINTED_PRIOR = 0.5, 1.5
STOPS = ".!?"

Key = tuple[str, str, str, str, str]  # context, class, printed shape, typed shape, what the flipped letters say


CONTEXTS = ("caps", "after-stop", "after-abbreviation", "line-start", "inside", "inside-capitalising")
CLASSES = ("name", "plain", "word-before-capital", "word", "unknown")
LETTERS = ("offered", "lookalike", "other")
MIN_SEEN = 5  # words a key must have been seen for its own counts; fewer: the counts of its role (backoff)


def expected(context: str, cls: str) -> str | None:
    """The shape a word of this class is typed in at this place as a rule (None: no rule): capitals in
    a line of capitals, a capital at a sentence's start and on a name, lower case inside a sentence."""
    if context == "caps":
        return "upper"
    if context == "after-stop" or (cls == "name" and context in ("inside", "inside-capitalising")):
        return "title"
    if context in ("inside", "inside-capitalising"):
        return "lower"
    return None  # after an abbreviation ('т. Иванов', 'г. и'), a line's start (a heading, a list)


def role(key: Key) -> tuple[str, str]:
    """A key's role for the backoff: whether the shape it proposes is the rule's there, and its letters."""
    return ("rule" if key[3] == expected(key[0], key[1]) else "against", key[4])


@dataclass(frozen=True)
class CaseModel:
    """(context, class, printed, typed, letters) -> (words typed so, words printed so there)."""

    counts: dict[Key, tuple[int, int]]

    @cached_property
    def pooled(self) -> dict[tuple[str, str], tuple[int, int]]:
        """The counts summed by :func:`role`: what a key seen too rarely is judged by."""
        sums: dict[tuple[str, str], tuple[int, int]] = {}
        for key, (right, total) in self.counts.items():
            r, t = sums.get(role(key), (0, 0))
            sums[role(key)] = (r + right, t + total)
        return sums

    @cached_property
    def promising(self) -> frozenset[tuple[str, str, str]]:
        """The (context, printed shape, letters) for which some key's odds are above even."""
        return frozenset((c, printed, letters) for c in CONTEXTS for cls in CLASSES for printed in SHAPES
                         for typed in SHAPES for letters in LETTERS
                         if typed != printed and (self.log_odds((c, cls, printed, typed, letters)) or 0.0) > 0)

    @cached_property
    def offer_needed(self) -> bool:
        """No change is proposed without Tesseract's offer of the other case (only words with character
        alternatives need looking at)."""
        return all(letters == "offered" for _, _, letters in self.promising)

    @cached_property
    def printed_promising(self) -> frozenset[tuple[str, bool]]:
        """(printed shape, whether Tesseract offered alternatives) for which some change is promising."""
        return frozenset((printed, offer) for _, printed, letters in self.promising for offer in (True, False)
                         if offer or letters != "offered")

    def log_odds(self, key: Key) -> float | None:
        """log10 odds that a word so printed there was typed in the other shape, from the key's own
        counts when it was seen MIN_SEEN times, else from its role's (None: neither was seen)."""
        found = self.counts.get(key)
        if found is None or found[1] < MIN_SEEN:
            found = self.pooled.get(role(key))
        if found is None:
            return None
        right, total = found
        return math.log10((right + TYPED_PRIOR) / (total - right + PRINTED_PRIOR))


def case_context(words: Words, index: int, lexicon: Lexicon) -> str | None:
    """Where the word stands, as its case is judged: 'caps' (between two words in capitals on its
    line), 'after-stop' (after . ! ? closing a dictionary word of three letters or
    more that is no abbreviation), 'after-abbreviation' (after any other stop: 'т.', 'г.', 'с.г.'; a stop ending the line before
    counts too),
    'line-start' (a line's first word, the line before not running on), 'inside' (after a
    lower-case word or a comma of its sentence), or None."""
    tokens, plain = words.tokens, words.plain
    token = tokens[index]
    prev = tokens[index - 1] if index else None
    if in_capitals(words, index):
        return "caps"
    i = token.start - 1
    while i >= 0 and plain[i] in " \t":
        i -= 1
    newline = i if i >= 0 and plain[i] == "\n" else -1
    while i >= 0 and plain[i].isspace():
        i -= 1
    if i < 0:
        return None  # a text's first word: often a fragment ('решение ЦК от ...'), its case unknown
    mark = plain[i]
    if mark in STOPS and newline >= 0 and i + 1 - (plain.rfind("\n", 0, i) + 1) >= RUNNING_LINE:
        return None  # a full line's last period may be a speck, the sentence running on ('там.' / 'власти')
    if mark in STOPS:
        before = words.keys[index - 1] if prev is not None else ""
        full = (prev is not None and prev.end == i and len(before) >= 3 and prev.text.isalpha()
                and lexicon.flags(before) & MORPH and not lexicon.is_abbreviation(before)
                and before not in NUMBER_ABBREVIATIONS and not context.is_abbreviation(before))
        return "after-stop" if full else "after-abbreviation"
    if newline >= 0:
        if not runs_on(plain, newline):
            return "line-start"
        return "inside" if prev is not None and case_shape(prev.text) == "lower" else None
    if mark == "," or (prev is not None and prev.end == i + 1 and case_shape(prev.text) == "lower"):
        return "inside"
    return None


def in_capitals(words: Words, index: int) -> bool:
    """The other words of the word's line (of two letters or more) are in capitals, and there are two
    at least ('ИНСТРУКТОР ОРПО ЦК ВКП(б) (попок)')."""
    tokens, plain = words.tokens, words.plain
    seen = 0
    for step in (-1, 1):
        j, here = index + step, tokens[index]
        while 0 <= j < len(tokens):
            other = tokens[j]
            if "\n" in (plain[other.end:here.start] if step < 0 else plain[here.end:other.start]):
                break
            if len(other.text) > 1:
                if case_shape(other.text) != "upper":
                    return False
                seen += 1
            here, j = other, j + step
    return seen >= 2


def word_class(words: Words, index: int, lexicon: Lexicon) -> str | None:
    """'name' (a person or a place and no common word, or curated with a capital), 'plain' (a word no name is made
    of: a pronoun, verb, preposition ...), 'word-before-capital' (any other word followed by a
    capitalised one: 'Советский Союз'), 'word', 'unknown' (no dictionary knows it), or None for an
    abbreviation."""
    key = words.keys[index]
    if key not in lexicon:
        return "unknown"
    flags = lexicon.flags(key)
    if flags & ABBREVIATION:
        return None
    canonical = lexicon.canonical(key)
    if (canonical and canonical[:1].isupper()) or flags & (NAME | PLACE):
        # a curated name or place, or the dictionary's, unless the dictionary knows a common word so
        # spelled too ('или' is no river Или here)
        if all(context.is_proper_tag(tag) for tag in context.tags(key)):
            return "name"
    if context.is_common_function_word(key):
        return "plain"
    tokens = words.tokens
    if index + 1 < len(tokens) and case_shape(tokens[index + 1].text) in ("title", "upper"):
        return "word-before-capital"
    return "word"


def in_shape(word: str, shape: str) -> str:
    if shape == "upper":
        return word.upper()
    if shape == "title":
        return word[:1].upper() + word[1:].lower()
    return word.lower()


def size_ambiguous(printed: str, typed: str) -> bool:
    """Every letter whose case differs between the two spellings is one whose capital and small
    forms differ only in size."""
    return all(a.upper() in CASE_LOOKALIKE_CAPITALS for a, b in zip(printed, typed) if a != b)


def offered(printed: str, typed: str, alternatives: tuple[str, ...]) -> bool:
    """Tesseract offered the typed letter (its own character alternatives, as the page's readings
    of the word spell them) at every position where the two spellings differ."""
    if not alternatives:
        return False
    return all(any(len(r) == len(printed) and r[p] == b for r in alternatives)
               for p, (a, b) in enumerate(zip(printed, typed)) if a != b)


def channel(printed: str, typed: str, alternatives: tuple[str, ...]) -> str:
    """What the letters say of the change: 'offered' (Tesseract offered the other case of each
    letter flipped), 'lookalike' (each is a letter whose capital and small forms differ only in
    size) or 'other'."""
    if offered(printed, typed, alternatives):
        return "offered"
    return "lookalike" if size_ambiguous(printed, typed) else "other"


def readings(word: str, context: str, cls: str, alternatives: tuple[str, ...] = ()) -> Iterator[tuple[Key, str]]:
    """The model's key and the spelling for each other shape the word may have been typed in."""
    printed = case_shape(word)
    if printed not in SHAPES:
        return
    for shape in SHAPES:
        if shape == printed:
            continue
        spelled = in_shape(word, shape)
        if spelled == word:
            continue  # (one letter: title and upper are one spelling)
        yield (context, cls, printed, shape, channel(word, spelled, alternatives)), spelled


def place(words: Words, index: int, lexicon: Lexicon, capitalising: bool) -> str | None:
    """:func:`case_context`, with 'inside' told apart in a text that capitalises function words
    inside its sentences on purpose ('inside-capitalising': 'Его', 'Ему' of a sermon)."""
    found = case_context(words, index, lexicon)
    return "inside-capitalising" if found == "inside" and capitalising else found


def case_candidate(words: Words, index: int, lexicon: Lexicon, model: CaseModel,
                   capitalising: Callable[[], bool], alternatives: tuple[str, ...] = ()) -> Candidate | None:
    """The likeliest other case of a known word at ``words.tokens[index]``, when the development
    pages typed a word so printed there in that case more often than not. ``capitalising`` says
    (asked only when it matters) whether the text capitalises function words on purpose;
    ``alternatives`` are the readings Tesseract's character alternatives spell for the word."""
    token = words.tokens[index]
    printed = case_shape(token.text)
    if printed not in SHAPES or len(token.text) < 2 or not token.text.replace("-", "").isalpha():
        # (a word of one letter is capital_preposition's: 'У квартала' may be a Roman V)
        return None
    promising = model.promising
    if (printed, bool(alternatives)) not in model.printed_promising:
        return None  # (most words: nothing so printed is ever changed but with Tesseract's offer)
    where = case_context(words, index, lexicon)
    if where is None:
        return None
    # the other shapes with the letters they flip, kept where some class's odds are above even (the
    # class, which asks the dictionary, only then)
    targets = []
    for shape in SHAPES:
        spelled = in_shape(token.text, shape)
        if shape != printed and spelled != token.text:
            letters = channel(token.text, spelled, alternatives)
            if (where, printed, letters) in promising or (
                    where == "inside" and ("inside-capitalising", printed, letters) in promising):
                targets.append((shape, spelled, letters))
    if not targets:
        return None
    if where == "inside" and capitalising():
        where = "inside-capitalising"
    cls = word_class(words, index, lexicon)
    if cls is None:
        return None
    best = None
    for shape, spelled, letters in targets:
        odds = model.log_odds((where, cls, printed, shape, letters))
        if odds is not None and odds > 0 and (best is None or odds > best[0]):
            best = (odds, spelled)
    if best is None:
        return None
    return Candidate(token.start, token.end, best[1], "case",
                     f"case read wrong ({where}, {cls}: typed so {10 ** best[0]:.1f} times to 1 on the development pages)",
                     Evidence(language=round(best[0], 4)))


def read_case_model(path: Path) -> CaseModel:
    counts: dict[Key, tuple[int, int]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read the case model {path}: {exc}") from exc
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    for number, line in enumerate(rows[1:], 2):
        cells = line.split("\t")
        try:
            context, cls, printed, typed, letters, right, total = cells[:7]
            counts[(context, cls, printed, typed, letters)] = (int(right), int(total))
        except ValueError as exc:
            raise BadInputError(f"{path}: row {number}: expected context, class, printed, typed, "
                                "letters, typed so, printed so") from exc
    return CaseModel(counts)


@lru_cache(maxsize=1)
def shipped_case_model() -> CaseModel:
    path = Path(str(resources.files("ocrfix") / "data" / "lexicons" / MODEL_FILE))
    return read_case_model(path) if path.is_file() else CaseModel({})
