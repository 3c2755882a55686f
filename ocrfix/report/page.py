"""Per-page review reports: ``diff.html`` for people, ``diff.json`` for programs.

The JSON is built as plain dicts and written with ``json.dumps``; its format
is described in ``docs/formats.md`` and identified by ``format`` and
``format_version``. The HTML is one self-contained file (inline CSS and
script, images as data URIs, no network), with every text autoescaped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrfix import __version__
from ocrfix.align import ErrorRates, align, confusions, error_rates, nfc
from ocrfix.fileio import atomic_write_text
from ocrfix.model import Correction, Page
from ocrfix.outputs import DIFF_HTML, DIFF_JSON
from ocrfix.report.crops import crop_data_uris
from ocrfix.report.render import inline_script, render
from ocrfix.report.view import PageView, Piece, build_page_view

FORMAT_NAME = "ocrfix.diff"
FORMAT_VERSION = 1
CONFUSIONS_SHOWN = 15


@dataclass(frozen=True, slots=True)
class _Texts:
    reference: str | None
    raw: str | None
    hypothesis: str
    labels: dict[str, str]

    def comparisons(self) -> list[tuple[str, str, str]]:
        """(name, reference side, hypothesis side) of each comparison the report makes."""
        result = []
        if self.reference is not None:
            result.append(("hypothesis_vs_reference", "reference", "hypothesis"))
            if self.raw is not None:
                result.append(("raw_vs_reference", "reference", "raw"))
        if self.raw is not None:
            result.append(("hypothesis_vs_raw", "raw", "hypothesis"))
        return result

    def text(self, key: str) -> str:
        value = getattr(self, key)
        assert value is not None
        return value


def write_page_report(
    out_dir: Path,
    *,
    reference: str | None,
    raw: str,
    corrected: str,
    corrections: Sequence[Correction],
    page: Page | None = None,
    image_path: Path | None = None,
    reference_label: str = "published",
    title: str | None = None,
    low_confidence_below: float = 60.0,
) -> ErrorRates:
    """Write ``out_dir/diff.html`` and ``out_dir/diff.json`` for one page.

    ``page`` (the corrected page model) adds confidences and line boxes;
    with ``image_path`` (the image those boxes refer to) the report embeds a
    crop of the scan for every line that differs. Returns the error rates of
    the corrected text against ``reference``, or against ``raw`` when there
    is no reference.
    """
    texts = _Texts(
        nfc(reference) if reference is not None else None,
        nfc(raw),
        nfc(corrected),
        {"reference": reference_label, "raw": "raw OCR", "hypothesis": "corrected"},
    )
    return _write(
        texts,
        html_path=Path(out_dir) / DIFF_HTML,
        json_path=Path(out_dir) / DIFF_JSON,
        corrections=corrections,
        page=page,
        image_path=image_path,
        title=title or (page.source if page is not None and page.source else Path(out_dir).name),
        low_confidence_below=low_confidence_below,
    )


def write_diff_files(
    *,
    reference: str,
    hypothesis: str,
    html_path: Path | None = None,
    json_path: Path | None = None,
    reference_label: str = "reference",
    hypothesis_label: str = "hypothesis",
) -> ErrorRates:
    """The report of ``ocrfix diff``: two texts, no corrections; write either file or both."""
    texts = _Texts(nfc(reference), None, nfc(hypothesis), {"reference": reference_label, "hypothesis": hypothesis_label})
    return _write(
        texts,
        html_path=html_path,
        json_path=json_path,
        corrections=(),
        page=None,
        image_path=None,
        title=f"{reference_label} → {hypothesis_label}",
        low_confidence_below=0.0,
    )


def _write(
    texts: _Texts,
    *,
    html_path: Path | None,
    json_path: Path | None,
    corrections: Sequence[Correction],
    page: Page | None,
    image_path: Path | None,
    title: str,
    low_confidence_below: float,
) -> ErrorRates:
    others = [(key, texts.labels[key], texts.text(key)) for key in ("reference", "raw") if getattr(texts, key) is not None]
    view = build_page_view(
        hypothesis=texts.hypothesis,
        others=others,
        raw_key="raw" if texts.raw is not None else None,
        hypothesis_label=texts.labels["hypothesis"],
        corrections=corrections,
        page=page,
        low_confidence_below=low_confidence_below,
    )
    comparisons = texts.comparisons()
    rates = {name: error_rates(texts.text(ref), texts.text(hyp)) for name, ref, hyp in comparisons}
    counted = {name: confusions(texts.text(ref), texts.text(hyp)) for name, ref, hyp in comparisons}
    main = comparisons[0][0]
    if json_path is not None:
        data = _json_data(texts, view, rates, counted, low_confidence_below if page is not None else None)
        atomic_write_text(json_path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    if html_path is not None:
        crops: dict[int, str] = {}
        choice_lines = _choice_lines(view, page)
        if page is not None and image_path is not None:
            wanted = {line.number: line.page_lines for line in view.lines if (line.differs or line.corrected) and line.page_lines}
            crops = crop_data_uris(Path(image_path), page, {**wanted, **{-1 - i: v for i, v in choice_lines.items()}})
        line_of = _line_of_correction(view)
        choices = [  # the decisions between the witnesses, each with the crop of its words' lines
            {"correction": item.correction, "line_number": line_of.get(item.index), "crop": crops.get(-1 - item.index)}
            for item in view.corrections
            if item.correction.source is not None
        ]
        atomic_write_text(html_path, _html(texts, view, rates, counted, crops, title, page is not None, low_confidence_below,
                                           choices))
    return rates[main]


def _choice_lines(view: PageView, page: Page | None) -> dict[int, tuple[int, ...]]:
    """For each choice between the witnesses (a correction with a ``source``), the page lines of its words."""
    if page is None:
        return {}
    line_of = {word.id: index for index, line in enumerate(page.lines) for word in line.words if word.id}
    found = {}
    for item in view.corrections:
        if item.correction.source is None:
            continue
        lines = tuple(sorted({line_of[i] for i in item.correction.word_ids if i in line_of}))
        if lines:
            found[item.index] = lines
    return found


def _line_of_correction(view: PageView) -> dict[int, int]:
    found: dict[int, int] = {}
    for line in view.lines:
        for index in line.corrections:
            found.setdefault(index, line.number)
    return found


def _cell_text(cell: Sequence[Piece]) -> str:
    return "".join(piece.text for piece in cell)


def confusion_rows(counts: Counter[tuple[str, str]], limit: int | None = None) -> list[dict[str, Any]]:
    """Confusion counts as rows, most frequent first (ties in character order)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if limit is not None:
        ordered = ordered[:limit]
    return [{"reference": ref, "hypothesis": hyp, "count": count} for (ref, hyp), count in ordered]


