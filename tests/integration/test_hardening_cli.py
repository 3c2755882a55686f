"""Hostile and careless inputs through the real CLI: each gets its documented exit code
and one line naming the file or limit, within bounded memory, and nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_tesseract, render_typed_lines
from hardening_helpers import assert_one_line, needs_mount, ocrfix, ocrfix_on_tmpfs

from ocrfix.align.limits import MAX_ALIGN_CHARS
from ocrfix.correct.bounds import MAX_TEXT_CHARS
from ocrfix.errors import ExitCode

LINE = "Выписки посланы: т.т. Литвинову, Ворошилову.\n"


@pytest.fixture(scope="module", autouse=True)
def built_lexicon():
    """The lexicon built into the cache before any run here is measured: on a fresh machine
    the first command to need it builds it once (over 1 GB at its peak), which is not the
    memory a bad input costs. Built in a child process: a child's peak counts from its
    parent's at the fork, so the tests' own process must stay small."""
    built = subprocess.run([sys.executable, "-m", "ocrfix", "lexicon", "build"], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr


# --- long tokens and long texts in `ocrfix correct` ---------------------------------


@pytest.mark.parametrize("letter", ["a", "б"])
def test_a_megabyte_token_is_left_alone_in_bounded_memory(letter):
    # Before: a 64 K Latin token took 8.5 GB, a 1 MB one ended in MemoryError (exit 1).
    text = LINE + letter * 1_000_000 + "\n" + LINE
    result = ocrfix("correct", "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.text == text
    assert result.peak_mb < 500, f"peak {result.peak_mb:.0f} MB"


@pytest.mark.slow
def test_many_lookalike_words_on_one_line_take_bounded_memory():
    text = "аб CCCP " * 50_000  # 400,000 characters (four pieces), 50,000 corrections, one line
    result = ocrfix("correct", "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.text.count("СССР") == 50_000
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


@pytest.mark.slow  # a process pool
@needs_mount
def test_a_batch_onto_a_full_disk_says_so_and_leaves_whole_files(tmp_path):
    image = tmp_path / "bad.png"
    image.write_bytes(b"not an image: the page fails at once, no Tesseract needed")
    mount = tmp_path / "full"
    result = ocrfix_on_tmpfs(
        mount, "run", image, "-o", mount / "out", size_kb=8,
        after=f"for f in {mount}/out/*.json; do python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $f && echo ok; done",
    )
    assert result.returncode == ExitCode.DISK_FULL, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ocrfix: error: no space left on the disk of ") and str(mount / "out") in last
    assert set(result.stdout.decode().split()) <= {"ok"}  # every JSON file there is whole


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


# --- PDFs whose page count lies, PDFs with no pages -------------------------------------


def _pdf(count: int, pages: int) -> bytes:
    """A minimal PDF whose page tree claims ``count`` pages and holds ``pages``."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{3 + i} 0 R' for i in range(pages))}] /Count {count} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages,
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.slow  # a process pool
def test_a_pdf_whose_page_count_lies_is_one_failed_page_said_plainly(tmp_path):
    pdf = tmp_path / "liar.pdf"
    pdf.write_bytes(_pdf(2000, 1))
    result = ocrfix("ocr", pdf)
    line = assert_one_line(result, ExitCode.BAD_INPUT, str(pdf), "claims 2000 page(s)", "damaged or truncated")
    assert "PDFium" not in line and "Pdfium" not in line and "memory" not in line
    out = tmp_path / "out"
    result = ocrfix("run", pdf, "-o", out)
    assert result.returncode == ExitCode.BATCH_FAILURES, result.stderr
    pages = json.loads((out / "summary.json").read_text())["pages"]
    assert len(pages) == 1  # one renderer, not one per claimed page
    assert "claims 2000 page(s)" in pages[0]["error"] and "PDFium" not in pages[0]["error"]


def test_a_pdf_with_no_pages_says_so(tmp_path):
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(_pdf(0, 0))
    line = assert_one_line(ocrfix("ocr", pdf), ExitCode.BAD_INPUT, str(pdf), "no pages")
    assert "PDFium" not in line and "Success" not in line


# --- max_pixels is the real limit ------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` gray pixels, with a few bytes of data."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_max_pixels_is_the_limit_pillow_applies_too(tmp_path):
    image = tmp_path / "big.png"
    image.write_bytes(_png_header(14_000, 14_000))  # 196 Mpx: over Pillow's own 179 Mpx
    assert_one_line(ocrfix("ocr", image), ExitCode.BAD_INPUT, "exceeds max_pixels=120000000")
    config = tmp_path / "c.toml"
    config.write_text("[preprocess]\nmax_pixels = 200_000_000\n", encoding="utf-8")
    # raised above the image, the limit lets it through: what fails now is its missing data
    line = assert_one_line(ocrfix("--config", config, "ocr", image), ExitCode.BAD_INPUT, str(image))
    said = line.split(str(image), 1)[1]
    assert "truncated" in said and "max_pixels" not in said and "bomb" not in said
    config.write_text("[preprocess]\nmax_pixels = 50_000_000\n", encoding="utf-8")
    assert_one_line(ocrfix("--config", config, "ocr", image), ExitCode.BAD_INPUT, "14000x14000 image exceeds max_pixels=50000000")


