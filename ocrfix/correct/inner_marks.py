"""A mark inside a word read for a letter the OCR lost ('истор“и' -> 'истории', 'Правл-ние'
-> 'Правление', 'необх.димо' -> 'необходимо', 'ОРГАН.В' -> 'ОРГАНОВ', 'л>гко' -> 'легко', 'д>^ле' -> 'деле'), or a speck
inside a word, removed; a digit alone between letters read for a letter ('Лит5инову' -> 'Литвинову');
where no letter at the mark makes a known word, the mark's letter and one listed confusion besides it
('по!раниччые' -> 'пограничные', 'у.равпением' -> 'управлением').

The mark (one, or a run of two: a damaged letter is often read as two) sits between two runs of
letters with no space, three letters at least; the candidate is the known word
the mark's place can hold (any letter, or none), scored like any word: the error model's
cost of reading the mark for that letter, the word's frequency against the printed pieces',
its rivals. Not a mark between two words a text writes tight on purpose: a period before a
capital or between words it knows ('тов.Литвинова', 'г.Москва'), a hyphen between two known
words ('северо-запад') or before a capital ('Уш-Тобе'), a form the lexicon knows with its mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from ocrfix.correct import tables
from ocrfix.correct.candidates import ALPHABET, edits, score, window
from ocrfix.correct.context import CONTEXT_WEIGHT
from ocrfix.correct.error_model import CHEAP_COST, ErrorModel
from ocrfix.correct.scoring import Candidate, Evidence, share, unknown_zipf
from ocrfix.correct.structural import DASHES, LETTER_MARKS, SPECK_CHARS
from ocrfix.correct.tokens import CYRILLIC, apply_case, line_blank_before
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon.normalize import fold

# The marks a damaged letter inside a word is read as: the specks, the hyphens, the marks read for a word's
# lost last letter (structural.LETTER_MARKS) and more no typist set inside a word; not a slash or a bracket
# (markup inside a word: 'ВКП/б/'). A plus and an equals sign too: Tesseract reads a damaged letter as one
# (on the development pages and their fresh damage 3-8: 'об=спечит', 'скол+ко', 'пуст+нные'; typed-new's
# 'СЕКР =ТАРЬ', 'ВСЕСОЮЗ+ АЯ'), and no typist sets one inside a word.
MARKS = "".join(dict.fromkeys(c for c in SPECK_CHARS + DASHES + LETTER_MARKS + tables.marks("inner")
                              if c not in tables.marks("not_inner")))
MIN_LETTERS = 3  # letters of the two pieces together, at least
# One or two marks with a run of letters before them (the whole run: no letter or digit before
# that) and a run of letters after them (the whole run). The pattern starts at the marks, which a
# scan finds fast, and reads the letters before them in a look-behind (group 1), so a match
# spans the marks and the letters after them only: see _inner_marks for the whole.
# A digit alone between letters ('Лит5инову', 'хлебоз2готовок', 'СТОМ7НЯКОВУ') is read the same way, as a
# letter only (a digit is no speck, and a run of digits is a number: 'ГАЗ51А').
_INNER = regex.compile(r"(?<=(?<![\p{L}\d])(\p{L}+))([" + regex.escape(MARKS) + r"]{1,2}|\d)(\p{L}++)(?![\p{L}\d])")


def _inner_marks(text: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, end, letters before, marks, letters after) of each mark inside a word, the span
    from the first letter before it to the last after it: as a pattern matching the whole span
    would find them, left to right, none starting inside the one before (whose letters after
    its mark may be the next one's letters before)."""
    done = 0
    for m in _INNER.finditer(text):
        left = m.group(1)
        start = m.start(2) - len(left)
        if start >= done:
            done = m.end()
            yield start, done, left, m.group(2), m.group(3)


