"""Context evidence from the neighbouring words: morphological agreement.

Used to rank candidates and to catch errors that are themselves real words
(бить for быть, "на секретным хранении" for "секретном"). Grammatical tags are
cached: pymorphy3 costs about 8 microseconds a word for its tags, twice that
for full parses (which only the inflection variants need).
"""

from __future__ import annotations

from functools import cache, lru_cache

from ocrfix.correct import tables
from ocrfix.lexicon.normalize import fold

# Preposition -> the cases it governs (ocrfix/data/lexicons/government.tsv)
GOVERNMENT = {word: frozenset(cases.split()) for word, cases in tables.rows("government")}
NOMINAL = {"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"}
_ADJECTIVAL = {"ADJF", "PRTF"}
_VERBAL = {"VERB", "INFN"}
MAX_LINKS = 2  # government plus agreement with one neighbour: what agreement() can count
CONTEXT_WEIGHT = 2.0  # score units (Zipf, 3 x edit cost) one link of agreement is worth


@lru_cache(maxsize=1)
def analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@cache  # a few calls, each kept: the copula's, the modal words', the numbering nouns' forms
def forms_of(lemmas: tuple[str, ...]) -> frozenset[str]:
    """Every form of these dictionary words, folded (ё as е)."""
    morph = analyzer()
    forms = set()
    for lemma in lemmas:
        for parse in morph.parse(lemma):
            if parse.normal_form == lemma:
                forms.update(fold(f.word) for f in parse.lexeme)
    return frozenset(forms)


def _lemmas(role: str) -> tuple[str, ...]:
    """The lemmas of copula.tsv with this role ('copula' or 'modal')."""
    return tuple(lemma for lemma, of_role in tables.rows("copula") if of_role == role)


@cache  # (agreement() asks on every call, most of them otherwise answered by one cache look-up)
def _copula_forms() -> frozenset[str]:
    return forms_of(_lemmas("copula"))


@cache
def _modal_forms() -> frozenset[str]:  # должен, обязана...: short forms of должный, обязанный
    return forms_of(_lemmas("modal"))


@lru_cache(maxsize=200_000)
def tags(word: str) -> tuple:
    """Up to three most likely grammatical tags of a folded word (dictionary words only).

    Whether a word is known depends only on the word, so one dictionary look-up
    settles it, and an unknown word is never sent through the (slow) guessers."""
    morph = analyzer()
    if not morph.word_is_known(word):
        return ()
    return tuple(morph.tag(word)[:3])


@lru_cache(maxsize=20_000)
def yo_spelling(word: str) -> str | None:
    """The dictionary's spelling of a folded word with ё ('четвертой' -> 'четвёртой'), when every
    reading of it writes ё at the same places; None when none does or they differ ('все': все, всё)."""
    morph = analyzer()
    if "е" not in word or not morph.word_is_known(word):
        return None
    spellings = {parse.word for parse in morph.parse(word)}
    if len(spellings) != 1:
        return None
    spelling = spellings.pop()
    return spelling if "ё" in spelling and fold(spelling) == word else None


@lru_cache(maxsize=20_000)
def yo_written(word: str) -> bool:
    """A lower-case word with ё that the dictionary spells so in one of its readings ('всё', 'ещё',
    'жигулёвские'; not 'отдёле', 'реквизициёй': no reading writes ё there)."""
    morph = analyzer()
    return "ё" in word and morph.word_is_known(word) and any(parse.word == word for parse in morph.parse(word))


@lru_cache(maxsize=20_000)
def guessed_tags(word: str) -> tuple:
    """:func:`tags`, or for a word the dictionary lacks, up to three tags pymorphy3
    guesses from its ending (for forms our lexicon knows and pymorphy3 does not:
    Кашгарском, Синьцзяне)."""
    known = tags(word)
    if known:
        return known
    return tuple(analyzer().tag(word)[:3])


LEMMA_PARSES = 4  # parses whose lemmas count (three missed the lemma 'сергиополь' shares with 'сергиополе')


@lru_cache(maxsize=50_000)
def parses(word: str) -> tuple:
    """Up to LEMMA_PARSES most likely full parses (with lemma and paradigm) of a folded word: a
    dictionary word's, or pymorphy3's guesses from the ending of one it does not know (ask
    ``analyzer().word_is_known`` for a dictionary word's only): what :func:`lemmas` and
    :func:`inflection_variants` read."""
    return tuple(analyzer().parse(word)[:LEMMA_PARSES])


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    """The lemmas of :func:`parses`: a dictionary word's, or those of pymorphy3's guesses for one it
    does not know (forms of a name: 'ишкова', 'ишкову' -> ишков; 'сергиополь', 'сергиополе', whose
    shared lemma is the fourth guess). The one test of two words being forms of one word."""
    return frozenset(parse.normal_form for parse in parses(word))


