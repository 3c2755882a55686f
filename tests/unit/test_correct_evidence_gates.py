"""Repairs that change a mark or a case only on evidence from the reading itself (a mark Tesseract
offered, its confidence): each does its repair with the evidence and nothing without it."""

from __future__ import annotations

from conftest import words_of

from ocrfix.config import CorrectConfig
from ocrfix.correct import marks


def test_a_comma_before_a_capital_becomes_a_period_only_where_tesseract_offered_one(lexicon):
    text = "Получена 12 ч. 05 м, Вх. № 2216"
    comma = text.index(",")
    with_period = marks.offered_periods(text, lambda pos: "." if pos == comma else "", lexicon)
    assert [(e.start, e.end, e.replacement) for e in with_period] == [(comma, comma + 1, ".")]
    assert marks.offered_periods(text, lambda pos: "", lexicon) == []  # the convention alone is no evidence
    assert marks.offered_periods(text, lambda pos: "‚", lexicon) == []  # nor another mark offered



def test_a_mark_closing_a_word_is_a_lost_letter_only_where_no_quotation_or_bracket_explains_it():
    """structural.letter_marks: 'отпустит>' and 'отряд/' hold marks no typist set at a word's end; a
    guillemet closing a quotation opened earlier in its paragraph (on another line too), or a slash that
    also opens the word ('/отряд/', 'ВКП/б/'), is punctuation."""
    from ocrfix.correct import structural

    def marks_in(text):
        return [text[e.start:e.end] for e in structural.letter_marks(text)]

    assert marks_in("Разрешить отпустит> семена, новые отряд/ и врачи") == [">", "/"]
    assert marks_in("Он сказал: «Это\nслово» и ушёл.") == []
    assert marks_in("и ответ /отряд/ прибыл в ЦК ВКП/б/") == []
    assert marks_in("сдача зерна колхозам,. и единоличниками") == [","]


def test_a_capital_inside_a_sentence_is_lowered_past_its_neighbours_tests_only_where_tesseract_offered_the_small_letter(
        lexicon):
    """case_slips.common_capital: 'Эхаби Добыча упала' (a name before it, and Д, whose small letter
    has another shape) is lowered only where Tesseract offered 'д' for the capital; a word before a
    number ('Урумчи Отправлена 11.IX.37', a form's field) is not, offered or not."""
    from ocrfix.correct import case_slips

    def lowered(text, offered):
        words = words_of(text)
        return [text[e.start:e.end] for e in case_slips.common_capitals(words, lexicon, lambda: False,
                                                                         lambda index: offered)]

    assert lowered("на промысле Эхаби Добыча упала на треть", offered=True) == ["Добыча"]
    assert lowered("на промысле Эхаби Добыча упала на треть", offered=False) == []
    assert lowered("Из Урумчи Отправлена 11.IX.37 г.", offered=True) == []


def test_a_sentence_start_read_in_lower_case_is_capitalised_only_where_tesseract_offered_the_capital(lexicon):
    """case_slips.offered_starts: the text's first word, a word after a sentence's period (a
    number's too: '3. обязать') gets its capital back where Tesseract offered it; not after an
    abbreviation's period ('т. обязать'), and nothing without the offer."""
    from ocrfix.correct import case_slips

    def capitalised(text, offered):
        words = words_of(text)
        return [e.replacement for _, e in case_slips.offered_starts(words, lexicon, lexicon.__contains__, lambda index: offered)]

    text = "секретно. Вопрос решен в пустыне. он заявил: 3. обязать трест, т. обязать"
    assert capitalised(text, offered=True) == ["Секретно", "Он", "Обязать"]
    assert capitalised(text, offered=False) == []


def test_a_case_repair_is_not_made_when_another_chosen_repair_removes_the_mark_it_rests_on(lexicon):
    """'мокрый. двор': the period is a speck inside a phrase (typed-marks removes it), so the capital
    Tesseract offered for 'двор' (offered_starts, whose evidence is that period) is not made: the
    page reads 'мокрый двор', not 'мокрый Двор'. Without the removal the capital stands."""
    from ocrfix.correct.engine import correct_text
    from ocrfix.correct.tokens import word_tokens

    def corrected(text, off=()):
        index = [t.text for t in word_tokens(text)].index("двор")
        return correct_text(text, lexicon, CorrectConfig(), readings={index: ("Двор",)}, off=off).text

    assert corrected("лежал мокрый. двор и сад.") == "лежал мокрый двор и сад."
    assert corrected("лежал мокрый. двор и сад.", off=("typed-marks",)) == "лежал мокрый. Двор и сад."


