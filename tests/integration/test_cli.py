"""Every subcommand through the real CLI process, on real images with the real Tesseract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, TYPED_LINES, needs_tesseract, render_typed_lines

from ocrfix.errors import ExitCode


def ocrfix(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocrfix", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, code: ExitCode, *fragments: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocrfix: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_help_lists_every_command():
    result = ocrfix("--help")
    assert result.returncode == 0
    for command in ("run", "preprocess", "ocr", "correct", "diff", "doctor", "lexicon"):
        assert command in result.stdout


@needs_tesseract
@pytest.mark.tesseract
def test_ocr_reads_a_typed_image(typed_png):
    result = ocrfix("ocr", typed_png)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Ворошилову" in text and "РККА" in text
    assert len(text.strip().splitlines()) == len(TYPED_LINES)


@needs_tesseract
@pytest.mark.tesseract
def test_ocr_json_has_words_with_boxes_and_confidences(typed_png, tmp_path):
    out = tmp_path / "page.json"
    result = ocrfix("ocr", typed_png, "--format", "json", "-o", out, "--no-preprocess")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    words = [w for b in data["blocks"] for line in b["lines"] for w in line["words"]]
    assert any(w["text"] == "Ежову," for w in words)
    assert all(len(w["bbox"]) == 4 and 0 <= w["confidence"] <= 100 for w in words)


@needs_tesseract
@pytest.mark.tesseract
def test_page_counts_from_one(tmp_path):
    first = render_typed_lines(("Ворошилову, Ежову.",))
    second = render_typed_lines(("Сосредоточить полки РККА.",))
    tiff = tmp_path / "delo.tif"
    first.save(tiff, save_all=True, append_images=[second], dpi=(300, 300))
    assert "Ежову" in ocrfix("ocr", tiff, "--no-preprocess").stdout and "РККА" not in ocrfix("ocr", tiff, "--no-preprocess").stdout
    assert "Ежову" in ocrfix("ocr", tiff, "--no-preprocess", "--page", "1").stdout
    assert "РККА" in ocrfix("ocr", tiff, "--no-preprocess", "--page", "2").stdout
    assert_one_line_error(ocrfix("ocr", tiff, "--page", "3"), ExitCode.BAD_INPUT,
                          "page 3 requested, but the file has 2 page(s)")
    assert ocrfix("preprocess", tiff, "-o", tmp_path / "p.png", "--page", "0").returncode == ExitCode.USAGE


def test_preprocess_writes_a_png(typed_png, tmp_path):
    out = tmp_path / "clean.png"
    result = ocrfix("preprocess", typed_png, "-o", out)
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(out) as image:
        assert image.format == "PNG" and image.width > 100


def test_correct_fixes_ocr_errors_from_stdin(tmp_path):
    report = tmp_path / "report.json"
    result = ocrfix("correct", "-", "--report", report, stdin="Выписки послани: т.т.Литвинову.\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Выписки посланы: т.т.Литвинову.\n"
    corrections = json.loads(report.read_text(encoding="utf-8"))
    assert [(c["original"], c["replacement"]) for c in corrections] == [("послани", "посланы")]
    assert {"original", "replacement", "start", "end", "score", "reason"} <= set(corrections[0])


def test_diff_prints_cer_and_wer_and_writes_reports(tmp_path):
    html, js = tmp_path / "d.html", tmp_path / "d.json"
    result = ocrfix("diff", DATA / "seed_gold.txt", DATA / "seed_published.txt", "--html", html, "--json", js)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("CER 0.0") and lines[1].startswith("WER 0.")
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert json.loads(js.read_text(encoding="utf-8"))["metrics"]["hypothesis_vs_reference"]["cer"] > 0


@needs_tesseract
def test_doctor_reports_a_working_setup():
    result = ocrfix("doctor")
    assert result.returncode == 0, result.stdout
    assert "tesseract" in result.stdout and "'rus'" in result.stdout and "lexicon" in result.stdout
    # where the curated lexicons are, and where `ocrfix lexicon add` puts the user's words
    assert "curated word lists: " in result.stdout and "ocrfix/data/lexicons" in result.stdout
    assert f"they go to {os.environ['OCRFIX_DATA_DIR']}" in result.stdout


@needs_tesseract
@pytest.mark.tesseract
@pytest.mark.slow
def test_run_writes_every_output_and_scores_against_the_published_text(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(path=scans / "doc.png")
    (scans / "doc.published.txt").write_text("Выписки послани: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\n", encoding="utf-8")
    (scans / "doc.gt.txt").write_text("\n".join(TYPED_LINES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = ocrfix("run", scans, "-o", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    page = out / "doc"
    for name in ("raw.txt", "corrected.txt", "corrections.json", "diff.html", "diff.json"):
        assert (page / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    [row] = summary["pages"]
    assert row["page_id"] == "doc" and row["status"] == "ok"
    assert row["cer_ground_truth"] < 0.05
    assert row["cer_published"] is not None
    assert (out / "index.html").is_file()
    assert str(out / "index.html") in result.stdout


# --- error paths: one line on stderr, a documented exit code, nothing on stdout ---


def test_missing_input_file(tmp_path):
    assert_one_line_error(ocrfix("ocr", tmp_path / "nope.png"), ExitCode.BAD_INPUT, "no such file")


def test_not_an_image(tmp_path):
    fake = tmp_path / "fake.png"
    fake.write_text("this is not a picture", encoding="utf-8")
    assert_one_line_error(ocrfix("ocr", fake), ExitCode.BAD_INPUT, "fake.png")


def test_text_that_is_not_utf8(tmp_path):
    bad = tmp_path / "cp1251.txt"
    bad.write_bytes("послани".encode("cp1251"))
    assert_one_line_error(ocrfix("correct", bad), ExitCode.BAD_INPUT, "not UTF-8")


def test_bad_config_file(tmp_path, typed_png):
    config = tmp_path / "ocrfix.toml"
    config.write_text("[ocr]\nlanguage = 'rus'\n", encoding="utf-8")
    assert_one_line_error(ocrfix("--config", config, "ocr", typed_png), ExitCode.BAD_CONFIG, "unknown setting", "language")


def test_missing_tesseract_names_the_package(tmp_path, typed_png):
    config = tmp_path / "ocrfix.toml"
    config.write_text("[ocr]\ntesseract_cmd = '/nonexistent/tesseract'\n", encoding="utf-8")
    assert_one_line_error(ocrfix("--config", config, "ocr", typed_png), ExitCode.MISSING_DEPENDENCY, "tesseract-ocr")


def test_usage_error_exit_code():
    result = ocrfix("ocr")
    assert result.returncode == ExitCode.USAGE
    assert result.stdout == ""


@needs_tesseract
@pytest.mark.tesseract
@pytest.mark.slow
def test_batch_with_a_corrupt_page_finishes_the_good_ones(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(path=scans / "good.png")
    (scans / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    out = tmp_path / "out"
    result = ocrfix("run", scans, "-o", out, "--jobs", "1")
    assert result.returncode == ExitCode.BATCH_FAILURES, result.stderr
    assert (out / "good" / "corrected.txt").is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {row["page_id"]: row["status"] for row in summary["pages"]}
    assert status == {"good": "ok", "broken": "failed"}
    broken = next(row for row in summary["pages"] if row["page_id"] == "broken")
    assert broken["error"] and broken["exit_code"] == ExitCode.BAD_INPUT