def forget() -> None:
    """Drop the cached tags, parses and ё spellings (a cold start, for benchmarks). The copula's
    and the modal words' forms stay, as the analyzer does: they come from the package's copula.tsv and
    pymorphy3's dictionary, which no setting changes in a process (lexicon_dir replaces the
    word lists and the confusion tables only), so nothing held is stale after it."""
    tags.cache_clear()
    guessed_tags.cache_clear()
    parses.cache_clear()
    lemmas.cache_clear()
    yo_spelling.cache_clear()
    yo_written.cache_clear()
    only_abbreviation.cache_clear()
    _may_agree.cache_clear()


def _agree(a, n) -> bool:
    """Adjective tag ``a`` agrees with noun tag ``n`` in case, number and (singular) gender."""
    if a.case != n.case or a.number != n.number:
        return False
    if a.number == "sing" and a.gender and n.gender and str(a.gender) != str(n.gender):
        return False
    return True


def agreement(word: str, prev: str | None, next_: str | None, *, guess: bool = False) -> int:
    """How many agreement links ``word`` makes with its neighbours (best reading), at most
    MAX_LINKS.
    ``guess``: read ``word`` by its ending when the dictionary lacks it (a candidate
    our lexicon knows); the neighbours are always read from the dictionary only.
    Between neighbours no word can link with (no governing preposition before it, no
    adjective before it, no noun after it) only the copula is read: the tags of the
    other words, a guess for most candidates, are not needed."""
    if prev not in GOVERNMENT and not _may_agree(prev, next_) and word not in _copula_forms():
        return 0
    return _links(word, prev, next_, guess)


def _links(word: str, prev: str | None, next_: str | None, guess: bool) -> int:
    """:func:`agreement`, every reading of ``word`` read."""
    governed = GOVERNMENT.get(prev) if prev else None
    best = 0
    prev_tags: tuple | None = None
    next_tags: tuple | None = None
    for tag in (guessed_tags(word) if guess else tags(word)):
        pos = tag.POS
        links = 0
        if governed and pos in NOMINAL and tag.case in governed:
            links += 1
        if pos in _ADJECTIVAL and next_:
            if next_tags is None:
                next_tags = tags(next_)
            if any(n.POS == "NOUN" and _agree(tag, n) for n in next_tags):
                links += 1
        if pos == "NOUN" and prev:
            if prev_tags is None:
                prev_tags = tags(prev)
            if any(p.POS in _ADJECTIVAL and _agree(p, tag) for p in prev_tags):
                links += 1
        if pos in _VERBAL and word in _copula_forms():
            # the copula: a short participle or adjective, or a modal short adjective, beside it
            if next_tags is None:
                next_tags = tags(next_) if next_ else ()
            if prev_tags is None:
                prev_tags = tags(prev) if prev else ()
            if any(n.POS in {"PRTS", "ADJS"} for n in next_tags) or (
                prev in _modal_forms() and any(p.POS == "ADJS" for p in prev_tags)
            ):
                links += 1
        best = max(best, links)
    return min(best, MAX_LINKS)


@lru_cache(maxsize=20_000)
def _may_agree(prev: str | None, next_: str | None) -> bool:
    """Whether a word between these neighbours can agree with one of them (an adjective
    before it, a noun after it), read from the dictionary as :func:`agreement` reads them;
    without that, a preposition before it or the copula, no reading of it makes a link."""
    return bool(prev) and any(p.POS in _ADJECTIVAL for p in tags(prev)) or bool(next_) and any(
        n.POS == "NOUN" for n in tags(next_))


# The grammemes of a name: a person's (name, surname, patronymic), a place's, an organisation's, a
# trade name, and an abbreviation (what is_proper_name takes for a name and is_common_function_word
# never takes for a function word)
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})
_NAMES = _PROPER - {"Abbr"}  # ... but the abbreviation (is_name's)


def is_proper_name(word: str) -> bool:
    """Some dictionary reading of the folded word is a name (:data:`_PROPER`: a person's, a place's,
    an organisation's, a trade name or an abbreviation): also the one test of a word written with
    capitals, wholly or in part, on purpose (case_slips.upper_runs, engine._mixed_case)."""
    return any(_PROPER & t.grammemes for t in tags(word))


def only_names(word: str) -> bool:
    """Every dictionary reading of the folded word (its likeliest three) is a person's, a place's, an
    organisation's or a trade name ('сорск', a town's): no common word. (Asked of most known words in
    lower case, nearly all of which the dictionary reads as no name at all: :func:`read_as_name` settles
    those without their tags.)"""
    if len(word) > 1 and not read_as_name(word):
        return False
    found = tags(word)
    return bool(found) and all(_NAMES & t.grammemes for t in found)


