"""Real-word errors: a known word that another known word, one cheap confusion or
one ending away, fits better among its neighbours ('должно бить прекращено' ->
'быть'; 'на секретным хранении' -> 'секретном'; a word of two letters only into a
preposition whose case the next word has: 'па берегу' -> 'на', 'но дороге' -> 'по'). The evidence is morphological
agreement with the neighbours (see :mod:`ocrfix.correct.context`), weighed
against the words' frequencies and the confusion's cost."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import regex

from ocrfix.correct import context, sentences, tables
from ocrfix.correct.candidates import substitutions
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.scoring import ALPHA, Candidate, Evidence
from ocrfix.correct.sentences import Words
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon import Lexicon

MAX_COST = 0.3  # the confusions a real word is suspected of
MARGIN = 1.0  # how much better (agreement, frequency, cost) the other word must fit
MAX_LINKS = context.MAX_LINKS
CONTEXT_WEIGHT = context.CONTEXT_WEIGHT
COMMON_ZIPF = 5.0
SHORT_MAX_COST = 0.45  # the confusions a word of two letters is suspected of (па for на)
INFLECTION_COST = 0.5  # another ending of the same word (an adjective that disagrees with its noun)
ADJECTIVE_ENDINGS = frozenset(tables.column("adjective_endings"))


def variants(key: str, lexicon: Lexicon, model: ErrorModel) -> tuple[tuple[str, float], ...]:
    """Known words one cheap substitution from a known word that could ever win
    (memoised per process, with the lexicon's other look-up memos)."""
    memo = lexicon.memo("real-words")
    memo_key = (key, model.signature)
    found = memo.get(memo_key)
    if found is None:
        found = memo[memo_key] = _variants(key, lexicon, model)
    return found


def _variants(key: str, lexicon: Lexicon, model: ErrorModel) -> tuple[tuple[str, float], ...]:
    """:func:`variants` unremembered: ``substitutions(key, model, MAX_COST)``'s variants, in its
    order and at its costs, that the lexicon knows and that could win (most words have none: the
    variants are asked whether the lexicon's two containers hold them as they are made, and only a
    known one is looked up for its frequency)."""
    own = lexicon.zipf(key)
    max_gain = CONTEXT_WEIGHT * MAX_LINKS
    lookup = lexicon.lookup
    known = substitutions(key, model, MAX_COST, held_by=(lexicon.overlay, lexicon.forms))
    return tuple((v, c) for v, c in known.items() if max_gain + lookup(v)[0] - own - ALPHA * c >= MARGIN)


def real_word_edits(words: Words, vocab: Vocabulary, model: ErrorModel,
                    free: Callable[[int, int], bool]) -> Iterator[Candidate]:
    """Edits for the lower-case known words (in spans ``free`` allows) that another
    known word fits better among the neighbours."""
    lexicon = vocab.lexicon
    tokens = words.tokens
    for i, token in enumerate(tokens):
        word = token.text
        if len(word) < 2 or not word.islower() or "-" in word or not free(token.start, token.end):
            continue
        key = words.keys[i]
        entry = vocab.entry(key)
        if entry is None:
            continue
        prev = words.keys[i - 1] if i else None
        nxt = words.keys[i + 1] if i + 1 < len(tokens) else None
        if len(key) == 2:  # 'па берегу', 'но дороге': only into a preposition the next word's case asks for
            if entry[0] >= COMMON_ZIPF and words.text[max(0, token.start - 2):token.start].rstrip().endswith(","):
                continue  # ', но работе': a common word after a comma is the conjunction it is
            if not words.text[token.end:token.end + 1].isspace():
                continue  # a preposition stands apart from the next word: 'сб. «Записки»' is an abbreviation
            edit = _preposition(token, key, entry[0], substitutions(key, model, SHORT_MAX_COST), nxt, lexicon)
            if edit is not None:
                yield edit
            continue
        options = dict(variants(key, lexicon, model))  # (a word of two letters needs none of them)
        if (key[-2:] in ADJECTIVE_ENDINGS and prev in context.GOVERNMENT and nxt is not None
                and context.disagrees_with_next(key, nxt)):
            for v in context.inflection_variants(key):
                options.setdefault(v, INFLECTION_COST)
        if not options:
            continue
        base = context.agreement(key, prev, nxt)
        own = entry[0]
        best = None
        for v, cost in options.items():
            # the most agreement could give is MAX_LINKS - base: skip the parse when even that is too little
            if CONTEXT_WEIGHT * (MAX_LINKS - base) + lexicon.zipf(v) - own - ALPHA * cost < MARGIN:
                continue
            gain = context.agreement(v, prev, nxt) - base
            if gain < 1:
                continue
            margin = CONTEXT_WEIGHT * gain + (lexicon.zipf(v) - own) - ALPHA * cost
            if margin >= MARGIN and (best is None or margin > best[0]):
                best = (margin, v, cost, gain)
        if best:
            yield Candidate(token.start, token.end, best[1], "real-word",
                            f"real-word error: '{best[1]}' agrees with the neighbours (margin {best[0]:.2f})",
                            Evidence(channel=best[2], language=lexicon.zipf(best[1]) - own, context=best[3]),
                            ((best[1], round(-best[0], 3)), (word, 0.0)))


def _preposition(token, key: str, own: float, options: Mapping[str, float], nxt: str | None,
                 lexicon: Lexicon) -> Candidate | None:
    """A two-letter word that is no preposition, before a noun or adjective in a case that a
    preposition one cheap confusion away governs ('па берегу', 'но дороге')."""
    if nxt is None or key in context.GOVERNMENT:
        return None
    best = None
    for v, cost in options.items():
        if not context.governs(v, nxt):
            continue
        margin = CONTEXT_WEIGHT + lexicon.zipf(v) - own - ALPHA * cost
        if margin >= MARGIN and (best is None or margin > best[0]):
            best = (margin, v, cost)
    if best is None:
        return None
    return Candidate(token.start, token.end, best[1], "preposition",
                     f"real-word error: the preposition '{best[1]}' governs the next word's case (margin {best[0]:.2f})",
                     Evidence(channel=best[2], language=lexicon.zipf(best[1]) - own, context=1.0),
                     ((best[1], round(-best[0], 3)), (token.text, 0.0)))


_WORD_BEFORE = regex.compile(r"(\p{L}+)\P{L}*$")
# a number of one or two digits standing alone before a word: what a preposition typed at a
# sentence's start ('0 ходе', '06 издании') or inside one ('0т района') is read as
_NUMBER_BEFORE_WORD = regex.compile(r"(?<![\w.,:/№-])(\d{1,2})(?= (\p{Ll}+)(?![\w-]))")


def number_prepositions(text: str, words: Words, lexicon: Lexicon, model: ErrorModel,
                        free: Callable[[int, int], bool]) -> Iterator[Candidate]:
    """A number of a digit or two, each digit a cheap shape confusion of a letter ('0' for 'о',
    '6' for 'б'), that spells a preposition governing the next word's case ('0 ходе' -> 'О ходе',
    '06 издании' -> 'Об издании'): as a two-letter word is read for the preposition the case asks
    for (:func:`_preposition`). Not after a preposition or a number word ('при 0 градусах'), and
    capitalised at a sentence's start."""
    table = model.single_substitutions(SHORT_MAX_COST)
    for m in _NUMBER_BEFORE_WORD.finditer(text):
        start, end = m.span(1)
        if not free(start, end):
            continue
        spellings = [("", 0.0)]
        for digit in m.group(1):
            spellings = [(s + letter, c + cost) for s, c in spellings for letter, cost in table.get(digit, ())
                         if letter.isalpha()]
        nxt = m.group(2)
        best = None
        for spelling, cost in spellings:
            if not context.governs(spelling, nxt):
                continue
            if best is None or cost < best[1]:
                best = (spelling, cost)
        if best is None:
            continue
        before = _WORD_BEFORE.search(text, max(0, start - 20), start)
        if before and before.group(1).lower() in context.GOVERNMENT:
            continue  # 'при 0 градусах', 'до 6 утра': a number where one belongs
        spelling, cost = best
        replacement = spelling[:1].upper() + spelling[1:] if sentences.sentence_start(words.plain, start) else spelling
        # no frequency compares a number with a word: the evidence is the case the preposition
        # governs (one link) against the confusions' cost
        yield Candidate(start, end, replacement, "number-preposition",
                        f"'{m.group(1)}' read for the preposition '{spelling}', which governs the next word's case "
                        f"(edit cost {cost:.2f})", Evidence(channel=round(cost, 4), context=1.0),
                        ((replacement, round(ALPHA * cost - CONTEXT_WEIGHT, 3)), (m.group(1), 0.0)))
