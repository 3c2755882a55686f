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
    BAD_CONFIG = 7  # a config file that cannot be read, or a setting unknown, of the wrong type or out of range
    BAD_SAVED_DATA = 8  # a decisions.json or collection memory that breaks its format (types, sizes, nesting)
    CANNOT_WRITE = 9  # the output folder (or file) is read-only or not ours to write
    DISK_FULL = 10  # no space left (or over quota) where the output goes
    TOO_LARGE = 11  # an input beyond one of the documented size limits
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


class ConfigError(BadInputError):
    """A config file that cannot be read, or a setting that is unknown, of the wrong type or out of range."""

    exit_code = ExitCode.BAD_CONFIG


class SavedDataError(BadInputError):
    """A file ocrfix wrote for the user (``decisions.json``, a collection memory) that breaks its format."""

    exit_code = ExitCode.BAD_SAVED_DATA


class TooLargeError(BadInputError):
    """An input beyond one of the documented size limits (the message names the limit)."""

    exit_code = ExitCode.TOO_LARGE


class WriteError(OcrfixError):
    """An output that cannot be written: a read-only folder, no permission."""

    exit_code = ExitCode.CANNOT_WRITE


class DiskFullError(WriteError):
    """No space left (or over quota) on the disk the output goes to; nothing was half-written."""

    exit_code = ExitCode.DISK_FULL


def write_error(exc: OSError, path: object = None, *, writing: bool = True) -> OcrfixError | None:
    """The typed error for an ``OSError`` raised while writing ``path`` (or the OSError's own file).

    ENOSPC/EDQUOT become :class:`DiskFullError`, EROFS :class:`WriteError`; when the
    error certainly came from a write (``writing``), every other one is a
    :class:`WriteError` too (no permission, a file where a folder should be, ...).
    Otherwise None: the caller lets the OSError go on.
    """
    import errno

    where = path if path is not None else exc.filename  # the file meant, not a temporary one
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"no space left on the disk of {where}", hint="free some space and run again")
    if exc.errno == errno.EROFS:
        return WriteError(f"cannot write {where}: the file system is read-only", hint="choose another output folder")
    if not writing:
        return None
    if exc.errno in (errno.EACCES, errno.EPERM):
        return WriteError(f"cannot write {where}: permission denied", hint="choose another output folder")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return WriteError(f"cannot write {path}: a file stands where its folder should be")
    return WriteError(f"cannot write {where}: {exc.strerror or exc}")


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