# --- a batch whose images are named like its own files ----------------------------------------


@pytest.mark.slow  # a process pool
@needs_tesseract
@pytest.mark.tesseract
def test_images_named_like_batch_files_and_a_symlink_loop(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(path=scans / "summary.json.png")
    os.symlink("loop.png", scans / "loop.png")
    out = tmp_path / "out"
    result = ocrfix("run", scans, "-o", out, "--no-correct")
    assert result.returncode == 0, result.stderr
    assert f"warning: skipped {scans / 'loop.png'}: a symlink loop" in result.stderr
    summary = json.loads((out / "summary.json").read_text())  # a file, not a page folder
    assert [p["page_id"] for p in summary["pages"]] == ["summary.json-png"]
    assert (out / "index.html").is_file()
    # a rerun skips it, regenerate writes it
    again = ocrfix("run", scans, "-o", out, "--no-correct")
    assert again.returncode == 0, again.stderr
    clean = tmp_path / "clean"
    result = ocrfix("regenerate", out, "-o", clean, "--policy", "all")
    assert result.returncode == 0, result.stderr
    assert "Ворошилову" in (clean / "summary.json-png.txt").read_text(encoding="utf-8")


@pytest.mark.slow  # a process pool
@needs_tesseract
@pytest.mark.tesseract
def test_a_page_whose_transcription_is_too_long_fails_alone_in_bounded_memory(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(path=scans / "doc.png")
    published = scans / "doc.published.txt"
    published.write_text(LINE * 70_000, encoding="utf-8")  # 3 MB, 3,150,000 characters
    out = tmp_path / "out"
    result = ocrfix("run", scans, "-o", out, "--no-correct")
    assert result.returncode == ExitCode.BATCH_FAILURES, result.stderr
    [page] = json.loads((out / "summary.json").read_text())["pages"]
    assert page["error"] == f"{published} too long to align: 3,150,000 characters, the limit is 250,000 (compare page by page)"
    assert page["exit_code"] == ExitCode.TOO_LARGE
    assert result.peak_mb < 600, f"peak {result.peak_mb:.0f} MB"


def test_a_manifest_with_one_image_under_two_ids_is_refused(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,id\na.png,first\na.png,second\n", encoding="utf-8")
    result = ocrfix("run", manifest, "-o", tmp_path / "out")
    assert_one_line(result, ExitCode.BAD_INPUT, "m.csv line 3", "'second'", "'first'")
    assert not (tmp_path / "out").exists()


# --- a broken collection memory is said before any page is read ------------------------------

MEMORY_HEAD = {"format": "ocrfix-memory", "format_version": 1}


@pytest.mark.parametrize(
    "sources, fragment",
    [
        ({"b#p": [["accepted", "Ворошнлову", "В" * 100_000]]}, "sources['b#p'][0][2] is 100,000 characters long"),
        ({"b#p": [["accepted", 3, "x"]]}, "sources['b#p'][0][1] must be a string, not a number"),
        ({"b#p": "accepted"}, "sources['b#p'] must be a list, not a string"),
        ({"b#p": [["accepted", "a"]]}, "sources['b#p'][0] must be [kind, original, replacement]"),
        ([], "sources must be an object, not a list"),
    ],
)
def test_a_bad_memory_stops_a_run_before_ocr(tmp_path, sources, fragment):
    memory = tmp_path / "memory.json"
    memory.write_text(json.dumps({**MEMORY_HEAD, "sources": sources}), encoding="utf-8")
    image = tmp_path / "page.png"
    image.write_bytes(b"not read")
    out = tmp_path / "out"
    result = ocrfix("run", image, "-o", out, "--memory", memory)
    assert_one_line(result, ExitCode.BAD_SAVED_DATA, str(memory), fragment)
    assert not (out / "summary.json").exists()
    assert result.peak_mb < 400


def test_a_memory_nested_too_deeply(tmp_path):
    memory = tmp_path / "memory.json"
    memory.write_text('{"format": "ocrfix-memory", "format_version": 1, "sources": ' + "[" * 100_000, encoding="utf-8")
    result = ocrfix("run", tmp_path, "-o", tmp_path / "out", "--memory", memory)
    assert_one_line(result, ExitCode.BAD_SAVED_DATA, str(memory), "nested too deeply")


# --- regenerate checks everything before it writes anything ----------------------------------------


def _batch(tmp_path: Path) -> Path:
    from review_batch import page_from_spec, write_batch

    page, corrections = page_from_spec(["Выписки поспаны:>посланы: т.т. Литвинову,"])
    return write_batch(tmp_path / "out", {"p1": (page, corrections, None), "p2": (page, corrections, None)})


def test_regenerate_with_a_bad_decisions_file_writes_nothing(tmp_path):
    out = _batch(tmp_path)
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "p1.txt").write_text("earlier\n", encoding="utf-8")
    decisions = out / "p2" / "decisions.json"
    decisions.write_text(json.dumps({"format": "ocrfix-decisions", "version": 1, "marked_reviewed": "false"}), encoding="utf-8")
    result = ocrfix("regenerate", out, "-o", clean)
    assert_one_line(result, ExitCode.BAD_SAVED_DATA, str(decisions), "marked_reviewed must be true or false")
    assert sorted(p.name for p in clean.iterdir()) == ["p1.txt"]  # p1 not rewritten, nothing half-written
    assert (clean / "p1.txt").read_text(encoding="utf-8") == "earlier\n"
    decisions.write_text("[" * 100_000, encoding="utf-8")
    assert_one_line(ocrfix("regenerate", out, "-o", clean), ExitCode.BAD_SAVED_DATA, str(decisions), "nested too deeply")


def test_regenerate_with_a_bad_memory_writes_nothing(tmp_path):
    out = _batch(tmp_path)
    memory = tmp_path / "memory.json"
    memory.write_text(json.dumps({**MEMORY_HEAD, "sources": {"x": [["maybe", "a", "b"]]}}), encoding="utf-8")
    clean = tmp_path / "clean"
    result = ocrfix("regenerate", out, "-o", clean, "--memory", memory)
    assert_one_line(result, ExitCode.BAD_SAVED_DATA, str(memory), "must be one of accepted")
    assert not clean.exists()
    assert json.loads(memory.read_text(encoding="utf-8"))["sources"] == {"x": [["maybe", "a", "b"]]}


def test_regenerate_writes_every_file_and_leaves_no_staging(tmp_path):
    out = _batch(tmp_path)
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = ocrfix("regenerate", out, "-o", clean, "--policy", "all")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in clean.iterdir())
    assert "notes.txt" in names and "p1.txt" in names and "p2.alto.xml" in names and "collection.json" in names
    assert not [n for n in names if n.startswith(".")]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_regenerate_leaves_the_batch_folder_byte_for_byte(tmp_path):
    """Promise 2: regenerate reads the batch (outputs, decisions) and writes only into its own folder."""
    out = _batch(tmp_path)
    (out / "p1" / "decisions.json").write_text(
        json.dumps({"format": "ocrfix-decisions", "version": 1, "marked_reviewed": True}), encoding="utf-8")
    before = _files(out)
    result = ocrfix("regenerate", out, "-o", tmp_path / "clean", "--memory", tmp_path / "memory.json")
    assert result.returncode == 0, result.stderr
    assert _files(out) == before


@needs_tesseract
def test_a_run_with_a_memory_leaves_that_memory_as_it_was(tmp_path):
    """Promise 2: a run applies what the memory taught; it never rewrites the reviewers' memory."""
    memory = tmp_path / "memory.json"
    memory.write_text(json.dumps({**MEMORY_HEAD, "sources": {"b#p": [["accepted", "поспаны", "посланы"]]}}),
                      encoding="utf-8")
    before = memory.read_bytes()
    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(path=scans / "doc.png")
    result = ocrfix("run", scans, "-o", tmp_path / "out", "--memory", memory)
    assert result.returncode == 0, result.stderr
    assert memory.read_bytes() == before


@pytest.mark.parametrize("where", ["p1", ".", "p1/sub"])
def test_regenerate_into_the_batch_folder_is_refused(tmp_path, where):
    out = _batch(tmp_path)
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    result = ocrfix("regenerate", out, "-o", out / where)
    assert_one_line(result, ExitCode.BAD_INPUT, "need a folder of their own")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before


# --- two review servers on one folder -------------------------------------------------------------


def test_a_second_review_server_on_the_same_folder_is_refused(tmp_path):
    import subprocess
    import sys

    out = _batch(tmp_path)
    first = subprocess.Popen([sys.executable, "-m", "ocrfix", "review", str(out)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().startswith("review: http://127.0.0.1:")
        second = ocrfix("review", out, timeout=60)
        assert_one_line(second, ExitCode.BAD_INPUT, f"another ocrfix review is serving {out}")
    finally:
        first.terminate()
        first.communicate(timeout=30)


# --- correct -o never crashes -------------------------------------------------------------------------


def test_correct_output_where_a_file_stands_for_its_folder(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n", encoding="utf-8")
    result = ocrfix("correct", "-", "-o", blocker / "out.txt", stdin=LINE.encode())
    assert_one_line(result, ExitCode.CANNOT_WRITE, str(blocker / "out.txt"), "a file stands where its folder should be")
    assert blocker.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_correct_output_to_a_device_writes_to_it_and_never_replaces_it(tmp_path):
    import stat

    null, full = tmp_path / "null", tmp_path / "full"  # our own nodes for /dev/null and /dev/full
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    assert ocrfix("correct", "-", "-o", null, stdin=LINE.encode()).returncode == 0
    assert_one_line(ocrfix("correct", "-", "-o", full, stdin=LINE.encode()), ExitCode.DISK_FULL, str(full))
    assert stat.S_ISCHR(null.stat().st_mode) and stat.S_ISCHR(full.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]
