"""The case channel (ocrfix/correct/case_model.py): learned counts, where a word stands, what it proposes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import case_model, correct_text
from ocrfix.correct.sentences import Words
from ocrfix.correct.tokens import word_tokens
from ocrfix.errors import BadInputError
from ocrfix.lexicon import fold, load_lexicon

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(CorrectConfig())


def _words(text: str) -> Words:
    tokens = word_tokens(text)
    return Words(text, text, tokens, [fold(t.text) for t in tokens])


def test_where_a_word_stands(lexicon):
    words = _words("Меры приняты. вспышка прошла, и Для нас\nврид. командира ЦК ВКП ТОВ")
    places = [case_model.case_context(words, i, lexicon) for i in range(len(words.tokens))]
    assert places[0] is None and places[2] == "after-stop"  # 'вспышка' after 'приняты.'
    assert places[4] == "inside" and places[5] == "inside"  # after a comma, after a lower-case word
    assert places[8] == "after-abbreviation"  # 'командира' after 'врид.'
    assert places[10] == "caps"  # 'ВКП' between ЦК and ТОВ


def test_a_learned_sentence_start_is_restored_and_an_abbreviation_keeps_its_sentence(lexicon):
    text = "Меры по борьбе с эпидемией приняты на месте. вспышка прекратилась через неделю."
    made = correct_text(text, lexicon, CorrectConfig())
    assert [(c.original, c.replacement, c.repair) for c in made.corrections] == [("вспышка", "Вспышка", "case")]
    assert correct_text(text, lexicon, CorrectConfig(), off=("case",)).text == text  # nothing else makes it
    assert correct_text("Справку дал врид. командира дивизии.", lexicon, CorrectConfig()).corrections == ()


def test_the_counts_decide_and_an_unseen_place_proposes_nothing(lexicon):
    words = _words("Меры приняты. вспышка прошла.")
    key = ("after-stop", "word", "lower", "title", True)
    assert case_model.case_candidate(words, 2, lexicon, case_model.CaseModel({key: (1, 5)}), lambda: False) is None
    found = case_model.case_candidate(words, 2, lexicon, case_model.CaseModel({key: (4, 5)}), lambda: False)
    assert found is not None and found.replacement == "Вспышка" and found.evidence.language > 0
    assert case_model.case_candidate(words, 2, lexicon, case_model.CaseModel({}), lambda: False) is None


def test_a_bad_table_is_refused(tmp_path):
    path = tmp_path / "case_model.tsv"
    path.write_text("# x\ncontext\tclass\tprinted\ttyped\tlookalike\ttyped_so\tprinted_so\nafter-stop\tword\tlower\n",
                    encoding="utf-8")
    with pytest.raises(BadInputError):
        case_model.read_case_model(path)


def test_the_learning_script_counts_what_was_typed(lexicon):
    sys.path.insert(0, str(REPO / "scripts"))
    import learn_case_model

    right, total = learn_case_model.count("Дело сделано. вспышка прошла.", "Дело сделано. Вспышка прошла.", lexicon)
    key = ("after-stop", "word", "lower", "title", True)
    assert total[key] == 1 and right[key] == 1
    assert sum(right.values()) == 1  # the other words were typed as printed


def test_the_shipped_table_is_the_learned_one():
    """case_model.tsv is read whole, every row a count (made by scripts/learn_case_model.py)."""
    model = case_model.shipped_case_model()
    assert model.counts and all(0 <= right <= total for right, total in model.counts.values())
