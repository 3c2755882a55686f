"""Pages of one-word lines placed by hand, for the tests of the lines' order and the recognition verdict."""

from __future__ import annotations

from collections.abc import Sequence

from ocrfix.model import BBox, Block, Line, Page, Word

Row = tuple[str, int, int, int]  # a one-word line: text, left, top, right
# the tops of two paragraphs of three lines, a blank line between them: a step of 120 px where the pitch is 60
PARAGRAPH_TOPS = (100, 160, 220, 340, 400, 460)


def page_of(*rows: Row) -> Page:
    """A page of one-word lines (text, left, top, right), each 30 px high, in the order given, one block each."""
    lines = [Line((Word(text, BBox(left, top, right, top + 30), 90.0),), BBox(left, top, right, top + 30))
             for text, left, top, right in rows]  # fmt: skip
    return Page(tuple(Block((line,)) for line in lines))


def folded(pairs: Sequence[tuple[str, str]], tops: Sequence[int] | None = None) -> tuple[list[Row], list[Row]]:
    """The left halves (100-450 px) and the right halves (550-900 px) of lines a fold splits, as rows for
    :func:`page_of`: line i's halves are ``pairs[i]``, at ``tops[i]`` (by default 100 + 60 i)."""
    tops = [100 + 60 * i for i in range(len(pairs))] if tops is None else tops
    left = [(first, 100, top, 450) for (first, _), top in zip(pairs, tops, strict=True)]
    right = [(second, 550, top, 900) for (_, second), top in zip(pairs, tops, strict=True)]
    return left, right