def lone_digits(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, letters before, letters after) of each digit alone between two letters or more on
    each side ('Лит5инову', 'хлебоз2готовок'), as :func:`_inner_marks` finds the marks: the words the
    corrector takes for no identifier when a letter there makes them known (engine's protect_tokens)."""
    return [(start, end, left, right) for start, end, left, mark, right in _inner_marks(text)
            if mark.isdigit() and len(left) >= 2 and len(right) >= 2]


# A digit glued to a word's first letter, alone ('0бследованием', '3аявление'): no number, no other letter or digit
# before it, two letters or more after it (a digit and one letter are a numbered item's label: '3а', '7б')
_EDGE_DIGIT = regex.compile(r"(?<![\p{L}\d])(\d)(\p{L}{2,}+)(?![\p{L}\d])")


def edge_digit(text: str, start: int, vocab: Vocabulary, model: ErrorModel) -> tuple[int, int, str, float] | None:
    """(start, end, letter, cost) of the digit at ``start`` glued to a word's first letter when a letter it is a
    listed confusion for (error_model.CHEAP_COST or less: 0 for о, 3 for з, 6 for б) makes the whole a known
    word: the word misread there, no identifier (engine.protect_tokens). None else."""
    m = _EDGE_DIGIT.match(text, start)
    if m is None or not CYRILLIC.search(m.group(2)):
        return None
    rest = fold(m.group(2))
    found = [(model.cost(m.group(1), letter), letter) for letter in ALPHABET if vocab.known(letter + rest)]
    found = [(cost, letter) for cost, letter in found if cost <= CHEAP_COST]
    if not found:
        return None
    cost, letter = min(found)
    return m.start(), m.end(), letter, cost


def edge_digits(text: str, vocab: Vocabulary, model: ErrorModel) -> Iterator[Candidate]:
    """'0бследованием' -> 'Обследованием', '2. 0бязать' -> 'Обязать', '3аявление' -> 'Заявление': a digit glued to a
    word's first letter read for the letter it looks like (:func:`edge_digit`). A digit stands as tall as a capital:
    the letter is a capital but inside a sentence's run, after a lower-case word or a comma ('году 0бщество' ->
    'общество'); the rest keeps its letters, in capitals as read, else in lower case (a capital inside, 'бЯзать', read
    in a word the digit shows began as typed)."""
    for m in _EDGE_DIGIT.finditer(text):
        found = edge_digit(text, m.start(), vocab, model)
        if found is None:
            continue
        start, end, letter, cost = found
        rest = m.group(2)
        at = line_blank_before(text, start)
        before = text[at - 1:at]
        capital = rest.isupper() or not (before.islower() or before == ",")
        rest = rest if rest.isupper() else rest.lower()
        word = fold(letter + rest)
        printed = vocab.zipf(fold(rest)) if vocab.known(fold(rest)) else unknown_zipf(len(rest))
        yield Candidate(start, end, (letter.upper() if capital else letter) + rest, "edge-digit",
                        f"the digit '{m.group(1)}' glued to a word's start read for '{letter}' (edit cost {cost:.2f})",
                        Evidence(channel=cost, language=vocab.zipf(word) - printed))


SECOND_MAX_COST = 1.0 + CHEAP_COST  # the mark's letter and one listed confusion besides it, at most
SECOND_MIN_ZIPF = 2.0  # ... into a word at least this common (two edits make rare forms too easily)


def inner_marks(text: str, vocab: Vocabulary, model: ErrorModel,
                links: Callable[[str, int, int], int] | None = None) -> Iterator[Candidate]:
    """Candidates for the marks inside words of ``text``. A piece is a word unless ``vocab`` finds it
    weak (Vocabulary.weak: no dictionary and no curated list has it, only the web's frequency list
    at most, which knows fragments such as 'необх' and 'ние'). ``links(word, start, end)``,
    when given, counts the agreement links a reading of ``text[start:end]`` makes with its
    neighbours: a close call between the letters the mark may hide ('НАРОДН“Й': ОЙ or ЫЙ) goes to
    the reading that agrees with them, as the word search settles its close calls."""
    known, zipf, weak = vocab.known, vocab.zipf, vocab.weak
    for start, end, left, mark, right in _inner_marks(text):
        if len(left) + len(right) < MIN_LETTERS or known(fold(text[start:end])) or not CYRILLIC.search(left + right):
            continue  # (letters of a Latin word's or numeral's own: 'I–IV', 'A/B')
        a, b = fold(left), fold(right)
        both = not weak(a) and not weak(b)
        # a period between letters of one case (or after a capitalised word's first letters: 'Предоста.ленном')
        tight = (left.islower() or left.istitle() and len(left) > 1 or left.isupper()) and (
            right.isupper() if left.isupper() and len(left) > 1 else right.islower())
        if mark == "." and not (tight and not (both and len(b) > 1)):
            continue  # 'тов.Литвинова', 'Синь.Цзян', 'т.е', 'ЦК.ВКП': abbreviations and names written tight
        if mark in DASHES and (both or right[:1].isupper() and not (left.isupper() and right.isupper())):
            continue  # 'северо-запад', 'Алма-Ата', 'Уш-Тобе': a hyphen between words, a hyphenated name
        options: dict[str, tuple[float, str]] = {}
        for letter in ALPHABET if mark.isdigit() else ("", *ALPHABET):
            word = a + letter + b
            if known(word):
                cost = model.cost(fold(mark), letter)
                if cost < options.get(word, (9.0,))[0]:
                    options[word] = (cost, letter)
        if not options and not mark.isdigit():
            # the mark's letter and one listed confusion besides it ('по!раниччые': г, and ч read for н)
            options = {word: (cost, None) for word, cost in _second_edits(a, fold(mark), b, vocab, model).items()}
        if not options:
            continue
        ranked = sorted((score(cost, zipf(word)), word, cost, letter, 0) for word, (cost, letter) in options.items())
        if links is not None and len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CONTEXT_WEIGHT:
            ranked = sorted((s - CONTEXT_WEIGHT * n, word, cost, letter, n) for s, word, cost, letter, _ in ranked[:6]
                            for n in (links(word, start, end),))
        best_score, best, cost, letter, agree = ranked[0]
        printed = min(zipf(a), zipf(b)) if both else unknown_zipf(len(a) + len(b))
        upper = left.isupper() and (right.isupper() or len(right) == 1)
        if letter is None:  # a second edit besides the mark's: the word in the printed word's case
            replacement = apply_case(left + right, best)
        else:
            replacement = left + (letter.upper() if upper else letter) + right
        evidence = Evidence(channel=cost, language=zipf(best) - printed, context=agree,
                            rival=share(best_score, (s for s, *_ in ranked[:6])))
        what = f"the mark '{mark}' inside a word read for " + (
            "a letter, with one confusion besides it" if letter is None else f"'{letter}'" if letter else "a speck")
        yield Candidate(start, end, replacement, "inner-mark", f"{what} (edit cost {cost:.2f})", evidence,
                        tuple((apply_case(left + right, c[1]) if c[3] is None else left + c[3] + right, round(c[0], 3))
                              for c in ranked[:5]))


def _second_edits(a: str, mark: str, b: str, vocab: Vocabulary, model: ErrorModel) -> dict[str, float]:
    """Known words (Zipf SECOND_MIN_ZIPF or more) the mark between ``a`` and ``b`` read as a letter (or
    as nothing) and one listed confusion elsewhere make, within SECOND_MAX_COST: a reading is searched
    further only when the letters on one side of the mark, with it, still begin or end a known form
    (the confusion lies on the other side)."""
    firsts = {a + letter + b: cost for letter in ("", *ALPHABET)
              if (cost := model.cost(mark, letter)) + model.cheapest <= SECOND_MAX_COST
              and (vocab.has_prefix(a + letter) or vocab.has_suffix(letter + b))}
    return with_cheap_second(firsts, vocab, model, SECOND_MAX_COST, SECOND_MIN_ZIPF)


def with_cheap_second(firsts: dict[str, float], vocab: Vocabulary, model: ErrorModel, max_cost: float,
                      min_zipf: float) -> dict[str, float]:
    """The known words (Zipf ``min_zipf`` or more) one listed confusion from a first reading (``firsts``:
    reading -> the error-model cost of the edit that made it: 'по!раниччые' -> 'пограниччые',
    'произв“ цился' -> 'произвоцился'), within ``max_cost`` in all, each at its cheapest: the
    confusion anywhere in the reading's window (candidates.window). Inner marks' and gap joins' search."""
    found: dict[str, float] = {}
    for first, cost in firsts.items():
        if cost + model.cheapest > max_cost:
            continue
        p, s = window(first, vocab)
        for word, second in edits(first, model, p, s, cheap_only=True, held_by=vocab.known_sets).items():
            total = cost + second
            if total <= max_cost and total < found.get(word, 9.0) and vocab.zipf(word) >= min_zipf:
                found[word] = total
    return found
