"""Repairs above the single word: Latin look-alike words, words split by a lost ъ
or space, short words glued to the next, hyphens inside a word (Roman numerals:
see roman.py).

Each function proposes :class:`~ocrfix.correct.scoring.Candidate` records over the
input text; the corrector scores them and keeps the best of those that overlap.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import regex

from ocrfix.correct import context, tables
from ocrfix.correct.pitch import Cells
from ocrfix.correct.scoring import Candidate, Evidence, pieces_zipf
from ocrfix.correct.sentences import NUMBER_ABBREVIATIONS, SHORT_ABBREVIATION
from ocrfix.correct.tokens import LATIN, Token, apply_case, case_shape, has_latin, lone_letter
from ocrfix.lexicon.normalize import fold

_WORDS = tables.mapping("rule_words")  # the words and letters these rules look for (rule_words.tsv)


# --- 'т. Т.' ----------------------------------------------------------------------

_COMRADE = _WORDS["comrade"]
_COMRADES = regex.compile(rf"(?<!\p{{L}}){regex.escape(_COMRADE)}\.(\s?){regex.escape(_COMRADE.upper())}\.(?=\s?\p{{Lu}})")


# 'Тов.' or 'Т.т.' after a colon or a dash inside a line, before a name: the address's 'тов.', a case slip
_COMRADE_AFTER = regex.compile(rf"(?<=[:{regex.escape(tables.marks('dash'))}][ \t]+)"
                               rf"{regex.escape(_COMRADE.upper())}(?=(?:{regex.escape(_WORDS['comrade_one'][1:])}|"
                               rf"\.[ \t]?[{regex.escape(_COMRADE + _COMRADE.upper())}])\.[ \t]?\p{{Lu}})")


def comrades(text: str) -> list[Candidate]:
    """'т. Т. Литвинову' -> 'т. т. Литвинову': the plural of 'тов.' is two lower-case т; and after a colon or a
    dash inside a line ('СССР - Тов. СТОМОНЯКОВУ', 'Разослано: Т.т. Сталину') the abbreviation is typed in lower
    case (no sentence begins there in an address)."""
    return [*(Candidate(m.start(), m.end(), f"{_COMRADE}.{m.group(1)}{_COMRADE}.", "comrades", "case slip in 'т.т.' (comrades)")
              for m in _COMRADES.finditer(text)),
            *(Candidate(m.start(), m.end(), _COMRADE, "comrades", "case slip in 'тов.' after a colon or a dash")
              for m in _COMRADE_AFTER.finditer(text))]


# --- ВКП(б) ----------------------------------------------------------------------

# Names typed with a bracketed letter (bracketed_names.tsv: the party's name, typed in nearly
# every heading, address and signature), with the brackets read as slashes or bars, the letter
# misread (б as 6), or a space put in: 'ВКП/б/', 'ВКП (6)'.


def _bracketed(name: str, misread: str, what: str) -> tuple[regex.Pattern, str, str, str]:
    """The pattern of a bracketed name's misreadings, the name, its bracketed letter, what it is."""
    outside, letter = name.rstrip(")").split("(")
    pattern = regex.compile(rf"(?<!\p{{L}}){regex.escape(outside)}[ \t]?[(/|\[][ \t]?[{regex.escape(letter + misread)}]"
                            r"[ \t]?[)/|\]]")
    return pattern, name, letter, what


_BRACKETED = [_bracketed(*row) for row in tables.rows("bracketed_names")]


def party_name(text: str) -> list[Candidate]:
    """'ЦК ВКП/б/' -> 'ЦК ВКП(б)', 'ВКП (6)' -> 'ВКП(б)'."""
    return [Candidate(m.start(), m.end(), name, "party-name", f"{what} {name} with misread brackets or {letter}")
            for pattern, name, letter, what in _BRACKETED for m in pattern.finditer(text) if m.group() != name]


