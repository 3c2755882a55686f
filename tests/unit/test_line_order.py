"""The order of a page's lines: a reading that goes back up the page, and its lines put back in rows (no Tesseract)."""

from __future__ import annotations

from ocrfix.line_order import in_rows, order_breaks
from ocrfix.model import BBox, Block, Line, Page, Word


def _page_of(*rows: tuple[str, int, int, int]) -> Page:
    """A page of one-word lines (text, left, top, right), each 30 px high, in the order given, one block each."""
    lines = [Line((Word(text, BBox(left, top, right, top + 30), 90.0),), BBox(left, top, right, top + 30))
             for text, left, top, right in rows]  # fmt: skip
    return Page(tuple(Block((line,)) for line in lines))


def test_a_reading_top_to_bottom_never_goes_back_up() -> None:
    page = _page_of(("Протокол", 100, 100, 900), ("заседания", 100, 160, 900), ("правления", 100, 220, 900))
    assert order_breaks(page) == 0
    # a header's two halves on one line (a date at the right) read one after the other: not back up
    assert order_breaks(_page_of(("Москва", 100, 100, 400), ("1934", 700, 104, 900), ("Протокол", 100, 160, 900))) == 0


def test_the_halves_of_lines_read_as_two_columns_go_back_up() -> None:
    """A fold splits each line: Tesseract reads the left halves down the page, then the right halves."""
    left = [(f"лево{i}", 100, 100 + 60 * i, 450) for i in range(4)]
    right = [(f"право{i}", 550, 100 + 60 * i, 900) for i in range(4)]
    assert order_breaks(_page_of(*left, *right)) == 1
    assert order_breaks(_page_of(*left[:2], *right[:2], *left[2:], *right[2:])) == 2


def test_the_halves_of_lines_read_as_two_columns_are_put_back_in_rows() -> None:
    left = [(f"лево{i}", 100, 100 + 60 * i, 450) for i in range(4)]
    right = [(f"право{i}", 550, 100 + 60 * i, 900) for i in range(4)]
    page = in_rows(_page_of(*left, *right))
    assert [line.text for line in page.lines] == [f"лево{i} право{i}" for i in range(4)]
    assert order_breaks(page) == 0 and len(page.blocks) == 1
    assert [w.id for w in page.words] == [f"w{i}" for i in range(1, 9)]


def test_lines_of_one_column_are_never_joined_however_close() -> None:
    """Two lines whose boxes overlap in height (a tall first letter, a skewed pair) but also in width
    are two lines of one column: they keep their order and stay apart."""
    page = in_rows(_page_of(("первая", 100, 100, 900), ("вторая", 100, 108, 880), ("третья", 550, 40, 900)))
    assert [line.text for line in page.lines] == ["третья", "первая", "вторая"]
