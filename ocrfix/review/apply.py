"""Put chosen readings into a page: a new Page whose words carry them, in their boxes.

A reading replaces a run of words (``first``..``last`` in ``Page.words``
order). When it has as many words as the run, each word keeps its own box;
otherwise the new words share the run's box on its first line, split in
proportion to their length, and the run's words on later lines go. An empty
reading removes the run. Every changed word keeps its OCR reading in
``original``; a word put back to its OCR reading has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ocrfix.model import BBox, Page, Word, enclosing, with_ids
from ocrfix.review.layout import ocr_reading


def apply_readings(page: Page, readings: Mapping[tuple[int, int], str]) -> Page:
    """``page`` with each run (first, last) of words replaced by its reading."""
    words = page.words
    replacement_for: dict[int, list[Word]] = {}  # first word of a run -> its new words (on its line)
    dropped: set[int] = set()
    line_of: list[int] = [li for li, line in enumerate(page.lines) for _ in line.words]
    for (first, last), reading in sorted(readings.items()):
        if not (0 <= first <= last < len(words)):
            raise ValueError(f"word run {first}-{last} is outside the page ({len(words)} words)")
        run = words[first : last + 1]
        new_texts = reading.split()
        if len(new_texts) == len(run):  # one word per box, wherever the boxes are
            for offset, (word, text) in enumerate(zip(run, new_texts, strict=True)):
                replacement_for[first + offset] = [_with_text(word, text)]
            continue
        lines = [line_of[i] for i in range(first, last + 1)]
        replacement_for[first] = _reading_words(run, new_texts, lines)
        dropped.update(range(first + 1, last + 1))
    blocks = []
    index = 0
    for block in page.blocks:
        lines = []
        for line in block.lines:
            out: list[Word] = []
            for word in line.words:
                if index in replacement_for:
                    out.extend(replacement_for[index])
                elif index not in dropped:
                    out.append(word)
                index += 1
            if out:
                lines.append(replace(line, words=tuple(out)))
        if lines:
            blocks.append(replace(block, lines=tuple(lines)))
    return with_ids(replace(page, blocks=tuple(blocks)))


def _reading_words(run: tuple[Word, ...], new_texts: list[str], lines: list[int]) -> list[Word]:
    if not new_texts:
        return []
    first_line_words = [w for w, li in zip(run, lines, strict=True) if li == lines[0]]
    box = enclosing(w.bbox for w in first_line_words)
    confidences = [w.confidence for w in run if w.confidence is not None]
    original = " ".join(ocr_reading(w) for w in run)
    boxes = _split_box(box, new_texts)
    # the first new word keeps the run's first id; more words than the run had get fresh ids (with_ids)
    ids = [w.id for w in run][: len(new_texts)] + [""] * max(0, len(new_texts) - len(run))
    return [
        Word(
            text=text,
            bbox=b,
            confidence=min(confidences) if confidences else None,
            original=original if " ".join(new_texts) != original else None,
            id=word_id,
        )
        for text, b, word_id in zip(new_texts, boxes, ids, strict=True)
    ]


def _with_text(word: Word, text: str) -> Word:
    reading = ocr_reading(word)
    if text == reading:
        return replace(word, text=text, original=None)
    return replace(word, text=text, original=reading)


def _split_box(box: BBox | None, texts: list[str]) -> list[BBox | None]:
    if box is None:
        return [None] * len(texts)
    if len(texts) == 1:
        return [box]
    gap = max(1, box.height // 3)
    usable = max(len(texts), box.width - gap * (len(texts) - 1))
    total = sum(max(1, len(t)) for t in texts)
    boxes = []
    left = box.left
    for i, text in enumerate(texts):
        width = usable * max(1, len(text)) // total
        right = box.right if i == len(texts) - 1 else min(box.right, left + max(1, width))
        boxes.append(BBox(left, box.top, max(left + 1, right), box.bottom))
        left = min(box.right - 1, right + gap)
    return boxes
