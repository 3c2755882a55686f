"""Advisory file locks on an output folder (``fcntl.flock``): one writer at a time.

A lock is a file in the folder, held open for the whole block; closing it releases
the lock, and so does the kernel when the process dies, so a killed run never
leaves a folder locked.
"""

from __future__ import annotations

import errno
import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ocrfix.errors import BadInputError, write_error


@contextmanager
def folder_lock(lock_path: Path, *, busy: str | None = None, hint: str = "") -> Iterator[None]:
    """Hold the lock at ``lock_path``.

    With ``busy`` (a message naming who holds it) a lock already held is a
    :class:`BadInputError` at once; without it, wait for the holder to finish.
    A folder that cannot hold the lock file (read-only, missing, full) is the
    typed write error that names it.
    """
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 (held for the whole block)
    except OSError as exc:
        typed = write_error(exc, lock_path.parent)
        if typed is None:
            raise
        raise typed from exc
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (fcntl.LOCK_NB if busy is not None else 0))
        except OSError as exc:
            if busy is not None and exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BadInputError(busy, hint=hint) from exc
            raise
        yield
    finally:
        handle.close()
