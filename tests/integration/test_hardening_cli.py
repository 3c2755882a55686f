"""Hostile and careless inputs through the real CLI: each gets its documented exit code
and one line naming the file or limit, within bounded memory, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardening_helpers import assert_one_line, needs_mount, ocrfix, ocrfix_on_tmpfs

from ocrfix.align.limits import MAX_ALIGN_CHARS
from ocrfix.correct.bounds import MAX_TEXT_CHARS
from ocrfix.errors import ExitCode

LINE = "Выписки посланы: т.т. Литвинову, Ворошилову.\n"


# --- long tokens and long texts in `ocrfix correct` ---------------------------------


@pytest.mark.parametrize("letter", ["a", "б"])
def test_a_megabyte_token_is_left_alone_in_bounded_memory(letter):
    # Before: a 64 K Latin token took 8.5 GB, a 1 MB one ended in MemoryError (exit 1).
    text = LINE + letter * 1_000_000 + "\n" + LINE
    result = ocrfix("correct", "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.text == text
    assert result.peak_mb < 500, f"peak {result.peak_mb:.0f} MB"


def test_many_lookalike_words_on_one_line_take_bounded_memory():
    text = "аб CCCP " * 100_000  # 800,000 characters, 100,000 corrections, one line
    result = ocrfix("correct", "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.text.count("СССР") == 100_000
    assert result.peak_mb < 700, f"peak {result.peak_mb:.0f} MB"


def test_a_text_over_the_limit_is_refused():
    text = LINE * (MAX_TEXT_CHARS // len(LINE) + 1)
    result = ocrfix("correct", "-", stdin=text.encode())
    assert_one_line(result, ExitCode.TOO_LARGE, "too long to correct", f"{MAX_TEXT_CHARS:,}")
    assert result.peak_mb < 300


# --- stdin is decoded strictly --------------------------------------------------------


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"\xd0\x92\xff\xfe abc\n", "the standard input is not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
        ("Выписки\x00посланы".encode(), "binary data"),
        ("Выписки посланы".encode("utf-16-le"), "binary data"),  # UTF-16 without its byte-order mark
    ],
)
def test_correct_stdin_that_is_not_text(tmp_path, data, fragment):
    out = tmp_path / "out.txt"
    for args in (("correct", "-"), ("correct", "-", "-o", out)):
        result = ocrfix(*args, stdin=data)
        assert_one_line(result, ExitCode.BAD_INPUT, fragment)
        assert result.stdout == b""
        assert not out.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_correct_stdin_with_a_byte_order_mark(tmp_path, encoding):
    out = tmp_path / "out.txt"
    result = ocrfix("correct", "-", "-o", out, stdin=LINE.encode(encoding))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == LINE


# --- diff of texts too long to align ---------------------------------------------------


def test_diff_of_texts_over_the_limit_is_refused_at_once(tmp_path):
    ref, hyp = tmp_path / "ref.txt", tmp_path / "hyp.txt"
    ref.write_text(LINE * (MAX_ALIGN_CHARS // len(LINE) + 1), encoding="utf-8")
    hyp.write_text(LINE, encoding="utf-8")
    result = ocrfix("diff", ref, hyp, "--html", tmp_path / "d.html", "--json", tmp_path / "d.json", timeout=60)
    assert_one_line(result, ExitCode.TOO_LARGE, "too long to align", f"{MAX_ALIGN_CHARS:,}")
    assert not (tmp_path / "d.html").exists() and not (tmp_path / "d.json").exists()
    assert result.peak_mb < 300


# --- read-only output, full disk ----------------------------------------------------------


@needs_mount
def test_correct_into_a_read_only_folder(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(LINE, encoding="utf-8")
    mount = tmp_path / "ro"
    result = ocrfix_on_tmpfs(mount, "correct", source, "-o", mount / "out.txt", read_only=True)
    line = assert_one_line(result, ExitCode.CANNOT_WRITE, "read-only", str(mount))
    assert "out.txt" in line


@needs_mount
def test_batch_into_a_read_only_folder_stops_before_any_page(tmp_path):
    image = tmp_path / "page.png"
    image.write_bytes(b"not really a png")
    mount = tmp_path / "ro"
    result = ocrfix_on_tmpfs(mount, "run", image, "-o", mount / "out", read_only=True)
    assert_one_line(result, ExitCode.CANNOT_WRITE, "read-only", str(mount / "out"))


@needs_mount
def test_correct_onto_a_full_disk_leaves_the_old_file(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(LINE * 4000, encoding="utf-8")  # 180 KB of output for a 64 KB disk
    mount = tmp_path / "full"
    result = ocrfix_on_tmpfs(
        mount, "correct", source, "-o", mount / "out.txt", setup=f"echo old > {mount}/out.txt",
        after=f"cat {mount}/out.txt; ls -A {mount}",
    )
    assert_one_line(result, ExitCode.DISK_FULL, "no space left", str(mount))
    assert result.stdout.decode() == "old\nout.txt\n"  # the old file whole, no temporary file left


# --- config values of the wrong type -----------------------------------------------------


@pytest.mark.parametrize(
    "toml, fragments",
    [
        ("[ocr]\npsm = '4'\n", ["[ocr] psm", "whole number", "'4'"]),
        ("[correct]\nenabled = 'false'\n", ["[correct] enabled", "'false'"]),
        ("[preprocess]\nmax_pixels = 1.5e9\n", ["[preprocess] max_pixels", "whole number"]),
        ("ocr = 3\n", ["[ocr]", "section"]),
        ("[ocr\n", ["cannot read config file"]),
    ],
)
def test_config_errors_name_the_file_and_key(tmp_path, toml, fragments):
    config = tmp_path / "ocrfix.toml"
    config.write_text(toml, encoding="utf-8")
    result = ocrfix("--config", config, "correct", "-", stdin=LINE.encode())
    assert_one_line(result, ExitCode.BAD_CONFIG, str(config), *fragments)
