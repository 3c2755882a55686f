"""Plain text: one line of the page per line, a blank line between blocks."""

from __future__ import annotations

import unicodedata

from ocrfix.model import Page


def to_text(page: Page) -> str:
    """The page's current words (corrected where a later stage changed them), NFC."""
    return unicodedata.normalize("NFC", page.text)