# A bracketed phrase on one line with a space just inside a bracket, or one bracket read as a curly or
# square one while the other is round ('{ КАРИМОВ )'): no space is typed inside brackets, and a typewriter
# has round ones only where one of the pair is round.
_BRACKETED_PHRASE = regex.compile(r"(?P<open>[(\[{])[ \t]*(?P<phrase>[^()\[\]{}\n]*?\p{L}[^()\[\]{}\n]*?)[ \t]*(?P<close>[)\]}])")


def bracket_spaces(text: str) -> list[Candidate]:
    """'{ КАРИМОВ )' -> '(КАРИМОВ)', '( ПОПОК)' -> '(ПОПОК)': the spaces inside removed, both brackets
    round (when one of them is)."""
    edits = []
    for m in _BRACKETED_PHRASE.finditer(text):
        if m["open"] != "(" and m["close"] != ")":  # neither bracket round
            continue
        # the whole phrase: the page model drops a space between words only by merging them
        replacement = "(" + m["phrase"] + ")"
        if replacement != m.group():
            edits.append(Candidate(m.start(), m.end(), replacement, "brackets",
                                   "a bracketed phrase: no space inside its brackets, both round"))
    return edits


# a list's letter after a space, closed by a curly or square bracket read for the round one ('обувь; в} качество')
_LABEL_BRACKET = regex.compile(r"(?<=(?:^|[ \t])[" + regex.escape("".join(tables.column("list_letters"))) + r"])[}\]](?=[ \t])",
                               regex.M)


def label_brackets(text: str) -> list[Candidate]:
    """'обувь; в} качество' -> 'в)': a lettered list's label closed by a curly or square bracket that no bracket
    of its kind opens before it on the line: the round bracket a typewriter has, misread."""
    edits = []
    for m in _LABEL_BRACKET.finditer(text):
        opening = "{" if m.group() == "}" else "["
        if opening in text[text.rfind("\n", 0, m.start()) + 1:m.start()]:
            continue
        edits.append(Candidate(m.start(), m.end(), ")", "brackets", "a list label's round bracket read as a curly or square one"))
    return edits


# --- telegram times ---------------------------------------------------------------

# 'Отправлена 22.VII.37г. 18 ч. 40 м.': after hours and a number of minutes, the
# abbreviation of минут with its м read as и (or as a Latin m).
_NUMBER_WORDS = tables.rows("number_abbreviations")  # (abbreviation, kind): what goes with a number
_CLOCK = {kind: abbreviation for abbreviation, kind in _NUMBER_WORDS if kind in ("hours", "minutes")}
_MINUTES = regex.compile(rf"(?<=\d[ \t]?{regex.escape(_CLOCK['hours'])}\.[ \t]?\d{{1,2}}[ \t]?)"
                         rf"[{regex.escape(_WORDS['minutes_misread'])}](?=\.)")


def clock_minutes(text: str) -> list[Candidate]:
    """'18 ч. 40 и.' -> '18 ч. 40 м.'."""
    return [Candidate(m.start(), m.end(), _CLOCK["minutes"], "clock-minutes", "the minutes' м. of a time misread")
            for m in _MINUTES.finditer(text)]


# --- Latin look-alikes -------------------------------------------------------------

# Latin letter -> the Cyrillic letters it may stand for, the usual reading first (U is И, or Ц).
_LATIN_READINGS = {latin: tuple(cyrillic.split()) for latin, cyrillic in tables.rows("latin_lookalikes")}
_CAPITAL_B = tuple(r.upper() for r in _LATIN_READINGS["b"])  # b in a word in capitals: a capital Ь


def latin_lookalikes(word: str) -> list[str] | None:
    """Cyrillic readings of a word written (wholly or partly) in Latin look-alikes."""
    readings = latin_readings(word)
    return None if readings is None else [r for r, _ in readings]


