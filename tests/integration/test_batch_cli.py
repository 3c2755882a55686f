"""`ocrfix run` on real (small) scans with the real pipeline and Tesseract.

A bad file among good ones, a kill (SIGTERM, SIGKILL) in the middle of a batch
followed by a rerun, and the Dask executor must all end with the same bytes
in every page folder as one uninterrupted local run.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocrfix.errors import ExitCode
from ocrfix.export.documents import FOLDER as DOCUMENTS_FOLDER

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "scans" / "sample"
DONE = "_done.json"
# (sample page, crop box): bands of a few typed lines, small enough for ~1 s of OCR each
CROPS = [
    ("page1", (150, 520, 2600, 820)),
    ("page2", (150, 720, 2500, 1020)),
    ("page3", (150, 820, 2500, 1120)),
    ("page4", (150, 620, 2500, 920)),
    ("page5", (150, 720, 2500, 1020)),
    ("page1", (150, 1500, 2600, 1800)),
]

pytestmark = [
    pytest.mark.tesseract,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="the tesseract binary is not installed"),
]


def make_crops(folder: Path, count: int) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for number, (stem, box) in enumerate(CROPS[:count], start=1):
        with Image.open(SAMPLES / f"{stem}.jpg") as image:
            image.crop(box).save(folder / f"scan{number:02d}.png", dpi=(300, 300))
    return folder


def ocrfix(*args: str, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocrfix", *args], capture_output=True, text=True, timeout=600, **popen)


def page_files(out: Path) -> dict[str, bytes]:
    """Every file of every page folder (everything but the batch-level summary and index)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.parent != out and not p.relative_to(out).parts[0].startswith(".")
    }


def summary_without_timing(out: Path) -> dict:
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    data.pop("timing")
    return data


def assert_only_complete_pages(out: Path) -> None:
    for page in out.iterdir():
        if page.is_dir() and not page.name.startswith(".") and page.name != DOCUMENTS_FOLDER:
            names = {p.name for p in page.iterdir()}
            assert DONE in names, f"{page.name} is there without {DONE}"
            assert {"raw.txt", "corrected.txt", "corrections.json", "diff.html", "diff.json"} <= names


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_crops(tmp_path_factory.mktemp("collection"), len(CROPS))


@pytest.fixture(scope="module")
def reference(collection, tmp_path_factory) -> Path:
    """One uninterrupted local run of the collection."""
    out = tmp_path_factory.mktemp("reference") / "out"
    result = ocrfix("run", str(collection), "-o", str(out), "--jobs", "2")
    assert result.returncode == ExitCode.OK, result.stderr
    return out


def test_a_plain_run_writes_every_page_and_the_batch_files(reference, collection):
    summary = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["failed"]) == (len(CROPS), 0)
    assert (reference / "index.html").is_file()
    assert_only_complete_pages(reference)
    for page in summary["pages"]:
        assert (reference / page["page_id"] / "raw.txt").read_text(encoding="utf-8").strip()
    assert not (reference / ".staging").exists()


def test_a_rerun_skips_everything_and_changes_no_page_file(reference, collection, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob(DONE)}
    result = ocrfix("run", str(collection), "-o", str(out), "--jobs", "2")
    assert result.returncode == ExitCode.OK, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["skipped"]) == (0, len(CROPS))
    assert {p: p.stat().st_mtime_ns for p in out.rglob(DONE)} == before
    assert page_files(out) == page_files(reference)


def test_a_corrupt_file_among_good_ones_gives_exit_code_6_and_all_good_results(reference, collection, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 40)
    (bad / "empty.jpg").write_bytes(b"")
    out = tmp_path / "out"
    result = ocrfix("run", str(collection), str(bad), "-o", str(out), "--jobs", "2")
    assert result.returncode == ExitCode.BATCH_FAILURES == 6, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["failed"]) == (len(CROPS), 2)
    failed = {p["page_id"]: p for p in summary["pages"] if p["status"] == "failed"}
    assert set(failed) == {"broken", "empty"}
    for page in failed.values():
        assert page["exit_code"] == ExitCode.BAD_INPUT and page["error"]
    assert not (out / "broken").exists() and not (out / "empty").exists()
    assert page_files(out) == page_files(reference)
    assert "failed" in (out / "index.html").read_text(encoding="utf-8")


def test_fail_fast_stops_at_the_corrupt_file(collection, tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "a-broken.png").write_bytes(b"not an image")
    shutil.copy(collection / "scan01.png", scans / "b.png")
    shutil.copy(collection / "scan02.png", scans / "c.png")
    shutil.copy(collection / "scan03.png", scans / "d.png")
    result = ocrfix("run", str(scans), "-o", str(tmp_path / "out"), "--jobs", "1", "--fail-fast")
    assert result.returncode == ExitCode.BATCH_FAILURES, result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["stopped_early"] is True and summary["failed"] == 1 and summary["not_run"] >= 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_batch_reruns_to_identical_results_without_redoing_pages(reference, collection, tmp_path, signum):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ocrfix", "run", str(collection), "-o", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not list(out.glob(f"*/{DONE}")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no page finished in 300 s"
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == ExitCode.INTERRUPTED, stderr
        assert "SIGTERM" in stderr
        assert not (out / ".staging").exists()
    assert_only_complete_pages(out)
    kept = {p.parent.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob(f"*/{DONE}")}
    assert 1 <= len(kept) < len(CROPS), "the batch was not stopped in the middle"
    time.sleep(2.0)  # workers of a SIGKILLed batch notice within a second and end

    result = ocrfix("run", str(collection), "-o", str(out), "--jobs", "2")
    assert result.returncode == ExitCode.OK, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == len(kept) and summary["done"] == len(CROPS) - len(kept)
    for page_id, identity in kept.items():  # finished pages were not done again
        done = out / page_id / DONE
        assert (done.stat().st_ino, done.stat().st_mtime_ns) == identity
    assert page_files(out) == page_files(reference)
    assert not (out / ".staging").exists()


def test_dask_local_cluster_gives_byte_identical_outputs(reference, collection, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    out = tmp_path / "out"
    result = ocrfix("run", str(collection), "-o", str(out), "--executor", "dask", "--jobs", "2")
    assert result.returncode == ExitCode.OK, result.stderr
    assert page_files(out) == page_files(reference)
    assert summary_without_timing(out) == summary_without_timing(reference)


def test_manifest_run_with_multi_page_tiff(collection, tmp_path):
    from PIL import Image

    frames = [Image.open(collection / f"scan0{n}.png").convert("L") for n in (1, 2)]
    frames[0].save(tmp_path / "delo.tif", save_all=True, append_images=frames[1:], dpi=(300, 300))
    (tmp_path / "delo-p002.published.txt").write_text(
        (ROOT / "scans" / "sample" / "page2.published.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    manifest = tmp_path / "pages.csv"
    manifest.write_text("image,id\ndelo.tif,delo\n", encoding="utf-8")
    out = tmp_path / "out"
    result = ocrfix("run", str(manifest), "-o", str(out), "--jobs", "2")
    assert result.returncode == ExitCode.OK, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [p["page_id"] for p in summary["pages"]] == ["delo-p001", "delo-p002"]
    assert summary["pages"][0]["cer_published"] is None
    assert summary["pages"][1]["cer_published"] is not None
    escaping = tmp_path / "escape.csv"
    escaping.write_text("image\n../../etc/hostname\n", encoding="utf-8")
    refused = ocrfix("run", str(escaping), "-o", str(tmp_path / "out2"))
    assert refused.returncode == ExitCode.BAD_INPUT
    assert "outside the manifest's folder" in refused.stderr
