"""Turn command-line inputs into an ordered list of page tasks.

Inputs are image files, folders (searched recursively), glob patterns and
manifest files (CSV or JSON lines). Multi-page TIFF/PDF files become one task
per page (``<stem>-p001``...). A published transcription (``<stem>.published.txt``)
and a ground truth (``<stem>.gt.txt``) beside an image are found automatically.

An archive publishes one transcription per document. A document's transcription
is ``<stem>.published.txt`` beside a multi-page file (unless there are per-page
``<stem>-p001.published.txt`` files), ``<folder>.published.txt`` beside a folder
of page images (for its images without their own), or one file named by several
manifest rows; its pages' tasks are marked ``published_document`` and the batch
cuts it into the pages' shares once they are recognised. A transcription found
in an input folder that no page uses is reported in the warnings.
Page ids are unique, safe as folder names, and deterministic for the same inputs.

Discovery never opens images beyond counting the pages of TIFF/PDF files: a
corrupt image is the page task's problem (one failed page), not discovery's.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ocrfix.config import Config
from ocrfix.errors import BadInputError
from ocrfix.order import natural_key, natural_path_key
from ocrfix.outputs import is_reserved_page_id
from ocrfix.pipeline import PageTask

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf", ".bmp", ".webp"})
MULTIPAGE_EXTENSIONS = frozenset({".tif", ".tiff", ".pdf"})
MANIFEST_EXTENSIONS = frozenset({".csv", ".jsonl", ".ndjson"})
PUBLISHED_SUFFIX = ".published.txt"
GROUND_TRUTH_SUFFIX = ".gt.txt"
GLOB_CHARACTERS = frozenset("*?[")

# Manifest column names (first match wins), so common spellings just work.
IMAGE_KEYS = ("image", "image_path", "path", "file")
PUBLISHED_KEYS = ("published", "published_path", "transcription")
GROUND_TRUTH_KEYS = ("ground_truth", "ground_truth_path", "gt")
ID_KEYS = ("id", "page_id")

_UNSAFE_ID_CHARACTERS = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class _Source:
    """One image file before multi-page expansion and id assignment."""

    image_path: Path
    published_path: Path | None = None
    ground_truth_path: Path | None = None
    explicit_id: str | None = None
    where: str = ""  # for error messages: "manifest.csv line 4"
    published_document: bool = False  # the transcription is the whole document's (a folder's)


@dataclass(frozen=True)
class Discovery:
    tasks: list[PageTask]
    warnings: tuple[str, ...] = ()  # e.g. a published transcription no page uses


def discover_pages(
    inputs: Sequence[str],
    *,
    transcription: Path | None = None,
    exclude: Sequence[Path] = (),
    config: Config | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[PageTask]:
    """The page tasks for ``inputs``, in input order (folders and globs sorted).

    ``warn`` hears about files skipped in a folder (a symlink that leads nowhere: a
    loop or a missing target) and about published transcriptions no page uses.

    ``exclude`` lists folders never searched (the batch's own output folder
    when it lies inside an input folder). ``transcription`` is either one file
    (allowed only when the inputs hold exactly one page) or a folder holding
    ``<page id>.published.txt`` or ``<page id>.txt`` files.
    """
    found = discover(inputs, transcription=transcription, exclude=exclude, config=config, warn=warn)
    for warning in found.warnings:
        (warn or (lambda _message: None))(f"warning: {warning}")
    return found.tasks


def discover(
    inputs: Sequence[str],
    *,
    transcription: Path | None = None,
    exclude: Sequence[Path] = (),
    config: Config | None = None,
    warn: Callable[[str], None] | None = None,
) -> Discovery:
    """:func:`discover_pages`, with the warnings about transcriptions found and not used returned
    (``warn`` hears only about skipped files)."""
    if not inputs:
        raise BadInputError("no inputs given")
    excluded = tuple(Path(p).resolve() for p in exclude)
    say = warn or (lambda _message: None)
    sources = _dedupe(s for item in inputs for s in _expand_input(item, excluded, say))
    if not sources:
        raise BadInputError(
            "no images found in " + ", ".join(inputs),
            hint="supported: " + " ".join(sorted(IMAGE_EXTENSIONS)) + ", or a .csv/.jsonl manifest",
        )
    tasks, warnings = _assign_ids(sources, config)
    if transcription is not None:
        tasks = _apply_transcription(tasks, Path(transcription))
    used = {Path(t.published_path).resolve() for t in tasks if t.published_path}
    for item in inputs:
        if Path(item).is_dir():
            for found in _transcriptions_in(Path(item), excluded):
                if found.resolve() not in used and not any(w.startswith(f"{found}:") for w in warnings):
                    warnings.append(
                        f"{found}: a published transcription no page uses (name it <image stem>.published.txt, "
                        f"<multi-page file stem>.published.txt or <folder of pages>.published.txt)"
                    )
    if config is not None and any(t.published_path for t in tasks):
        warnings.extend(_third_witness_missing(config))
    return Discovery(tasks, tuple(dict.fromkeys(warnings)))


def _third_witness_missing(config: Config) -> list[str]:
    """A warning when [reconcile] third_witness is on and Tesseract lacks the model it reads with."""
    if not (config.reconcile.enabled and config.reconcile.third_witness):
        return []
    from dataclasses import replace

    from ocrfix.errors import MissingDependencyError
    from ocrfix.ocr import probe
    from ocrfix.reconcile.third import MODEL

    try:
        probe(replace(config.ocr, languages=MODEL))
    except MissingDependencyError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        return [f"[reconcile] third_witness is on, but {exc.message}{hint}: pages are reconciled from two witnesses"]
    return []


def _transcriptions_in(folder: Path, excluded: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_excluded(root_path / d, excluded))
        found.extend(root_path / f for f in sorted(files) if f.endswith(PUBLISHED_SUFFIX) and not f.startswith("."))
    return found


# --- inputs -----------------------------------------------------------------


def _expand_input(item: str, excluded: tuple[Path, ...], warn: Callable[[str], None]) -> list[_Source]:
    path = Path(item)
    if path.is_dir():
        return [_with_sidecars(p) for p in _images_in_folder(path, excluded, warn)]
    if path.is_file():
        return _expand_file(path)
    if GLOB_CHARACTERS & set(item):
        matches = sorted(glob.glob(item, recursive=True), key=natural_path_key)
        if not matches:
            raise BadInputError(f"no files match {item}")
        found: list[_Source] = []
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                found.extend(_with_sidecars(p) for p in _images_in_folder(match_path, excluded, warn))
            elif _is_image(match_path) and not _leads_nowhere(match_path, warn) and not _is_excluded(match_path, excluded):
                found.append(_with_sidecars(match_path))
        return found
    raise BadInputError(f"no such file or folder: {item}")


def _expand_file(path: Path) -> list[_Source]:
    suffix = path.suffix.lower()
    if suffix in MANIFEST_EXTENSIONS:
        return read_manifest(path)
    if suffix in IMAGE_EXTENSIONS:
        return [_with_sidecars(path)]
    raise BadInputError(
        f"{path} is neither an image nor a manifest",
        hint="images: " + " ".join(sorted(IMAGE_EXTENSIONS)) + "; manifests: .csv .jsonl",
    )


def _images_in_folder(folder: Path, excluded: tuple[Path, ...], warn: Callable[[str], None]) -> list[Path]:
    """Image files under ``folder`` in natural order (``л.2`` before ``л.10``, folder by
    folder), skipping hidden entries and excluded folders, and (with a warning)
    symlinks that lead nowhere."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(
            (d for d in dirs if not d.startswith(".") and not _is_excluded(root_path / d, excluded)), key=natural_key
        )
        found.extend(
            root_path / f
            for f in files
            if not f.startswith(".") and _is_image(Path(f)) and not _leads_nowhere(root_path / f, warn)
        )
    return sorted(found, key=lambda p: natural_path_key(p.relative_to(folder)))