def latin_readings(word: str) -> list[tuple[str, int]] | None:
    """Cyrillic readings of a word written (wholly or partly) in Latin look-alikes, each
    with how many of its letters are a second-choice look-alike (U read as Ц rather
    than И); the literal reading comes first."""
    if not has_latin(word):
        return None
    if any(c.isalpha() and c.isascii() and c not in _LATIN_READINGS for c in word):
        return None
    # 'b' has no capital look-alike: in a word otherwise in capitals it is a capital Ь (KOHb)
    capitals = sum(1 for c in word if c.isupper()) > 1 and all(c.isupper() or c == "b" for c in word if c.isalpha())
    readings = [("", 0)]
    for c in word:
        if c == "b" and capitals:
            options: tuple[str, ...] = _CAPITAL_B
        else:
            options = _LATIN_READINGS.get(c, (c,))
        readings = [(r + o, n + (k > 0)) for r, n in readings for k, o in enumerate(options)][:64]
    return readings


# --- joins ----------------------------------------------------------------------

def inline_hyphen_join(token: Token, known: Callable[[str], bool]) -> Candidate | None:
    """'гото-во' -> 'готово' when only the joined word is known."""
    if "-" not in token.text or known(fold(token.text)):
        return None
    parts = token.text.split("-")
    if any(p[:1].isupper() for p in parts[1:]):
        return None  # Алма-Ата, Ма-Ху-шань: names keep their hyphens
    joined = "".join(parts)
    if not known(fold(joined)):
        return None
    return Candidate(token.start, token.end, joined, "inline-hyphen", "hyphen inside a word joined")


_HARD_SIGN_PREFIXES = frozenset(tables.column("hard_sign_prefixes"))  # a lost ъ may follow these
_AFTER_HARD_SIGN = frozenset(_WORDS["after_hard_sign"])  # ... and come before these


def _compound_adjective(first: str, second: str) -> bool:
    """``first``-``second`` can be a compound adjective: ``first`` read as an adjective's short neuter
    form (the compound's first part: восточно, военно), ``second`` most likely a full adjective."""
    if not first.endswith("о"):
        return False
    second_tags = context.tags(second)
    return bool(second_tags) and second_tags[0].POS == "ADJF" and any(
        t.POS == "ADJS" and t.gender == "neut" for t in context.tags(first))


_HYPHEN_GAP = regex.compile(r"(?= -|- )")  # where a space stands beside a hyphen (found overlapped)


def split_join_pairs(tokens: Sequence[Token], keys: Sequence[str], text: str, weak_at: Sequence[int]) -> list[int]:
    """The indices i, in order, of the pairs (tokens[i], tokens[i + 1]) :func:`split_word_join` may join
    (it answers None for every other pair): a space beside a hyphen between them, a weak word
    (``weak_at``, the indices of the tokens Vocabulary.weak finds: a word not known is one), a
    last letter split off, a lost ъ's prefix. Found from those few places, not by asking every pair."""
    last = len(tokens) - 1
    pairs = pairs_beside(weak_at, len(tokens))
    pairs.update(i - 1 for i, key in enumerate(keys) if len(key) == 1 and i and lone_letter(key))  # (len: cheap first)
    pairs.update(i for i, key in enumerate(keys)
                 if key in _HARD_SIGN_PREFIXES and i < last and keys[i + 1][:1] in _AFTER_HARD_SIGN)
    for m in _HYPHEN_GAP.finditer(text):
        i = bisect.bisect_left(tokens, m.start(), key=_end)
        if i < last and tokens[i].end == m.start():
            pairs.add(i)
    return sorted(pairs)


def pairs_beside(indices: Sequence[int], count: int) -> set[int]:
    """The indices i of the pairs (i, i + 1) of ``count`` tokens that hold one of the tokens at
    ``indices`` (the joins' pairs beside a weak word)."""
    return {j for i in indices for j in (i - 1, i) if 0 <= j < count - 1}


def _end(token: Token) -> int:
    return token.end


_LETTERS_AFTER = regex.compile(r"[^\s\p{L}]+\p{L}")  # marks, then letters, glued to what precedes them