def test_a_capital_is_not_lowered_inside_a_sentence_when_another_chosen_repair_ends_the_sentence_before_it(lexicon):
    """The other way round: 'революции, Утром', Tesseract offering a period for the comma (typed-marks
    makes it one) and 'у' for the capital (common-capitals, whose evidence is that no sentence's mark
    stands before it): the period is made and 'Утром' keeps its capital, not 'революции. утром'."""
    from ocrfix.correct.engine import correct_text
    from ocrfix.correct.tokens import word_tokens

    text = "Шли дни революции, Утром пришли вести из города."
    index = [t.text for t in word_tokens(text)].index("Утром")

    def corrected(off=()):
        return correct_text(text, lexicon, CorrectConfig(), readings={index: ("утром",)},
                            marks={text.index(","): "."}, off=off).text

    assert corrected() == "Шли дни революции. Утром пришли вести из города."
    assert corrected(off=("typed-marks",)) == "Шли дни революции, утром пришли вести из города."


def test_the_resolver_drops_a_candidate_whose_evidence_another_chosen_candidate_edits():
    """scoring.resolve: a candidate that declares the spans it relies on (``relies``) is not made
    when a chosen candidate edits one of them, whichever scores better; a span left as read keeps it."""
    from ocrfix.correct.scoring import Candidate, resolve

    text = "мокрый. двор"
    period, word = text.index("."), text.index("двор")
    speck = Candidate(period, period + 1, "", "speck", "a speck", score=1.0)
    capital = Candidate(word, word + 4, "Двор", "sentence-start", "a sentence's first word", score=2.0,
                        relies=((period, period + 1),))
    assert [c.replacement for c in resolve([], [speck, capital], {})] == [""]
    assert [c.replacement for c in resolve([speck], [capital], {})] == [""]  # a decided change too
    assert [c.replacement for c in resolve([], [capital], {})] == ["Двор"]


def test_a_name_tesseract_doubted_takes_one_edit_of_any_kind_where_no_cheap_reading_fits(lexicon):
    """A capitalised word inside a sentence takes the cheap confusions or one substitution into a common word;
    read below scoring.OCR_CENTER (the reading's own doubt) and with none of those, it may take one edit of any
    kind into a dictionary word: 'Касноводской' (р lost) -> 'Красноводской', 'Клхтинской' (я read as л) ->
    'Кяхтинской'. Read surely, or without confidences, it stays."""
    from ocrfix.correct import correct_text

    for printed, meant in (("Касноводской", "Красноводской"), ("Клхтинской", "Кяхтинской")):
        text = f"расходовать аварийный запас нефти {printed} базы"
        doubted = correct_text(text, lexicon, CorrectConfig(), confidences={0: 91.0, 1: 92.0, 2: 93.0, 3: 90.0,
                                                                            4: 50.0, 5: 92.0})
        assert doubted.text == f"расходовать аварийный запас нефти {meant} базы"
        sure = correct_text(text, lexicon, CorrectConfig(), confidences={0: 91.0, 1: 92.0, 2: 93.0, 3: 90.0,
                                                                         4: 88.0, 5: 92.0})
        assert sure.text == text
        assert correct_text(text, lexicon, CorrectConfig()).text == text


def test_the_unknown_part_of_a_hyphenated_name_tesseract_doubted_is_searched_alone(lexicon):
    """'Бенцер-Шахе' read at 47: no reading of the whole is known, Шахе is a dictionary word, so Бенцер is
    searched alone (as the unknown part of a lower-case compound is) and may become a name's part, Бендер
    (not by losing a letter). Read surely it stays, and so does a word's hyphenated particle ('Выьпи-ка')."""
    from ocrfix.correct import correct_text

    text = "чего в Пехлеви и Бенцер-Шахе простаивают наши суда"

    def read(confidence: float) -> str:
        sure = dict.fromkeys(range(8), 90.0)
        return correct_text(text, lexicon, CorrectConfig(), confidences={**sure, 4: confidence}).text

    assert read(47.0) == "чего в Пехлеви и Бендер-Шахе простаивают наши суда"
    assert read(88.0) == text
    particle = "Выьпи-ка из протокола"
    assert correct_text(particle, lexicon, CorrectConfig(), confidences={0: 50.0, 1: 90.0, 2: 90.0}).text != "Выпи-ка из протокола"