def _json_data(
    texts: _Texts,
    view: PageView,
    rates: dict[str, ErrorRates],
    counted: dict[str, Counter[tuple[str, str]]],
    low_confidence_below: float | None,
) -> dict[str, Any]:
    line_of = _line_of_correction(view)
    keys = [column.key for column in view.columns]
    metrics: dict[str, Any] = {}
    operations: dict[str, Any] = {"char": {}, "word": {}}
    for name, ref, hyp in texts.comparisons():
        strict = rates[name].to_dict()
        strict["layout_insensitive"] = error_rates(texts.text(ref), texts.text(hyp), layout_insensitive=True).to_dict()
        metrics[name] = strict
        for level in ("char", "word"):
            operations[level][name] = [op.to_dict() for op in align(texts.text(ref), texts.text(hyp), level=level)]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "ocrfix_version": __version__,
        "labels": dict(texts.labels),
        "texts": {"reference": texts.reference, "raw": texts.raw, "hypothesis": texts.hypothesis},
        "metrics": metrics,
        "operations": operations,
        "confusions": {name: confusion_rows(counts) for name, counts in counted.items()},
        "corrections": [
            {
                "index": item.index,
                **item.correction.to_dict(),
                "hypothesis_span": list(item.hypothesis_span) if item.hypothesis_span else None,
                "report_line": line_of.get(item.index),
            }
            for item in view.corrections
        ],
        "low_confidence_below": low_confidence_below,
        "lines": [
            {
                "number": line.number,
                **{key: _cell_text(cell) for key, cell in zip(keys, line.cells)},
                "differs": line.differs,
                "corrected": line.corrected,
                "low_confidence": line.low_confidence,
                "corrections": list(line.corrections),
                "page_lines": list(line.page_lines),
            }
            for line in view.lines
        ],
    }


_COMPARISON_LABELS = {
    "hypothesis_vs_reference": ("reference", "hypothesis"),
    "raw_vs_reference": ("reference", "raw"),
    "hypothesis_vs_raw": ("raw", "hypothesis"),
}


def _html(
    texts: _Texts,
    view: PageView,
    rates: dict[str, ErrorRates],
    counted: dict[str, Counter[tuple[str, str]]],
    crops: dict[int, str],
    title: str,
    has_page: bool,
    low_confidence_below: float,
    choices: Sequence[dict[str, Any]] = (),
) -> str:
    line_of = _line_of_correction(view)

    def label(name: str) -> tuple[str, str]:
        ref, hyp = _COMPARISON_LABELS[name]
        return texts.labels[ref], texts.labels[hyp]

    order = ["raw_vs_reference", "hypothesis_vs_reference", "hypothesis_vs_raw"]
    totals = [{"label": f"{label(name)[1]} vs {label(name)[0]}", "rates": rates[name]} for name in order if name in rates]
    confusion_tables = [
        {
            "label": f"{label(name)[0]} → {label(name)[1]}",
            "reference_label": label(name)[0],
            "hypothesis_label": label(name)[1],
            "rows": confusion_rows(counted[name], CONFUSIONS_SHOWN),
        }
        for name in order
        if name in counted
    ]
    script, script_hash = inline_script("_page.js")
    return render(
        "page.html.j2",
        title=title,
        version=__version__,
        columns=view.columns,
        lines=view.lines,
        totals=totals,
        differing=sum(1 for line in view.lines if line.differs),
        corrected_lines=sum(1 for line in view.lines if line.corrected),
        low_lines=sum(1 for line in view.lines if line.low_confidence),
        corrections=[
            {"index": item.index, "correction": item.correction, "line_number": line_of.get(item.index)} for item in view.corrections
        ],
        crops=crops,
        confusion_tables=confusion_tables,
        has_raw=texts.raw is not None,
        has_page=has_page,
        choices=list(choices),
        low_confidence_below=f"{low_confidence_below:g}",
        script=script,
        script_hash=script_hash,
    )