def _leads_nowhere(path: Path, warn: Callable[[str], None]) -> bool:
    """Whether ``path`` is a symlink in a loop or to nothing (said through ``warn``)."""
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
        why = "a symlink loop" if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40 else "a broken symlink"
        warn(f"warning: skipped {path}: {why}")
        return True
    return False


def _is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_EXTENSIONS


def _is_excluded(path: Path, excluded: tuple[Path, ...]) -> bool:
    if not excluded:
        return False
    resolved = path.resolve()
    return any(resolved == e or resolved.is_relative_to(e) for e in excluded)


def _with_sidecars(image: Path) -> _Source:
    published = _sidecar(image, PUBLISHED_SUFFIX)
    document = published is None and image.parent.name != "" and image.suffix.lower() not in MULTIPAGE_EXTENSIONS
    folder_transcription = image.parent.parent / (image.parent.name + PUBLISHED_SUFFIX) if document else None
    if folder_transcription is not None and folder_transcription.is_file():
        published = folder_transcription  # the transcription of the folder's document
    else:
        document = False
    return _Source(
        image_path=image,
        published_path=published,
        ground_truth_path=_sidecar(image, GROUND_TRUTH_SUFFIX),
        published_document=document,
    )


def _sidecar(image: Path, suffix: str) -> Path | None:
    candidate = image.with_name(image.stem + suffix)
    return candidate if candidate.is_file() else None


