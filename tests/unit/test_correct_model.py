"""Error model, candidate generation, collection lexicon, forbidden pairs."""

from __future__ import annotations

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import (
    ErrorModel,
    build_collection_lexicon,
    confusion_counts,
    correct_text,
    default_error_model,
    load_error_model,
)
from ocrfix.correct.candidates import edits, generate
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.errors import BadInputError, ExitCode
from ocrfix.lexicon import fold


@pytest.fixture(scope="module")
def model(lexicon):
    return default_error_model(lexicon)


def test_confusion_table_costs(model):
    assert model.cost("и", "ы") < 0.5  # the typewriter ы misread
    assert model.cost("ш", "т") < model.cost("ш", "а") == model.default_cost
    assert model.cost("а", "а") == 0.0


def test_candidates_carry_edit_costs(lexicon, model):
    found = generate("присужденних", Vocabulary(lexicon), model, max_cost=2.0)
    assert found["присужденных"] == pytest.approx(model.cost("и", "ы"))
    far = generate("осередоточить", Vocabulary(lexicon), model, max_cost=2.0)
    assert "сосредоточить" in far and far["сосредоточить"] > 1.0


def test_the_first_stage_tries_every_listed_confusion_not_only_the_cheap_ones(lexicon, model):
    """A confusion listed above the cheap line (е read for а, learned at 0.52) is tried with the cheap ones,
    before the search ends on a convincing reading: 'делее' finds 'далее' beside 'деле' (a cheap е dropped),
    'слазо' 'слабо' (з read for б, 0.69), where a cheap confusion of two found 'слово' before."""
    assert model.cost("е", "а") > 0.5 and model.cost("з", "б") > 0.5
    assert {"деле", "далее"} <= set(generate("делее", Vocabulary(lexicon), model, max_cost=2.0))
    assert "слабо" in generate("слазо", Vocabulary(lexicon), model, max_cost=2.0)


class _NoPruning(Vocabulary):
    """The same vocabulary without the neighbour-letter tables: every letter is tried."""

    def letters(self, before: str, after: str) -> str:
        return "абвгдежзийклмнопрстуфхцчшщъыьэюя"


@pytest.mark.parametrize("word", ["осередоточить", "посняке", "невыволить", "авиарскадрилыю", "свсе", "синьпзяне"])
def test_neighbour_letter_pruning_loses_no_candidate(lexicon, model, word):
    collection = build_collection_lexicon(["Синьцзяне Синьцзяне Бешкурган Бешкургана"], lexicon, error_model=model)
    pruned = generate(word, Vocabulary(lexicon, collection), model, max_cost=2.0)
    full = generate(word, _NoPruning(lexicon, collection), model, max_cost=2.0)
    assert pruned == full


class _Asked(Vocabulary):
    """The same vocabulary, keeping every key the search asks it about (through known_sets, which
    the search asks without a call a key: the forms' DAWG is asked of every key first)."""

    def __init__(self, lexicon):
        super().__init__(lexicon)
        self.asked: list[str] = []

    @property
    def known_sets(self):
        forms, others = super().known_sets
        return _Recording(forms, self.asked), others


class _Recording:
    """A container that notes every key it is asked about."""

    def __init__(self, inner, asked: list[str]) -> None:
        self.inner, self.asked = inner, asked

    def __contains__(self, key: str) -> bool:
        self.asked.append(key)
        return key in self.inner


@pytest.mark.parametrize("word", ["переселенне", "осередоточить", "невыволить"])
def test_search_makes_no_edit_that_leaves_the_folded_key_unchanged(lexicon, model, word):
    assert model.cost("е", "ё") < model.cheapest  # listed, but it cannot change a key (keys fold ё to е)
    for cheap_only in (True, False):
        assert all(fold(v) != word for v in edits(word, model, cheap_only=cheap_only))
    vocab = _Asked(lexicon)
    generate(word, vocab, model, max_cost=2.0)
    assert vocab.asked and all(fold(v) == v for v in vocab.asked)  # every variant asked about can be a key


