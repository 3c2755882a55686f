"""A finished batch seen from the review: its pages, their items and decisions.

Pages come from ``OUTDIR/summary.json`` in its order (the batch's reading
order). Only pages that finished (a ``page.json`` in a page folder inside
OUTDIR) can be reviewed; page ids are taken from the summary and checked to be
plain folder names, so nothing outside OUTDIR is ever reached through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ocrfix.errors import BadInputError
from ocrfix.fileio import read_json, read_text
from ocrfix.outputs import CORRECTIONS, DECISIONS, DIFF_JSON, PAGE_JSON, SUMMARY
from ocrfix.review.anchor import anchor, locate_all
from ocrfix.review.decisions import (
    Decision,
    PageDecisions,
    fingerprint_file,
    load_decisions,
)
from ocrfix.review.items import CorrectionInfo, ReviewItem, build_items
from ocrfix.review.layout import PageLayout, layout_page

PUBLISHED_SUFFIX = ".published.txt"

_SAFE_PAGE_ID = re.compile(r"^[\w.\-]+$")


@dataclass(frozen=True, slots=True)
class BatchPage:
    page_id: str
    status: str
    image_path: str
    page_dir: Path
    quality: float | None = None  # the recognition's self-check (summary.json), estimated share of characters right
    doubt: str | None = None  # why the self-check doubts the page, when it does
    estimated_cer: float | None = None  # the self-check's estimated character error rate (summary.json), when recorded


def is_safe_page_id(page_id: str) -> bool:
    return bool(_SAFE_PAGE_ID.match(page_id)) and page_id not in (".", "..")


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every symlink resolved, lies inside ``root``."""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):
        return False


def read_summary(out_dir: Path) -> dict:
    path = Path(out_dir) / SUMMARY
    if not path.is_file():
        raise BadInputError(
            f"{out_dir} is not a finished ocrfix batch (no {SUMMARY})",
            hint="run `ocrfix run INPUT... -o OUTDIR` first",
        )
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        raise BadInputError(f"{path} has no list of pages")
    return data


def list_pages(out_dir: Path) -> tuple[BatchPage, ...]:
    """The batch's reviewable pages, in the summary's order."""
    out_dir = Path(out_dir)
    pages = []
    seen: set[str] = set()
    for record in read_summary(out_dir)["pages"]:
        page_id = str(record.get("page_id", ""))
        if not is_safe_page_id(page_id) or page_id in seen:
            continue
        page_dir = out_dir / page_id
        if not (page_dir / PAGE_JSON).is_file() or not inside(out_dir, page_dir / PAGE_JSON):
            continue
        seen.add(page_id)
        quality = record.get("quality") if isinstance(record.get("quality"), dict) else {}
        score, cer = quality.get("score"), quality.get("estimated_cer")
        pages.append(
            BatchPage(page_id, str(record.get("status", "")), str(record.get("image_path", "")), page_dir,
                      _number(score), quality.get("reason") or None, _number(cer))
        )
    return tuple(pages)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def published_text(page: BatchPage) -> str | None:
    """The published transcription the page was compared with, when there was one.

    The page's ``diff.json`` holds it (``texts.reference``, null when the page
    had none); a batch without reports falls back to ``<stem>.published.txt``
    beside the image.
    """
    diff_path = page.page_dir / DIFF_JSON
    if diff_path.is_file():
        diff = read_json(diff_path)
        if isinstance(diff, dict) and isinstance(diff.get("texts"), dict):
            return _reference_from_diff(diff)
    if page.image_path:
        candidate = Path(page.image_path).with_name(Path(page.image_path).stem + PUBLISHED_SUFFIX)
        if candidate.is_file():
            return read_text(candidate)
    return None


def _reference_from_diff(diff) -> str | None:
    """The reference text of a diff.json (``texts.reference``; null when there was none)."""
    if not isinstance(diff, dict) or not isinstance(diff.get("texts"), dict):
        return None
    reference = diff["texts"].get("reference")
    return reference if isinstance(reference, str) else None


@dataclass(frozen=True)
class PageReview:
    page: BatchPage
    layout: PageLayout
    items: tuple[ReviewItem, ...]
    decisions: PageDecisions  # anchored to this page's items (stale ones in .stale)
    stale: tuple[Decision, ...]  # decisions whose words are no longer on the page, with the reason
    fingerprint: str

    @property
    def page_id(self) -> str:
        return self.page.page_id

    def item(self, item_id: str) -> ReviewItem | None:
        return next((i for i in self.items if i.item_id == item_id), None)

    @property
    def decided(self) -> int:
        return sum(1 for i in self.items if i.item_id in self.decisions.decisions)

    @property
    def left(self) -> int:
        return len(self.items) - self.decided

    @property
    def reviewed(self) -> bool:
        """Every item decided, or the reviewer marked the page done."""
        if self.decisions.marked_reviewed:
            return True
        return bool(self.decisions.decisions) and self.left == 0


def check_inside(page: BatchPage) -> None:
    """Refuse a page whose files lead outside the batch folder (a symlink out): nothing
    outside OUTDIR is read, shown or written through a page."""
    root = page.page_dir.parent
    for name in (PAGE_JSON, CORRECTIONS, DIFF_JSON, DECISIONS):
        path = page.page_dir / name
        if (path.exists() or path.is_symlink()) and not inside(root, path):
            raise BadInputError(f"{page.page_id}/{name} leads outside the batch folder; it is not read")


def load_page_review(page: BatchPage) -> PageReview:
    """The page's items and its decisions, each anchored to the words it is about (or stale)."""
    from ocrfix.ocr import page_from_json

    check_inside(page)
    page_json = page.page_dir / PAGE_JSON
    data = read_json(page_json)
    try:
        model = page_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"cannot read {page_json}: {exc}") from exc
    corrections = _read_corrections(page.page_dir / CORRECTIONS)
    layout = layout_page(model)
    fingerprint = fingerprint_file(page_json)
    stored = load_decisions(page.page_dir, page.page_id, fingerprint)
    located = locate_all(stored.all, layout)
    carried = [entry.run for entry in located if entry.run is not None]
    items = build_items(layout, corrections, published_text(page), carried)
    decisions = anchor(stored, located, items, fingerprint)
    return PageReview(page, layout, items, decisions, decisions.stale, fingerprint)


def _read_corrections(path: Path) -> tuple[CorrectionInfo, ...]:
    if not path.is_file():
        return ()
    data = read_json(path)
    try:
        return tuple(CorrectionInfo.from_dict(entry) for entry in data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise BadInputError(f"cannot read {path}: {exc}") from exc
