"""The output folder of a batch: page keys, finished-page records, atomic commits.

Layout of ``out_dir``::

    <page_id>/            one finished page: the page task's files + _done.json
    .staging/             pages and recognitions being written (never read as results)
    .ocr-cache/           recognised pages, by recognition key (see :mod:`.cache`)
    .ocrfix-batch.lock    held while a batch runs in this folder
    collection-lexicon.json, summary.json, index.html

A page is finished if and only if ``<page_id>/_done.json`` exists and its key
matches the key of the current inputs and settings. The page task writes into
a fresh folder under ``.staging/``; the batch adds ``_done.json`` there and then
renames the whole folder into place (over an older result in one atomic
exchange, see :func:`move_into_place`), so a kill at any moment leaves either
the complete old result or the complete new one (never a mix, never neither).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrfix.errors import write_error
from ocrfix.fileio import atomic_write_json
from ocrfix.locks import folder_lock
from ocrfix.outputs import DONE
from ocrfix.pipeline import PageTask

DONE_MANIFEST = DONE
STAGING = ".staging"
LOCK_FILE = ".ocrfix-batch.lock"
KEY_SCHEMA = 2  # bump when the meaning of a key changes: every page is then redone
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class PageKey:
    """Everything a page's outputs depend on; its digest decides whether to redo the page."""

    image_sha256: str
    page_index: int
    published_sha256: str | None
    ground_truth_sha256: str | None
    config_fingerprint: str
    versions: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # the collection lexicon the page is corrected with: its SHA-256 (a batch's),
    # "page" (counted over the page alone), or None (no correction)
    collection: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": KEY_SCHEMA,
            "image_sha256": self.image_sha256,
            "page_index": self.page_index,
            "published_sha256": self.published_sha256,
            "ground_truth_sha256": self.ground_truth_sha256,
            "config_fingerprint": self.config_fingerprint,
            "versions": dict(self.versions),
            "collection": self.collection,
        }

    @property
    def digest(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(blob.encode("ascii")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def page_key(
    task: PageTask,
    config_fingerprint: str,
    versions: Mapping[str, str],
    *,
    image_sha256: str | None = None,
    collection: str | None = None,
) -> PageKey | None:
    """The key of ``task``, or None when an input cannot be read (the page task will say why).

    ``image_sha256`` saves hashing the image again when the caller has done it.
    """
    try:
        return PageKey(
            image_sha256=image_sha256 or file_sha256(task.image_path),
            page_index=task.page_index,
            published_sha256=_published_digest(task),
            ground_truth_sha256=file_sha256(task.ground_truth_path) if task.ground_truth_path else None,
            config_fingerprint=config_fingerprint,
            versions=tuple(sorted(versions.items())),
            collection=collection,
        )
    except OSError:
        return None


def _published_digest(task: PageTask) -> str | None:
    """The published transcription's hash; for a document's, with the page's share of it."""
    if not task.published_path:
        return None
    digest = file_sha256(task.published_path)
    if task.published_document:
        span = task.published_span
        digest += ":" + (f"{span[0]}-{span[1]}" if span is not None else "none")
    return digest


class OutputStore:
    """Reads finished-page records from, and commits staged pages into, one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.staging_root = self.out_dir / STAGING

    def page_dir(self, page_id: str) -> Path:
        return self.out_dir / page_id

    def finished_record(self, page_id: str, key: PageKey | None) -> dict[str, Any] | None:
        """The page's ``_done.json`` when it exists and matches ``key``; otherwise None."""
        if key is None:
            return None
        return read_marker(self.page_dir(page_id) / DONE_MANIFEST, key.digest)

    def new_staging_dir(self, page_id: str) -> Path:
        """A fresh, empty folder the page task may write into (it creates the folder itself)."""
        self.staging_root.mkdir(parents=True, exist_ok=True)
        return self.staging_root / f"{page_id}.{secrets.token_hex(6)}"

    def commit(self, page_id: str, staged: Path, key: PageKey | None, result: Mapping[str, Any]) -> dict[str, Any]:
        """Write ``_done.json`` into ``staged`` and move it into place as ``<out_dir>/<page_id>``.

        An older result for the page is moved aside first and deleted after
        the new one is in place; each step is one atomic rename.
        """
        record = {
            "page_id": page_id,
            "key": key.digest if key else None,
            "inputs": key.to_dict() if key else None,
            "result": dict(result),
        }
        atomic_write_json(staged / DONE_MANIFEST, record)
        move_into_place(staged, self.page_dir(page_id), self.staging_root)
        return record

    def discard(self, staged: Path) -> None:
        remove_path(staged)

    def clean_staging(self) -> None:
        """Remove leftovers of interrupted runs (only call while holding the lock)."""
        if self.staging_root.is_dir():
            for entry in self.staging_root.iterdir():
                remove_path(entry)
            try:
                self.staging_root.rmdir()
            except OSError:
                pass  # a straggling worker of a killed run wrote again; next run cleans it

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock: two batches never write the same output folder at once."""
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only or foreign folder: said before any page runs
            typed = write_error(exc, self.out_dir)
            if typed is None:
                raise
            raise typed from exc
        with folder_lock(
            self.out_dir / LOCK_FILE,
            busy=f"another ocrfix batch is writing to {self.out_dir}",
            hint="wait for it to finish or choose another output folder",
        ):
            yield


def move_into_place(staged: Path, target: Path, aside_dir: Path) -> None:
    """Rename the finished folder ``staged`` to ``target``, so that at every moment
    ``target`` is either the complete old folder or the complete new one.

    An older ``target`` is swapped with ``staged`` in one atomic step (Linux's
    ``renameat2(RENAME_EXCHANGE)``) and then deleted from where ``staged`` was
    (inside the staging folder, which the next run cleans if we are killed first).
    Where the exchange is not available, the old folder is first renamed into
    ``aside_dir`` and deleted once the new one is in place: each step is one
    atomic rename, but between them the page is briefly missing."""
    if not (target.exists() or target.is_symlink()):
        os.replace(staged, target)
        fsync_dir(target.parent)
        return
    if exchange_paths(staged, target):
        fsync_dir(target.parent)
        remove_path(staged)  # now the old folder
        return
    aside_dir.mkdir(parents=True, exist_ok=True)
    old = aside_dir / f"{target.name}.old.{secrets.token_hex(6)}"
    os.replace(target, old)
    os.replace(staged, target)
    fsync_dir(target.parent)
    remove_path(old)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``);
    False when the system or the file system cannot, and nothing was changed."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(a), None, str(b))


def read_marker(path: Path, key: str | None = None) -> dict[str, Any] | None:
    """The JSON object in ``path`` when it names ``key`` (its "key" field), or whatever its key when
    ``key`` is None; otherwise (missing, unreadable, another key) None."""
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or (key is not None and marker.get("key") != key):
        return None
    return marker


def remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def fsync_dir(path: Path) -> None:
    """Make a rename durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