def split_word_join(left: Token, right: Token, text: str, known: Callable[[str], bool],
                    zipf: Callable[[str], float], keys: tuple[str, str] | None = None,
                    weak: Callable[[str], bool] | None = None) -> Candidate | None:
    """'из являет' -> 'изъявляет'; 'пос кольку' -> 'поскольку' (one of the parts unknown);
    'Алма -Атинского' -> 'Алма-Атинского' (a space on one side of a hyphen, when the
    hyphenated word is known, or is a name's, both parts capitalised: a dash between words has a
    space on both sides).

    Two dictionary words stay two; a part only ``weak``ly known (a form only the web frequency
    list has, Vocabulary.weak: it is full of such fragments) counts as no word, as gap_joins
    counts it, when the joined word is a dictionary word ('сле дующие' -> 'следующие')."""
    gap = text[left.end:right.start]
    if gap in (" -", "- "):
        joined = left.text + "-" + right.text
        # a compound adjective no list has whole ('Восточно -Казахстанской'): its first part the short form in
        # -о of an adjective (восточно, военно), its second an adjective; only with the space before the
        # hyphen ('двух- и трехэтажные' is a suspended compound's)
        compound = gap == " -" and _compound_adjective(fold(left.text), fold(right.text))
        # a name's parts, both capitalised or both in capitals, the hyphen glued to the second ('Кызыл
        # -Мажалыге', 'ЖУРАВЛЕВ -ОКСКИЙ'): no dash (a dash stands apart from both words)
        name = (gap == " -" and case_shape(left.text) == case_shape(right.text) in {"title", "upper"}
                and len(left.text) >= 2 and len(right.text) >= 2 and left.text.isalpha() and right.text.isalpha())
        if compound or name or known(fold(joined)):
            return Candidate(left.start, right.end, joined, "hyphen-space", "a space beside the hyphen of a hyphenated word removed")
        return None
    if gap != " ":
        return None
    if case_shape(right.text) not in {"lower"} or case_shape(left.text) not in {"lower", "title"}:
        return None
    a, b = keys or (fold(left.text), fold(right.text))
    if a in _HARD_SIGN_PREFIXES and b[:1] in _AFTER_HARD_SIGN and len(b) >= 3 and known(a + "ъ" + b):
        return Candidate(left.start, right.end, apply_case(left.text, left.text + "ъ" + right.text),
                    "lost-hard-sign", "word split by a lost ъ joined")
    # a last letter split off ('отход е') is no word of its own: of one letter, only the prepositions,
    # conjunctions and я are (the corpus's texts hold no other lone letter after a word)
    # (and stands alone: a letter glued by marks to more letters, 'н>-высокое', begins a damaged word of its own)
    lone = (lone_letter(b) and b.isalpha() and not LATIN.match(b) and len(a) >= 3
            and not _LETTERS_AFTER.match(text, right.end))
    if known(b) and known(a) and not lone and (weak is None or not (weak(a) or weak(b)) or weak(a + b)):
        return None
    # (a short piece before a period is an abbreviation's: 'гос. бюдж.'; a long one ends a sentence: 'нару шителей.')
    if len(a) >= 2 and (len(b) >= 2 or lone) and known(a + b) and (
            len(b) > SHORT_ABBREVIATION or text[right.end:right.end + 1] != "."):
        # how much likelier the word is than the printed pieces' least likely one (scoring.pieces_zipf):
        # a rare word joined from two pieces is weighed, not cut off
        printed = pieces_zipf((a, b), lambda piece: known(piece) and not (lone and piece == b), zipf)
        return Candidate(left.start, right.end, left.text + right.text, "split-word", "word split by a space joined",
                         Evidence(language=round(zipf(a + b) - printed, 4)))
    return None


# Short closed-class words the OCR glues to the next word when the typed space is narrow.
GLUEABLE = frozenset(tables.column("glueable"))
GLUED_MIN_REST = 4
GLUED_MIN_ZIPF = 3.5  # the rest must be a common word: a rare one is likelier an OCR error of the whole


