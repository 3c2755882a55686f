"""The archive's markup in a published transcription, taken out.

Archives publish their transcriptions as web pages: headings marked with
``####``, underlining as ``<u>…</u>``, emphasis as ``**``. None of it was
typed on the page. :func:`without_markup` removes it and keeps, for every
character left, its offset in the file as the archive published it, so a
page's share of a document is cut from the original text, markup included.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

# An HTML tag; a Markdown heading mark at the start of a line (with the space after it);
# Markdown emphasis stuck to a word.
_MARKUP = regex.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"
    r"|(?m:^[ \t]*#{1,6}[ \t]+)"
    r"|(?<!\S)\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?!\S)"
)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A text without markup; ``offsets[i]`` is where its character ``i`` was in the original
    (``offsets[len(text)]`` is the original's length)."""

    text: str
    offsets: tuple[int, ...]

    def original_offset(self, index: int) -> int:
        return self.offsets[min(max(index, 0), len(self.text))]


def without_markup(text: str) -> Cleaned:
    """``text`` with the archive's markup removed, and where each remaining character came from."""
    kept: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _MARKUP.finditer(text):
        kept.append(text[position : match.start()])
        offsets.extend(range(position, match.start()))
        position = match.end()
    kept.append(text[position:])
    offsets.extend(range(position, len(text)))
    offsets.append(len(text))
    return Cleaned("".join(kept), tuple(offsets))