def test_bad_confusion_table(tmp_path):
    table = tmp_path / "c.tsv"
    table.write_text("seen\tintended\tcost\nи\tы\tcheap\n", encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        load_error_model(table)
    assert "c.tsv:2" in info.value.message and info.value.exit_code == ExitCode.BAD_INPUT
    with pytest.raises(BadInputError):
        load_error_model(tmp_path / "missing.tsv")


def test_confusions_counted_from_word_pairs():
    counts = confusion_counts([("послани", "посланы"), ("устний", "устный"), ("НКИЛ", "НКИД"), ("да", "да")])
    assert counts[("и", "ы")] == 2 and counts[("л", "д")] == 1
    assert sum(counts.values()) == 3


def test_model_learns_from_confirmed_corrections(model):
    assert model.cost("ь", "в") > 0.5
    learned = model.updated(confusion_counts([("удоьлетворительного", "удовлетворительного")] * 30),
                            totals={"в": 60})
    assert learned.cost("ь", "в") < model.cost("ь", "в")
    assert learned.cost("и", "ы") == model.cost("и", "ы")  # untouched pairs keep their prior


def test_forbidden_pairs_are_never_made(lexicon):
    text = "половини сумм"
    assert correct_text(text, lexicon, CorrectConfig()).text == "половины сумм"
    kept = correct_text(text, lexicon, CorrectConfig(), forbidden=[("половини", "половины")])
    assert kept.text == text and kept.corrections == ()


def test_custom_error_model_is_used(lexicon):
    listed = correct_text("секрешном", lexicon, CorrectConfig())
    empty = correct_text("секрешном", lexicon, CorrectConfig(), error_model=ErrorModel({}))
    assert listed.corrections[0].score == pytest.approx(0.3)  # ш for т is a listed confusion
    assert empty.corrections[0].score == pytest.approx(1.0)  # without the table it is one arbitrary edit


def test_collection_lexicon_keeps_recurring_unknown_words(lexicon):
    texts = ["Прибыл в Бешкурган.", "Из Бешкургана сообщают.", "Выписки послани.", "Выписки послани."]
    collection = build_collection_lexicon(texts, lexicon)
    assert "бешкурган" in collection and "бешкургана" in collection
    assert "послани" not in collection  # a recurring near-miss of a known word does not join


def test_forms_of_different_lengths_count_as_one_family(lexicon):
    # a surname seen once in each of two case forms, one letter apart in length
    collection = build_collection_lexicon(["Прибыл т. Кацуфрин.", "Письмо т. Кацуфрина."], lexicon)
    assert "кацуфрин" in collection and "кацуфрина" in collection
    alone = build_collection_lexicon(["Прибыл т. Кацуфрин.", "Письмо т. Литвинова."], lexicon)
    assert "кацуфрин" not in alone  # once, and no other form of it: not yet a word of the collection


def test_a_form_the_web_list_knows_vouches_for_the_unknown_forms_of_its_lemma(lexicon):
    # 'Сергиополь' is known to the web frequency list only; 'Сергиополе' to nothing: pymorphy3 reads
    # both as forms of one lemma, so the place recurs; a misreading ('Сергионоле') is no form of it
    assert "сергиополе" in build_collection_lexicon(["Прибыл в Сергиополь.", "Склад в Сергиополе пуст."], lexicon)
    assert "сергионоле" not in build_collection_lexicon(["Прибыл в Сергиополь.", "Склад в Сергионоле пуст."], lexicon)
    assert "сергиополе" not in build_collection_lexicon(["Склад в Сергиополе пуст."], lexicon)


def test_misreadings_of_one_word_do_not_make_a_family(lexicon):
    # 'хомандо-' is one listed confusion (х for к) from 'командо-': a near-miss, so it may not
    # vouch for 'хомандовачия' (two confusions from 'командования'), which it resembles
    texts = ["пожеланиям хомандо-", "представитель хомандовачия дивизии"]
    assert "хомандовачия" not in build_collection_lexicon(texts, lexicon)


def test_rare_form_is_corrected_toward_a_collection_word(lexicon):
    collection = build_collection_lexicon(["Из Бешкургана сообщают.", "Из Бешкургана пишут."], lexicon)
    result = correct_text("отряд вышел из Бешкургапа утром", lexicon, CorrectConfig(), collection=collection)
    assert result.text == "отряд вышел из Бешкургана утром"
    alone = correct_text("отряд вышел из Бешкургапа утром", lexicon, CorrectConfig())
    assert alone.text == "отряд вышел из Бешкургапа утром"


def test_disabled_corrector_changes_nothing(lexicon):
    result = correct_text("половини сумм", lexicon, CorrectConfig(enabled=False))
    assert result.text == "половини сумм" and result.corrections == ()


def test_join_line_hyphens_option(lexicon):
    text = "пожеланиям командо-\nвания дивизии"
    joined = correct_text(text, lexicon, CorrectConfig(join_line_hyphens=True))
    assert joined.text == "пожеланиям командования\n дивизии"


def test_accepted_corrections_update_the_model(model):
    from ocrfix.correct import model_from_corrections

    learned = model_from_corrections(model, [("удоьлетворительного", "удовлетворительного")] * 10,
                                     reference_text="в" * 20)
    assert learned.cost("ь", "в") < model.cost("ь", "в")
    assert model_from_corrections(model, []) is model


def test_a_batch_teaches_its_own_confusions(lexicon, model):
    from ocrfix.correct import learn_error_model

    pages = ["половини сумм и в смисле", "новие и денежние суммы"] * 3  # all but денежние confident
    learned = learn_error_model(pages, lexicon, CorrectConfig(), model=model)
    assert learned.cost("и", "ы") < model.cost("и", "ы")  # the batch confirmed и for ы many times
    assert learned.cost("л", "д") == model.cost("л", "д")  # nothing seen, prior kept


def test_a_batch_learns_only_from_the_changes_the_calibration_calls_confident(lexicon, model):
    from ocrfix.correct import learn_error_model
    from ocrfix.correct.confidence import CONFIDENT

    # the same cheap confusion (ш read for т, a listed one) in both; the calibrated confidence tells them apart
    doubtful, sure = "секрешном деле", "на рабоше"
    for text, confident in ((doubtful, False), (sure, True)):
        (change,) = correct_text(text, lexicon, CorrectConfig()).corrections
        assert change.score <= 0.5 and (change.confidence >= CONFIDENT) == confident
    assert learn_error_model([doubtful] * 5, lexicon, CorrectConfig(), model=model) is model  # nothing learned
    learned = learn_error_model([sure] * 5, lexicon, CorrectConfig(), model=model)
    assert learned.cost("ш", "т") < model.cost("ш", "т")


def test_a_lower_case_word_known_only_as_a_name_is_weakly_known(lexicon):
    """context.only_names: every reading of 'сорск' and 'тула' is a name (pymorphy3's Geox), of 'роза' not; in
    lower case, standing alone, such a word is weighed as a weakly known one (replaced by a reading clearly more
    frequent), but not a piece after a mark ('в.ады') nor the same word with its capital."""
    from ocrfix.correct import context

    assert context.only_names("сорск") and context.only_names("тула")
    assert not context.only_names("роза") and not context.only_names("сорок") and not context.only_names("ъъыщ")
    assert correct_text("овец и сорск лошадей", lexicon, CorrectConfig()).text == "овец и сорок лошадей"
    assert correct_text("некоторые в.ады прибавляют", lexicon, CorrectConfig()).text != "некоторые в.сады прибавляют"


def test_a_piece_glued_to_a_mark_before_it_is_not_searched_alone(lexicon):
    """Engine._after_mark: '>апасных', 'гернувш“еся', '‚„,ровинцьи' are pieces of damaged words (the mark hides
    their start); the word search leaves them to the repairs that read the mark (inner-marks, gap-joins). A
    quotation mark or bracket opening after a space, and a hyphen, begin a word as usual."""
    for text in ("количество >апасных частей", "бывшие баи, гернувш“еся из ссылки", "о ‚„,ровинцьи кредите"):
        assert correct_text(text, lexicon, CorrectConfig()).text == text
    assert correct_text("работу (сзоевременно) и", lexicon, CorrectConfig()).text == "работу (своевременно) и"
    assert correct_text("в газете «прасда» за", lexicon, CorrectConfig()).text == "в газете «правда» за"
