"""The batch ``index.html``: one sortable row per page, and the batch's most frequent confusions."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrfix import __version__
from ocrfix.fileio import atomic_write_text
from ocrfix.outputs import DIFF_HTML, DIFF_JSON, INDEX_HTML
from ocrfix.report.page import confusion_rows
from ocrfix.report.render import estimated_cer_text, inline_script, render

CONFUSIONS_SHOWN = 30


@dataclass(frozen=True)
class IndexRow:
    page_id: str
    status: str  # "ok", "empty", "doubtful", "failed", "skipped" or "not_run"
    report_href: str | None = None  # relative to index.html
    cer_published: float | None = None  # corrected text vs the published transcription
    cer_published_raw: float | None = None  # raw OCR vs the published transcription
    cer_ground_truth: float | None = None
    corrections: int | None = None
    error: str | None = None
    char_edits: int | None = None  # corrected vs published, for the pooled CER
    char_ref_len: int | None = None
    confusions: Mapping[tuple[str, str], int] = field(default_factory=dict)  # corrected vs published
    raw_confusions: Mapping[tuple[str, str], int] = field(default_factory=dict)  # raw OCR vs published
    quality: float | None = None  # the recognition's self-check: estimated share of characters read right
    quality_note: str | None = None  # the preparation read, and the reason when the page is doubtful


def _confusions_from(rows: Sequence[Mapping[str, Any]] | None) -> Counter[tuple[str, str]]:
    return Counter({(row["reference"], row["hypothesis"]): int(row["count"]) for row in rows or ()})


def index_row_from_page_dir(
    page_id: str,
    page_dir: Path,
    *,
    status: str = "ok",
    href: str | None = None,
    error: str | None = None,
    cer_ground_truth: float | None = None,
) -> IndexRow:
    """An index row from a page folder's ``diff.json`` (a row without figures when there is none).

    ``href`` defaults to ``<page_id>/diff.html`` when that file exists.
    """
    page_dir = Path(page_dir)
    if href is None and (page_dir / DIFF_HTML).is_file():
        href = f"{page_id}/{DIFF_HTML}"
    try:
        data = json.loads((page_dir / DIFF_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return IndexRow(page_id, status, href, error=error, cer_ground_truth=cer_ground_truth)
    metrics = data.get("metrics", {})
    versus = metrics.get("hypothesis_vs_reference") or {}
    raw_versus = metrics.get("raw_vs_reference") or {}
    return IndexRow(
        page_id,
        status,
        href,
        cer_published=versus.get("cer"),
        cer_published_raw=raw_versus.get("cer"),
        cer_ground_truth=cer_ground_truth,
        corrections=len(data.get("corrections", ())),
        error=error,
        char_edits=versus.get("char_edits"),
        char_ref_len=versus.get("char_ref_len"),
        confusions=_confusions_from(data.get("confusions", {}).get("hypothesis_vs_reference")),
        raw_confusions=_confusions_from(data.get("confusions", {}).get("raw_vs_reference")),
    )


def rows_from_summary(out_dir: Path, summary: Any) -> list[IndexRow]:
    """Index rows for a batch summary (anything with ``pages`` of page records), reading each page's diff.json."""
    rows = []
    for record in summary.pages:
        status = "skipped" if getattr(record, "skipped", False) else record.status
        row = index_row_from_page_dir(
            record.page_id,
            Path(out_dir) / record.page_id,
            status=status,
            error=getattr(record, "error", None),
            cer_ground_truth=getattr(record, "cer_ground_truth", None),
        )
        if row.cer_published is None and getattr(record, "cer_published", None) is not None:
            row = IndexRow(**{**row.__dict__, "cer_published": record.cer_published, "cer_published_raw": record.cer_published_raw})
        if row.corrections is None and record.status in ("ok", "empty", "doubtful"):
            row = IndexRow(**{**row.__dict__, "corrections": getattr(record, "corrections", None)})
        quality = getattr(record, "quality", None) or {}
        if quality:
            cer = quality.get("estimated_cer")
            estimated = None if cer is None else estimated_cer_text(cer)
            note = ", ".join(str(p) for p in (quality.get("reason"), estimated, f"read {quality.get('preparation')}") if p)
            row = IndexRow(**{**row.__dict__, "quality": quality.get("score"), "quality_note": note})
        rows.append(row)
    return rows


def _sortable(value: float | None) -> str:
    if value is None:
        return ""
    return "1e308" if math.isinf(value) else repr(float(value))


def write_index(out_dir: Path, rows: Sequence[IndexRow] | Any, *, title: str = "ocrfix batch") -> None:
    """Write ``out_dir/index.html`` for ``rows`` (or for a batch summary with ``pages``)."""
    out_dir = Path(out_dir)
    if hasattr(rows, "pages"):
        rows = rows_from_summary(out_dir, rows)
    rows = list(rows)
    statuses = Counter(row.status for row in rows)
    edits = [row for row in rows if row.char_edits is not None and row.char_ref_len]
    pooled = sum(r.char_edits for r in edits) / sum(r.char_ref_len for r in edits) if edits else None  # type: ignore[misc]
    corrected_total: Counter[tuple[str, str]] = Counter()
    raw_total: Counter[tuple[str, str]] = Counter()
    for row in rows:
        corrected_total.update(row.confusions)
        raw_total.update(row.raw_confusions)
    tables = [
        {"label": "corrected vs published", "hypothesis_label": "corrected", "rows": confusion_rows(corrected_total, CONFUSIONS_SHOWN)},
        {"label": "raw OCR vs published", "hypothesis_label": "raw OCR", "rows": confusion_rows(raw_total, CONFUSIONS_SHOWN)},
    ]
    script, script_hash = inline_script("_index.js")
    html = render(
        "index.html.j2",
        title=title,
        version=__version__,
        rows=rows,
        status_counts=sorted(statuses.items()),
        pooled_cer=pooled,
        sortable=_sortable,
        confusion_tables=tables,
        script=script,
        script_hash=script_hash,
    )
    atomic_write_text(out_dir / INDEX_HTML, html)
