"""The order of a page's lines: a reading that goes back up the page, and the lines put back in rows.

ocrfix reads a page as one column of lines (``--psm 4``), and a column is read
top to bottom. Tesseract's page analysis still cuts a page into blocks side by
side where a fold or a stain crosses the lines: it then reads the left pieces
of the lines down the page, goes back up, and reads the right pieces, so the
words may all be right while the text is out of order (the quality estimate,
which judges words, cannot see it).

- :func:`order_breaks` counts how often a reading goes back up: a line read
  after a line it lies wholly above;
- :func:`in_rows` puts such a page's lines back in reading order: pieces that
  stand side by side at one height (each overlapping the row by at least half
  the lower one's height, none overlapping another horizontally) are one text
  line, read left to right, and the lines are read top to bottom. Lines that
  overlap horizontally are never joined (two lines of one column). The lines
  are then cut into blocks as the setting ``ocr.blocks`` asks
  (:func:`ocrfix.ocr.layout.blocks_as_configured`, as for any page read):
  ``"gaps"`` cuts them where a larger step down the page shows a blank line, so
  the paragraphs keep the blank lines between them; ``"tesseract"`` keeps them
  in one block, since Tesseract's paragraphs were the pieces side by side.
"""

from __future__ import annotations

from dataclasses import replace

from ocrfix.model import Block, Line, Page, enclosing, with_ids
from ocrfix.ocr.layout import blocks_as_configured

MIN_ROW_OVERLAP = 0.5  # of the lower line's height: a piece this much level with a row stands in it


def order_breaks(page: Page) -> int:
    """How many times the reading goes back up the page: a line read after a line it lies wholly above."""
    lines = [line for line in page.lines if line.bbox is not None and line.text.strip()]
    return sum(1 for above, after in zip(lines, lines[1:]) if after.bbox.bottom <= above.bbox.top)


def in_rows(page: Page, block_mode: str) -> Page:
    """The page's lines in reading order, side-by-side pieces joined into one line (see the module's
    description), in blocks as ``block_mode`` (the setting ``ocr.blocks``) asks; lines without a box
    keep their place at the end, in the last block."""
    placed = [line for line in page.lines if line.bbox is not None]
    rows: list[list[Line]] = []
    for line in sorted(placed, key=lambda ln: ln.bbox.top + ln.bbox.bottom):  # by their middles; ties keep reading order
        row = next((row for row in rows if _stands_in(line, row)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    lines = tuple(_joined(sorted(row, key=lambda ln: ln.bbox.left)) for row in rows)
    unplaced = tuple(line for line in page.lines if line.bbox is None)
    if not lines and not unplaced:
        return page
    blocks = blocks_as_configured((Block(lines, enclosing(ln.bbox for ln in lines)),), block_mode) if lines else (Block(()),)
    if unplaced:
        blocks = (*blocks[:-1], Block(blocks[-1].lines + unplaced, blocks[-1].bbox))
    return with_ids(replace(page, blocks=blocks))


def _stands_in(line: Line, row: list[Line]) -> bool:
    top, bottom = min(ln.bbox.top for ln in row), max(ln.bbox.bottom for ln in row)
    level = min(bottom, line.bbox.bottom) - max(top, line.bbox.top) >= MIN_ROW_OVERLAP * min(line.bbox.height, bottom - top)
    beside = all(line.bbox.left >= ln.bbox.right or line.bbox.right <= ln.bbox.left for ln in row)
    return level and beside


def _joined(pieces: list[Line]) -> Line:
    if len(pieces) == 1:
        return pieces[0]
    return Line(tuple(word for piece in pieces for word in piece.words), enclosing(piece.bbox for piece in pieces))