def split_glued(token: Token, key: str, lookup: Callable[[str], tuple[float, int] | None],
                dictionary_flags: int, curated_flags: int, name_flags: int) -> Candidate | None:
    """'кгенконсулу' -> 'к генконсулу', 'непредставляется' -> 'не представляется': an
    unknown word that is a short preposition, conjunction or particle glued to a common
    dictionary word (flags in ``dictionary_flags``, Zipf at least GLUED_MIN_ZIPF) or to a
    curated one (``curated_flags``); a name or place (``name_flags``) keeps its capital.
    The shortest head that works is taken; not one the rest begins with ('оостановки': a letter read
    twice is as likely, and the word search reads it so, adding no word)."""
    if case_shape(token.text) not in {"lower", "title"}:
        return None
    for size in (1, 2):
        head, rest = key[:size], key[size:]
        if head not in GLUEABLE or len(rest) < GLUED_MIN_REST or rest.startswith(head):
            continue  # (a head its rest begins with is as likely a letter read twice: 'оостановки' is 'остановки')
        entry = lookup(rest)
        if entry is None:
            continue
        zipf, flags = entry
        if not (flags & curated_flags or (flags & dictionary_flags and zipf >= GLUED_MIN_ZIPF)):
            continue
        word = token.text
        tail = word[size:].lower()
        if flags & name_flags:
            tail = tail[:1].upper() + tail[1:]
        return Candidate(token.start, token.end, word[:size] + " " + tail, "glued-word",
                    f"'{head}' glued to the next word ({rest}) split")
    return None


# --- spaces lost beside numbers ---------------------------------------------------

SPACE_CELLS_TOLERANCE = 0.35  # |spare cells - spaces| a word's box may miss by (scripts/measure_pitch.py)
_GLUED_SIGN = regex.compile("(" + "|".join(regex.escape(s) for s, kind in _NUMBER_WORDS if kind == "sign")
                            + r")(?=\d)")
_GLUED_ABBREVIATION = regex.compile(r"(?<![\p{L}\d.,:/-])(\d+)("  # (the order is no matter: a period follows)
                                    + "|".join(regex.escape(s) for s in sorted(NUMBER_ABBREVIATIONS))
                                    + r")(?=\.)")


def glued_numbers(text: str) -> list[Candidate]:
    """'№1' -> '№ 1', '21ч.' -> '21 ч.': every sign or abbreviation a typist set apart from a
    number by a space (number_abbreviations.tsv) read glued to it, with the space put back, whatever
    the scan says (:func:`number_spacing` asks it)."""
    edits = [Candidate(m.start(), m.end() + 1, m.group(1) + " " + text[m.end()], "number-space",
                       "the space after a sign before a number, lost in the OCR (its box spans the cell)")
             for m in _GLUED_SIGN.finditer(text)]
    edits += [Candidate(m.start(), m.end(), f"{m.group(1)} {m.group(2)}", "number-space",
                        "the space between a number and the abbreviation after it, lost in the OCR "
                        "(its box spans the cell)")
              for m in _GLUED_ABBREVIATION.finditer(text)]
    return edits


def number_spacing(text: str, cells: Cells | None) -> list[Candidate]:
    """The glued numbers (:func:`glued_numbers`) where the scan shows the space the OCR lost:
    the box of the word holding it spans as many cells beyond its characters (pitch.Cells.word)
    as the spaces put back into it, within SPACE_CELLS_TOLERANCE. Without boxes (a text alone,
    a line with no pitch) nothing says the space was typed: nothing is proposed."""
    if cells is None:
        return []
    edits = glued_numbers(text)
    if not edits:
        return edits
    words = [cells.word(edit.start, edit.end) for edit in edits]
    spaces = Counter(words)  # the spaces put back into each word
    return [edit for edit, word in zip(edits, words)
            if word is not None and word[1] is not None and abs(word[1] - spaces[word]) <= SPACE_CELLS_TOLERANCE]


# --- specks ----------------------------------------------------------------------

