"""Repairs that change a mark or a case only on evidence from the reading itself (a mark Tesseract
offered, its confidence): each does its repair with the evidence and nothing without it."""

from __future__ import annotations

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import marks
from ocrfix.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(CorrectConfig())


def test_a_comma_before_a_capital_becomes_a_period_only_where_tesseract_offered_one(lexicon):
    text = "Получена 12 ч. 05 м, Вх. № 2216"
    comma = text.index(",")
    with_period = marks.offered_periods(text, lambda pos: "." if pos == comma else "", lexicon)
    assert [(e.start, e.end, e.replacement) for e in with_period] == [(comma, comma + 1, ".")]
    assert marks.offered_periods(text, lambda pos: "", lexicon) == []  # the convention alone is no evidence
    assert marks.offered_periods(text, lambda pos: "‚", lexicon) == []  # nor another mark offered

