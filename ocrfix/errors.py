"""Exit codes and the error classes that carry them.

Library code raises these; only :mod:`ocrfix.cli` turns them into a line on
stderr and a process exit code. The numbers are a stable interface and are
documented in the README.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    USAGE = 2  # bad command line (click's own code)
    BAD_INPUT = 3  # unreadable, corrupt or unsupported input file
    MISSING_DEPENDENCY = 4  # Tesseract, its Russian data or a lexicon is missing
    OCR_FAILED = 5  # Tesseract failed or timed out
    BATCH_FAILURES = 6  # a batch finished, but some pages failed
    INTERRUPTED = 130  # Ctrl-C / SIGTERM


class OcrfixError(Exception):
    """Base class: every error ocrfix raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = self.message if not self.hint else f"{self.message} ({self.hint})"
        return " ".join(text.split())


class BadInputError(OcrfixError):
    """An input file that cannot be read as what it claims to be."""

    exit_code = ExitCode.BAD_INPUT


class EmptyPageError(BadInputError):
    """The page holds nothing to read (blank, all black)."""


class MissingDependencyError(OcrfixError):
    """A program, its data or a lexicon is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class OcrError(OcrfixError):
    """Tesseract ran and failed; ``stderr`` keeps what it said."""

    exit_code = ExitCode.OCR_FAILED

    def __init__(self, message: str, hint: str | None = None, stderr: str = "") -> None:
        super().__init__(message, hint)
        self.stderr = stderr


class OcrTimeoutError(OcrError):
    """Tesseract did not finish a page in the allowed time."""


class BatchFailedError(OcrfixError):
    """A batch ran to the end but some pages failed."""

    exit_code = ExitCode.BATCH_FAILURES


class BatchInterruptedError(OcrfixError):
    """SIGINT/SIGTERM stopped a batch; finished pages are kept, ``summary`` says which."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str, hint: str | None = None, summary: object = None) -> None:
        super().__init__(message, hint)
        self.summary = summary
