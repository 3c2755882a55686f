"""Pages of one-word lines placed by hand, for the tests of the lines' order and the recognition verdict."""

from __future__ import annotations

from ocrfix.model import BBox, Block, Line, Page, Word


def page_of(*rows: tuple[str, int, int, int]) -> Page:
    """A page of one-word lines (text, left, top, right), each 30 px high, in the order given, one block each."""
    lines = [Line((Word(text, BBox(left, top, right, top + 30), 90.0),), BBox(left, top, right, top + 30))
             for text, left, top, right in rows]  # fmt: skip
    return Page(tuple(Block((line,)) for line in lines))
