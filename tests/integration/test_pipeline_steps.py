"""The page model says how it was made, in the order it was made."""

from __future__ import annotations

import pytest
from conftest import needs_tesseract

from ocrfix.config import Config
from ocrfix.pipeline import recognize_file


@needs_tesseract
@pytest.mark.tesseract
def test_steps_are_recorded_in_the_order_they_ran(typed_png):
    page, _, prepared = recognize_file(typed_png, Config())
    names = [step.name for step in page.steps]
    assert names[-2:] == ["tesseract", "recognition"]  # the reading, then its self-check
    assert names[:-2] == [step.name for step in prepared.steps]
    assert names[0].startswith("preprocess.")
