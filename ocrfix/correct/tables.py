"""The corrector's word lists and small tables, read once from the package's data
(``ocrfix/data/lexicons/<name>.tsv``, with ``importlib.resources``): UTF-8, tab-separated;
lines starting with '#' say what the table is, and the first other line names its
columns. (They are ``.tsv``, not ``.txt``: the ``.txt`` files there are the curated
word lists the lexicon is built from.)"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of table ``name`` (without its comments and its header), in file order."""
    text = (resources.files("ocrfix") / "data" / "lexicons" / f"{name}.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(tuple(line.split("\t")) for line in lines[1:])


def column(name: str) -> tuple[str, ...]:
    """The first column of table ``name``, in file order."""
    return tuple(row[0] for row in rows(name))


def mapping(name: str) -> dict[str, str]:
    """Table ``name`` of two columns as a dict: first column -> second."""
    return {row[0]: row[1] for row in rows(name)}


def marks(name: str) -> str:
    """The characters of the set of marks ``name`` (mark_sets.tsv: the specks, the dashes, the marks
    read for a letter...), as one string."""
    return mapping("mark_sets")[name]
