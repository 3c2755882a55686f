"""The corrector benchmark's count of lexicon-fixable errors (scripts/bench_correct.py)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from bench_correct import fixable_errors  # noqa: E402

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
