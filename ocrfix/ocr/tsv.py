"""Tesseract's TSV output, parsed with the confidences at full precision.

Every TSV row is one layout element: level 1 page, 2 block, 3 paragraph,
4 line, 5 word. Words keep Tesseract's float confidence (``-1`` means none).
A Tesseract paragraph becomes a :class:`~ocrfix.model.Block`; its lines and
words keep their boxes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ocrfix.errors import OcrError
from ocrfix.model import BBox, Block, Line, Word, enclosing

COLUMNS = (
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
)
PAGE, BLOCK, PARAGRAPH, LINE, WORD = 1, 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class TsvRow:
    level: int
    page_num: int
    block_num: int
    par_num: int
    line_num: int
    word_num: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str

    @property
    def bbox(self) -> BBox:
        return BBox(self.left, self.top, self.left + self.width, self.top + self.height)

    @property
    def paragraph_key(self) -> tuple[int, int, int]:
        return (self.page_num, self.block_num, self.par_num)

    @property
    def line_key(self) -> tuple[int, int, int, int]:
        return (self.page_num, self.block_num, self.par_num, self.line_num)


def parse_tsv(text: str) -> tuple[TsvRow, ...]:
    """All rows of a Tesseract TSV file; a malformed file is an :class:`OcrError`."""
    lines = text.splitlines()
    if not lines:
        raise OcrError("Tesseract wrote an empty TSV file")
    header = tuple(lines[0].split("\t"))
    if header != COLUMNS:
        raise OcrError(f"unexpected TSV header from Tesseract: {lines[0]!r}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) == len(COLUMNS) - 1:  # an empty text column may lose its tab
            fields.append("")
        if len(fields) != len(COLUMNS):
            raise OcrError(f"TSV line {number} has {len(fields)} columns, expected {len(COLUMNS)}: {line!r}")
        try:
            numbers = [int(value) for value in fields[:10]]
            conf = float(fields[10])
        except ValueError as exc:
            raise OcrError(f"TSV line {number} is not numeric where it should be: {line!r}") from exc
        rows.append(TsvRow(*numbers, conf, unicodedata.normalize("NFC", fields[11])))
    return tuple(rows)


def blocks_from_rows(rows: tuple[TsvRow, ...]) -> tuple[Block, ...]:
    """Paragraphs -> lines -> words, in Tesseract's reading order, without empty words or lines."""
    paragraph_boxes = {row.paragraph_key: row.bbox for row in rows if row.level == PARAGRAPH}
    line_boxes = {row.line_key: row.bbox for row in rows if row.level == LINE}
    words_by_line: dict[tuple[int, int, int, int], list[Word]] = {}
    for row in rows:
        if row.level != WORD or not row.text.strip():
            continue
        confidence = row.conf if row.conf >= 0 else None
        words_by_line.setdefault(row.line_key, []).append(Word(row.text.strip(), row.bbox, confidence))
    lines_by_paragraph: dict[tuple[int, int, int], list[Line]] = {}
    for key, words in words_by_line.items():
        bbox = line_boxes.get(key) or enclosing(w.bbox for w in words)
        lines_by_paragraph.setdefault(key[:3], []).append(Line(tuple(words), bbox))
    return tuple(
        Block(tuple(lines), paragraph_boxes.get(key) or enclosing(line.bbox for line in lines))
        for key, lines in lines_by_paragraph.items()
    )


