"""ocrfix run with a published transcription: the real scan of page1 through Tesseract, reconciled."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, needs_tesseract

pytestmark = [pytest.mark.slow, pytest.mark.tesseract, needs_tesseract]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocrfix", *args], capture_output=True, text=True, timeout=600)


def test_page1_reads_yen_where_the_archive_published_gobi(tmp_path: Path):
    """The brief's fix no text-only corrector can make: the scan reads иен, the archive published гоби."""
    for name in ("page1.jpg", "page1.published.txt", "page1.gt.txt"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    result = run("run", str(tmp_path / "page1.jpg"), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    page_dir = tmp_path / "out" / "page1"
    assert "10.286 иен (15" in (page_dir / "corrected.txt").read_text(encoding="utf-8")

    records = json.loads((page_dir / "corrections.json").read_text(encoding="utf-8"))
    (yen,) = [r for r in records if r["published"] == "гоби"]
    assert (yen["original"], yen["replacement"], yen["source"], yen["rejected"]) == ("иен", "иен", "scan", "гоби")
    assert yen["reason"].startswith("scan reads “иен” · published “гоби” · ocrfix chose “иен” because the scan reads it")
    assert {e["reading"] for e in yen["evidence"]} >= {"иен", "гоби"}
    assert all({"lexicon", "scan", "published", "context", "total"} <= set(e) for e in yen["evidence"])

    page = json.loads((page_dir / "page.json").read_text(encoding="utf-8"))
    words = {w["id"]: w for block in page["blocks"] for line in block["lines"] for w in line["words"]}
    assert {k: words[yen["word_ids"][0]][k] for k in ("text", "source", "rejected")} == {
        "text": "иен", "source": "scan", "rejected": "гоби"}
    assert {w.get("source") for w in words.values()} <= {"agree", "scan", "published", "corrector"}
    assert "reconcile" in [s["name"] for s in page["steps"]]

    html = (page_dir / "diff.html").read_text(encoding="utf-8")
    assert "Choices between the scan and the published transcription" in html
    assert "scan reads “иен” · published “гоби” · ocrfix chose “иен” because" in html

    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["pages"][0]["cer_ground_truth"] <= 0.005


def test_without_a_published_transcription_nothing_is_reconciled(tmp_path: Path):
    shutil.copy(SAMPLE / "page1.jpg", tmp_path / "page1.jpg")
    result = run("run", str(tmp_path / "page1.jpg"), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    page_dir = tmp_path / "out" / "page1"
    page = json.loads((page_dir / "page.json").read_text(encoding="utf-8"))
    assert "reconcile" not in [s["name"] for s in page["steps"]]
    assert not any("source" in w for block in page["blocks"] for line in block["lines"] for w in line["words"])
    assert not any("source" in r for r in json.loads((page_dir / "corrections.json").read_text(encoding="utf-8")))
    assert "Choices between" not in (page_dir / "diff.html").read_text(encoding="utf-8")


def test_a_documents_transcription_is_cut_into_its_pages(tmp_path: Path):
    """One transcription beside a folder of two page images: each page is reconciled with its share."""
    from conftest import render_typed_lines

    first = ("Выписки посланы: т.т. Литвинову,", "Ворошилову, Ежову, Берзину.")
    second = ("Сосредоточить на границе полки РККА.", "Согласиться с запиской тов.Литвинова.")
    folder = tmp_path / "delo5"
    folder.mkdir()
    render_typed_lines(first, folder / "001.png")
    render_typed_lines(second, folder / "002.png")
    published = "#### Выписки послани: т.т. Литвинову,\nВорошилову, Ежову, Берзину. Сосредоточить на\n" \
                "границе полки РККА.\nСогласиться с запиской тов.Литвинова.\n"
    (tmp_path / "delo5.published.txt").write_text(published, encoding="utf-8")
    result = run("run", str(folder), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "one transcription cut into 2 pages" in result.stderr
    shares = []
    for page_id in ("001", "002"):
        diff = json.loads((tmp_path / "out" / page_id / "diff.json").read_text(encoding="utf-8"))
        shares.append(diff["texts"]["reference"])
    assert shares[0].startswith("#### Выписки послани") and "Сосредоточить" not in shares[0]
    assert shares[1].startswith("Сосредоточить на") and shares[0] + shares[1] == published
    corrected = (tmp_path / "out" / "001" / "corrected.txt").read_text(encoding="utf-8")
    assert "посланы" in corrected and "####" not in corrected


def test_a_transcription_nothing_uses_is_reported(tmp_path: Path):
    from conftest import render_typed_lines

    render_typed_lines(path=tmp_path / "page.png")
    (tmp_path / "other.published.txt").write_text("ничья", encoding="utf-8")
    result = run("run", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", "1", "--no-correct")
    assert result.returncode == 0, result.stderr
    assert f"warning: {tmp_path / 'other.published.txt'}: a published transcription no page uses" in result.stderr


def test_the_third_witness_reads_unsure_lines_and_is_left_out_cleanly_without_its_model(tmp_path: Path):
    """[reconcile] third_witness: without Tesseract's Cyrillic script model the page is reconciled from two
    witnesses and page.json says why; with it, the unsure lines are read again in the page's frame."""
    import os

    import numpy as np
    from PIL import Image

    from ocrfix.config import Config, OcrConfig
    from ocrfix.ocr import page_from_json, probe
    from ocrfix.pipeline import third_witness
    from ocrfix.reconcile.third import third_readings

    for name in ("page1.jpg", "page1.published.txt"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    settings = tmp_path / "third.toml"
    settings.write_text("[reconcile]\nthird_witness = true\n", encoding="utf-8")
    installed = probe(OcrConfig())
    tessdata = tmp_path / "tessdata"  # the rus model alone: no Cyrillic script model
    tessdata.mkdir()
    (tessdata / "rus.traineddata").symlink_to(Path(installed.tessdata_dir) / "rus.traineddata")
    result = subprocess.run([sys.executable, "-m", "ocrfix", "--config", str(settings), "run", str(tmp_path / "page1.jpg"),
                             "-o", str(tmp_path / "out"), "--jobs", "1"], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "TESSDATA_PREFIX": str(tessdata)})
    assert result.returncode == 0, result.stderr
    assert "warning: [reconcile] third_witness is on, but Tesseract has no data for language(s) 'Cyrillic'" in result.stderr
    assert "tesseract-ocr-script-cyrl" in result.stderr
    page_dir = tmp_path / "out" / "page1"
    assert "10.286 иен (15" in (page_dir / "corrected.txt").read_text(encoding="utf-8")
    page_json = json.loads((page_dir / "page.json").read_text(encoding="utf-8"))
    (step,) = [s for s in page_json["steps"] if s["name"] == "reconcile"]
    third = step["settings"]["third_witness"]
    assert third["read"] is False and third["lines"] > 0
    assert "Cyrillic" in third["why"] and "tesseract-ocr-script-cyrl" in third["why"]

    if "Cyrillic" not in installed.languages:
        pytest.skip("Tesseract's Cyrillic script model is not installed (tesseract-ocr-script-cyrl)")
    page = page_from_json(page_json)
    with Image.open(page_dir / "page.png") as opened:
        image = np.asarray(opened.convert("L"))
    read = third_witness(page, image, Config().override("reconcile", third_witness=True))
    assert read is not None and read.page is not None
    readings = third_readings(page, read.page, read.lines)
    assert len(read.lines) == third["lines"]
    alike = sum(1 for index, text in readings.items() if text == page.words[index].text)
    assert alike >= 0.5 * len(readings)  # the same words, in the same frame
