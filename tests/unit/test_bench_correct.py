"""The corrector benchmark's count of lexicon-fixable errors and of broken words (scripts/bench_correct.py)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import bench_correct  # noqa: E402
from bench_correct import BROKEN_LOG, fixable_errors, judge_corrections, score  # noqa: E402

from ocrfix.correct import CorrectionResult  # noqa: E402
from ocrfix.model import Correction  # noqa: E402

LEXICON = {"дубанем", "посланы", "в", "город"}


def test_a_word_the_ocr_split_in_two_is_one_fixable_error() -> None:
    # the word-level opcodes pair 'д)' with 'дубанем' and delete 'банем': only together a near-miss
    assert fixable_errors(["д)", "банем", "в", "город"], ["дубанем", "в", "город"], LEXICON) == [(0, 1)]


def test_a_misread_letter_is_fixable_and_a_lost_word_is_not() -> None:
    assert fixable_errors(["послани", "в", "город"], ["посланы", "в", "город"], LEXICON) == [(0, 1)]
    assert fixable_errors(["в", "город"], ["посланы", "в", "город"], LEXICON) == []


def test_an_unknown_truth_word_or_a_far_reading_is_not_fixable() -> None:
    assert fixable_errors(["Синьпзяне"], ["Синьцзяне"], LEXICON) == []
    assert fixable_errors(["xyzw", "город"], ["посланы", "город"], LEXICON) == []


def test_a_token_split_into_its_two_words_is_one_right_change_and_a_correct_word_split_breaks_one_and_adds_one() -> None:
    # the word-level opcodes give a replacement and an insertion beside it: together one change
    ref = "в ожидании ремонта"
    split = score("t", "в ожидании.ремонта", ref, ref, 1.0, LEXICON)
    assert (split.corrections, split.right, split.broken) == (1, 1, 0)
    BROKEN_LOG.clear()
    broken = score("t", ref, "в ожи дании ремонта", ref, 1.0, LEXICON)
    assert (broken.corrections, broken.right, broken.broken) == (1, 0, 2)  # as joining two correct words breaks two
    assert [src for _, src, _ in BROKEN_LOG] == ["ожидании"]


def test_a_word_inserted_where_the_reference_has_none_is_counted_broken() -> None:
    # an error the input did not have, between right words or beside a wrong one split in two
    ref = "посланы в город"
    assert score("t", ref, "посланы в в город", ref, 1.0, LEXICON).broken == 1
    assert score("t", "послани в город", "пос лани в город", ref, 1.0, LEXICON).broken == 1
    assert score("t", "послани в город", "посланы в город", ref, 1.0, LEXICON).broken == 0
    # a token split into as many words as the reference has there adds none, even misspelt
    assert score("t", "в ожидании.ремонта", "в ожидании ремонто", "в ожидании ремонта", 1.0, LEXICON).broken == 0


def test_a_change_that_splits_a_token_into_the_reference_words_is_judged_right() -> None:
    # the token alignment of 'Экз. №1 НАРОДНЫЙ' with 'Экз. № 1 НАРОДНЫЙ' inserts '№' and pairs '№1' with
    # '1': the inserted reference word may belong to the changed token
    text, ref = "Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ", "Секретно. Экз. № 1 НАРОДНЫЙ КОМИССАРИАТ"
    at = text.index("№1")  # (number-spacing's change, made where the word's box shows the space: test_pitch.py)
    result = CorrectionResult(ref, (Correction("№1", "№ 1", at, at + 2, 0, 0.0, "the space lost"),))
    judged = judge_corrections([result], [("t", text, ref)])
    assert [right for _, right, _, _ in judged] == [True]


def test_a_correct_word_broken_beside_an_inserted_reference_word_is_still_judged_wrong() -> None:
    # 'Экз.' ends where the alignment inserts '№': its truths are 'Экз.' and 'Экз. №', never a broken 'Экз.';
    # '№1' may take the inserted '№' or not, but a wrong number stays wrong
    text, ref = "Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ", "Секретно. Экз. № 1 НАРОДНЫЙ КОМИССАРИАТ"
    at, sign = text.index("Экз."), text.index("№1")
    broken = [Correction("Экз.", "Эк з.", at, at + 4, 0, 0.0, "a correct word split"),
              Correction("Экз.", "Экэ.", at, at + 4, 0, 0.0, "a correct word misspelt"),
              Correction("№1", "№ 7", sign, sign + 2, 0, 0.0, "a wrong number")]
    judged = judge_corrections([CorrectionResult(text, tuple(broken))], [("t", text, ref)])
    assert [right for _, right, _, _ in judged] == [False, False, False]


def test_the_new_texts_are_development_only_and_only_the_benchmark_loads_them() -> None:
    pages = [(name, "", "") for name in ("protocol-fisheries", "telegram-kabul", "memo-chukotka-supply")]
    assert bench_correct.in_part("typed-new", pages, "dev") == pages
    assert bench_correct.in_part("typed-new", pages, "test") == []
    assert "typed-new" not in bench_correct.load_sets(with_scans=False)  # the learners' view
    new = bench_correct.load_sets(with_scans=False, new_text=True)["typed-new"]
    assert len(new) >= 8 and sum(len(truth.split()) for _, _, truth, _ in new) >= 2500
