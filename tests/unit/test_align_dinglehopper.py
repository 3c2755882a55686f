"""Our CER and WER equal dinglehopper's on recorded pairs (see scripts/record_dinglehopper.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ocrfix.align import error_rates

PAIRS_FILE = Path(__file__).resolve().parent.parent / "data" / "dinglehopper_pairs.json"
PAIRS = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))["pairs"]


def _recorded(value: float | str) -> float:
    return math.inf if value == "inf" else float(value)


def test_enough_pairs_are_recorded() -> None:
    assert len(PAIRS) >= 20
    assert sum(1 for p in PAIRS if p["char_edits"] > 0) >= 20


@pytest.mark.parametrize("pair", PAIRS, ids=[p["name"] for p in PAIRS])
def test_cer_and_wer_equal_dinglehopper(pair: dict) -> None:
    rates = error_rates(pair["reference"], pair["hypothesis"])
    for ours, theirs in ((rates.cer, pair["cer"]), (rates.wer, pair["wer"])):
        expected = _recorded(theirs)
        if math.isinf(expected):
            assert math.isinf(ours)
        else:
            assert ours == pytest.approx(expected, abs=1e-9, rel=0)
    assert (rates.char_edits, rates.char_ref_len) == (pair["char_edits"], pair["char_ref_len"])
    assert (rates.word_edits, rates.word_ref_len) == (pair["word_edits"], pair["word_ref_len"])
