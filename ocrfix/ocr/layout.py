"""Blocks of a typed page from the vertical gaps between its lines.

Tesseract's paragraphs follow indentation and line length, so a short last
line or a one-line heading often starts a "paragraph" where the typist left
no gap, and blank lines are sometimes missed. A typewriter advances the
platen by a fixed pitch, so a blank line shows as a larger step between
consecutive lines: that is where :func:`blocks_by_gaps` starts a new block.
"""

from __future__ import annotations

import statistics

from ocrfix.model import Block, Line, enclosing

GAP_FACTOR = 1.3  # a step this many times the usual line pitch holds a blank (half-)line


def blocks_as_configured(blocks: tuple[Block, ...], mode: str) -> tuple[Block, ...]:
    """``blocks`` as the setting ``ocr.blocks`` wants them: ``"gaps"`` regroups their lines by the
    vertical gaps (:func:`blocks_by_gaps`); ``"tesseract"`` keeps the blocks as they are."""
    return blocks_by_gaps(blocks) if mode == "gaps" else blocks


def blocks_by_gaps(blocks: tuple[Block, ...], gap_factor: float = GAP_FACTOR) -> tuple[Block, ...]:
    """Regroup the lines of ``blocks`` (in reading order) into blocks separated by vertical gaps.

    A new block starts where the step from one line to the next is more
    than ``gap_factor`` times the median step, or is not downwards (a new
    column). Lines without boxes stay in the block they were in.
    """
    lines = [line for block in blocks for line in block.lines]
    if any(line.bbox is None for line in lines) or len(lines) < 2:
        return blocks
    # The smaller of the steps between tops and between bottoms: a line of
    # capitals, or one with descenders, moves only one of its edges.
    steps = [min(b.bbox.top - a.bbox.top, b.bbox.bottom - a.bbox.bottom) for a, b in zip(lines, lines[1:])]
    downward = [s for s in steps if s > 0]
    if not downward:
        return blocks
    pitch = statistics.median(downward)
    groups: list[list[Line]] = [[lines[0]]]
    for line, step in zip(lines[1:], steps):
        if step <= 0 or step > gap_factor * pitch:
            groups.append([line])
        else:
            groups[-1].append(line)
    return tuple(Block(tuple(group), enclosing(line.bbox for line in group)) for group in groups)