def _dedupe(sources: Iterable[_Source]) -> list[_Source]:
    """Drop repeats of the same image file (given twice, or by a folder and a glob).

    One image listed by two manifest rows under two ids is an error naming both:
    which id was meant cannot be guessed, and dropping one would be silent.
    """
    seen: dict[Path, _Source] = {}
    unique: list[_Source] = []
    for source in sources:
        key = source.image_path.resolve()
        first = seen.get(key)
        if first is None:
            seen[key] = source
            unique.append(source)
        elif first.where and source.where and first.explicit_id != source.explicit_id:
            raise BadInputError(
                f"{source.where}: {source.image_path.name} is listed as page {_shown_id(source)} and, "
                f"at {first.where}, as page {_shown_id(first)}",
                hint="list each image once",
            )
    return unique


def _shown_id(source: _Source) -> str:
    return repr(source.explicit_id) if source.explicit_id else f"{_safe_id(source.image_path.stem)!r} (its stem)"


# --- manifests --------------------------------------------------------------


def read_manifest(manifest: Path) -> list[_Source]:
    """Rows of a CSV (with a header) or JSON-lines manifest; paths are relative to its folder.

    A path that resolves outside the manifest's folder (``..``, an absolute
    path elsewhere, a symlink out) is refused with :class:`BadInputError`.
    """
    root = manifest.parent.resolve()
    rows = _manifest_rows(manifest)
    sources: list[_Source] = []
    for where, row in rows:
        image = _first(row, IMAGE_KEYS)
        if not image:
            raise BadInputError(f"{where}: no image path (columns: {', '.join(IMAGE_KEYS)})")
        explicit_id = _first(row, ID_KEYS)
        if explicit_id is not None:
            explicit_id = _checked_id(explicit_id, where)
        published = _first(row, PUBLISHED_KEYS)
        truth = _first(row, GROUND_TRUTH_KEYS)
        image_path = _inside(root, image, where)
        sources.append(
            _Source(
                image_path=image_path,
                published_path=_inside(root, published, where) if published else _sidecar(image_path, PUBLISHED_SUFFIX),
                ground_truth_path=_inside(root, truth, where) if truth else _sidecar(image_path, GROUND_TRUTH_SUFFIX),
                explicit_id=explicit_id,
                where=where,
            )
        )
    return sources


