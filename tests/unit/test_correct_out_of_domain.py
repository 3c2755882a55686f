"""Do no harm outside the domain: the case repairs keep a capital the reading gives no cause to doubt,
whatever the genre (a sermon's 'Его', a village's name)."""

from __future__ import annotations

from conftest import words_of

from ocrfix.config import CorrectConfig
from ocrfix.correct import case_slips, correct_text
from ocrfix.correct.scoring import Candidate
from ocrfix.lexicon.sources import DOMAIN, FREQUENT, MORPH, NAME, web_only


def test_web_only_is_a_form_no_dictionary_nor_curated_list_has():
    assert web_only(FREQUENT) and web_only(0)
    assert not web_only(MORPH | FREQUENT) and not web_only(DOMAIN | NAME)


def test_a_case_slip_inside_a_word_keeps_a_first_capital_the_ocr_cannot_misread(lexicon):
    """'ЕГо': Е and е differ in shape, so the capital was typed (a text that capitalises the pronoun);
    only Г, whose small letter has its shape, was misread. 'СУмму': С may be a misread с, lowered."""
    assert case_slips.typed_capital("ЕГо") and not case_slips.typed_capital("СУмму")
    assert not case_slips.typed_capital("его")
    fixed = correct_text("ученики видели, что слово ЕГо было примером для них.", lexicon, CorrectConfig())
    assert fixed.text == "ученики видели, что слово Его было примером для них."
    fixed = correct_text("перевести СУмму в рублях", lexicon, CorrectConfig())
    assert fixed.text == "перевести сумму в рублях"


def test_a_misread_capital_is_lowered_only_into_a_dictionary_word(lexicon):
    """misread_capital: 'посылке Нросимой им' -> 'просимой' (a dictionary word, no name); a word no
    dictionary has (a collection's word, 'Ширяевка') or one only the web frequency list knows
    ('Ишкова': a surname's form) may be a name: the capital stays."""
    text = "в посылке Нросимой им и в Щиряевке тихо и у Ишкава есть"
    words = words_of(text)

    def repaired(original: str, replacement: str) -> str:
        index = next(i for i, t in enumerate(words.tokens) if t.text == original)
        token = words.tokens[index]
        edit = Candidate(token.start, token.end, replacement, "name", "name or place: OCR confusion")
        return case_slips.misread_capital(words, edit, index, lexicon).replacement

    assert repaired("Нросимой", "Просимой") == "просимой"
    assert lexicon.lookup("ширяевка") is None
    assert repaired("Щиряевке", "Ширяевка") == "Ширяевка"
    assert web_only(lexicon.flags("ишкова"))
    assert repaired("Ишкава", "Ишкова") == "Ишкова"


def test_a_roman_numeral_in_latin_stays_unless_read_straight_it_is_a_dictionary_word(lexicon):
    """'в XX веке', '27.X.37г.': a Roman numeral typed in Latin capitals is no Russian word in Latin
    look-alikes (ХХ, Х are words of the web list alone); 'CCCP' (no numeral) and 'CM' (см, a dictionary
    word) are still read as Cyrillic."""
    from ocrfix.correct import roman

    assert roman.is_roman_numeral("XX") and roman.is_roman_numeral("MCMXXXVII") and roman.is_roman_numeral("X")
    assert not roman.is_roman_numeral("CCCP") and not roman.is_roman_numeral("XXXX") and not roman.is_roman_numeral("")
    config = CorrectConfig()
    for text in ("в XX веке было", "глава X говорит", "Решение ЦК от 27.X.37г. принято"):
        assert correct_text(text, lexicon, config).text == text
    assert correct_text("выпуск CCCP и 5 CM длиной", lexicon, config).text == "выпуск СССР и 5 СМ длиной"


def test_a_temperatures_degree_sign_and_unit_are_no_speck_nor_latin_word(lexicon):
    """'при 180 °C': the degree sign before a unit after a number is the typist's (structural.DEGREES),
    neither a speck at the word's edge nor a Latin look-alike C; a degree sign glued to a word elsewhere
    is still a speck."""
    config = CorrectConfig()
    for text in ("Выпекайте при 180 °C около сорока минут.", "Храните при температуре до +40°С."):
        assert correct_text(text, lexicon, config).text == text
    assert correct_text("вот °слово и дело", lexicon, config).text == "вот слово и дело"


def test_yo_is_written_as_e_only_where_no_dictionary_reading_writes_it(lexicon):
    """A ё where the dictionary writes it ('всё', 'пришёл', 'Жигулёвские') was typed, in a text too
    short to show that it writes ё; a ё no reading has ('отдёле', 'реквизициёй') is a speck over е."""
    from ocrfix.correct import context

    assert context.yo_written("всё") and context.yo_written("жигулёвские") and not context.yo_written("отдёле")
    assert not context.yo_written("все")
    config = CorrectConfig()
    for text in ("всё хорошо", "он пришёл домой", "вид на Жигулёвские горы"):
        assert correct_text(text, lexicon, config).text == text
    assert correct_text("в отдёле работают", lexicon, config).text == "в отделе работают"
    assert correct_text("сообщить реквизициёй хлеба", lexicon, config).text == "сообщить реквизицией хлеба"


