"""Progress of a batch: a tqdm bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable


class Progress:
    """Moves one bar (or writes one line) per finished page; only the parent process uses it."""

    def __init__(self, total: int, *, bar: bool | None, log: Callable[[str], None] | None, label: str = "") -> None:
        self.total = total
        self.count = 0
        self.label = label  # what the pages go through ("OCR"); empty for the pages' final pass
        self._log = log
        if bar is None:
            bar = sys.stderr.isatty()
        self._bar = None
        if bar and total:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=label or None, unit="page", file=sys.stderr, dynamic_ncols=True, leave=True
            )

    def note(self, message: str) -> None:
        """A message that does not break the bar."""
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        elif self._log is not None:
            self._log(message)

    def page_finished(self, page_id: str, status: str, detail: str = "") -> None:
        self.count += 1
        if self._bar is not None:
            self._bar.update(1)
            if status == "failed":
                self.note(f"{page_id}: failed: {detail}")
        elif self._log is not None:
            prefix = f"{self.label} " if self.label else ""
            text = f"[{prefix}{self.count}/{self.total}] {page_id}: {status}"
            self._log(f"{text}: {detail}" if detail else text)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
