"""Which evidence lets another reading replace the first (the rule and the reason the step records; no Tesseract)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ocrfix.ocr.quality import Quality
from ocrfix.recognition import _clearly_better, _switch_evidence

FIRST = Quality(words=100, characters=500, mean_confidence=80.0, known_share=0.8, garbage_share=0.1,
                score=0.7, net=200.0, free_score=0.7, free_net=200.0)  # fmt: skip


@pytest.mark.parametrize(
    "candidate, evidence",
    [
        (replace(FIRST, garbage_share=0.02), "fewer garbage characters and an estimate no worse"),
        (replace(FIRST, score=0.8, net=300.0, free_score=0.8, free_net=300.0),
         "a clearly better estimate, with and without the lexicon"),
        (replace(FIRST, score=0.8, net=300.0), None),  # better by the lexicon alone
        (replace(FIRST, garbage_share=0.02, score=0.69), None),  # fewer garbage characters, but a worse estimate
        (replace(FIRST, score=0.72, net=220.0, free_score=0.72, free_net=220.0), None),  # within the margin
    ],
)  # fmt: skip
def test_the_evidence_is_the_rule_that_switched(candidate: Quality, evidence: str | None) -> None:
    assert _switch_evidence(candidate, FIRST) == evidence
    assert _clearly_better(candidate, FIRST) == (evidence is not None)


def test_any_words_beat_none() -> None:
    none = Quality(0, 0, None, None, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert _switch_evidence(FIRST, none) == "words where it read none"
    assert _switch_evidence(none, none) is None
