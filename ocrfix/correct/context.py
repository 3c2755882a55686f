"""Context evidence from the neighbouring words: morphological agreement.

Used to rank candidates and to catch errors that are themselves real words
(бить for быть, "на секретным хранении" for "секретном"). Parses are cached:
pymorphy3 costs tens of microseconds per word.
"""

from __future__ import annotations

from functools import lru_cache

# Preposition -> the cases it governs.
GOVERNMENT = {
    "в": {"loct", "accs", "loc2"}, "во": {"loct", "accs", "loc2"}, "на": {"loct", "accs", "loc2"},
    "о": {"loct", "accs"}, "об": {"loct", "accs"}, "обо": {"loct"}, "при": {"loct"},
    "с": {"ablt", "gent"}, "со": {"ablt", "gent"}, "к": {"datv"}, "ко": {"datv"}, "по": {"datv", "loct", "accs"},
    "из": {"gent"}, "от": {"gent"}, "до": {"gent"}, "для": {"gent"}, "без": {"gent"}, "у": {"gent"},
    "после": {"gent"}, "против": {"gent"}, "среди": {"gent"}, "около": {"gent"}, "вокруг": {"gent"},
    "за": {"ablt", "accs"}, "под": {"ablt", "accs"}, "над": {"ablt"}, "перед": {"ablt"}, "между": {"ablt", "gent"},
    "через": {"accs"}, "про": {"accs"}, "сквозь": {"accs"},
}
NOMINAL = {"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"}
_ADJECTIVAL = {"ADJF", "PRTF"}
MAX_LINKS = 2  # government plus agreement with one neighbour: what agreement() can count


@lru_cache(maxsize=1)
def analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """Up to three most likely parses of a folded word (dictionary words only).

    Whether a parse is known depends only on the word, so one dictionary look-up
    settles it, and an unknown word is never sent through the (slow) guessers."""
    morph = analyzer()
    if not morph.word_is_known(word):
        return ()
    return tuple(morph.parse(word)[:3])


def _agree(adj, noun) -> bool:
    a, n = adj.tag, noun.tag
    if a.case != n.case or a.number != n.number:
        return False
    if a.number == "sing" and a.gender and n.gender and str(a.gender) != str(n.gender):
        return False
    return True


def agreement(word: str, prev: str | None, next_: str | None, next2: str | None = None) -> int:
    """How many agreement links ``word`` makes with its neighbours (best parse), at most
    MAX_LINKS. A neighbour is parsed only when some parse of ``word`` needs it."""
    best = 0
    prev_parses: tuple | None = None
    next_parses: tuple | None = None
    governed = GOVERNMENT.get(prev) if prev else None
    for parse in parses(word):
        tag = parse.tag
        pos = tag.POS
        links = 0
        if governed and pos in NOMINAL and tag.case in governed:
            links += 1
        if pos in _ADJECTIVAL and next_:
            if next_parses is None:
                next_parses = parses(next_)
            if any(n.tag.POS == "NOUN" and _agree(parse, n) for n in next_parses):
                links += 1
        if pos == "NOUN" and prev:
            if prev_parses is None:
                prev_parses = parses(prev)
            if any(p.tag.POS in _ADJECTIVAL and _agree(p, parse) for p in prev_parses):
                links += 1
        if parse.normal_form == "быть":
            # the copula: a short participle or adjective, or a modal short adjective, beside it
            if next_parses is None:
                next_parses = parses(next_) if next_ else ()
            if prev_parses is None:
                prev_parses = parses(prev) if prev else ()
            if any(n.tag.POS in {"PRTS", "ADJS"} for n in next_parses) or any(
                p.tag.POS == "ADJS" and p.normal_form in {"должный", "обязанный"} for p in prev_parses
            ):
                links += 1
        best = max(best, links)
    return min(best, MAX_LINKS)


def disagrees_with_next(word: str, next_: str) -> bool:
    """An adjective or participle whose every parse fails to agree with the noun after it."""
    own = [p for p in parses(word) if p.tag.POS in {"ADJF", "PRTF"}]
    if not own:
        return False
    nouns = [n for n in parses(next_) if n.tag.POS == "NOUN"]
    if not nouns:
        return False
    return not any(_agree(p, n) for p in own for n in nouns)


def inflection_variants(word: str) -> list[str]:
    """Other forms of the same lemma one letter away (секретным -> секретном)."""
    from rapidfuzz.distance import Levenshtein

    out = []
    for parse in parses(word)[:1]:
        if parse.tag.POS not in {"ADJF", "PRTF"}:
            continue
        for form in parse.lexeme:
            w = form.word.replace("ё", "е")
            if w != word and len(w) == len(word) and Levenshtein.distance(w, word) == 1 and w not in out:
                out.append(w)
    return out


_PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}
_NOT_NAMES = {"ADVB", "NPRO", "PREP", "CONJ", "PRCL", "INFN", "VERB", "GRND", "PRED", "INTJ", "COMP"}


def is_common_function_word(word: str) -> bool:
    """A word no name is made of: an adverb, pronoun, verb, preposition... (never a proper noun)."""
    found = parses(word)
    if not found:
        return False
    for parse in found:
        grammemes = set(parse.tag.grammemes)
        if grammemes & _PROPER:
            return False
        if parse.tag.POS not in _NOT_NAMES and not (parse.tag.POS == "ADJF" and "Apro" in grammemes):
            return False
    return True
