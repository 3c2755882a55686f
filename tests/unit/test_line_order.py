"""The order of a page's lines: a reading that goes back up the page, and its lines put back in rows (no Tesseract)."""

from __future__ import annotations

from dataclasses import replace

from line_pages import PARAGRAPH_TOPS, folded
from line_pages import page_of as _page_of

from ocrfix.line_order import in_rows, order_breaks
from ocrfix.model import Block, Line, Word
from ocrfix.ocr.plain_text import to_text


def test_a_reading_top_to_bottom_never_goes_back_up() -> None:
    page = _page_of(("Протокол", 100, 100, 900), ("заседания", 100, 160, 900), ("правления", 100, 220, 900))
    assert order_breaks(page) == 0
    # a header's two halves on one line (a date at the right) read one after the other: not back up
    assert order_breaks(_page_of(("Москва", 100, 100, 400), ("1934", 700, 104, 900), ("Протокол", 100, 160, 900))) == 0


def test_the_halves_of_lines_read_as_two_columns_go_back_up() -> None:
    """A fold splits each line: Tesseract reads the left halves down the page, then the right halves."""
    left, right = folded([(f"лево{i}", f"право{i}") for i in range(4)])
    assert order_breaks(_page_of(*left, *right)) == 1
    assert order_breaks(_page_of(*left[:2], *right[:2], *left[2:], *right[2:])) == 2


def test_the_halves_of_lines_read_as_two_columns_are_put_back_in_rows() -> None:
    left, right = folded([(f"лево{i}", f"право{i}") for i in range(4)])
    page = in_rows(_page_of(*left, *right), "gaps")
    assert [line.text for line in page.lines] == [f"лево{i} право{i}" for i in range(4)]
    assert order_breaks(page) == 0 and len(page.blocks) == 1
    assert [w.id for w in page.words] == [f"w{i}" for i in range(1, 9)]


def test_lines_of_one_column_are_never_joined_however_close() -> None:
    """Two lines whose boxes overlap in height (a tall first letter, a skewed pair) but also in width
    are two lines of one column: they keep their order and stay apart."""
    page = in_rows(_page_of(("первая", 100, 100, 900), ("вторая", 100, 108, 880), ("третья", 550, 40, 900)), "gaps")
    assert [line.text for line in page.lines] == ["третья", "первая", "вторая"]


def test_the_paragraphs_of_a_page_put_back_in_rows_keep_the_blank_line_between_them() -> None:
    """Two paragraphs of three lines, a blank line between them, each line read in halves down the
    page: put back in rows, the page is two blocks and its text keeps the blank line."""
    left, right = folded([(f"лево{i}", f"право{i}") for i in range(6)], PARAGRAPH_TOPS)
    page = in_rows(_page_of(*left, *right), "gaps")
    assert to_text(page) == "лево0 право0\nлево1 право1\nлево2 право2\n\nлево3 право3\nлево4 право4\nлево5 право5\n"
    assert [len(block.lines) for block in page.blocks] == [3, 3] and order_breaks(page) == 0


def test_a_line_without_a_box_stays_at_the_end_of_the_page_put_back_in_rows() -> None:
    halves = _page_of(("лево", 100, 100, 450), ("ниже", 100, 160, 450), ("право", 550, 100, 900))
    unboxed = Line((Word("без", None, 90.0),), None)
    page = in_rows(replace(halves, blocks=(*halves.blocks, Block((unboxed,)))), "gaps")
    assert [line.text for line in page.lines] == ["лево право", "ниже", "без"]
