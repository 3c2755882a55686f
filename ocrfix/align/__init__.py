"""Alignment and metrics: how two or three texts differ, and by how much.

* :func:`error_rates` -- CER and WER with their counts, as dinglehopper defines them;
* :func:`align` -- the operations between two texts, at character or word level;
* :func:`pivot_alignment` / :func:`split_lines` -- the three-way view
  (published, raw OCR, corrected) on the corrected text's tokens and lines;
* :func:`confusions` -- which character pairs differ, and how often.
"""

from ocrfix.align.metrics import ErrorRates, error_rates, rate
from ocrfix.align.ops import (
    AlignOp,
    Slot,
    align,
    aligned_lines,
    confusions,
    pivot_alignment,
    split_lines,
)
from ocrfix.align.segment import Token, graphemes, layout_tokens, nfc, normalize_layout, word_tokens, words

__all__ = [
    "AlignOp",
    "ErrorRates",
    "Slot",
    "Token",
    "align",
    "aligned_lines",
    "confusions",
    "error_rates",
    "graphemes",
    "layout_tokens",
    "nfc",
    "normalize_layout",
    "pivot_alignment",
    "rate",
    "split_lines",
    "word_tokens",
    "words",
]
