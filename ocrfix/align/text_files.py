"""Text files read as dinglehopper 0.11 reads a plain-text file, so that ``ocrfix
diff`` on two files gives dinglehopper's CER and WER on the same files.

dinglehopper (``ocr_files.plain_extract``) reads a file line by line, strips the
whitespace at both ends of every line, normalises each line (NFC and its "SBB"
equivalences: ligatures unjoined, em dash as en dash, ’ as ', ...) and joins the
lines with a line break. So a file's final newline is not a character, nor are
spaces at a line's end; a blank last line still gives one line break. Its string
API (what :func:`ocrfix.align.error_rates` matches) only applies NFC.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

EQUIVALENCES_FILE = "dinglehopper-equivalences.tsv"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@cache
def equivalences() -> tuple[tuple[str, str], ...]:
    """(from, to) pairs of ``ocrfix/data/dinglehopper-equivalences.tsv``, in their order."""
    text = (resources.files("ocrfix") / "data" / EQUIVALENCES_FILE).read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            before, after = (_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), part) for part in line.split("\t"))
            pairs.append((before, after))
    return tuple(pairs)


def normalize_line(line: str) -> str:
    """One line as dinglehopper normalises it: NFC, then every equivalence in order."""
    line = unicodedata.normalize("NFC", line)
    for before, after in equivalences():
        line = line.replace(before, after)
    return line


def file_text(text: str) -> str:
    """The content of a text file (already decoded) as dinglehopper reads it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # universal newlines
    if lines[-1] == "":
        lines.pop()  # a file's final newline ends its last line; it is not a line of its own
    return "\n".join(normalize_line(line.strip()) for line in lines)