@cache  # (the dictionary's tag table, which no setting changes in a process, as the analyzer)
def _name_tag_ids() -> frozenset[int]:
    """The ids of the dictionary's tags (pymorphy3's gramtab) that carry a name's grammeme (_NAMES)."""
    return frozenset(i for i, tag in enumerate(analyzer().dictionary.gramtab) if _NAMES & tag.grammemes)


def read_as_name(word: str) -> bool:
    """Some reading the dictionary holds of a word of two letters or more is a name (:data:`_NAMES`): for
    such a word, whatever :func:`tags` finds is among these readings (pymorphy3 reads a word it knows
    from its dictionary alone; only a single capital letter gets more, an initial's). Read from the
    dictionary's entries (a paradigm and the form's place in it, each naming its tag's id, as
    pymorphy3's DictionaryAnalyzer reads them) without making the tags and ranking them: about a
    third of the cost of :func:`tags`, unremembered (a word's tags, when asked, are remembered)."""
    morph = analyzer()
    dictionary = morph.dictionary
    names = _name_tag_ids()
    paradigms = dictionary.paradigms
    for entries in dictionary.words.similar_item_values(word.lower(), morph.char_substitutes):
        for paradigm_id, index in entries:
            paradigm = paradigms[paradigm_id]
            if paradigm[len(paradigm) // 3 + index] in names:
                return True
    return False


def is_name(word: str) -> bool:
    """Some dictionary reading of the folded word is a person's, a place's, an organisation's or a
    trade name: :func:`is_proper_name` but for abbreviations (a word in title case is none: 'По'
    is no 'ПО')."""
    return any(_NAMES & t.grammemes for t in tags(word))


def is_abbreviation(word: str) -> bool:
    """Every dictionary reading of the folded word is an abbreviation ('сср', 'мтс', 'цк')."""
    found = tags(word)
    return bool(found) and all("Abbr" in t.grammemes for t in found)


def governs(preposition: str, next_: str) -> bool:
    """The word after ``preposition`` is most likely a noun or adjective (not a pronoun,
    which follows a conjunction as readily: 'но кому') and can be in a case it governs."""
    cases = GOVERNMENT.get(preposition)
    if not cases:
        return False  # no preposition (asked of any reading: the word after is not parsed for it)
    found = tags(next_)
    return bool(found) and found[0].POS in NOMINAL - {"NPRO"} and any(
        t.POS in NOMINAL and t.case in cases for t in found)


def disagrees_with_next(word: str, next_: str) -> bool:
    """An adjective or participle whose every parse fails to agree with the noun after it."""
    own = [t for t in tags(word) if t.POS in {"ADJF", "PRTF"}]
    if not own:
        return False
    nouns = [n for n in tags(next_) if n.POS == "NOUN"]
    if not nouns:
        return False
    return not any(_agree(p, n) for p in own for n in nouns)


def inflection_variants(word: str) -> list[str]:
    """Other forms of the same lemma one letter away (секретным -> секретном)."""
    from rapidfuzz.distance import Levenshtein

    out = []
    if not analyzer().word_is_known(word):
        return out
    for parse in parses(word)[:1]:
        if parse.tag.POS not in {"ADJF", "PRTF"}:
            continue
        for form in parse.lexeme:
            w = fold(form.word)
            if w != word and len(w) == len(word) and Levenshtein.distance(w, word) == 1 and w not in out:
                out.append(w)
    return out


# The parts of speech of a verb (a participle's short form aside), an adverb, a predicative, a comparative
# and the function words: no name is made of one, and no text capitalises one on purpose inside a sentence
# (case_slips._NEVER_DELIBERATE)
VERB_OR_FUNCTION_POS = frozenset({"VERB", "INFN", "GRND", "PRED", "ADVB", "COMP", "PREP", "CONJ", "PRCL", "INTJ"})
_NOT_NAMES = VERB_OR_FUNCTION_POS | {"NPRO"}  # ... and a pronoun (is_common_function_word's)


@lru_cache(maxsize=5_000)
def only_abbreviation(word: str) -> bool:
    """Whether every dictionary reading of a folded word is an abbreviation ('цк'; not
    'сто', a numeral as well as СТО), or the dictionary does not know it."""
    morph = analyzer()
    if not morph.word_is_known(word):
        return True
    return all("Abbr" in parse.tag for parse in morph.parse(word))


def is_common_function_word(word: str) -> bool:
    """A word no name is made of: an adverb, pronoun, verb, preposition... (never a proper noun)."""
    found = tags(word)
    if not found:
        return False
    for tag in found:
        grammemes = tag.grammemes
        if grammemes & _PROPER:
            return False
        if tag.POS not in _NOT_NAMES and not (tag.POS == "ADJF" and "Apro" in grammemes):
            return False
    return True
