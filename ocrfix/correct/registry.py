"""The corrector's candidate generators, declared in one registry.

Each entry has a name, a version (raised when what it proposes changes), one line
saying what it proposes, and the function that proposes: it reads the text through
the corrector it is given and offers candidates (:class:`~ocrfix.correct.scoring.Candidate`:
a span, its replacement, the kind of repair and its evidence) with ``corrector.add``
(which refuses only a candidate inside a protected span), or protects spans with
``corrector.protect``. Every candidate is scored on one scale (scoring.py: the error
model's cost, frequency and the collection, agreement with the neighbours, the learned
prior of its kind), and one resolver keeps, among overlapping candidates, the best
scored; the declared order only breaks ties. A candidate whose evidence is a span of the text
(a sentence's period for the capital after it) names it (``Candidate.relies``), and is not made
when a chosen candidate edits that span (scoring.resolve). The guards are constraints: ``protections``
proposes nothing, it marks what no later entry may touch (markup, identifiers, unknown
short abbreviations, words the OCR was sure of), and ``line-hyphens`` keeps the halves
of a word hyphenated at a line end from being corrected apart. The correct stage's
``Step`` lists the entries that ran, by name and version.

An entry with ``enabled=False`` is declared but not run (kept with the measurement that
switched it off); ``scripts/bench_correct.py --ablate`` switches each entry off in turn
on the development part and reports what it pays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from ocrfix.config import CorrectConfig
from ocrfix.correct import case_slips, context, marks, roman, sentences, structural, years
from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.gaps import gap_joins
from ocrfix.correct.inner_marks import edge_digits, inner_marks
from ocrfix.correct.list_labels import list_labels
from ocrfix.correct.pitch import Cells
from ocrfix.correct.real_words import number_prepositions, real_word_edits
from ocrfix.correct.scoring import Candidate
from ocrfix.correct.sentences import Words
from ocrfix.correct.tokens import Token, one_letter_word
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import has_yo


class Corrector(Protocol):
    """What the corrector (engine.py, which runs the registry) offers its generators."""

    text: str
    tokens: list[Token]
    keys: list[str]
    words: Words
    config: CorrectConfig
    lexicon: Lexicon
    vocab: Vocabulary
    collection: CollectionLexicon
    model: ErrorModel
    judged: set[int]
    cells: Cells | None  # what the words' boxes say of their cells (pitch.py); None for a text alone

    def add(self, edit: Candidate | None) -> bool: ...
    def add_case(self, candidate: Candidate | None) -> bool: ...
    def add_sure(self, candidate: Candidate | None) -> bool: ...
    def protect(self, start: int, end: int, *, sure: bool = False) -> None: ...
    def free(self, start: int, end: int) -> bool: ...
    def joinable(self, start: int, end: int) -> bool: ...
    def add_join(self, candidate: Candidate | None) -> bool: ...
    def free_tokens(self) -> list[tuple[int, Token]]: ...
    def weak_tokens(self) -> list[int]: ...
    def deliberate_capitals(self) -> bool: ...
    def keeps_yo(self) -> bool: ...
    def speck_letter(self, edit: Candidate, *, lost: bool = False) -> Candidate | None: ...
    def lone_preposition(self, edit: Candidate) -> Candidate | None: ...
    def confidence(self, index: int) -> float | None: ...
    def offered(self, pos: int) -> str: ...
    def offered_small(self, index: int) -> bool: ...
    def offered_capital(self, index: int) -> bool: ...
    def doubted_before(self, pos: int) -> bool: ...
    def protect_tokens(self) -> None: ...
    def line_hyphens(self) -> None: ...
    def word(self, token: Token, index: int) -> Candidate | None: ...
    def short_word(self, token: Token, index: int, key: str) -> Candidate | None: ...
    def links(self, key: str, start: int, end: int) -> int: ...


@dataclass(frozen=True)
class Generator:
    name: str
    version: int
    proposes: str
    run: Callable[[Corrector], None]
    enabled: bool = True

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


def _add_all(corrector: Corrector, edits: Iterable[Candidate]) -> None:
    for edit in edits:
        corrector.add(edit)


def _roman_dates(c: Corrector) -> None:
    for edit in roman.roman_dates(c.text, c.offered):
        if c.add(edit):
            c.protect(edit.start, edit.end)  # no word search reads the month as a word ('20.Уттт.37' is no 'Утят')


def _roman_numerals(c: Corrector) -> None:
    numerals, keep = roman.roman_numerals(c.text)
    for edit in numerals:
        if c.add(edit):
            c.protect(edit.start, edit.end)  # no mark in it is read as a word's letter ('Т\' is IV, not 'ТО')
    for start, end in keep:
        c.protect(start, end)


def _specks(c: Corrector) -> None:
    specks = structural.specks(c.text)
    if c.config.remove_specks:
        for edit in specks:
            c.add(c.speck_letter(edit) or (c.lone_preposition(edit) if edit.kind == "speck" else None) or edit)
        for edit in structural.quote_edges(c.text):  # a letter, or nothing: a quote may be one
            c.add(c.speck_letter(edit))
        for edit in structural.closing_marks(c.text):  # a letter only after a word the OCR doubted
            if c.doubted_before(edit.start):
                c.add(c.speck_letter(edit))
        _add_all(c, structural.glued_periods(c.text, lambda key: _plain_word(c, key),
                                             context.GOVERNMENT.__contains__))
    if specks:  # sentences are judged without them ('резервного :' / 'Фонда')
        c.words = replace(c.words, plain=sentences.blank(c.text, ((e.start, e.end) for e in specks)))


def _letter_marks(c: Corrector) -> None:
    # not under remove_specks, which governs dirt (specks standing alone, or at a word's edge: the specks
    # entry): these are marks no typist set at a word's end, a letter misread, as inner-marks' inside one
    for edit in structural.letter_marks(c.text):
        c.add(c.speck_letter(edit, lost=True))


def _typed_marks(c: Corrector) -> None:
    for edit in marks.leading_marks(c.text):  # a lost first letter ('и :еобходимое'), or a speck before a word
        letter = c.speck_letter(edit) if c.config.remove_specks else None
        c.add(letter if letter is not None else edit if marks.known_after(c.text, edit.end, c.vocab.known) else None)
    _add_all(c, marks.phrase_periods(c.words, c.lexicon, c.free))
    _add_all(c, marks.periods_before_commas(c.words, c.lexicon))
    _add_all(c, marks.open_hyphens(c.words, c.lexicon))
    _add_all(c, marks.offered_periods(c.text, c.offered, c.lexicon))


def _plain_word(c: Corrector, key: str) -> bool:
    """A word a dictionary or a curated list has (not only the web frequency list), neither an
    abbreviation nor a name."""
    return not c.vocab.weak(key) and not c.lexicon.is_abbreviation(key) and not context.is_proper_name(key)


def _split_joins(c: Corrector) -> None:
    tokens = c.tokens
    for i in structural.split_join_pairs(tokens, c.keys, c.text, c.weak_tokens()):
        token, nxt = tokens[i], tokens[i + 1]
        # a word read surely is joined with its letters kept (add_join), but two read surely stay two
        if (c.free(token.start, token.end) or c.free(nxt.start, nxt.end)) and c.joinable(token.start, nxt.end):
            c.add_join(structural.split_word_join(token, nxt, c.text, c.vocab.known_cached, c.vocab.zipf,
                                                  (c.keys[i], c.keys[i + 1]), c.vocab.weak))


def _gap_joins(c: Corrector) -> None:
    # a pair's readings best first: the best one the join's guard admits (Corrector.add_join: a piece read
    # surely keeps its letters; 'сост ва' is 'состава', not the likelier 'состав' that swaps them)
    for readings in gap_joins(c.tokens, c.keys, c.text, c.vocab, c.model, c.joinable, c.weak_tokens()):
        any(c.add_join(edit) for edit in readings)


def _inline_hyphens(c: Corrector) -> None:
    for _, token in c.free_tokens():
        if "-" in token.text:
            c.add(structural.inline_hyphen_join(token, c.vocab.known))


def _words(c: Corrector) -> None:
    for i, token in c.free_tokens():
        edit = c.word(token, i)
        if edit is not None:
            c.judged.add(i)
            c.add(edit)
    # a word of two letters no dictionary has, read surely: Tesseract's confidence protects words, and it is none
    # ('ча берегу' -> 'на'; Corrector.add_sure)
    for i, key in enumerate(c.keys):
        if len(key) == 2:
            token = c.tokens[i]
            if not c.free(token.start, token.end) and c.add_sure(c.short_word(token, i, key)):
                c.judged.add(i)


def _yo(c: Corrector) -> None:
    if c.keeps_yo():
        return
    for i, token in c.free_tokens():
        # (a ё where the dictionary writes it, 'Жигулёвские', 'всё', was typed: a speck lands over any е)
        if i not in c.judged and has_yo(token.text) and not context.yo_written(token.text.lower()):
            c.add(Candidate(token.start, token.end, token.text.replace("ё", "е").replace("Ё", "Е"), "yo",
                       "ё written as е (period typewriters had none: the OCR read a speck over е)"))


def _add_cases(corrector: Corrector, edits: Iterable[Candidate]) -> None:
    """:func:`_add_all` for changes of case alone (Corrector.add_case: on sure words too)."""
    for edit in edits:
        corrector.add_case(edit)


def _common_capitals(c: Corrector) -> None:
    if c.config.use_context:
        _add_cases(c, case_slips.common_capitals(c.words, c.lexicon, c.deliberate_capitals, c.offered_small))
    # a one-letter preposition or conjunction in capitals read surely ('колхозов И призывают'): the word search
    # proposes it on the words no protection holds (Corrector.word), the confidence protecting none of its case
    # (not after a comma, which may be a misread period: 'мягкости, В конце')
    _add_cases(c, (case_slips.capital_preposition(c.words, i, after_comma=False) for i, token in enumerate(c.tokens)
                   if i not in c.judged and token.text.isupper() and one_letter_word(token.text)))


def _line_starts(c: Corrector) -> None:
    _add_cases(c, case_slips.sentence_starts(c.words, c.lexicon, c.confidence, c.vocab.known_cached, c.offered_capital))


def _real_words(c: Corrector) -> None:
    if c.config.real_word_errors:
        # one pass over the free words and those of two letters: a word of two letters read surely that a preposition
        # the next word's case asks for is one cheap confusion from ('го телефону' -> по): Tesseract's confidence
        # protects words, and it is none there (as Corrector.add_sure)
        edits = list(real_word_edits(c.words, c.vocab, c.model, lambda start, end: end - start == 2 or c.free(start, end)))
        free = [c.free(edit.start, edit.end) for edit in edits]
        _add_all(c, (edit for edit, f in zip(edits, free) if f))
        for edit, f in zip(edits, free):
            if not f and edit.kind == "preposition":
                c.add_sure(edit)
        _add_all(c, number_prepositions(c.text, c.words, c.lexicon, c.model, c.free))


GENERATORS: tuple[Generator, ...] = (
    Generator("roman-dates", 6, "Roman-numeral months read as Cyrillic letters in dates (15. УП. 36г.; I as a bracket: "
              "14.]Х.37г.; read through the characters Tesseract offered where the ones read spell no date: 4.Х:.37); "
              "protects the date: a month between a day and a year is no word", _roman_dates),
    Generator("comrades", 3, "'т.т.' (comrades) with a case slip; 'Тов.' or 'Т.т.' after a colon or a dash inside a "
              "line (СССР - Тов. -> тов.)", lambda c: _add_all(c, structural.comrades(c.text))),
    Generator("party-name", 2, "ВКП(б) with misread brackets or б", lambda c: _add_all(c, structural.party_name(c.text))),
    Generator("brackets", 2, "a bracketed phrase read with a space inside a bracket or a curly or square bracket "
              "for a round one ({ КАРИМОВ ) -> (КАРИМОВ)); a list label's too (обувь; в} качество -> в))",
              lambda c: _add_all(c, [*structural.bracket_spaces(c.text), *structural.label_brackets(c.text)])),
    Generator("clock-minutes", 2, "the minutes' м. of a time read as и.",
              lambda c: _add_all(c, structural.clock_minutes(c.text))),
    Generator("number-spacing", 2, "the space a typist set between a number and a sign or abbreviation, lost in "
              "the OCR, where the word's box spans its cell (№1 -> № 1, 21ч. -> 21 ч.; nothing without boxes)",
              lambda c: _add_all(c, structural.number_spacing(c.text, c.cells))),
    Generator("year-words", 3, "the word after a year (т. -> г., гр. -> гг., гога -> года)",
              lambda c: _add_all(c, years.year_words(c.text, c.vocab.zipf))),
    Generator("roman-numerals", 4, "Roman numerals of numbered items read as Cyrillic (1У -> IV; V read as a backslash, or "
              "as two characters: Т\\У -> IV); protects real ones and the numerals it reads",
              _roman_numerals),
    Generator("specks", 13, "stand-alone specks removed (not a temperature's degree sign: 180 °C; a mark alone between "
              "two words read for the lost preposition of one letter that governs the next word: производился ‹ большими "
              "-> с), a mark (or a typographic quote, or a comma, semicolon "
              "or colon closing a word the OCR doubted) at a word's edge read as the lost letter (the one that fits "
              "best by frequency and agreement with the neighbours, or that Tesseract offered; the word it completes held "
              "as a word read surely is, so that a join through the mark may still compete: металличес ‹ие; a speck standing "
              "just after a word too: тольк › -> только), a period "
              "glued between two words read as the space (ожидании.ремонта)", _specks),
    Generator("mark-letters", 4, "a mark no typist set at a word's end (a guillemet, angle bracket or slash, a "
              "typographic quote before punctuation, the first of two marks of punctuation) read as the lost last "
              "letter that fits best by frequency and agreement with the neighbours (the word without it known too: the mark "
              "is the evidence), unless a quotation still open (not one closed before it: \"Енбек\" ... отряд» -> отряды) or the "
              "same mark opening the word explains it "
              "(на юг> -> юге, колхозам,. -> колхозами.)", _letter_marks),
    Generator("list-labels", 3, "a lettered list's label read as a digit (а) ... 6) ... в) -> б)), and the comma "
              "closing an item before the next read as the semicolon (золоте, / б) -> золоте;); a numbered item's "
              "closing period read as a comma or lost (карантин, / 2. Все -> карантин.)",
              lambda c: _add_all(c, list_labels(c.text, c.model, c.free))),
    Generator("typed-marks", 7, "marks against the typewriter's conventions: a mark glued to a word's start "
              "(во .все), a period inside a phrase (до. наших, закупочные. цены) or before a comma, a hyphen "
              "glued to a word before a space (removed: specks); a comma Tesseract also read "
              "as a period, before a capital that is no name (еволюции, Утром)", _typed_marks),
    Generator("protections", 6, "nothing: protects markup, identifiers, short abbreviations, a word in capitals "
              "cut short before a period (ДАЛЬНЕВ.), a temperature's unit (180 °C), sure words",
              lambda c: c.protect_tokens()),
    Generator("line-hyphens", 2, "halves of a word hyphenated at a line end kept (or joined when configured)",
              lambda c: c.line_hyphens()),
    Generator("split-joins", 10, "a word split by a space (or a lost ъ) joined; a space beside a compound's hyphen removed "
              "(Восточно -Казахстанской) or a name's, both parts capitalised (Кош -Агач); a word Tesseract read surely "
              "too, its letters kept (пост авщикам), but not "
              "with a letter alone; before a period too, but for a piece an abbreviation may be (нару шителей.); a piece "
              "read as a word of its own (a preposition, conjunction or particle, a word of one letter, a common word) "
              "only with its letters kept, unless Tesseract doubted it (Corrector.add_join)", _split_joins),
    Generator("gap-joins", 12, "a word broken in two by a damaged letter read as a space or marks (an exclamation mark or a "
              "straight double quote too) joined (строи гельство, с. арые: a mark in the gap counts as a letter of the word, "
              "о..ытных; with a listed confusion besides the edit at the gap: произв“ цился), a word in capitals too "
              "(ЗДРАВООХ: АНЕНИЯ), and a fragment of one letter across marks, or beside a space where it is none of the words "
              "of one letter (С, еднесуточная; выдава ь), unless a period makes it an abbreviation (т.т.); a word Tesseract read "
              "surely too, its letters kept (Актюбиг ского), and so a piece read as a word of its own unless Tesseract "
              "doubted it (товари на is not товарища, погрузк, не not погрузке); across a space, a fragment only the web "
              "list knows is no word against a dictionary word keeping its letters, and the best reading the guard "
              "admits is made (сост ва -> состава)",
              _gap_joins),
    Generator("inline-hyphens", 2, "a hyphen inside a word joined (гото-во)", _inline_hyphens),
    Generator("inner-marks", 11, "a mark, or a run of two, inside a word read for the letter it hides "
              "(истор“и -> истории, д>^ле -> деле, ОРГАН.В -> ОРГАНОВ; an exclamation mark, a straight double quote, a plus or "
              "an equals sign too: скол+ко), and a "
              "digit alone between letters (Лит5инову -> Литвинову; "
              "such a word is no identifier when a letter there makes it known); where the mark's letter alone makes no word, "
              "with one listed confusion besides it (по!раниччые -> пограничные)",
              lambda c: _add_all(c, inner_marks(c.text, c.vocab, c.model, c.links if c.config.use_context else None))),
    Generator("edge-digits", 1, "a digit glued to a word's first letter read for the letter it is a listed confusion "
              "for, where that makes a known word (0бследованием -> Обследованием; not a numbered label: 3а)",
              lambda c: _add_all(c, edge_digits(c.text, c.vocab, c.model))),
    Generator("words", 32, "each word against the lexicon and the error model: non-words (of one or two letters "
              "too, alone before a word: зё границу -> за; read surely too: ча берегу -> на), Latin look-alikes (not a Roman numeral: в XX веке), "
              "case slips (a capital whose small letter differs kept: ЕГо -> Его), names (one edit of any kind where "
              "Tesseract doubted the word: Касноводской), glued short words (not a letter read twice: ввопросе -> "
              "вопросе), halves "
              "of hyphenated words, the one unknown part of a "
              "hyphenated word (of a name too, every part capitalised, where Tesseract doubted it: Бенцер-Шахе), "
              "close readings settled by agreement with the neighbours (a preposition governing the next word's case: "
              "ерез границу -> через), known words Tesseract's own alternatives read as a more common word or one that agrees "
              "better (by what it adds to the printed word's own agreement) "
              "(дань -> день), a lower-case word known only as a name weighed as a weakly known one (сорск -> сорок), "
              "a piece glued to a mark before it left to the repairs that read the mark (>апасных), "
              "searches started again from a letter Tesseract offered; in a text that writes ё, "
              "the words it changes written with ё", _words),
    Generator("yo", 3, "ё written as е where the collection writes none, but where a dictionary reading writes "
              "it (всё, ещё: typed so)", _yo),
    Generator("upper-runs", 5, "capitals inside a lower-case sentence lowered (not its first word)",
              lambda c: _add_all(c, case_slips.upper_runs(c.words, c.lexicon))),
    Generator("common-capitals", 9, "a word capitalised inside a sentence, where its neighbours ask for lower "
              "case and nothing explains the capital: a function word or verb (рассказала, Что её -> что), a "
              "preposition governing the word after it (тифа Из аула -> из), or a "
              "common word no name begins with (решения Вопросов на -> вопросов); a one-letter preposition or "
              "conjunction in capitals (колхозов И призывают -> и; a preposition before a name too: складов В Хоргосе -> в); on sure words too; not where a "
              "chosen repair edits the gap before it (a comma made a period)",
              _common_capitals),
    Generator("line-starts", 10, "a sentence's first word at a line's start read in lower case, after a line ending "
              "with a period Tesseract was sure of (проводилась. / приняты -> Приняты; after a name in capitals too: "
              "тов. СМИРНОВУ. / вчера -> Вчера) or a paragraph's last line "
              "ending a sentence (ликвидации. / вспышка -> Вспышка); anywhere a sentence may begin (the text's "
              "start, after a word's period) where Tesseract offered the capital (секретно. -> Секретно.); "
              "on sure words too; not where a chosen repair removes or changes the mark (мокрый. двор)",
              _line_starts),
    Generator("capital-lines", 2, "a word read in lower (or title) case in a line of capitals, every small letter "
              "of it a capital of the small letter's shape ((попок) -> (ПОПОК), (Лившиц) -> (ЛИВШИЦ)); on sure "
              "words too",
              lambda c: _add_cases(c, case_slips.capital_lines(c.words))),
    Generator("place-capitals", 1, "a place a curated list writes with a capital, read in lower case where its first "
              "letter's capital has the small letter's shape (через чугучак -> Чугучак; not a place's adjective, "
              "синьцзянской, nor a sentence's first word); on sure words too",
              lambda c: _add_cases(c, case_slips.place_capitals(c.words, c.lexicon))),
    Generator("real-words", 5, "a known word another fits better among its neighbours (бить -> быть); a word of two "
              "letters the preposition the next word's case asks for, read surely too (го телефону -> по); a number "
              "read for the preposition the next word's case asks for (0 ходе -> О ходе)", _real_words),
)


def running(off: Iterable[str] = ()) -> tuple[Generator, ...]:
    """The entries that run: the enabled ones, but for those named in ``off``."""
    off = frozenset(off)
    unknown = off - {g.name for g in GENERATORS}
    if unknown:
        raise ValueError(f"no candidate generator named {', '.join(sorted(unknown))}")
    return tuple(g for g in GENERATORS if g.enabled and g.name not in off)