# Marks that dirt, staples and paper grain leave in OCR output; typed punctuation
# always touches a word, so a run of these standing alone is not text (the sets: mark_sets.tsv).
SPECK_CHARS = tables.marks("speck")
DASHES = tables.marks("dash")
EDGE_SPECKS = tables.marks("edge_speck")
PUNCTUATION = tables.marks("punctuation")  # what may follow a mark at a word's end
# Letters no Russian word consists of alone: standing alone, they are specks too.
LONE_SIGNS = _WORDS["lone_signs"].upper() + _WORDS["lone_signs"]
_SPECK_RUN = "(?:[" + regex.escape(SPECK_CHARS + DASHES) + "]+|[" + LONE_SIGNS + "])"
# (each of these two starts with a look-ahead at the character it needs first: the look-behind is
# then tried only where that character stands, a scan about a third faster; the same matches)
_STANDALONE = regex.compile(r"(?=" + _SPECK_RUN + r")(?<=^|[ \t])" + _SPECK_RUN + r"(?:[ \t]+" + _SPECK_RUN + r")*(?=[ \t]|$)", regex.M)
# A temperature's degree sign and unit after a number ('180 °C', '+40°С'): no speck, no Latin word.
DEGREES = regex.compile(r"(?<=\d[ \t]?)°[CСF](?!\p{L})")
_EDGES = regex.compile(r"(?<=^|[ \t])(?!" + DEGREES.pattern + r")([" + regex.escape(EDGE_SPECKS) + r"]+)(?=\p{L})"
                       r"|(?<=\p{L}[" + regex.escape(PUNCTUATION) + r"]?)([" + regex.escape(EDGE_SPECKS) + r"]+)(?=[ \t]|$)", regex.M)

# Typographic quotes no typewriter had: at a word's edge ('“онсулу', '„РГАНОВ', 'одн”') the OCR
# read a letter for one. They are proposed only as that letter (the corrector's speck_letter),
# never removed: a real quote („Правда“) stays, as no letter makes its word a better one.
QUOTE_MARKS = tables.marks("quote")
_QUOTE_OPENING = regex.compile(r"(?<=^|[ \t])([" + QUOTE_MARKS + r"])(?=\p{L})", regex.M)  # (closing: END_MARKS)

# A comma, semicolon or colon closing a word may be the word's last letter, damaged and read as a
# mark ('Наркомздрав проси, обязать' for 'просит', 'какой отве, дать' for 'ответ'). Such marks are
# proposed only as that letter (the corrector's speck_letter), never removed, and only after a word
# the OCR doubted (the corrector checks its confidence): a mark after a word read surely is punctuation.
CLOSING_MARKS = tables.marks("closing")

# A mark no typist set at a word's end: a guillemet, an angle bracket or a slash before a space or a
# mark of punctuation ('на юг>', 'отряд»', 'Молотов/,', 'необходимы»:'), a typographic quote before a
# mark of punctuation ('Молотов“,'; before a space: quote_edges), or the first of two marks of
# punctuation ('колхозам,.', 'год,.'): the OCR's reading of the word's damaged last letter. Proposed
# only as that letter (the corrector's speck_letter), never removed; a quote or guillemet in a
# paragraph that opened one before the word closes it and is left alone, and so is a mark that also
# opens the word ('ВКП/б/'). The mark itself is the evidence a letter was there: the letter that fits
# best is read even where the word without it is known ('отпустит>' -> 'отпустить').
LETTER_MARKS = tables.marks("letter")

# One mark standing just after a word's last letter, by what follows it (a space or the line's end; or one
# mark of punctuation, then a space or the line's end): what each is read as. mark -> (its kind before a
# space, its kind before a mark of punctuation, the marks of punctuation that may follow it).
END_MARKS = {
    **{mark: ("edge-quote", "letter-mark", PUNCTUATION) for mark in QUOTE_MARKS},  # quote_edges; letter_marks
    **{mark: ("closing-mark", "letter-mark", "." + CLOSING_MARKS) for mark in CLOSING_MARKS},  # closing_marks; letter_marks
    **{mark: ("letter-mark", "letter-mark", PUNCTUATION) for mark in LETTER_MARKS},  # letter_marks
}
_END_MARK = regex.compile(r"(?=[" + regex.escape("".join(END_MARKS)) + r"])(?<=\p{L})([" + regex.escape("".join(END_MARKS))
                          + r"])(?=([" + regex.escape(PUNCTUATION) + r"])?(?:[ \t]|$))", regex.M)


