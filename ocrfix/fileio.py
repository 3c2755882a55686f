"""Atomic file writes: a reader (or a kill) never sees half a file."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def _default_mode() -> int:
    """The mode an ordinary new file gets (mkstemp would make it owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it.

    A read-only folder or a full disk raises :class:`ocrfix.errors.WriteError` /
    :class:`~ocrfix.errors.DiskFullError` naming the file; ``path`` is then untouched.
    """
    from ocrfix.errors import WriteError, write_error

    path = Path(path)
    try:
        kind = os.stat(path).st_mode
    except OSError:
        kind = None  # not there yet (or not reachable: the write below says why)
    try:
        if kind is not None and stat.S_ISDIR(kind):
            raise WriteError(f"cannot write {path}: it is a folder")
        if kind is not None and not stat.S_ISREG(kind):
            # a device, pipe or socket (/dev/null, /dev/stdout): written to as a shell would,
            # never replaced by a file
            with open(path, "wb") as handle:
                handle.write(data)
            return
        _atomic_write(path, data)
    except OSError as exc:
        raise write_error(exc, path) from exc


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode_text(data: bytes, what: str) -> str:
    """``data`` as NFC text: UTF-8, or UTF-8/16/32 with a byte-order mark; strictly.

    Anything else (invalid UTF-8, a NUL byte: a binary file) raises
    :class:`BadInputError` saying what ``what`` is and where it went wrong.
    """
    import unicodedata

    from ocrfix.errors import BadInputError

    encoding, name = "utf-8", "UTF-8"
    for bom, bom_encoding, bom_name in _BOMS:
        if data.startswith(bom):
            encoding, name = bom_encoding, bom_name
            break
    try:
        text = data.decode(encoding, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{what} is not {name} text: {exc.reason} at byte {exc.start}",
            hint="save it as UTF-8 (UTF-16 needs its byte-order mark)",
        ) from exc
    if "\x00" in text:
        raise BadInputError(
            f"{what} holds a NUL character at character {text.index(chr(0))}: binary data, not text",
            hint="give a plain text file",
        )
    return unicodedata.normalize("NFC", text)


def read_text(path: Path) -> str:
    """Read a text file (UTF-8; a byte-order mark may say UTF-8, 16 or 32), NFC-normalised,
    as BadInputError on failure (see :func:`decode_text`)."""
    from ocrfix.errors import BadInputError

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise BadInputError(f"no such file: {path}") from exc
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror}") from exc
    return decode_text(data, str(path))


def read_json(path: Path, what: str = "", *, error: type | None = None, max_bytes: int | None = None) -> Any:
    """Parse a JSON file, as ``error`` (BadInputError by default, naming ``what`` and the file)
    when it cannot be read or parsed, is nested too deeply, or is over ``max_bytes``."""
    import json

    from ocrfix.errors import BadInputError

    error = error or BadInputError
    label = f"{what + ' ' if what else ''}{path}"
    try:
        if max_bytes is not None and Path(path).stat().st_size > max_bytes:
            raise error(f"{label} is over {max_bytes:,} bytes, the largest this file may be")
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise error(f"cannot read {label}: nested too deeply") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"cannot read {label}: {exc}") from exc