def _manifest_rows(manifest: Path) -> list[tuple[str, dict[str, str]]]:
    try:
        text = unicodedata.normalize("NFC", manifest.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read manifest {manifest}: {exc}") from exc
    if manifest.suffix.lower() == ".csv":
        return _csv_rows(manifest, text)
    return _json_lines_rows(manifest, text)


def _csv_rows(manifest: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not set(header) & set(IMAGE_KEYS):
        raise BadInputError(
            f"{manifest}: the first line must be a header naming the image column",
            hint="e.g. image,published,id",
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        cleaned = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if any(cleaned.values()):
            rows.append((f"{manifest.name} line {number}", cleaned))
    return rows


def _json_lines_rows(manifest: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{manifest.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{where}: not valid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise BadInputError(f"{where}: each line must be a JSON object")
        rows.append((where, {str(k).lower(): str(v) for k, v in record.items() if v is not None}))
    return rows


def _first(row: dict[str, str], keys: Sequence[str]) -> str | None:
    for key in keys:
        value = row.get(key)
        if value:
            return value
    return None


def _inside(root: Path, relative: str, where: str) -> Path:
    """``relative`` resolved against ``root``; refused when it lands outside."""
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        raise BadInputError(
            f"{where}: {relative} is outside the manifest's folder {root}",
            hint="manifest paths must stay inside the collection",
        )
    return candidate


# --- ids --------------------------------------------------------------------


def _checked_id(page_id: str, where: str) -> str:
    page_id = unicodedata.normalize("NFC", page_id.strip())
    if _safe_id(page_id) != page_id:
        raise BadInputError(
            f"{where}: id {page_id!r} cannot be a folder name",
            hint="use letters, digits, '.', '-' and '_', not starting with '.'",
        )
    if is_reserved_page_id(page_id):
        raise BadInputError(f"{where}: id {page_id!r} is the name of one of the batch's own files", hint="choose another id")
    return page_id


def _safe_id(text: str) -> str:
    cleaned = _UNSAFE_ID_CHARACTERS.sub("_", unicodedata.normalize("NFC", text)).strip("_")
    cleaned = cleaned.lstrip(".")
    return cleaned or "page"


def _assign_ids(sources: list[_Source], config: Config | None) -> tuple[list[PageTask], list[str]]:
    """Expand multi-page files and give every page a unique id (and say which transcriptions go unused)."""
    explicit = [s.explicit_id for s in sources if s.explicit_id]
    duplicates = sorted({i for i in explicit if explicit.count(i) > 1})
    if duplicates:
        raise BadInputError(f"manifest ids used more than once: {', '.join(duplicates)}")
    bases = _unique_bases(sources)
    shared = Counter(s.published_path.resolve() for s in sources if s.published_path)  # one file, several rows
    warnings: list[str] = []
    tasks: list[PageTask] = []
    for source, base in zip(sources, bases):
        pages = _page_count(source.image_path, config)
        per_file: list[tuple[Path | None, Path | None]] = []
        for index in range(pages):
            per_page = source.image_path.with_name(f"{source.image_path.stem}-p{index + 1:03d}.png")
            per_file.append((_sidecar(per_page, PUBLISHED_SUFFIX), _sidecar(per_page, GROUND_TRUTH_SUFFIX)))
        has_page_transcriptions = any(published for published, _ in per_file)
        if pages > 1 and source.published_path and has_page_transcriptions:
            warnings.append(f"{source.published_path}: not used, the per-page transcriptions "
                            f"{source.image_path.stem}-pNNN.published.txt are")
        for index in range(pages):
            page_id = base if pages == 1 else f"{base}-p{index + 1:03d}"
            published, truth = source.published_path, source.ground_truth_path
            document = source.published_document or bool(published and shared[published.resolve()] > 1)
            if pages > 1:  # the document's transcription is cut into pages, unless per-page ones exist: <stem>-p001.*.txt
                truth = per_file[index][1]
                if has_page_transcriptions:
                    published, document = per_file[index][0], False
                else:
                    document = published is not None
            tasks.append(PageTask(page_id, source.image_path, index, published, truth, published_document=document))
    ids = [t.page_id for t in tasks]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:  # only possible when an explicit id equals a generated one
        raise BadInputError(f"page ids used more than once: {', '.join(clashes)}")
    return tasks, warnings


def _unique_bases(sources: list[_Source]) -> list[str]:
    """Stems, lengthened with parent folder names and the extension where they clash."""
    bases = [s.explicit_id or _safe_id(s.image_path.stem) for s in sources]
    taken = {s.explicit_id for s in sources if s.explicit_id}
    by_base: dict[str, list[int]] = {}
    for i, (source, base) in enumerate(zip(sources, bases)):
        if not source.explicit_id:
            by_base.setdefault(base, []).append(i)
    for base, members in by_base.items():
        # a stem named like one of the batch's files (summary.json.jpg) is lengthened as a clash is
        if len(members) == 1 and base not in taken and not is_reserved_page_id(base):
            continue
        paths = [sources[i].image_path.resolve() for i in members]
        deepest = max(len(p.parents) for p in paths)
        attempts = [(depth, ext) for depth in range(0, deepest + 1) for ext in (False, True)][1:]
        for depth, ext in attempts:
            names = [_qualified(p, depth, ext) for p in paths]
            if len(set(names)) == len(names) and not set(names) & taken and not any(map(is_reserved_page_id, names)):
                break
        else:  # cannot happen for distinct files; keep ids unique regardless
            names = [f"{_qualified(p, 1, True)}-{k + 1}" for k, p in enumerate(paths)]
        for i, name in zip(members, names):
            bases[i] = name
    return bases


def _qualified(image: Path, depth: int, with_extension: bool) -> str:
    """The stem, prefixed by ``depth`` parent folder names, optionally suffixed by the extension."""
    parents = [p.name for p in image.parents if p.name][:depth]
    parts = [*reversed(parents), image.stem]
    if with_extension:
        parts.append(image.suffix.lstrip(".").lower())
    return _safe_id("-".join(parts))


def _page_count(image: Path, config: Config | None) -> int:
    """Pages in a TIFF/PDF (1 for other images, and for files that cannot be opened)."""
    if image.suffix.lower() not in MULTIPAGE_EXTENSIONS or not image.is_file():
        return 1
    try:
        from ocrfix.preprocess import count_pages
    except ImportError:
        return 1
    try:
        if config is None:
            return max(1, int(count_pages(image)))
        return max(1, int(count_pages(image, config=config.preprocess)))
    except Exception:  # a corrupt file: the page task will report it as one failed page
        return 1


# --- transcriptions ---------------------------------------------------------


def _apply_transcription(tasks: list[PageTask], transcription: Path) -> list[PageTask]:
    from dataclasses import replace

    if transcription.is_dir():
        updated = []
        for task in tasks:
            found = next(
                (
                    p
                    for p in (transcription / f"{task.page_id}{PUBLISHED_SUFFIX}", transcription / f"{task.page_id}.txt")
                    if p.is_file()
                ),
                None,
            )
            updated.append(replace(task, published_path=found, published_document=False) if found else task)
        return updated
    if not transcription.is_file():
        raise BadInputError(f"no such transcription: {transcription}")
    if len(tasks) != 1:
        raise BadInputError(
            f"--transcription {transcription} names one file, but the inputs hold {len(tasks)} pages",
            hint="give a folder of <page id>.published.txt files, or put <stem>.published.txt beside each image",
        )
    return [replace(tasks[0], published_path=transcription, published_document=False)]