@lru_cache(maxsize=1)  # (the three entries that read these ask of the same text in turn)
def _end_marks(text: str) -> dict[str, tuple[int, ...]]:
    """The offsets of the marks standing just after a word's last letter (END_MARKS), by kind, in text order."""
    found: dict[str, list[int]] = {"edge-quote": [], "closing-mark": [], "letter-mark": []}
    for m in _END_MARK.finditer(text):
        before_space, before_mark, marks = END_MARKS[m.group(1)]
        follow = m.group(2)
        if follow is None:
            found[before_space].append(m.start())
        elif follow in marks:
            found[before_mark].append(m.start())
    return {kind: tuple(at) for kind, at in found.items()}  # (kept by the cache: not to be changed)


def quote_edges(text: str) -> list[Candidate]:
    """The typographic quotes at a word's edge, as removals for the corrector to read as a letter."""
    at = sorted([*(m.start() for m in _QUOTE_OPENING.finditer(text)), *_end_marks(text)["edge-quote"]])
    return [Candidate(start, start + 1, "", "edge-quote", "typographic quote at a word's edge") for start in at]


def closing_marks(text: str) -> list[Candidate]:
    """The commas, semicolons and colons closing a word, as removals for the corrector to read as a letter."""
    return [Candidate(start, start + 1, "", "closing-mark", "a mark closing a word")
            for start in _end_marks(text)["closing-mark"]]


OPENING_MARKS = tables.marks("opening")
CLOSING_QUOTES = tables.marks("closing_quote")
QUOTATION_REACH = 2000  # characters a quotation is looked for before a closing quote (its paragraph at most)
_WORD_BEFORE_MARK = regex.compile(r"\p{L}+$")


def letter_marks(text: str) -> list[Candidate]:
    """The marks at a word's end that stand for its last letter (see LETTER_MARKS), as removals for
    the corrector to read as a letter."""
    edits = []
    for start in _end_marks(text)["letter-mark"]:
        line_start = text.rfind("\n", 0, start) + 1
        # a quotation opened before the word, on its line, or in its paragraph for a closing quote
        quote = text[start] in CLOSING_QUOTES
        opened_from = max(0, text.rfind("\n\n", 0, start), start - QUOTATION_REACH) if quote else line_start
        if text[start] not in CLOSING_MARKS and (_open_quotation(text[opened_from:start]) if quote else any(
                c in OPENING_MARKS for c in text[opened_from:start])):
            continue  # '«Правда»', '„Правда“,': a quotation closed (not one closed before: '"Енбек" ... отряд»')
        word = _WORD_BEFORE_MARK.search(text, line_start, start)
        if word is not None and word.start() > 0 and text[word.start() - 1] == text[start]:
            continue  # 'ВКП/б/': the same mark opening the word, a bracket
        edits.append(Candidate(start, start + 1, "", "letter-mark", "a mark closing a word where no typist set one"))
    return edits


def _open_quotation(span: str) -> bool:
    """A quotation opened in ``span`` is still open at its end: each opening mark counted against the closing
    marks after it (OPENING_MARKS, CLOSING_QUOTES: « », „ “ or ”, “ ”, a straight quote opening and closing in
    turn); a closing mark with no quotation open is taken for a damaged letter's, as the caller reads it."""
    depth = 0
    straight = False
    for c in span:
        if c == '"':
            straight = not straight
        elif c in OPENING_MARKS:
            if c not in CLOSING_QUOTES:
                depth += 1
            else:  # “ closes „ (Russian) or opens (English)
                depth = depth - 1 if depth else depth + 1
        elif c in CLOSING_QUOTES:
            depth = max(0, depth - 1)
    return depth > 0 or straight