def test_a_quotations_first_word_and_a_latin_name_keep_their_case(lexicon):
    """capital_preposition lowers a one-letter word in capitals between lower-case words only where a
    space or a comma stands before it: after a quotation mark or a number it begins a title ('указ
    № 123 «О мерах'); a mixed-case word in Latin letters no look-alike reads ('iPhone') is a name
    written so, no case slip."""
    config = CorrectConfig()
    for text in ("Президент подписал указ № 123 «О мерах поддержки» вчера.", "представила новый iPhone, а потом"):
        assert correct_text(text, lexicon, config).text == text
    assert correct_text("караванов С шерстью", lexicon, config).text == "караванов с шерстью"
    assert correct_text("т. Назаровым, В ауле", lexicon, config).text == "т. Назаровым, в ауле"


def test_capitals_after_a_sentences_end_and_a_file_name_in_latin_stay(lexicon):
    """upper_runs lowers a run of capitals inside a sentence only: not a sentence's first word ('7
    дней. АД 130/85 мм'); a Latin look-alike piece glued to letters no look-alike reads is part of a
    Latin name ('main.py')."""
    config = CorrectConfig()
    for text in ("по 500 мг 3 раза в сутки, 7 дней. АД 130/85 мм рт. ст.", "выполните скрипт main.py с ключом"):
        assert correct_text(text, lexicon, config).text == text
    fixed = correct_text("командование ДИВИЗИИ ГОТОВО направить", lexicon, config)
    assert fixed.text == "командование дивизии готово направить"
    assert correct_text("из CCCP, UK и", lexicon, config).text == "из СССР, ЦК и"


def test_lemmas_are_a_dictionary_words_or_the_guessed_ones_of_an_unknown_word():
    """context.lemmas, the one test of two words being forms of one word (the case slips' page capitals,
    the collection's web forms vouching for a name's unknown forms)."""
    from ocrfix.correct import context

    assert "вопрос" in context.lemmas("вопросов")
    assert context.lemmas("ишкову") & context.lemmas("ишкова")  # a surname's forms, guessed
    assert not context.lemmas("сергионоле") & context.lemmas("сергиополь")


def test_one_letter_words_are_one_table_read_one_way():
    """tokens.one_letter_word and lone_letter: the words of one letter in either case (one_letter_words.tsv),
    and a letter alone that is none of them, asked by the joins, the gap joins and the case slips alike."""
    from ocrfix.correct.tokens import lone_letter, one_letter_word

    assert one_letter_word("в") and one_letter_word("В") and one_letter_word("я")
    assert not one_letter_word("ь") and not one_letter_word("во") and not one_letter_word("")
    assert lone_letter("е") and lone_letter("Ь") and not lone_letter("и") and not lone_letter("из")


def test_an_abbreviations_period_is_judged_one_way(lexicon):
    """sentences.abbreviation_period, asked by both sentence-start repairs: a period after a word with
    a period inside, a short lower-case word, a number's abbreviation or a listed one ends no sentence;
    after a number, a long word or a bracket it may."""
    from ocrfix.correct.sentences import abbreviation_period

    for word in ("т", "тов", "с.г", "т.т", "млн", "руб", "ЦК", "(т"):
        assert abbreviation_period(word, lexicon), word
    for word in ("3", "ликвидации", "Москвы", "работы)", ""):
        assert not abbreviation_period(word, lexicon), word


def test_units_and_abbreviations_keep_their_case_and_their_letters(lexicon):
    """A word every dictionary reading of which is an abbreviation ('кВт', 'МВт') or that only the web
    list knows ('МГц') is written in mixed case on purpose: no case slip. A two-letter word glued to a
    period is an abbreviation ('сб.'), no misread preposition; 'па берегу' still is one."""
    config = CorrectConfig()
    for text in ("Мощность 1,5 кВт, частота 50 МГц.", "вошло в сб. «Записки психопата» и"):
        assert correct_text(text, lexicon, config).text == text
    assert correct_text("па берегу реки", lexicon, config).text == "на берегу реки"


def test_an_unknown_capitalised_word_becomes_a_common_word_only_through_its_misread_capital(lexicon):
    """A capitalised word inside a sentence that no dictionary has is likelier a name read right than a
    common word misread twice: it keeps its first letter only into a word that may be a name (not the
    pronoun 'Нечто' for 'Нейто'), and changes it (the capital misread, written in lower case) only with
    no other letter changed ('Убласти' -> 'области', not 'Нейто' -> 'пейте'). A model's name glued to a
    number by a hyphen ('Ми-8') is an identifier."""
    config = CorrectConfig()
    fixed = correct_text("путь лежал к озеру Нейто, где стоит фактория", lexicon, config).text
    assert "Нечто" not in fixed and "пейте" not in fixed
    assert correct_text("в районе Убласти по плану", lexicon, config).text == "в районе области по плану"
    text = "нас ждал вертолёт Ми-8 до Салехарда"
    assert correct_text(text, lexicon, config).text == text


