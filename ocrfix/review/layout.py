"""Where every word of a page sits: its place in the model and in the texts.

The review works on the flat list of a page's words (``Page.words`` order).
For each word this module records its block, line and position, and its
character span in the OCR text (the words' original readings) and in the
corrected text, laid out exactly as :attr:`ocrfix.model.Page.text` lays them
out (a space between words, a newline between lines, a blank line between
blocks). Corrections, whose offsets refer to the OCR text, are mapped to
words through these spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocrfix.model import BBox, Page, Word, enclosing


@dataclass(frozen=True, slots=True)
class WordPlace:
    index: int  # position in Page.words
    block: int
    line: int  # position of the line in Page.lines
    position: int  # position of the word in its line
    raw_start: int  # span in the OCR text
    raw_end: int
    raw_line: int  # 0-based text line number in the OCR text (blank lines counted)
    text_start: int  # span in the corrected text
    text_end: int


@dataclass(frozen=True, slots=True)
class PageLayout:
    page: Page
    places: tuple[WordPlace, ...]
    raw_text: str
    corrected_text: str

    @property
    def words(self) -> tuple[Word, ...]:
        return self.page.words

    def line_bbox(self, line_index: int) -> BBox | None:
        line = self.page.lines[line_index]
        if line.bbox is not None:
            return line.bbox
        return enclosing(w.bbox for w in line.words)


def ocr_reading(word: Word) -> str:
    """What Tesseract read for this word (before any correction)."""
    return word.original if word.original is not None else word.text




def layout_page(page: Page) -> PageLayout:
    places: list[WordPlace] = []
    raw_parts: list[str] = []
    text_parts: list[str] = []
    raw_pos = text_pos = 0
    raw_line_number = 0
    line_counter = 0
    word_counter = 0

    def emit(raw: str, text: str) -> None:
        nonlocal raw_pos, text_pos
        raw_parts.append(raw)
        text_parts.append(text)
        raw_pos += len(raw)
        text_pos += len(text)

    for block_index, block in enumerate(page.blocks):
        if block_index:
            emit("\n\n", "\n\n")
            raw_line_number += 2
        for line_in_block, line in enumerate(block.lines):
            if line_in_block:
                emit("\n", "\n")
                raw_line_number += 1
            for position, word in enumerate(line.words):
                if position:
                    emit(" ", " ")
                raw, text = ocr_reading(word), word.text
                places.append(
                    WordPlace(
                        index=word_counter,
                        block=block_index,
                        line=line_counter,
                        position=position,
                        raw_start=raw_pos,
                        raw_end=raw_pos + len(raw),
                        raw_line=raw_line_number,
                        text_start=text_pos,
                        text_end=text_pos + len(text),
                    )
                )
                emit(raw, text)
                word_counter += 1
            line_counter += 1
    if page.blocks:
        emit("\n", "\n")
    return PageLayout(page, tuple(places), "".join(raw_parts), "".join(text_parts))
