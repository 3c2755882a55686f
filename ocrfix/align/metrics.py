"""Character and word error rates, as dinglehopper defines them.

CER = Levenshtein distance between the two texts' sequences of grapheme
clusters (NFC) / number of grapheme clusters in the reference. WER is the
same over words (see :func:`ocrfix.align.segment.words`). Whitespace and line
breaks count like any other character, exactly as in dinglehopper.

The empty reference is handled as dinglehopper handles it: when the two
texts are equal the rate is 0; when the reference is empty and the
hypothesis is not, the rate is ``math.inf`` (any non-empty hypothesis is
infinitely wrong against nothing). The counts are always exact, so a caller
can pool several pages as sum(edits) / sum(reference lengths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from ocrfix.align.limits import check_align_size
from ocrfix.align.segment import graphemes, normalize_layout, words


@dataclass(frozen=True, slots=True)
class ErrorRates:
    cer: float
    wer: float
    char_edits: int
    char_ref_len: int
    word_edits: int
    word_ref_len: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: an infinite rate (empty reference) is written as null."""
        return {
            "cer": _finite_or_none(self.cer),
            "wer": _finite_or_none(self.wer),
            "char_edits": self.char_edits,
            "char_ref_len": self.char_ref_len,
            "word_edits": self.word_edits,
            "word_ref_len": self.word_ref_len,
        }


def rate(edits: int, reference_length: int) -> float:
    """edits / reference length, with dinglehopper's rule for an empty reference."""
    if edits == 0:
        return 0.0
    if reference_length == 0:
        return math.inf
    return edits / reference_length


def error_rates(reference: str, hypothesis: str, *, layout_insensitive: bool = False) -> ErrorRates:
    """CER and WER of ``hypothesis`` against ``reference``, with their counts.

    With ``layout_insensitive`` both texts are first reduced by
    :func:`~ocrfix.align.segment.normalize_layout` (whitespace runs become one
    space, line-end hyphenation is undone), so different line breaking costs
    nothing; the default is dinglehopper's definition, where it does.
    """
    check_align_size(reference, hypothesis)
    if layout_insensitive:
        reference, hypothesis = normalize_layout(reference), normalize_layout(hypothesis)
    ref_chars, hyp_chars = graphemes(reference), graphemes(hypothesis)
    ref_words, hyp_words = words(reference), words(hypothesis)
    char_edits = Levenshtein.distance(ref_chars, hyp_chars)
    word_edits = Levenshtein.distance(ref_words, hyp_words)
    return ErrorRates(
        cer=rate(char_edits, len(ref_chars)),
        wer=rate(word_edits, len(ref_words)),
        char_edits=char_edits,
        char_ref_len=len(ref_chars),
        word_edits=word_edits,
        word_ref_len=len(ref_words),
    )


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
