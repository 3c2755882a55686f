"""The corrector's word lists and small tables, read once from the package's data
(``ocrfix/data/lexicons/<name>.tsv``, with ``importlib.resources``): UTF-8, tab-separated;
lines starting with '#' say what the table is, and the first other line names its
columns. (They are ``.tsv``, not ``.txt``: the ``.txt`` files there are the curated
word lists the lexicon is built from.)"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ocrfix.errors import BadInputError


def shipped(file_name: str) -> Path:
    """Where the package's data file ``file_name`` is (``ocrfix/data/lexicons/``): a table here, or the
    learned priors and calibration."""
    return Path(str(resources.files("ocrfix") / "data" / "lexicons" / file_name))


def read_lines(path: Path, what: str) -> list[str]:
    """The lines of the UTF-8 file ``path``; one that cannot be read is bad input, the error saying
    ``what`` it holds (the repair priors, the confidence calibration)."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read the {what} {path}: {exc}") from exc


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of table ``name`` (without its comments and its header), in file order."""
    text = shipped(f"{name}.tsv").read_text(encoding="utf-8")
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
