"""What a batch reports: one record per page, totals, and ``summary.json``.

Timings are the only thing that differs between two runs of the same inputs,
so they are kept out of the page records and out of every per-page file: the
summary holds them in one separate ``timing`` block.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ocrfix.fileio import atomic_write_json
from ocrfix.outputs import SUMMARY

SUMMARY_FILE = SUMMARY

# Page results that count as finished (an "empty" page is a finished, blank page).
# "doubtful": finished and written, but the self-check doubts the reading (see ocrfix.recognition).
FINISHED_STATUSES = frozenset({"ok", "empty", "doubtful"})
# Deterministic result fields of a page outcome, kept in _done.json and the summary.
RESULT_FIELDS = (
    "status",
    "corrections",
    "cer_published",
    "cer_published_raw",
    "cer_ground_truth",
    "cer_ground_truth_raw",
    "wer_ground_truth",
    "files",
    "quality",
)


@dataclass(frozen=True)
class PageRecord:
    """One page in a batch: its result, and whether this run did it or an earlier one."""

    page_id: str
    image_path: str
    page_index: int
    status: str  # "ok", "empty", "doubtful", "failed", or "not_run" (the batch stopped before it)
    skipped: bool = False  # finished by an earlier run with the same inputs and settings
    error: str | None = None
    exit_code: int = 0
    corrections: int = 0
    cer_published: float | None = None
    cer_published_raw: float | None = None
    cer_ground_truth: float | None = None
    cer_ground_truth_raw: float | None = None
    wer_ground_truth: float | None = None
    files: tuple[str, ...] = ()
    seconds: float | None = None  # None when not run in this batch
    quality: Mapping[str, Any] | None = None  # the recognition's self-check (ocrfix.pipeline.quality_record)
    review: str | None = None  # what happened to its review: decisions carried over, or kept as reviewed

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """The record without its timing (timings live in the summary's ``timing`` block)."""
        data = asdict(self)
        data.pop("seconds")
        data["quality"] = dict(self.quality) if self.quality is not None else None
        data["files"] = list(self.files)
        return data


def result_fields(outcome: Any) -> dict[str, Any]:
    """The deterministic result of a page outcome (or of a stored record), as plain data."""
    get = outcome.get if isinstance(outcome, Mapping) else lambda name, default=None: getattr(outcome, name, default)
    data = {name: get(name, None) for name in RESULT_FIELDS}
    data["files"] = list(data["files"] or ())
    data["corrections"] = int(data["corrections"] or 0)
    return data


@dataclass(frozen=True)
class BatchSummary:
    pages: tuple[PageRecord, ...]
    seconds: float
    interrupted: bool = False  # stopped by SIGINT/SIGTERM
    stopped_early: bool = False  # stopped by --fail-fast
    config_fingerprint: str = ""
    versions: tuple[tuple[str, str], ...] = ()
    # the collection lexicon the pages were corrected with: {"scope": "batch", "sha256", "words", "pages",
    # "file"}, {"scope": "page"}, or None (no correction, or not reached)
    collection: Mapping[str, Any] | None = None

    @property
    def done(self) -> int:
        return sum(1 for p in self.pages if p.finished and not p.skipped)

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.pages if p.skipped)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.pages if p.status == "failed")

    @property
    def doubtful(self) -> int:
        return sum(1 for p in self.pages if p.status == "doubtful")

    @property
    def not_run(self) -> int:
        return sum(1 for p in self.pages if p.status == "not_run")

    @property
    def outcomes(self) -> tuple[PageRecord, ...]:
        return self.pages

    @property
    def mean_cer_published(self) -> float | None:
        return _mean(p.cer_published for p in self.pages if p.finished)

    @property
    def mean_cer_published_raw(self) -> float | None:
        return _mean(p.cer_published_raw for p in self.pages if p.finished)

    @property
    def mean_cer_ground_truth(self) -> float | None:
        return _mean(p.cer_ground_truth for p in self.pages if p.finished)

    @property
    def mean_cer_ground_truth_raw(self) -> float | None:
        return _mean(p.cer_ground_truth_raw for p in self.pages if p.finished)

    def one_line(self) -> str:
        parts = [f"{len(self.pages)} pages: {self.done} done, {self.skipped} skipped, {self.failed} failed"]
        if self.doubtful:
            parts.append(f"{self.doubtful} doubtful")
        if self.not_run:
            parts.append(f"{self.not_run} not run")
        cer = self.mean_cer_published
        if cer is not None:
            parts.append(f"mean CER vs published {cer:.2%}")
        truth = self.mean_cer_ground_truth
        if truth is not None:
            parts.append(f"vs ground truth {truth:.2%}")
        parts.append(f"{self.seconds:.1f} s")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages_total": len(self.pages),
            "done": self.done,
            "skipped": self.skipped,
            "failed": self.failed,
            "doubtful": self.doubtful,
            "not_run": self.not_run,
            "interrupted": self.interrupted,
            "stopped_early": self.stopped_early,
            "mean_cer_published": self.mean_cer_published,
            "mean_cer_published_raw": self.mean_cer_published_raw,
            "mean_cer_ground_truth": self.mean_cer_ground_truth,
            "mean_cer_ground_truth_raw": self.mean_cer_ground_truth_raw,
            "config_fingerprint": self.config_fingerprint,
            "versions": dict(self.versions),
            "collection": dict(self.collection) if self.collection is not None else None,
            "pages": [p.to_dict() for p in self.pages],
            "timing": {
                "seconds": round(self.seconds, 3),
                "pages": {p.page_id: round(p.seconds, 3) for p in self.pages if p.seconds is not None},
            },
        }


def write_summary(out_dir: Path, summary: BatchSummary) -> Path:
    path = Path(out_dir) / SUMMARY_FILE
    atomic_write_json(path, summary.to_dict())
    return path


def _mean(values: Sequence[float | None] | Any) -> float | None:
    present = [v for v in values if v is not None and not math.isnan(v)]
    return sum(present) / len(present) if present else None
