"""CER/WER on cases small enough to count by hand."""

from __future__ import annotations

import math

import pytest

from ocrfix.align import ErrorRates, error_rates, graphemes, normalize_layout, words


def test_identical_texts_have_no_errors() -> None:
    assert error_rates("Вопрос НКИД.", "Вопрос НКИД.") == ErrorRates(0.0, 0.0, 0, 12, 0, 2)


def test_both_empty_is_zero_not_a_division_by_zero() -> None:
    assert error_rates("", "") == ErrorRates(0.0, 0.0, 0, 0, 0, 0)


def test_empty_reference_with_text_is_infinitely_wrong() -> None:
    rates = error_rates("", "да нет")
    assert math.isinf(rates.cer) and math.isinf(rates.wer)
    assert (rates.char_edits, rates.char_ref_len, rates.word_edits, rates.word_ref_len) == (6, 0, 2, 0)
    assert rates.to_dict()["cer"] is None  # JSON has no infinity


def test_empty_hypothesis_deletes_everything() -> None:
    assert error_rates("да нет", "") == ErrorRates(1.0, 1.0, 6, 6, 2, 2)


def test_fully_different() -> None:
    # 3 substitutions out of 3 characters; 1 word replaced out of 1.
    assert error_rates("абв", "где") == ErrorRates(1.0, 1.0, 3, 3, 1, 1)


def test_hypothesis_longer_than_reference_can_exceed_one() -> None:
    rates = error_rates("аб", "вгдеж")
    assert rates.char_edits == 5 and rates.cer == 2.5


def test_combining_marks_are_part_of_their_character() -> None:
    # е + COMBINING DIAERESIS is ё after NFC: no error, and 4 characters, not 5.
    assert error_rates("е\u0308лка", "ёлка") == ErrorRates(0.0, 0.0, 0, 4, 0, 1)
    # Two marks on one letter (no precomposed form) still make one cluster.
    assert graphemes("a\u0301\u0302b") == ["\u00e1\u0302", "b"]
    assert error_rates("a\u0301\u0302b", "ab").char_edits == 1


def test_yo_and_ye_are_different_characters() -> None:
    # ёлка/елка and ёж/еж: 2 substitutions out of 9 clusters (spaces count), 2 of 3 words.
    rates = error_rates("ёлка и ёж", "елка и еж")
    assert (rates.char_edits, rates.char_ref_len) == (2, 9)
    assert rates.cer == pytest.approx(2 / 9)
    assert (rates.word_edits, rates.word_ref_len) == (2, 3)


def test_words_skip_punctuation_and_keep_abbreviations_whole() -> None:
    assert words("т.т.Литвинову, Гринько — 15,5 тыс.") == ["т.т.Литвинову", "Гринько", "15,5", "тыс"]
    assert words("... — !!!") == []


def test_line_breaks_count_by_default_and_not_when_layout_insensitive() -> None:
    reference, hypothesis = "коман-\nдования шли", "командования шли"
    strict = error_rates(reference, hypothesis)
    assert strict.char_edits == 2  # the hyphen and the line break
    loose = error_rates(reference, hypothesis, layout_insensitive=True)
    assert loose.char_edits == 0 and loose.word_edits == 0
    assert normalize_layout("  a \n\n b-\nc ") == "a bc"
