"""One published transcription of a document, cut into its pages' shares.

An archive publishes one transcription per document, while ocrfix reads page
by page. The pages' OCR texts, in order, are aligned word by word with the
published text (markup out, line breaks and hyphenation alike, see
:mod:`.units`); each published word goes to the page of the scan word it
lines up with, a word only the published text has goes with the page of the
word before it, and each page's share runs from its first word (moved back to
the start of its line, markup included) to the next page's. The shares are
consecutive and together hold the whole text, so nothing the archive published
is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from ocrfix.align import nfc, word_tokens
from ocrfix.errors import TooLargeError
from ocrfix.reconcile.units import published_words

# The word aligner's memory grows with the product of the two word counts (about a
# quarter byte per pair): 10^9 pairs, ~250 MB, is two sides of ~31,000 words, some
# 100 typed pages. A longer document's transcription is not split (the caller says so).
MAX_SPLIT_WORD_PAIRS = 1_000_000_000


def split_document(page_texts: Sequence[str], published: str) -> list[tuple[int, int]]:
    """Each page's share of ``published``: (start, end) offsets into its NFC text, in page order.

    Raises :class:`TooLargeError` above :data:`MAX_SPLIT_WORD_PAIRS`."""
    published = nfc(published)
    cleaned, theirs = published_words(published)
    ours: list[str] = []
    page_of: list[int] = []
    for number, text in enumerate(page_texts):
        for token in word_tokens(nfc(text)):
            ours.append(token.key)
            page_of.append(number)
    if len(ours) * len(theirs) > MAX_SPLIT_WORD_PAIRS:
        raise TooLargeError(
            f"a transcription of {len(theirs):,} words against {len(ours):,} scanned words is too long to split "
            f"(the limit is {MAX_SPLIT_WORD_PAIRS:,} word pairs)",
            hint="give each page its own <page>.published.txt",
        )
    owner: list[int | None] = [None] * len(theirs)
    for op in Levenshtein.opcodes(ours, [t.key for t in theirs]):
        if op.tag in ("equal", "replace"):
            for offset in range(min(op.src_end - op.src_start, op.dest_end - op.dest_start)):
                owner[op.dest_start + offset] = page_of[op.src_start + offset]
            if op.dest_end - op.dest_start > op.src_end - op.src_start:  # more published words: with the last page seen
                for j in range(op.dest_start + op.src_end - op.src_start, op.dest_end):
                    owner[j] = page_of[op.src_end - 1]
    # words only the published text has go with the page before them (the first page at the start)
    current = 0
    for j, page in enumerate(owner):
        if page is None:
            owner[j] = current
        else:
            current = max(current, page)  # never back to an earlier page: the shares stay in order
            owner[j] = current
    starts = [0] * len(page_texts)
    count = len(page_texts)
    for page in range(1, count):
        first = next((j for j, p in enumerate(owner) if p is not None and p >= page), None)
        starts[page] = _line_start(published, cleaned.original_offset(theirs[first].start)) if first is not None else len(published)
        starts[page] = max(starts[page], starts[page - 1])
    return [(starts[k], starts[k + 1] if k + 1 < count else len(published)) for k in range(count)]


def _line_start(text: str, offset: int) -> int:
    """``offset`` moved back to the start of its line when only spaces and markup stand before it there."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    from ocrfix.reconcile.markup import without_markup

    return start if not without_markup(before).text.strip() else offset
