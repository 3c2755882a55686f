"""correct_page: boxes kept, originals recorded, confidences and alternatives used."""

from __future__ import annotations

from ocrfix.config import CorrectConfig
from ocrfix.correct import correct_page
from ocrfix.model import BBox, Block, CharChoice, Line, Page, Word


def _word(text, left, confidence=80.0, alternatives=()):
    return Word(text, BBox(left, 10, left + 10 * len(text), 30), confidence, alternatives)


def _page(*lines):
    return Page((Block(tuple(Line(tuple(words)) for words in lines)),), width=1000, height=100, source="t.png")


def test_corrected_words_keep_their_boxes_and_originals(lexicon):
    page = _page([_word("половини", 0), _word("сумм,", 100), _word("присужденних", 200)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    words = corrected.words
    assert [w.text for w in words] == ["половины", "сумм,", "присужденных"]
    assert words[0].original == "половини" and words[0].bbox == page.words[0].bbox
    assert words[1].original is None and not words[1].changed
    assert len(corrections) == 2 and corrections[0].line == 0


def test_a_join_merges_words_and_their_boxes(lexicon):
    page = _page([_word("генконсулу,", 0), _word("из", 120), _word("являет", 150), _word("готовность", 220)])
    corrected, _ = correct_page(page, lexicon, CorrectConfig())
    words = corrected.words
    assert [w.text for w in words] == ["генконсулу,", "изъявляет", "готовность"]
    assert words[1].bbox == page.words[1].bbox.union(page.words[2].bbox)
    assert words[1].original == "из являет"


def test_lines_no_correction_touches_are_kept_as_they_were(lexicon):
    page = _page([_word("Сегодня", 0), _word("тихо.", 100)], [_word("половини", 0), _word("сумм.", 100)],
                 [_word("Завтра", 0), _word("дождь.", 100)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    before, after = page.blocks[0].lines, corrected.blocks[0].lines
    assert [w.text for w in after[1].words] == ["половины", "сумм."] and len(corrections) == 1
    assert after[0] is before[0] and after[2] is before[2] and after[1] != before[1]


def test_sure_words_are_protected(lexicon):
    page = _page([_word("половини", 0, confidence=99.0), _word("сумм", 100)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig(protect_confidence=95.0))
    assert corrected.words[0].text == "половини" and corrections == ()


def test_a_sure_word_keeps_its_letters_but_not_a_misread_case(lexicon):
    # a paragraph's first word read in lower case is a slip, on a word Tesseract read at 95 or more
    # too (its confidence says nothing of the case of в, whose capital has the same shape), while
    # such a word's letters stay as read
    words = "санитарная обработка их на границе не проводилась и больные были".split()
    lines = ([_word(w, 60 * i) for i, w in enumerate(words)],
             [_word(w, 60 * i) for i, w in enumerate("из них 4 ребенка.".split())])

    def read(first, confidence):
        page = _page(*lines, [_word(first, 0, confidence=confidence), _word("связана", 80), _word("с", 160),
                              _word("группой", 200)])
        return correct_page(page, lexicon, CorrectConfig(protect_confidence=95.0))[0].lines[2].words[0].text

    assert (read("вспышка", 96.2), read("вспышка", 80.0)) == ("Вспышка", "Вспышка")
    assert read("вспышха", 96.2) == "вспышха"


def test_a_sentence_start_after_a_full_line_needs_a_sure_period(lexicon):
    # a speck read as a period may end a full line ('там.' / 'власти'): the next line's first word
    # takes a capital only when Tesseract was sure of the word the period closes
    full = "будет их выполнять, он может рассчитывать на поддержку в деле мирного строительства"

    def read(confidence):
        page = _page([_word(w, 60 * i) for i, w in enumerate(full.split())],
                     [_word(w, 60 * i) for i, w in enumerate("всех районов и городов края и области, где все такие работы".split())]
                     + [_word("проводились.", 600, confidence=confidence)],
                     [_word("приняты", 0), _word("следующие", 80), _word("меры.", 200)])
        return correct_page(page, lexicon, CorrectConfig(protect_confidence=95.0))[0].lines[2].words[0].text

    assert (read(96.0), read(70.0)) == ("Приняты", "приняты")


def test_a_number_abbreviations_period_ends_no_sentence(lexicon):
    # '8 млн.' at a line's end: the period is the abbreviation's, the sentence runs on ('рублей на...')
    full = "Поручить Наркомфину СССР выделить из резервного фонда СНК СССР на эти цели 8"

    def read(last):
        page = _page([_word(w, 60 * i) for i, w in enumerate(full.split())] + [_word(last, 900, confidence=96.0)],
                     [_word("рублей", 0), _word("на", 80), _word("завершение", 120), _word("строительства.", 260)])
        return correct_page(page, lexicon, CorrectConfig(protect_confidence=95.0))[0].lines[1].words[0].text

    assert (read("млн."), read("миллионов.")) == ("рублей", "Рублей")


def test_a_numbered_items_first_word_keeps_the_case_it_was_read_in(lexicon):
    # the list's other items begin with a capital: a convention, not evidence that this one was typed so
    page = _page([_word("3.", 0), _word("Выделить", 30), _word("средства", 120), _word("на", 200),
                  _word("ремонт.", 230)],
                 [_word("4.", 0), _word("ускорить", 30), _word("строительство", 120), _word("складов.", 250)],
                 [_word("5.", 0), _word("Поручить", 30), _word("наркому", 120), _word("доложить.", 250)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert corrected.lines[1].words[1].text == "ускорить" and not corrections


def test_character_alternatives_spell_the_word(lexicon):
    # alone, 'шаика' would become 'шайка' (и for й is a cheap confusion); the OCR's
    # second choice at that position is п, and 'шапка' is a word: take that reading
    alone, _ = correct_page(_page([_word("шаика", 0)]), lexicon, CorrectConfig())
    assert alone.words[0].text == "шайка"
    choices = tuple(CharChoice(((c, 0.9),)) for c in "ша") + (CharChoice((("и", 0.55), ("п", 0.4))),) + tuple(
        CharChoice(((c, 0.9),)) for c in "ка")
    page = _page([_word("шаика", 0, confidence=60.0, alternatives=choices)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert corrected.words[0].text == "шапка"
    assert "alternatives" in corrections[0].reason


def _offered(word, at, *letters):
    """The word's letters, with Tesseract's other readings ``letters`` offered at ``at``."""
    return tuple(CharChoice(((c, 0.88), *((x, 0.68) for x in letters)) if i == at else ((c, 0.9),))
                 for i, c in enumerate(word))


def test_alternatives_read_a_known_word_as_a_more_common_one(lexicon):
    # 'дань' is a word, but Tesseract offered е for its а, and 'день' is far more common
    def read(word, at, *letters):
        words = [_word("в", 0), _word("первый", 20), _word("же", 90),
                 _word(word, 120, confidence=85.0, alternatives=_offered(word, at, *letters))]
        return correct_page(_page(words), lexicon, CorrectConfig())[0].words[3].text

    assert read("дань", 1, "е") == "день"
    assert read("дань", 1) == "дань"  # nothing offered: a known word stays
    assert read("день", 1, "а") == "день"  # the reading offered is the rarer word


def test_a_search_starts_again_from_a_letter_tesseract_offered(lexicon):
    # 'наиболывим' is two edits from 'наибольшим', one a letter no confusion lists (в for ш): the
    # search alone finds nothing; Tesseract offered ь for its ы, and from 'наибольвим' one edit does
    def read(*letters):
        words = [_word("по", 0), _word("наиболывим", 30, confidence=55.0, alternatives=_offered("наиболывим", 6, *letters)),
                 _word("ценам", 150)]
        return correct_page(_page(words), lexicon, CorrectConfig())[0].words[1].text

    assert (read(), read("ь")) == ("наиболывим", "наибольшим")


def test_empty_page(lexicon):
    page = Page(())
    assert correct_page(page, lexicon, CorrectConfig()) == (page, ())


def test_alternatives_do_not_outweigh_a_much_better_word(lexicon):
    # the OCR offers м for the и of 'раиона'; 'рамона' is a rare word, 'района' a common one
    choices = tuple(CharChoice(((c, 0.9),)) for c in "ра") + (CharChoice((("и", 0.6), ("м", 0.3))),) + tuple(
        CharChoice(((c, 0.9),)) for c in "она")
    page = _page([_word("из", 0), _word("раиона", 40, confidence=70.0, alternatives=choices)])
    corrected, _ = correct_page(page, lexicon, CorrectConfig())
    assert corrected.words[1].text == "района"


def test_the_correct_step_is_recorded_with_its_hashes(lexicon) -> None:
    from ocrfix.model import page_from_text

    page = page_from_text("Выписки послани: т.т. Литвинову.\n")
    corrected, _ = correct_page(page, lexicon, CorrectConfig())
    step = corrected.steps[-1]
    assert step.name == "correct"
    for key in ("lexicon", "collection", "error_model", "memory", "max_cost", "scoring"):
        assert key in step.settings
    assert step.settings["memory"] is None and "/" in step.settings["lexicon"]
    from ocrfix.correct.registry import GENERATORS

    # every generator is named with its version, in the registry's order (a version bump shows in page.json)
    assert list(step.settings["generators"]) == [f"{g.name}@{g.version}" for g in GENERATORS]
    assert step.settings["generators"][0].startswith("roman-dates@")
    assert len(step.settings["scoring"]) == 16
    with_memory, _ = correct_page(page, lexicon, CorrectConfig(), fixes={"послани": "посланы"})
    assert with_memory.steps[-1].settings["memory"] is not None
    # the priors and calibration the corrector was given (not the shipped ones) are the ones hashed
    from ocrfix.correct.confidence import Calibration
    from ocrfix.correct.scoring import Priors

    other, _ = correct_page(page, lexicon, CorrectConfig(), priors=Priors({}), calibration=Calibration())
    assert other.steps[-1].settings["scoring"] != step.settings["scoring"]
    # a page with nothing to correct records the step too
    unchanged, corrections = correct_page(page_from_text("Выписки посланы.\n"), lexicon, CorrectConfig())
    assert corrections == () and unchanged.steps[-1].name == "correct"


def test_two_corrections_in_one_word_both_reach_the_page():
    """A letter and the mark after it fixed in one page word ('горожняка,' -> 'порожняка;'), and a
    join whose last word a later correction changed: each correction lands, none undoes another."""
    from ocrfix.correct.page import _page_layout, _rebuild
    from ocrfix.model import Correction, with_ids

    page = with_ids(_page([_word("горожняка,", 0), _word("из", 120), _word("являет^", 150)]))
    text, spans = _page_layout(page)
    assert text == "горожняка, из являет^\n"

    def fix(start, end, replacement):
        return Correction(text[start:end], replacement, start, end, 0, 0.0, "test")

    corrections = (fix(0, 1, "п"), fix(9, 10, ";"), fix(11, 20, "изъявляет"), fix(20, 21, ""))
    rebuilt, keyed = _rebuild(page, spans, corrections, page.words)
    assert [w.text for w in rebuilt.words] == ["порожняка;", "изъявляет"]
    assert rebuilt.words[1].original == "из являет^"
    assert [c.start for c in keyed] == [0, 9, 11, 20] and keyed[3].word_ids == (page.words[2].id,) != ("",)


def test_two_joins_through_one_word_merge_all_three():
    """Two joins sharing a word ('про из' and 'водство' joined through 'из'): the later one, applied
    first, merged the third word into the second; the earlier one merges the second into the first,
    and the third with it (its box and its text in the original), not into a word that is gone."""
    from ocrfix.correct.page import _page_layout, _rebuild
    from ocrfix.model import Correction, with_ids

    page = with_ids(_page([_word("про", 0), _word("из", 40), _word("водство.", 70)]))
    text, spans = _page_layout(page)
    assert text == "про из водство.\n"
    corrections = (Correction("про и", "прои", 0, 5, 0, 0.0, "test"), Correction("з в", "зв", 5, 8, 0, 0.0, "test"))
    rebuilt, keyed = _rebuild(page, spans, corrections, page.words)
    assert [w.text for w in rebuilt.words] == ["производство."]
    assert rebuilt.words[0].original == "про из водство."
    assert rebuilt.words[0].bbox == page.words[0].bbox.union(page.words[2].bbox)
    assert [c.word_ids for c in keyed] == [(page.words[0].id, page.words[1].id), (page.words[1].id, page.words[2].id)]


def test_a_comma_closing_a_doubted_word_is_read_as_its_lost_letter(lexicon):
    """'какой отве, дать': the damaged т of 'ответ' read as a comma, after a word Tesseract doubted
    (63); the same comma after a word it read surely (92) is punctuation, and so is one in text
    read without confidences."""
    def page(confidence):
        return _page([_word("Прошу", 0, 96.5), _word("указаний,", 60, 96.5), _word("какой", 150, 96.5),
                      _word("отве,", 210, confidence), _word("дать", 270, 96.5), _word("ему.", 320, 96.5)])

    corrected, corrections = correct_page(page(63.0), lexicon, CorrectConfig())
    assert [w.text for w in corrected.words][3] == "ответ"
    assert [(c.original, c.replacement, c.repair) for c in corrections] == [(",", "т", "speck-letter")]
    corrected, _ = correct_page(page(92.0), lexicon, CorrectConfig())
    assert corrected.words[3].text == "отве,"
    from ocrfix.correct import correct_text

    assert correct_text("Прошу указаний, какой отве, дать ему.", lexicon, CorrectConfig()).text.startswith(
        "Прошу указаний, какой отве,")


def test_a_numbered_items_lost_period_reaches_the_page(lexicon):
    """An insertion after a word ('колхозников' + '.', before item 2.) lands in that word, beside
    a correction of the word itself ('колхозникое' -> 'колхозников')."""
    page = _page([_word("1.", 0), _word("Выставлены", 30), _word("посты", 150), _word("из", 220),
                  _word("колхозникое", 250)],
                 [_word("2.", 0), _word("Все", 30), _word("больные", 80), _word("госпитализированы.", 170)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert corrected.words[4].text == "колхозников." and corrected.words[4].original == "колхозникое"
    assert sorted(c.repair for c in corrections) == ["item-end", "word"]


def test_an_insertion_inside_a_word_reaches_the_page():
    """A letter inserted in the middle of a word ('комитт' + 'е' -> 'комитет') lands in that word
    and names it; it used to be dropped (only a word's first or last offset took an insertion)."""
    from ocrfix.correct.page import _page_layout, _rebuild
    from ocrfix.model import Correction, with_ids

    page = with_ids(_page([_word("Решение", 0), _word("комитт", 100), _word("принято.", 200)]))
    text, spans = _page_layout(page)
    at = text.index("комитт") + 5
    rebuilt, keyed = _rebuild(page, spans, (Correction("", "е", at, at, 0, 0.0, "test"),), page.words)
    assert [w.text for w in rebuilt.words] == ["Решение", "комитет", "принято."]
    assert rebuilt.words[1].original == "комитт" and keyed[0].word_ids == (page.words[1].id,)


def test_corrections_with_one_start_come_back_in_their_order():
    """An insertion before a word and a change of the word at the same offset: both land, the
    insertion first ('(' + 'попок' -> '(ПОПОК'), and the corrections come back in the order given."""
    from ocrfix.correct.page import _page_layout, _rebuild
    from ocrfix.model import Correction, with_ids

    page = with_ids(_page([_word("ЦК", 0), _word("попок)", 100)]))
    text, spans = _page_layout(page)
    at = text.index("попок")
    corrections = (Correction("", "(", at, at, 0, 0.0, "insert"),
                   Correction("попок", "ПОПОК", at, at + 5, 0, 0.0, "case"))
    rebuilt, keyed = _rebuild(page, spans, corrections, page.words)
    assert [w.text for w in rebuilt.words] == ["ЦК", "(ПОПОК)"]
    assert [c.reason for c in keyed] == ["insert", "case"]
    assert all(c.word_ids == (page.words[1].id,) for c in keyed)


def test_a_bracketed_signature_comes_together_in_the_page(lexicon):
    """'{ КАРИМОВ )': the spaces inside the brackets go, which in the page model merges the three words."""
    page = _page([_word("ССР", 0, 96.5), _word("{", 50), _word("КАРИМОВ", 70, 96.5), _word(")", 150)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert [w.text for w in corrected.words] == ["ССР", "(КАРИМОВ)"]
    assert [c.repair for c in corrections] == ["brackets"]


def test_a_sure_word_may_still_be_a_common_capital_inside_a_sentence(lexicon):
    # Tesseract's confidence says nothing of the case of В, whose capital has the small letter's
    # shape: a common noun capitalised between common words of a sentence is lowered, sure or not
    def read(confidence):
        words = [_word("на", 0), _word("мой", 30), _word("Вопрос", 70, confidence=confidence), _word("о", 140),
                 _word("судьбе", 160)]
        return correct_page(_page(words), lexicon, CorrectConfig(protect_confidence=95.0))[0].words[2].text

    assert (read(96.9), read(80.0)) == ("вопрос", "вопрос")


def test_a_comma_tesseract_also_read_as_a_period_before_a_capital_is_the_period(lexicon):
    def read(offered):
        comma = (("," , 0.6), (".", 0.5)) if offered else ((",", 0.9),)
        choices = tuple(CharChoice(((c, 0.9),)) for c in "революции") + (CharChoice(comma),)
        page = _page([_word("после", 0), _word("революции,", 60, confidence=90.0, alternatives=choices),
                      _word("Утром", 160), _word("приехали", 220), _word("гости.", 300)])
        return correct_page(page, lexicon, CorrectConfig())[0].words[1].text

    assert (read(True), read(False)) == ("революции.", "революции,")


def test_a_mark_closing_a_word_is_the_letter_tesseract_offered_for_it(lexicon):
    """'учесть необходимы»: ...': the damaged м of 'необходимым' read as a guillemet, for which
    Tesseract also offered м; the letter it offered is taken, before the commoner 'необходимые'.
    Without the offer the mark is still a letter (no typist set it there), the commonest."""
    def page(offered):
        choices = tuple(CharChoice(((c, 0.9),)) for c in "необходимы") + (CharChoice((("»", 0.9),) + offered),)
        return _page([_word("считает", 0, 96.5), _word("необходимы»", 80, 74.0, choices), _word("срочно", 200, 96.5)])

    corrected, corrections = correct_page(page((("м", 0.43),)), lexicon, CorrectConfig())
    assert corrected.words[1].text == "необходимым"
    assert [(c.original, c.replacement, c.repair) for c in corrections] == [("»", "м", "speck-letter")]
    corrected, corrections = correct_page(page(()), lexicon, CorrectConfig())
    assert corrected.words[1].text == "необходимые"


def test_a_word_read_surely_is_joined_with_the_fragment_beside_it(lexicon):
    """'пост авщикам': Tesseract read 'пост' surely (97), a word of its own, but its confidence is in
    the letters, not in the space after them: the join keeps them and is made. A letter alone beside
    a word read surely is not joined to it ('протокола м 56', м for №)."""
    page = _page([_word("выдать", 0, 96.5), _word("крупным", 70, 96.5), _word("пост", 150, 97.0),
                  _word("авщикам", 200, 70.0), _word("авансы.", 280, 96.5)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert [w.text for w in corrected.words] == ["выдать", "крупным", "поставщикам", "авансы."]
    assert [c.repair for c in corrections] == ["split-word"]
    page = _page([_word("Выписка", 0, 96.5), _word("из", 80, 96.5), _word("протокола", 110, 97.0),
                  _word("м", 210, 60.0), _word("56", 230, 96.5)])
    corrected, _ = correct_page(page, lexicon, CorrectConfig())
    assert [w.text for w in corrected.words] == ["Выписка", "из", "протокола", "м", "56"]


def test_a_known_word_keeps_its_own_agreement_against_a_reading_tesseract_offered(lexicon):
    """'КАЗАХСКОЙ ССР' read at 31 with Е offered for the second С: 'СЕР' agrees with 'казахской', but
    so does 'ССР'; the reading is weighed by the agreement it adds (none), and the known word stays."""
    choices = (CharChoice((("С", 0.93), ("с", 0.16))),
               CharChoice((("С", 0.66), ("Е", 0.62), ("о", 0.55), ("О", 0.54), ("е", 0.53), ("К", 0.51))),
               CharChoice((("Р", 0.9),)))
    page = _page([_word("НАРОДНЫЙ", 0, 96.5), _word("КОМИССАР", 90, 96.5), _word("КАЗАХСКОЙ", 180, 96.5),
                  _word("ССР", 280, 30.7, choices)], [_word("СПЕЦИАЛЬНОЕ", 0, 96.5), _word("ДОНЕСЕНИЕ", 120, 96.5)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert corrected.words[3].text == "ССР" and not [c for c in corrections if c.original == "ССР"]


def test_a_speck_standing_just_after_a_word_is_read_as_its_lost_last_letter(lexicon):
    """'исправны тольк › 39': the о of 'только' read as a speck standing apart; the word and the speck
    become one word, its box the union of theirs. After a whole word ('стол ›') the speck is removed."""
    page = _page([_word("исправны", 0, 96.5), _word("тольк", 90, 70.0), _word("›", 150, 40.0),
                  _word("39.", 170, 96.5)])
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert [w.text for w in corrected.words] == ["исправны", "только", "39."]
    assert corrected.words[1].bbox == page.words[1].bbox.union(page.words[2].bbox)
    assert [(c.original, c.replacement, c.repair) for c in corrections] == [("тольк ›", "только", "speck-letter")]
