"""Bounds on the corrector's work, so no input can make it run out of memory or time.

* Per token: a run of letters longer than :data:`~ocrfix.correct.tokens.MAX_WORD_LENGTH`
  is no word token (see :mod:`ocrfix.correct.tokens`), so it is never corrected.
* Per text: a text longer than :data:`MAX_TEXT_CHARS` is refused
  (:class:`ocrfix.errors.TooLargeError`); one longer than :data:`CHUNK_CHARS` is
  corrected a piece at a time (pieces end at line breaks, else between words), so
  the corrector's working memory is that of one piece whatever the text's length.
  The collection lexicon is still counted over the whole text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ocrfix.correct.pitch import Cells
from ocrfix.correct.scoring import Candidate
from ocrfix.correct.tokens import WORD
from ocrfix.errors import TooLargeError

MAX_TEXT_CHARS = 2_000_000  # about 600 typed pages; a page is about 3,000 characters
CHUNK_CHARS = 100_000


def check_text_size(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TooLargeError(
            f"text too long to correct: {len(text):,} characters, the limit is {MAX_TEXT_CHARS:,}",
            hint="correct it page by page",
        )


def chunk_ends(text: str, size: int = CHUNK_CHARS) -> list[int]:
    """Where each piece of ``text`` ends: at most ``size`` characters each, cut after a
    line break when the piece has one, else after a space, else at a non-letter."""
    ends = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = text.rfind("\n", start, limit) + 1
        if cut <= start:
            cut = max(text.rfind(" ", start, limit), text.rfind("\t", start, limit)) + 1
        if cut <= start:
            cut = next((i for i in range(limit, start, -1) if not text[i - 1].isalpha()), limit)
        ends.append(cut)
        start = cut
    ends.append(len(text))
    return ends


def correct_in_chunks(
    correct: Callable[..., object],
    text: str,
    *,
    confidences: Mapping[int, float] | None,
    readings: Mapping[int, tuple[str, ...]] | None,
    pre_edits: Iterable[Candidate],
    marks: Mapping[int, str] | None = None,
    cells: Cells | None = None,
    **options,
) -> tuple[str, list]:
    """Run ``correct(piece, confidences=..., readings=..., pre_edits=..., marks=..., cells=..., **options)`` on
    each piece of ``text`` and join the results; token indexes and offsets are shifted to each piece."""
    from dataclasses import replace

    pre_edits = sorted(pre_edits, key=lambda e: e.start)
    every_reading = {} if readings is None else readings  # (not 'or {}': its truth would make them all)
    texts: list[str] = []
    corrections: list = []
    start = first_token = 0
    line = 0
    for end in chunk_ends(text):
        piece = text[start:end]
        count = sum(1 for _ in WORD.finditer(piece))
        window = range(first_token, first_token + count)
        result = correct(
            piece,
            confidences={i - first_token: c for i, c in (confidences or {}).items() if i in window},
            # (asked for the piece's tokens only: the page's readings are made when first asked for)
            readings={i - first_token: r for i in window if (r := every_reading.get(i)) is not None},
            pre_edits=[replace(e, start=e.start - start, end=e.end - start) for e in pre_edits
                       if start <= e.start and e.end <= end],
            marks={at - start: offered for at, offered in (marks or {}).items() if start <= at < end},
            cells=None if cells is None else cells.shifted(start, end),
            **options,
        )
        texts.append(result.text)
        corrections.extend(
            replace(c, start=c.start + start, end=c.end + start, line=c.line + line) for c in result.corrections
        )
        line += piece.count("\n")
        first_token += count
        start = end
    return "".join(texts), corrections