# A speck read as the letter о at the end of a sentence's line, before a numbered item:
# 'безопасности. о' / '3. Командование'. (A preposition о cannot follow a sentence end
# in lower case, and before a numbered line it has nothing to govern.)
_SPECK_O = regex.compile(rf"(?<=[.;:!?])[ \t]+{regex.escape(_WORDS['speck_o'])}(?=[ \t]*\n[ \t]*\d)")


# A speck read as a period where a space was typed: two words glued by a period ('в ожидании.ремонта',
# 'за.девять', 'на.8 процентов'). A typed period is followed by a space, but after an abbreviation
# ('тыс.руб', 'т.е.', 'с.г.', 'тов.Литвинова'), so the word before it must be a dictionary word that is no
# abbreviation (the caller's ``plain_word``): of four letters or more, or a preposition (the short words
# are where abbreviations lie: 'зав.', 'коп.', 'ст.'); after a preposition a number may follow.
_LEFT_WORD = regex.compile(r"(?<![\p{L}\d.])\p{L}{2,}$")  # the word a glued period closes (searched up to it)
_RIGHT_WORD = regex.compile(r"(\p{Ll}{2,}|\d+)(?![\p{L}\d]|\.\p{L})")  # ... and the one it opens
GLUED_PERIOD_MIN_LETTERS = 4


def glued_periods(text: str, plain_word: Callable[[str], bool], preposition: Callable[[str], bool]) -> list[Candidate]:
    """A period between two words, with no space after it, read as the space it hides (kind ``speck``:
    a speck read as a period), when the word before it is a ``plain_word`` (a dictionary word, no
    abbreviation nor name) of GLUED_PERIOD_MIN_LETTERS letters or more, or a ``preposition``, and the
    word after it a lower-case ``plain_word``, or a number after a preposition."""
    edits = []
    at = text.find(".")
    while at != -1:  # (the periods found by str.find: a pattern over the whole text costs more)
        nxt = text[at + 1:at + 2]
        if at and text[at - 1].isalpha() and (nxt.islower() or nxt.isdigit()):
            left_match = _LEFT_WORD.search(text, max(0, at - 40), at)
            right_match = _RIGHT_WORD.match(text, at + 1)
            if left_match and right_match:
                left, right = fold(left_match.group()), right_match.group(1)
                before_preposition = preposition(left)
                if ((before_preposition or not right.isdigit() and len(left) >= GLUED_PERIOD_MIN_LETTERS)
                        and plain_word(left) and (right.isdigit() or plain_word(fold(right)))):
                    edits.append(Candidate(at, at + 1, " ", "speck",
                                           "a speck read as a period between two words, where a space was typed"))
        at = text.find(".", at + 1)
    return edits


def specks(text: str) -> list[Candidate]:
    """Stand-alone runs of specks ('. -', '|', '°', a lone 'ы' or 'Ь') and speck marks stuck to a word's
    edge ('‘дивизии')."""
    edits = []
    for m in _STANDALONE.finditer(text):
        run = m.group()
        if all(c in DASHES or c.isspace() for c in run):
            continue  # a typed dash between words ('Яркенд - Янги-Гиссар', '- 38 -')
        start, end = m.start(), m.end()
        # take one neighbouring space with it so no double space is left
        if start > 0 and text[start - 1] in " \t":
            start -= 1
        elif end < len(text) and text[end] in " \t":
            end += 1
        edits.append(Candidate(start, end, "", "speck", "specks standing alone removed"))
    for m in _EDGES.finditer(text):
        edits.append(Candidate(m.start(), m.end(), "", "edge-speck", "speck stuck to a word removed"))
    for m in _SPECK_O.finditer(text):
        edits.append(Candidate(m.start(), m.end(), "", "speck-o", "speck read as 'о' after a sentence, before a numbered item"))
    return edits
