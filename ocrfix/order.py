"""The natural order of file names: numbers inside a name compare as numbers, so
``л.1, л.2, л.9, л.10`` (and ``page2`` before ``page10``) come in reading order.

Every place that orders pages by their file names uses :func:`natural_key`
(discovery of folders and globs; the batch's order then flows to summary.json,
index.html, review and regenerate)."""

from __future__ import annotations

import re
from pathlib import PurePath

_RUNS = re.compile(r"([0-9]+)")


def natural_key(name: str) -> tuple:
    """A sort key for one name: runs of ASCII digits by value, the text between them
    case-folded; ties fall back to the exact text, so distinct names never compare equal."""
    parts = []
    for i, run in enumerate(_RUNS.split(name)):
        if i % 2:
            parts.append((0, int(run)))
        elif run:
            parts.append((1, run.casefold()))
    return tuple(parts), name


def natural_path_key(path: PurePath | str) -> tuple:
    """A sort key for a path: folder by folder, each name in natural order."""
    return tuple(natural_key(part) for part in PurePath(path).parts)
