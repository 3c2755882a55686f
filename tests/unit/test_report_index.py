"""The batch index.html and the unified diff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ocrfix.model import Correction, Page, Step
from ocrfix.pipeline import quality_record
from ocrfix.report import IndexRow, index_row_from_page_dir, unified_diff, write_index, write_page_report
from ocrfix.report.index import rows_from_summary


def _page(out_dir: Path, page_id: str, published: str, raw: str) -> None:
    write_page_report(out_dir / page_id, reference=published, raw=raw, corrected=raw, corrections=[])


def test_index_has_one_row_per_page_with_links_and_batch_confusions(tmp_path: Path) -> None:
    _page(tmp_path, "p1", "ёлка и ёж", "елка и еж")
    _page(tmp_path, "p2", "ёж", "еж<b>")
    rows = [
        index_row_from_page_dir("p1", tmp_path / "p1"),
        index_row_from_page_dir("p2", tmp_path / "p2"),
        IndexRow("p3", "failed", error="Tesseract timed out <after 180 s>"),
    ]
    write_index(tmp_path, rows)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">diff</a>', html) == ["p1/diff.html", "p2/diff.html"]
    assert "Tesseract timed out &lt;after 180 s&gt;" in html
    assert rows[0].cer_published == 2 / 9 and rows[0].corrections == 0
    # ё→е three times over the batch, first in the table; the inserted "<b>" stays text.
    table = html[html.index("Most frequent confusions") :]
    first = re.search(r'<span class="word">(.*?)</span></td><td><span class="word">(.*?)</span></td><td class="num">(\d+)', table)
    assert first.groups() == ("ё", "е", "3")
    assert "&lt;" in table and "<b>" not in table


def test_rows_sort_keys_are_numbers_and_missing_values_are_empty(tmp_path: Path) -> None:
    write_index(tmp_path, [IndexRow("a", "ok", cer_published=0.25, corrections=3), IndexRow("b", "skipped")])
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'data-sort="0.25"' in html and 'data-sort="3"' in html
    assert 'data-type="number"' in html


@dataclass(frozen=True)
class _Record:
    page_id: str
    status: str
    skipped: bool = False
    error: str | None = None
    corrections: int = 0
    cer_published: float | None = None
    cer_published_raw: float | None = None
    cer_ground_truth: float | None = None
    quality: dict | None = None


@dataclass(frozen=True)
class _Summary:
    pages: tuple[_Record, ...]


def test_index_from_a_batch_summary_reads_each_page_folder(tmp_path: Path) -> None:
    write_page_report(
        tmp_path / "p1",
        reference="Вопрос НКИД",
        raw="Вопрос НКИЛ",
        corrected="Вопрос НКИД",
        corrections=[Correction("НКИЛ", "НКИД", 7, 11, 0, 0.3, "abbreviation list")],
    )
    summary = _Summary((_Record("p1", "ok", cer_ground_truth=0.5), _Record("p2", "ok", skipped=True), _Record("p3", "failed", error="bad")))
    write_index(tmp_path, summary)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "p1/diff.html" in html and "p2/diff.html" not in html
    assert "status-skipped" in html and "status-failed" in html
    assert '<td class="num" data-sort="0.5">50.00 %</td>' in html  # ground truth from the record
    assert '<td class="num" data-sort="1">1</td>' in html  # one correction, read from diff.json


def test_the_quality_note_shows_the_estimated_cer_only_where_the_recognition_step_recorded_one(tmp_path: Path) -> None:
    def recognised(version: str, **estimated: float) -> dict | None:
        settings = {"input": "page", "chosen": "grey", "quality": {"score": 0.9}, "reason": "", **estimated}
        return quality_record(Page((), steps=(Step("recognition", version, settings),)))

    now, older = recognised("11", estimated_cer=0.0312), recognised("10")  # before version 11: no estimated CER
    assert older is not None and older["estimated_cer"] is None
    rows = rows_from_summary(tmp_path, _Summary((_Record("p1", "ok", quality=now), _Record("p2", "ok", quality=older))))
    assert [row.quality_note for row in rows] == ["estimated CER 3.1%, read grey", "read grey"]


def test_unified_diff_of_equal_texts_is_empty() -> None:
    assert unified_diff("один\nдва", "один\nдва") == ""


def test_unified_diff_ignores_other_line_breaks_and_hyphenation() -> None:
    assert unified_diff("пожеланиям командо-\nвания 36-й\nдивизии", "пожеланиям\nкомандования 36-й дивизии") == ""


def test_unified_diff_shows_changed_lines() -> None:
    text = unified_diff("Вопрос НКИД.\nРазрешить\nНаркомфину", "Вопрос НКИЛ.\nРазрешить\nНаркомфину", reference_label="pub", hypothesis_label="ocr")
    assert text.splitlines()[:5] == ["--- pub", "+++ ocr", "@@ -1,3 +1,3 @@", "-Вопрос НКИД.", "+Вопрос НКИЛ."]
    assert text.endswith("\n")


def test_unified_diff_can_keep_each_texts_own_lines() -> None:
    text = unified_diff("а б", "а\nб", follow_hypothesis_lines=False)
    assert "-а б" in text and "+а" in text and "+б" in text
