"""How long a text the aligner takes: alignment time grows with the product of the
two texts' lengths (and the report's memory with their sum), so longer texts are
refused up front with :class:`ocrfix.errors.TooLargeError` instead of running for
minutes and running out of memory. A typed page is about 3,000 characters."""

from __future__ import annotations

from ocrfix.errors import TooLargeError

MAX_ALIGN_CHARS = 250_000  # per text, in code points (about 80 typed pages)


def check_align_size(*texts: str, what: str = "texts") -> None:
    """Raise :class:`TooLargeError` when any of ``texts`` is longer than :data:`MAX_ALIGN_CHARS`."""
    longest = max((len(t) for t in texts), default=0)
    if longest > MAX_ALIGN_CHARS:
        raise TooLargeError(
            f"{what} too long to align: {longest:,} characters, the limit is {MAX_ALIGN_CHARS:,}",
            hint="compare page by page",
        )