def test_a_mark_alone_between_words_is_a_lost_preposition_only_where_one_governs_the_next_word(lexicon):
    """Engine.lone_preposition: the scan shows something typed where the mark stands, and a preposition of one
    letter that governs the next word's case is what it was ('производился ‹ большими' -> 'с'); the one Tesseract
    offered for the mark goes first. Before a word no such preposition governs ('сказал ‚ что'), at a line's end,
    or for a letter standing alone ('выдава ь'), the speck repairs decide as before."""
    from ocrfix.correct import correct_text

    def read(text: str, **kwargs) -> str:
        return correct_text(text, lexicon, CorrectConfig(), **kwargs).text

    assert read("производился ‹ большими перебоями") == "производился с большими перебоями"
    assert read("вопрос › снятии ограничений") in {"вопрос в снятии ограничений", "вопрос о снятии ограничений"}
    mark = "вопрос › снятии ограничений".index("›")
    assert read("вопрос › снятии ограничений", marks={mark: "о"}) == "вопрос о снятии ограничений"
    assert read("он сказал ‚ что придёт") == "он сказал что придёт"
    assert read("работали ‹\nбольшими силами") != "работали с\nбольшими силами"


def test_a_one_letter_capital_read_surely_is_lowered_between_lower_case_words_not_after_a_comma(lexicon):
    """Tesseract's confidence says nothing of the case of И, В, У, С (the capital is the small letter,
    larger), so a one-letter preposition or conjunction in capitals between two lower-case words is lowered
    on a word read surely too (common-capitals@6: 'колхозов И призывают'); read surely after a comma it
    stays, as the comma may be a misread period ('до мягкости, В конце': a new sentence)."""
    from ocrfix.correct import correct_text

    text = "агитацию против колхозов И призывают колхозников"
    sure = correct_text(text, lexicon, CorrectConfig(), confidences=dict.fromkeys(range(6), 95.0))
    assert sure.text == "агитацию против колхозов и призывают колхозников"
    comma = "минут двадцать, до мягкости, В конце положите"
    assert correct_text(comma, lexicon, CorrectConfig(), confidences=dict.fromkeys(range(7), 95.0)).text == comma


def test_a_capitalised_word_opening_a_quotation_read_surely_is_a_title_or_name_as_read(lexicon):
    """'(«Сулдаль» и ...': a ship's name in guillemets, read at 92, is no misread 'Суздаль'; doubted (below 90), the
    name search may mend it."""
    from ocrfix.correct import correct_text

    text = "суда («Сулдаль» и «Молотов») собирали сведения"
    others = {0: 95.0, 2: 95.0, 3: 95.0, 4: 95.0, 5: 95.0}
    assert correct_text(text, lexicon, CorrectConfig(), confidences={**others, 1: 92.0}).text == text
    assert "Суздаль" in correct_text(text, lexicon, CorrectConfig(), confidences={**others, 1: 60.0}).text


def test_a_two_letter_word_read_surely_is_read_as_the_preposition_the_next_word_asks_for(lexicon):
    """'запись го телефону': го, read at 97, is one cheap confusion from по, which governs the dative телефону;
    Tesseract's confidence protects words, and го is no word there."""
    from ocrfix.correct import correct_text

    text = "предварительная запись го телефону"
    assert correct_text(text, lexicon, CorrectConfig(), confidences=dict.fromkeys(range(4), 97.0)).text == (
        "предварительная запись по телефону")


def test_a_mark_in_a_gap_counts_as_the_lost_letter_of_a_short_joined_word(lexicon):
    """gap-joins@12: a mark between two pieces stands where a letter was ('с. арые', 'отхо, е'), so it counts
    toward the joined word's least length; a plain space between as short pieces is no such evidence."""
    from ocrfix.correct import correct_text

    assert correct_text("старые с. арые дома", lexicon, CorrectConfig()).text == "старые старые дома"
    assert correct_text("отхо, е скота", lexicon, CorrectConfig()).text == "отход скота"


def test_a_speck_letter_is_dropped_when_a_join_takes_in_the_word_it_completes(lexicon):
    """specks@13 (Candidate.relies): 'растен ями,' is joined into 'растениями,'; the comma closing the doubted 'ями',
    read for the letter that would complete it (растениямин), relies on that word and goes with it."""
    from ocrfix.correct import correct_text

    doubted = {0: 95.0, 1: 40.0, 2: 40.0, 3: 95.0, 4: 95.0}
    assert correct_text("питание растен ями, в поле", lexicon, CorrectConfig(), confidences=doubted).text == (
        "питание растениями, в поле")
