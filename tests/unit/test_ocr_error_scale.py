"""The page error scale: the self-check's estimate as a character error rate, read from its data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocrfix.errors import BadInputError, ExitCode
from ocrfix.ocr.error_scale import ErrorScale, estimated_cer, read_scale, shipped_scale
from ocrfix.ocr.quality import Quality


def _quality(free_score: float, words: int = 100) -> Quality:
    return Quality(words, 500, 80.0, None, 0.0, free_score, 0.0, free_score, 0.0)


def test_the_shipped_scale_falls_as_confidence_rises_and_flags_between_good_and_bad_pages() -> None:
    scale = shipped_scale()
    rates = [scale.cer(free) for free in (0.5, 0.8, 0.9, 0.97)]
    assert rates == sorted(rates, reverse=True) and rates[-1] >= 0.0
    assert 0.02 < scale.doubtful < 0.10  # above a good page's CER, below a bad one's (scripts/fit_page_error.py)
    assert estimated_cer(_quality(0.9, words=0)) == 1.0  # nothing read
    assert estimated_cer(_quality(0.9)) == scale.cer(0.9)
    assert scale.cer(0.0) == 1.0  # at most every character wrong


def test_the_scale_file_round_trips(tmp_path: Path) -> None:
    scale = ErrorScale(5.5, -10.5, 0.005, 0.0275)
    path = tmp_path / "scale.tsv"
    path.write_text(scale.to_tsv("fitted on\nthree pages"), encoding="utf-8")
    assert read_scale(path) == scale


@pytest.mark.parametrize(
    "text, message",
    [("intercept\t5\nslope\t-10\noffset\t0.005\n", "missing doubtful"),
     ("intercept\tfive\n", ":1: expected name<TAB>number")],
)  # fmt: skip
def test_a_bad_scale_file_is_a_bad_input_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "scale.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError) as caught:
        read_scale(path)
    assert str(path) in caught.value.message and message in caught.value.message
    assert caught.value.exit_code == ExitCode.BAD_INPUT
