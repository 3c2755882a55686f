"""Case slips: capitals where the sentence needs lower case ('на Себя', 'караванов
С шерстью', 'командование ДИВИЗИИ ГОТОВО'), told apart from the capitals of names,
abbreviations and sentence starts. Each function proposes :class:`~ocrfix.correct.scoring.Candidate` records; the
corrector scores them and keeps the best of those that overlap. (Slips inside a word, 'КВжД', are
the corrector's: their repair may need the candidate search.)"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from ocrfix.correct import context, roman, tables
from ocrfix.correct.scoring import Candidate, Evidence
from ocrfix.correct.sentences import SENTENCE_END, Words, abbreviation_period
from ocrfix.correct.tokens import Token, blank_before, case_shape, glued_span, lone_letter, one_letter_word
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold
from ocrfix.lexicon.sources import ABBREVIATION, DOMAIN, NAME, PLACE, web_only

# Capitals whose lower case is the same shape, smaller ('С'/'с'): the ones an OCR can read in the
# wrong case. 'Ему' cannot be a misread 'ему' (Е and е differ), so a capital there was typed.
CASE_LOOKALIKE_CAPITALS = frozenset(tables.column("case_lookalike_capitals"))
DELIBERATE_CAPITALS = 3  # a text with this many capitalised function words inside sentences writes them so
PARAGRAPH_END = 0.8  # a paragraph's last line is shorter than this share of the text's longest line
UPPER_RUN_MIN_ZIPF = 3.0  # every word of a run in capitals this common at least ...
UPPER_WORD_MIN_ZIPF = 4.0  # ... and a single word in capitals this common


def capital_preposition(words: Words, index: int, *, after_comma: bool = True) -> Candidate | None:
    """'караванов С шерстью', 'т. Назаровым, В ауле': a one-letter preposition or conjunction in
    capitals between two lower-case words of one sentence, or (``after_comma``) after a comma and before
    a lower-case word (not an initial: no period after it). Without ``after_comma`` no comma may stand
    before it (a misread period: 'до мягкости, В конце')."""
    token = words.tokens[index]
    neighbours = words.between_lower_words(index, after_comma=after_comma) or _before_name(words, index)
    if neighbours is None or words.text[token.end:token.end + 1] != " ":
        return None
    before, after = neighbours
    if words.text[before.end:token.start].strip() not in (("", ",") if after_comma else ("",)):
        return None  # a quotation's or a title's first word ('указ № 123 «О мерах'), a number's ('на 5 В')
    if len(after.text) < 2 or words.sentence_start(token):
        return None
    if roman.is_numbering_word(before.text) or roman.is_numbering_word(after.text):
        return None  # 'пункту А настоящего': a letter label; 'У квартала': maybe a Roman V
    return Candidate(token.start, token.end, token.text.lower(), "capital-preposition", "capital one-letter word inside a sentence (case slip)")


def _before_name(words: Words, index: int) -> tuple[Token, Token] | None:
    """The neighbours of a preposition of one letter between a lower-case word and a capitalised one of its
    sentence ('складов В Хоргосе'): a name may follow a preposition, none begins with one."""
    if words.keys[index] not in context.GOVERNMENT:
        return None
    return words.between_lower_words(index, next_shape="title")


def lower_abbreviation(token: Token, key: str, lexicon: Lexicon) -> Candidate | None:
    """'Политбюро цк' -> 'ЦК': a curated abbreviation typed in capitals and read in lower
    case, unless the lower-case word is a word too ('сто' is a numeral as well as СТО)."""
    canonical = lexicon.canonical(key)
    if not canonical or not canonical.isupper() or len(key) < 2 or not lexicon.is_abbreviation(key):
        return None
    if not context.only_abbreviation(key):
        return None
    return Candidate(token.start, token.end, canonical, "lower-abbreviation", "an abbreviation typed in capitals, read in lower case")


def _capitalised_inside(words: Words) -> Iterator[int]:
    """The indices of the words of two letters or more the text writes in title case inside a sentence."""
    return (i for i, t in enumerate(words.tokens)
            if len(t.text) > 1 and case_shape(t.text) == "title" and not words.sentence_start(t))


def capitalised_function_words(words: Words) -> int:
    """How many common function words of the text are capitalised inside a sentence."""
    return sum(1 for i in _capitalised_inside(words)
               if context.is_common_function_word(words.keys[i]))  # (the dictionary last: it is the slow test)


_OPENING_MARKS = tables.marks("opening")


def misread_capital(words: Words, edit: Candidate, index: int, lexicon: Lexicon) -> Candidate:
    """'посылке Нросимой им' -> 'просимой': when the capital letter is itself the OCR
    error (Н for п) in the middle of a sentence and the word found is no name, the word
    takes the sentence's lower case rather than the misread capital. A word no dictionary has (one
    of the collection's, 'Щиряевке' -> 'Ширяевка' in a text that writes it, or one only the web
    frequency list knows, sources.web_only: it holds many surnames and places in some of their
    forms) may be a name, and keeps the capital; so does a word a curated list writes with a capital (an
    institution, 'Тосбанку' -> 'Госбанку'), and so does a word just after an opening quotation mark (a
    title's first word: газеты "Гравда" -> "Правда")."""
    found = fold(edit.replacement)
    entry = lexicon.lookup(found)  # (zipf, flags): one look-up
    if (found[:1] == words.keys[index][:1] or entry is None or web_only(entry[1])
            or entry[1] & (NAME | PLACE | ABBREVIATION) or entry[1] & DOMAIN and _listed_capitalised(found, lexicon)):
        return edit
    if not words.lower_context(index) or case_shape(edit.replacement) != "title":
        return edit
    if edit.start and words.text[edit.start - 1] in _OPENING_MARKS:
        return edit  # a title's first word, capitalised on purpose: газеты "Гравда" -> "Правда"
    return replace(edit, replacement=edit.replacement.lower(),
                   reason=edit.reason + "; the misread capital inside a sentence written in lower case")


def _listed_capitalised(key: str, lexicon: Lexicon) -> bool:
    """A curated list writes the folded word with a capital (an institution's name, 'Госбанку'; lexicon.canonical)."""
    canonical = lexicon.canonical(key)
    return bool(canonical) and canonical[:1].isupper()


def typed_capital(word: str) -> bool:
    """The word begins with a capital whose small letter has another shape ('Его', 'Бы'): not one the OCR
    may have read for the small letter (CASE_LOOKALIKE_CAPITALS), so the typist typed it."""
    return word[:1].isupper() and word[:1] not in CASE_LOOKALIKE_CAPITALS


def mostly_upper(word: str) -> bool:
    """'КОМдИВ': capitals but for one letter, in a word of at least five letters."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 5 and sum(1 for c in letters if c.islower()) == 1


INNER_SLIP_MIN_LOWER = 4  # small letters around the one inner capital (not 'ПТи', 'ВКПб': abbreviations' shapes)


def inner_capital(word: str) -> bool:
    """'КУльдже', 'МУгур-Аксы': a capital, then small letters (each hyphenated part's first letter as
    written) but for one capital whose small letter has its shape (CASE_LOOKALIKE_CAPITALS: the OCR read
    the small letter larger), among INNER_SLIP_MIN_LOWER small ones at least."""
    parts = [[c for c in part if c.isalpha()] for part in word.split("-")]
    if not parts[0] or not parts[0][0].isupper():
        return False
    inner = [c for part in parts for c in part[1:] if c.isupper()]
    small = sum(1 for part in parts for c in part if c.islower())
    return len(inner) == 1 and inner[0] in CASE_LOOKALIKE_CAPITALS and small >= INNER_SLIP_MIN_LOWER


def upper_after_first(word: str) -> bool:
    """'гОМИТЕТ': every letter after a lower-case first one is a capital (at least two of them)."""
    rest = [c for c in word[1:] if c.isalpha()]
    return word[:1].islower() and len(rest) >= 2 and all(c.isupper() for c in rest)


def upper_runs(words: Words, lexicon: Lexicon) -> list[Candidate]:
    """Ordinary words typed in capitals in the middle of a lower-case sentence
    ('командование ДИВИЗИИ ГОТОВО направить'): a shift-lock slip of the OCR or the typist."""
    tokens = words.tokens
    edits = []
    i = 0
    while i < len(tokens):
        if case_shape(tokens[i].text) != "upper" or len(tokens[i].text) < 2:
            i += 1
            continue
        j = i
        while j < len(tokens) and case_shape(tokens[j].text) == "upper" and len(tokens[j].text) >= 2:
            j += 1
        run: list[Token] = tokens[i:j]
        before = tokens[i - 1] if i else None
        after = tokens[j] if j < len(tokens) else None
        keys = words.keys[i:j]
        ordinary = all(  # Russian words the lexicon knows as ordinary (not 'IV', not a name, not a word some
            # dictionary reading of which is an abbreviation or a name, written in capitals: 'по истории ССР на
            # языках', 'отчёт о работе УК за'; engine._mixed_case asks the same of a word in mixed case)
            not t.text.isascii() and key in lexicon and not lexicon.flags(key) & (DOMAIN | NAME | PLACE)
            and lexicon.zipf(key) >= UPPER_RUN_MIN_ZIPF and not context.is_proper_name(key)
            for t, key in zip(run, keys))
        if (ordinary and before is not None and after is not None
                and case_shape(before.text) == "lower" and case_shape(after.text) == "lower"
                and (len(before.text) > 1 or one_letter_word(before.text)) and len(after.text) > 1
                and (len(run) > 1 or lexicon.zipf(keys[0]) >= UPPER_WORD_MIN_ZIPF)
                and words.one_sentence(before.end, after.start)
                and not words.sentence_start(run[0])):  # not a sentence's first word ('7 дней. АД 130/85 мм')
            edits.extend(Candidate(t.start, t.end, t.text.lower(), "upper-run", "capitals inside a lower-case sentence (case slip)")
                         for t in run)
        i = j
    return edits


SENTENCE_MARKS = tables.marks("paragraph_end")  # the marks a paragraph's last line ends a sentence with


def _sentence_end_line(words: Words, index: int, line_start: int, lexicon: Lexicon) -> str | None:
    """The line before the one word ``index`` begins (at ``line_start``), when it ends a sentence with
    one of SENTENCE_MARKS right after a known word in lower case (or a name in capitals, 'тов. СМИРНОВУ.':
    :func:`_name_in_capitals`) whose period is no abbreviation's
    (sentences.abbreviation_period: '1937 г.', 'ЦК.', 'т.т.', '8 млн.', 'тов.': no full sentence before,
    or the abbreviation's own period; 'приняо.': a misread word, and maybe a speck for its period);
    None otherwise."""
    plain = words.plain
    end = blank_before(plain, line_start)  # (the end of the line before, blanks aside)
    if not end or plain[end - 1] not in SENTENCE_MARKS:
        return None
    previous, key = words.tokens[index - 1], words.keys[index - 1]
    if (previous.end != end - 1 or not (previous.text.islower() or _name_in_capitals(previous.text))
            or key not in lexicon or abbreviation_period(previous.text, lexicon)):
        return None
    return plain[plain.rfind("\n", 0, end) + 1:end]


NAME_IN_CAPITALS_MIN = 4  # letters of a word in capitals whose period may end a sentence ('тов. СМИРНОВУ.')


def _name_in_capitals(word: str) -> bool:
    """A word in capitals long enough to be no abbreviation's letters ('СМИРНОВУ', not 'ЦК', 'НКВД' as a
    rule: sentences.abbreviation_period is asked besides)."""
    return word.isupper() and word.isalpha() and len(word) >= NAME_IN_CAPITALS_MIN


def _short_line(words: Words, line: str) -> bool:
    """``line`` is a paragraph's last: PARAGRAPH_END of the text's longest line at most."""
    return len(line) <= PARAGRAPH_END * words.longest_line


# The readings that may begin a name or a title in capitals inside a sentence ('Советского
# правительства', 'Вторым Восточным отделом') or that a text capitalises on purpose ('Него', 'Ним'):
# a common capital inside a sentence is lowered only when no dictionary reading of the word is one.
_NAME_STARTERS = frozenset({"ADJF", "PRTF", "NPRO", "NUMR"})
_GOVERNED_GENITIVE = frozenset({"NOUN", "ADJF", "PRTF"})  # 'Комиссии партийного контроля', 'Института востоковедения'
NAME_HEADS = frozenset(tables.column("name_heads"))  # 'Комиссии партийного контроля': a capital on purpose
ADDRESS_PRONOUNS = frozenset(tables.column("address_pronouns"))  # 'сообщить Ваше мнение': a capital on purpose
COMMON_CAPITAL_MIN_ZIPF = 2.5  # a word this common at least (rarer ones are often proper adjectives, 'Семипалатинской';
# the adjectives and other name starters are refused whatever their frequency: this admits common nouns, 'Погрузку')
NEXT_WORD_MIN_ZIPF = 3.0  # ... before a word this common at least (not the piece of a broken word: 'Нарком агу')


def page_capitals(words: Words) -> dict[str, int]:
    """How often the page writes each word (by its lemmas, context.lemmas) with a capital inside a
    sentence: a word capitalised there twice is written so on purpose ('Союз', 'Комиссии')."""
    counts: dict[str, int] = {}
    for i in _capitalised_inside(words):
        for lemma in context.lemmas(words.keys[i]):
            counts[lemma] = counts.get(lemma, 0) + 1
    return counts


def common_capitals(words: Words, lexicon: Lexicon, deliberate: Callable[[], bool],
                    offered_small: Callable[[int], bool] = lambda index: False) -> list[Candidate]:
    """:func:`common_capital` for every word, but those the page capitalises inside a sentence
    elsewhere too (:func:`page_capitals`: any of its lemmas twice, 'Союз', 'Комиссии'), and none
    in a text that capitalises function words on purpose (a sermon's 'Тем, Кто': ``deliberate``,
    the corrector's count of :func:`capitalised_function_words`, asked once a slip is found); the
    page's capitals are counted only when a slip is found. ``offered_small(index)``: Tesseract offered
    the small letter for word ``index``'s capital (see common_capital)."""
    # (only a word whose first letter may be a misread small one is asked: common_capital's first test;
    # Tesseract's offer asked once a capital)
    found = [edit for index, token in enumerate(words.tokens)
             if token.text[:1].isupper()
             and ((offered := offered_small(index)) or token.text[:1] in CASE_LOOKALIKE_CAPITALS)
             and (edit := common_capital(words, index, lexicon, offered))]
    if found and deliberate():
        # such a text capitalises pronouns ('Тем, Кто', 'Его', 'Своим') and may capitalise nouns ('Отец'), never a
        # verb, an adverb, a preposition, a conjunction or a particle ('Кто Дал ему', 'и Уходим', 'Не Потому')
        found = [edit for edit in found if _never_deliberate(fold(edit.replacement))]
    if not found:
        return []
    capitals = page_capitals(words)
    return [edit for edit in found
            if all(capitals.get(lemma, 0) < 2 for lemma in context.lemmas(fold(edit.replacement)))]


_NEVER_DELIBERATE = context.VERB_OR_FUNCTION_POS | {"PRTS"}  # ... and a short participle


def _never_deliberate(key: str) -> bool:
    """Every dictionary reading of the word is of a kind no text capitalises on purpose inside a sentence
    (a verb, an adverb, a preposition, a conjunction, a particle: not a pronoun, a noun or an adjective)."""
    found = context.tags(key)
    return bool(found) and all(t.POS in _NEVER_DELIBERATE for t in found)


def common_capital(words: Words, index: int, lexicon: Lexicon, offered: bool = False) -> Candidate | None:
    """'решения Вопросов на месте', 'мягкой Тканью, не', 'учебников По истории', 'Мы Часто думаем',
    'рассказала, Что её', 'обращения к нему Навстречу': a dictionary word capitalised inside a sentence,
    where the evidence around it asks for lower case and nothing explains the capital:

    - the capital can be a misread small letter (CASE_LOOKALIKE_CAPITALS: not 'Его');
    - the word before it is a lower-case dictionary word or the sentence's first word, a space or a
      line break between, or a comma;
    - the word after it is a common lower-case word of the same sentence (NEXT_WORD_MIN_ZIPF:
      not the piece of a broken word, 'Нарком агу', 'через Ин, ию');
    - no curated list holds it, it is no pronoun of address (address_pronouns.tsv: 'Ваше мнение', capitalised
      on purpose), and either every dictionary reading of it is a function word, a verb
      or a pronoun (context.is_common_function_word: no name begins so), or it is a common word
      (COMMON_CAPITAL_MIN_ZIPF) that follows no comma (a list of names runs on after its commas), no reading of which is
      a name, an adjective, a participle, a pronoun or a numeral (which begin names and titles or are
      capitalised on purpose), that heads no institution's name (name_heads.tsv: 'Комиссии',
      'Института', even where the genitive after it is damaged: 'Комиссии партийно, о контроля') and,
      a noun, has no genitive noun or adjective after it (a capitalised head of a genitive phrase may
      be an institution's name: 'Комиссии партийного контроля', 'для Союза значительной');
    - (:func:`common_capitals`) the page does not capitalise it inside a sentence elsewhere, and the
      text does not capitalise function words on purpose.

    Its evidence is the agreement links it makes with its neighbours (a preposition governing its
    case, an adjective agreeing with it: 'к Уборке', 'повышенным Ценам'). Tesseract's confidence
    says nothing of the case of a letter whose capital has the small letter's shape, so the
    corrector offers it on words read at its protecting confidence too (``add_case``).

    ``offered``: Tesseract itself offered the small letter for the capital (its character
    alternatives): evidence from the reading that the capital may be a misread small letter, so the
    tests that stand in for it where the reading says nothing are not asked (the capital's shape; the
    word before it, a comma before it, the frequency of the word after it: 'Эхаби Добыча упала',
    'паровозов, Числящихся'); the word must still be inside a sentence, before a lower-case word of
    it (not a number: a form's field, 'Урумчи Отправлена 11.IX.37'), a common dictionary word, no
    name, and no reading of it may begin a name or head an institution's."""
    tokens, keys, text = words.tokens, words.keys, words.text
    if index == 0 or index + 1 >= len(tokens):
        return None
    token, key = tokens[index], keys[index]
    if len(token.text) < 2 or case_shape(token.text) != "title" or not (
            offered or token.text[:1] in CASE_LOOKALIKE_CAPITALS):
        return None
    if words.sentence_start(token):
        return None
    before, after = tokens[index - 1], tokens[index + 1]
    gap = text[before.end:token.start]
    if gap.strip() not in ("", ",") or not gap[-1:].isspace():
        return None
    if not offered and not (
            case_shape(before.text) == "lower" or case_shape(before.text) == "title" and words.sentence_start(before)):
        return None
    if not offered and (keys[index - 1] not in lexicon
                        or lone_letter(before.text)):
        return None
    if (case_shape(after.text) != "lower" or not offered and lexicon.zipf(keys[index + 1]) < NEXT_WORD_MIN_ZIPF
            or not words.one_sentence(token.end, after.start)):
        return None
    if any(c in SENTENCE_END for c in text[token.end:after.start]):
        return None
    found = [t for t in context.tags(key) if "Abbr" not in t.grammemes]  # (title case: 'По' is no 'ПО')
    if not found or lexicon.flags(key) & (DOMAIN | NAME | PLACE | ABBREVIATION) or context.lemmas(key) & ADDRESS_PRONOUNS:
        return None
    if not (context.is_common_function_word(key) or _governing_preposition(found, key, keys[index + 1])):
        # a reading of it may begin a name or a title
        if (gap.strip() and not offered) or lexicon.zipf(key) < COMMON_CAPITAL_MIN_ZIPF:
            return None
        if context.is_name(key) or any(t.POS in _NAME_STARTERS for t in found):
            return None
        if any(t.POS == "NOUN" for t in found) and (context.lemmas(key) & NAME_HEADS or (any(
                t.POS in _GOVERNED_GENITIVE and t.case == "gent" and "Abbr" not in t.grammemes
                for t in context.tags(keys[index + 1])) and not context.governs(keys[index - 1], key))):
            # (not 'Тифа в': в is no genitive abbreviation there; a genitive after a noun a preposition before it
            # governs heads no name the lists do not hold: 'в Начале октября', 'в Условиях острой')
            return None
    links = context.agreement(key, keys[index - 1], keys[index + 1])
    return Candidate(token.start, token.end, token.text.lower(), "common-capital",
                     "a common word capitalised inside a sentence (case slip)", Evidence(context=links),
                     relies=((before.end, token.start),))  # no sentence's mark between: a repair there undoes that


def _governing_preposition(found: list, key: str, next_key: str) -> bool:
    """The word's likeliest reading that is no abbreviation is a preposition, and it governs the case of the
    word after it ('тифа Из аула', 'выделить Для вывоза'): its other readings (an abbreviation 'ИЗ', a name)
    are weighed no more than the likeliest, so the capital is asked for as a function word's."""
    return bool(found) and found[0].POS == "PREP" and context.governs(key, next_key)


SURE_PERIOD = 90.0  # a period ending a full line was read on a word Tesseract read at this confidence at least


def sentence_starts(words: Words, lexicon: Lexicon, confidence: Callable[[int], float | None],
                    known: Callable[[str], bool], offered_capital: Callable[[int], bool]) -> list[Candidate]:
    """A sentence's first word read in lower case, each proposed once: :func:`line_start` for the words
    that begin a line (:func:`line_first_words`), then :func:`offered_starts` for the others (a word
    both find is line_start's, whose evidence was weighed first)."""
    found = {}
    for index, line_begins in line_first_words(words):
        if words.tokens[index].text[:1] in LOWER_LOOKALIKES:
            edit = line_start(words, index, line_begins, lexicon, confidence, known)
            if edit is not None:
                found[index] = edit
    for index, edit in offered_starts(words, lexicon, known, offered_capital):
        found.setdefault(index, edit)
    return list(found.values())


def line_first_words(words: Words) -> Iterator[tuple[int, int]]:
    """(index, offset of its line's start) of every word but the text's first that begins a line, only
    blanks before it there: found by a pattern over the text, not asked of every word."""
    tokens = words.tokens
    for m in _LINE_START.finditer(words.plain):
        index = bisect.bisect_left(tokens, m.end(), key=_start)
        if 0 < index < len(tokens) and tokens[index].start == m.end():
            yield index, m.start() + 1


_LINE_START = re.compile(r"\n[^\S\n]*")  # a line break and the blanks after it (str.strip's whitespace)


def _start(token: Token) -> int:
    return token.start


LOWER_LOOKALIKES = frozenset(c.lower() for c in CASE_LOOKALIKE_CAPITALS)


def line_start(words: Words, index: int, line_begins: int, lexicon: Lexicon,
               confidence: Callable[[int], float | None], known: Callable[[str], bool]) -> Candidate | None:
    """The first word of a line (``index``; the line begins at offset ``line_begins``:
    :func:`line_first_words`), a ``known`` word (the lexicon's or the collection's: 'совсинторг'),
    read in lower case where the text around it says a sentence begins, its first letter a capital
    the OCR may read as the small letter:

    - after a line ending a sentence with a period on a known lower-case word (no abbreviation) that
      Tesseract read at SURE_PERIOD or more, or after a paragraph's last line (a short line: PARAGRAPH_END
      of the text's longest line at most) ending so, or with '!' or '?' ('...меры к ликвидации.' /
      'вспышка связана...'). A speck read as a period lands anywhere on a line, rarely at
      its very end; on the development pages the periods that end a line before a small letter were
      sentence ends, those inside a line as often specks ('закупочные. цены'), which are left alone.

    (A numbered item's first word, '4. ускорить', is left as read: that the list's other items begin
    with a capital is a convention, not evidence that this one was typed so.) Offered on words read
    at the protecting confidence too (``add_case``: the confidence says nothing of the case of such
    a letter)."""
    tokens, keys = words.tokens, words.keys
    token, key = tokens[index], keys[index]
    if case_shape(token.text) != "lower" or len(key) < 2 or not known(key):
        return None
    capital = token.text[:1].upper() + token.text[1:]
    last_line = _sentence_end_line(words, index, line_begins, lexicon)
    if last_line is None:
        return None
    if not _short_line(words, last_line):
        sure = confidence(index - 1)
        if not last_line.endswith(".") or sure is None or sure < SURE_PERIOD:
            return None  # a full line: its period may be a speck, and the sentence run on ('там.' / 'власти')
    mark = tokens[index - 1].end  # the mark ending the line before, right after its last word: its evidence
    return Candidate(token.start, token.end, capital, "sentence-start",
                     "a sentence's first word at a line's start read in lower case (case slip)",
                     relies=((mark, mark + 1),))


def offered_starts(words: Words, lexicon: Lexicon, known: Callable[[str], bool],
                   offered_capital: Callable[[int], bool]) -> Iterator[tuple[int, Candidate]]:
    """A ``known`` word of two letters or more read in lower case where a sentence may begin (the
    text's first word; a word after '.', '!' or '?' that ends a word of the text, a number's too,
    '3. обязать', but no abbreviation's period, sentences.abbreviation_period: 'т.', 'с.г.') for whose first letter
    Tesseract itself offered the capital (``offered_capital``: its character alternatives). The
    offered capital is evidence from the reading, where :func:`line_start` has only the period's
    place and sureness to go by: the development pages and their fresh damage had 26 such words
    that were typed with a capital and one that was not ('1937. г.', an abbreviation). Offered on
    sure words too (``add_case``). Yields (index, candidate)."""
    plain, tokens, keys = words.plain, words.tokens, words.keys
    for index, token in enumerate(tokens):
        if len(keys[index]) < 2 or case_shape(token.text) != "lower" or not offered_capital(index):
            continue
        end = blank_before(plain, token.start)  # (the end of what stands before it, blanks aside)
        if end:
            if end == token.start or plain[end - 1] not in SENTENCE_MARKS:
                continue
            mark = end - 1
            previous = plain[glued_span(plain, mark, mark)[0]:mark]
            if not previous or abbreviation_period(previous, lexicon):
                continue  # 'т.', 'с.г.', 'тов.': an abbreviation's period ends no sentence
            relies = ((mark, mark + 1),)  # the mark that ends the sentence before it: its evidence
        else:
            relies = ()
        if known(keys[index]):
            yield index, Candidate(token.start, token.end, token.text[:1].upper() + token.text[1:], "sentence-start",
                                   "a sentence's first word read in lower case, Tesseract offering its capital "
                                   "(case slip)", relies=relies)


_AFTER_CAPITAL_WORD = ("", " ", "\t", "\n", ")", "»", '"')  # not a mark: 'тов.', 'тов,' may be an abbreviation
CAPITAL_LINE_MIN_WORDS = 2  # other words of two letters or more, all in capitals, make a line of capitals


def capital_lines(words: Words) -> list[Candidate]:
    """'ИНСТРУКТОР ОРПО ЦК ВКП(б) (попок)' -> '(ПОПОК)': a word of three letters or more read in lower
    case (or in title case: 'НАЧАЛЬНИК ДОРОГИ (Лившиц)' -> '(ЛИВШИЦ)') in a line whose other words
    (CAPITAL_LINE_MIN_WORDS at least, of two letters or more) are all in capitals, when every small letter
    of it is one whose capital has the same shape (the OCR read the capitals as small letters) and no mark
    follows it (an abbreviation's period: 'тов.' stays).
    Offered on sure words too (``add_case``)."""
    text = words.text
    edits = []
    for tokens in lines_of_tokens(words):
        line = [t for t in tokens if len(t.text) > 1]
        # a lower-case word's others are all in capitals only where it is the line's one word not in
        # capitals (counted once a line, not once a word; the count stops at a second: most lines
        # of running text have one in their first two words)
        if len(line) > CAPITAL_LINE_MIN_WORDS:
            others = []
            for t in line:
                if case_shape(t.text) != "upper":
                    others.append(t)
                    if len(others) > 1:
                        break
            if len(others) == 1:
                t = others[0]
                shape = case_shape(t.text)
                if shape in ("lower", "title") and len(t.text) >= 3 and text[t.end:t.end + 1] in _AFTER_CAPITAL_WORD and all(
                        c in LOWER_LOOKALIKES for c in t.text[shape == "title":]):
                    edits.append(Candidate(t.start, t.end, t.text.upper(), "capital-line",
                                           "a word read in lower case in a line of capitals (case slip)"))
    return edits


def lines_of_tokens(words: Words) -> Iterator[list[Token]]:
    """The tokens of each line of the text that has any, in order."""
    text, tokens = words.text, words.tokens
    start = 0
    while start < len(tokens):
        line_end = text.find("\n", tokens[start].start)
        end = start
        while end < len(tokens) and (line_end == -1 or tokens[end].start < line_end):
            end += 1
        yield tokens[start:end]
        start = max(end, start + 1)


# the endings of an adjective ('синьцзянской', 'кашгарского'): a curated place's adjective is typed in lower case
_ADJECTIVE_ENDINGS = tables.column("place_adjective_endings")


def place_capitals(words: Words, lexicon: Lexicon) -> list[Candidate]:
    """'через чугучак' -> 'через Чугучак', 'из синьцзяна' -> 'из Синьцзяна': a word read in lower case that a
    curated list holds as a place, written with a capital (lexicon.canonical), whose first letter's capital has
    the small letter's shape (the OCR read the capital as the small letter: LOWER_LOOKALIKES), and no common word
    (every dictionary reading a name, or none: not 'или', the river Или). Not a place's
    adjective, which the texts write in lower case ('синьцзянской', _ADJECTIVE_ENDINGS); not a sentence's first
    word (the line-start repairs read those)."""
    edits = []
    for token, key in zip(words.tokens, words.keys):
        word = token.text
        if len(word) < 3 or word[:1] not in LOWER_LOOKALIKES or not word.islower() or key.endswith(_ADJECTIVE_ENDINGS):
            continue
        if not lexicon.flags(key) & PLACE or (context.tags(key) and not context.only_names(key)):
            continue  # (a place that is a common word too is read as the word: 'или', the river Или)
        canonical = lexicon.canonical(key)
        if not canonical or case_shape(canonical) != "title" or words.sentence_start(token):
            continue
        edits.append(Candidate(token.start, token.end, word[:1].upper() + word[1:], "place-capital",
                               "a place a curated list writes with a capital, read in lower case (case slip)"))
    return edits