def test_a_text_that_capitalises_pronouns_on_purpose_still_has_its_verbs_lowered(lexicon):
    """common_capitals in a text that capitalises function words on purpose (a sermon's 'Ему', 'Его',
    'Своим': kept) still lowers a capital no text gives on purpose: a verb, an adverb, a preposition,
    a conjunction or a particle ('и мы Уходим' -> 'уходим')."""
    text = "ученики видели, что Ему не нужно многословие и Его слово было Своим примером, и мы Уходим от колодца."
    fixed = correct_text(text, lexicon, CorrectConfig()).text
    assert fixed == text.replace("Уходим", "уходим")


def test_a_two_letter_non_word_read_surely_is_still_no_word(lexicon):
    """Tesseract's confidence protects words: a word of two letters no dictionary has, read surely, is
    repaired as one read in doubt is ('ча берегу' -> 'на'); a dictionary word read surely stays."""
    config = CorrectConfig()
    sure = {i: 96.0 for i in range(4)}
    assert correct_text("они сидели ча берегу реки", lexicon, config, confidences=sure).text == "они сидели на берегу реки"
    assert correct_text("они сидели на берегу реки", lexicon, config, confidences=sure).text == "они сидели на берегу реки"


def test_a_latin_word_is_read_as_cyrillic_only_into_a_dictionary_word(lexicon):
    """The Latin look-alike repair takes a reading only where a dictionary or a curated list has it, and a
    single letter only into a word of one letter: 'NOx', 'ppm', 'pH', 'p < 0,05' are the text's own
    (their readings are the web list's, or a letter that is no word); 'CEKPETAPH', 'UK', 'c' are read."""
    config = CorrectConfig()
    text = "устойчив к NOx, 410 ppm, pH 7,4; p < 0,05"
    assert correct_text(text, lexicon, config).text == text
    assert correct_text("CEKPETAPH UK пошёл c ним", lexicon, config).text == "СЕКРЕТАРЬ ЦК пошёл с ним"


def test_a_mark_between_latin_letters_hides_no_russian_letter(lexicon):
    """inner-marks reads a mark inside a word for a Cyrillic letter only where the word's letters are
    Cyrillic: 'на участках I–IV' is a range of Roman numerals, no damaged word."""
    text = "Доля видов на участках I–IV и V–VI."
    assert correct_text(text, lexicon, CorrectConfig()).text == text


def test_an_abbreviation_in_capitals_inside_a_sentence_stays(lexicon):
    """upper_runs lowers ordinary words typed in capitals, not a word some dictionary reading of which is an
    abbreviation or a name ('о работе УК за 2022 г.'; 'по истории ССР'); 'ДИВИЗИИ ГОТОВО' is still lowered."""
    config = CorrectConfig()
    for text in ("Повестка дня: отчёт о работе УК за 2022 г. и выборы совета.", "по истории ССР на языках"):
        assert correct_text(text, lexicon, config).text == text


def test_a_word_in_capitals_cut_short_before_a_period_is_kept_as_an_abbreviation(lexicon):
    """protections@6: 'ДАЛЬНЕВ.' (known words begin so: ДАЛЬНЕВОСТОЧНЫЙ) is an abbreviation the typist cut short,
    not a misread 'ДАЛЬНЕМ.'; so is 'ЦЕНТРАЛЬН.' (not 'ЦЕНТРАЛЬЮ.')."""
    for text in ("ПО ДАЛЬНЕВ. КРАЮ", "отдел ЦЕНТРАЛЬН. УПРАВЛЕНИЯ"):
        assert correct_text(text, lexicon, CorrectConfig()).text == text


def test_a_glued_short_word_is_not_split_off_a_rest_that_begins_with_it(lexicon):
    """words@26 (structural.split_glued): 'оостановки' is a letter read twice, not 'о' glued to 'остановки'; the
    split adds no word, and the word search reads it as 'остановки'. A head the rest does not begin with is split."""
    from ocrfix.correct import structural
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.lexicon.sources import DOMAIN, MORPH, NAME, PLACE

    def split(word: str) -> str | None:
        found = structural.split_glued(word_tokens(word)[0], word, lexicon.lookup, MORPH, DOMAIN | PLACE | NAME, PLACE | NAME)
        return found and found.replacement

    assert split("оостановки") is None and split("ввопросе") is None
    assert split("кгенконсулу") == "к генконсулу"
    assert correct_text("после оостановки поезда", lexicon, CorrectConfig()).text == "после остановки поезда"
