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
    words = _words("Меры приняты. вспышка прошла, и Для нас\nврид. командира дивизии\nИНСТРУКТОР ЦК ВКП(б) (попок)")
    places = {t.text: case_model.case_context(words, i, lexicon) for i, t in enumerate(words.tokens)}
    assert places["Меры"] is None  # a text's first word: often a fragment
    assert places["вспышка"] == "after-stop"  # after 'приняты.'
    assert places["прошла"] == "inside" and places["Для"] == "inside"  # after a lower-case word, after a comma
    assert places["командира"] == "after-abbreviation"  # after 'врид.'
    assert places["попок"] == "caps"  # the line's other words are in capitals ('б' of ВКП(б) has one letter)


def test_what_the_letters_say():
    assert case_model.channel("вместе", "Вместе", ("Вместе",)) == "offered"  # Tesseract offered В
    assert case_model.channel("вместе", "Вместе", ()) == "lookalike"  # В and в differ only in size
    assert case_model.channel("его", "Его", ()) == "other"  # Е and е do not


def _page_with(first_letter_choices, lexicon, off=()):
    from ocrfix.correct import correct_page
    from ocrfix.model import BBox, Block, CharChoice, Line, Page, Word

    def word(text, left, alternatives=()):
        return Word(text, BBox(left, 10, left + 10 * len(text), 30), 80.0, alternatives)

    vmeste = tuple(CharChoice(first_letter_choices if i == 0 else ((c, 0.9),)) for i, c in enumerate("вместе"))
    page = Page((Block((Line((word("Меры", 0), word("приняты", 50), word("на", 130), word("месте.", 160),
                              word("вместе", 230, vmeste), word("с", 300), word("тем", 320),
                              word("вспышка", 360), word("прошла.", 440))),)),), width=1000, height=100, source="t.png")
    corrected, corrections = correct_page(page, lexicon, CorrectConfig(), off=off)
    return corrected.words[4].text, [(c.original, c.replacement, c.repair) for c in corrections]


def test_a_sentence_start_tesseract_offered_in_capitals_is_restored(lexicon):
    """'месте. вместе с тем': Tesseract printed в and offered В; after a full word's stop the development
    pages typed such a word in capitals (case_model.tsv), so the case channel restores it; without
    Tesseract's offer, or without the channel, the word stays as printed."""
    offered = (("в", 0.9), ("В", 0.6))
    assert _page_with(offered, lexicon) == ("Вместе", [("вместе", "Вместе", "case")])
    assert _page_with(offered, lexicon, off=("case",)) == ("вместе", [])
    assert _page_with((("в", 0.9),), lexicon) == ("вместе", [])


def test_an_abbreviations_stop_ends_no_sentence(lexicon):
    assert correct_text("Справку дал врид. командира дивизии.", lexicon, CorrectConfig()).corrections == ()


def test_the_counts_decide_and_an_unseen_place_proposes_nothing(lexicon):
    words = _words("Меры приняты. вспышка прошла.")
    key = ("after-stop", "word", "lower", "title", "lookalike")
    assert case_model.case_candidate(words, 2, lexicon, case_model.CaseModel({key: (1, 1)}), lambda: False) is None
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
    key = ("after-stop", "word", "lower", "title", "lookalike")
    assert total[key] == 1 and right[key] == 1
    assert sum(right.values()) == 1  # the other words were typed as printed
    right, total = learn_case_model.count("Дело сделано. вспышка прошла.", "Дело сделано. Вспышка прошла.", lexicon,
                                          {2: ("Вспышка",)}, sure={3})
    assert right[("after-stop", "word", "lower", "title", "offered")] == 1
    assert not any(k[0] == "inside" for k in total)  # 'прошла', read surely, is left out as the corrector leaves it


def test_the_shipped_table_is_the_learned_one():
    """case_model.tsv is read whole, every row a count (made by scripts/learn_case_model.py)."""
    model = case_model.shipped_case_model()
    assert model.counts and all(0 <= right <= total for right, total in model.counts.values())


def test_a_key_seen_rarely_is_judged_by_its_role():
    """A key seen fewer than MIN_SEEN times borrows the counts of every key of its role (the rule's
    shape there or not, and what the letters say); one seen often enough keeps its own."""
    rare = ("caps", "word", "lower", "upper", "offered")  # the rule's shape in a line of capitals
    other = ("after-stop", "plain", "lower", "title", "offered")  # the rule's shape after a full stop
    against = ("inside", "word", "lower", "title", "offered")  # not the rule's shape inside a sentence
    model = case_model.CaseModel({rare: (1, 1), other: (3, 3), against: (0, 4)})
    assert case_model.role(rare) == case_model.role(other) == ("rule", "offered")
    assert model.log_odds(rare) == model.log_odds(other) > 0  # 4 of 4 for the role
    assert model.log_odds(against) < 0
    assert model.offer_needed and ("lower", True) in model.printed_promising
    assert ("lower", False) not in model.printed_promising
    often = case_model.CaseModel({rare: (0, 6), other: (5, 5)})
    assert often.log_odds(rare) < 0 < often.log_odds(other)


def test_a_signature_in_a_line_of_capitals_tesseract_offered_in_capitals(lexicon):
    """'ИНСТРУКТОР ОРПО ЦК ВКП(б) (попок)': each letter of 'попок' had its capital as Tesseract's
    alternative (the readings of a word with marks around its letters are read from its letters'), and
    the line's other words are in capitals: 'ПОПОК'."""
    from ocrfix.correct import correct_page
    from ocrfix.model import BBox, Block, CharChoice, Line, Page, Word

    def word(text, left, alternatives=()):
        return Word(text, BBox(left, 10, left + 10 * len(text), 30), 96.5 if not alternatives else 86.0, alternatives)

    letters = tuple(CharChoice(((c, 0.9),) if c in "()" else ((c, 0.89), (c.upper(), 0.6))) for c in "(попок)")
    page = Page((Block((Line((word("ИНСТРУКТОР", 0), word("ОРПО", 120), word("ЦК", 180), word("ВКП(б)", 220),
                              word("(попок)", 300, letters))),)),), width=1000, height=100, source="t.png")
    corrected, corrections = correct_page(page, lexicon, CorrectConfig())
    assert corrected.words[-1].text == "(ПОПОК)"
    assert [(c.original, c.replacement, c.repair) for c in corrections] == [("попок", "ПОПОК", "case")]
