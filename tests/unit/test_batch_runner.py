"""The batch mechanics (resume, failure isolation, crashes, interrupts, atomic commits).

The page tasks here are small test doubles, so these tests are fast; the real
pipeline on real images is exercised in tests/integration/test_batch_*.py and
tests/unit/test_batch_collection.py. The doubles' behaviour is chosen by the
bytes of their "image": ``FAIL`` -> a failed outcome (exit code 3), ``CRASH``
-> the worker process dies, ``NODEP`` -> a missing-dependency failure,
``SLOW`` -> takes 0.3 s. ``fake_page`` is a one-pass page task; the two-pass
doubles ``fake_recognize`` (the "OCR" of an image is its bytes as text) and
``fake_correct`` exercise the recognition cache and the batch's collection
lexicon (counted by the real corrector over those texts).
Every call is appended to the file named by $OCRFIX_TEST_CALLS
(``<page>`` for fake_page, ``ocr:<page>`` and ``fix:<page>`` for the others).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocrfix.batch import run_batch
from ocrfix.batch.cache import CACHE_DIR
from ocrfix.batch.collection import COLLECTION_FILE
from ocrfix.batch.store import DONE_MANIFEST, STAGING, OutputStore
from ocrfix.config import Config
from ocrfix.errors import (
    BadInputError,
    BatchInterruptedError,
    ExitCode,
    MissingDependencyError,
)
from ocrfix.export.documents import FOLDER as DOCUMENTS_FOLDER
from ocrfix.pipeline import PageOutcome, PageTask

HERE = Path(__file__).parent


def log_call(name: str) -> None:
    calls = os.environ.get("OCRFIX_TEST_CALLS")
    if calls:
        with open(calls, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")


def fake_page(task: PageTask, config: Config, page_dir: Path) -> PageOutcome:
    data = Path(task.image_path).read_bytes()
    log_call(task.page_id)
    if b"SLOW" in data:
        time.sleep(0.3)
    if b"CRASH" in data:
        os._exit(3)
    if b"NODEP" in data:
        return PageOutcome(task.page_id, "failed", error="tesseract is not installed", exit_code=4)
    if b"FAIL" in data:
        return PageOutcome(task.page_id, "failed", error=f"{task.image_path.name}: not an image", exit_code=3)
    page_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data + repr(config.ocr).encode()).hexdigest()
    (page_dir / "raw.txt").write_text(digest + "\n", encoding="utf-8")
    (page_dir / "corrected.txt").write_text(digest.upper() + "\n", encoding="utf-8")
    return PageOutcome(
        task.page_id, "ok", corrections=1, cer_published=0.25 if task.published_path else None, seconds=0.01,
        files=("corrected.txt", "raw.txt"),
    )


def fake_recognize(task: PageTask, config: Config, entry_dir: Path) -> PageOutcome:
    data = Path(task.image_path).read_bytes()
    log_call("ocr:" + task.page_id)
    if b"SLOW" in data:
        time.sleep(0.3)
    if b"CRASH" in data:
        os._exit(3)
    if b"FAIL" in data:
        return PageOutcome(task.page_id, "failed", error=f"{task.image_path.name}: not an image", exit_code=3)
    entry_dir.mkdir(parents=True, exist_ok=True)
    (entry_dir / "raw.txt").write_text(data.decode("utf-8"), encoding="utf-8")
    return PageOutcome(task.page_id, "empty" if not data.strip() else "ok", seconds=0.01, files=("raw.txt",))


def fake_correct(task: PageTask, config: Config, page_dir: Path) -> PageOutcome:
    log_call("fix:" + task.page_id)
    text = (Path(task.recognition_dir) / "raw.txt").read_text(encoding="utf-8")
    if "SLOW" in text:
        time.sleep(0.3)
    page_dir.mkdir(parents=True, exist_ok=True)
    (page_dir / "raw.txt").write_text(text, encoding="utf-8")
    (page_dir / "corrected.txt").write_text(f"{text}\ncollection {task.collection_sha256}\n", encoding="utf-8")
    return PageOutcome(task.page_id, task.recognition_status, seconds=0.01, files=("corrected.txt", "raw.txt"))


@pytest.fixture
def calls(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "calls.log"
    monkeypatch.setenv("OCRFIX_TEST_CALLS", str(path))
    return path


def called(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def make_pages(folder: Path, contents: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under the per-page folders, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parent != folder
    }


def run(inputs, out, config=None, **options):
    options.setdefault("jobs", 2)
    return run_batch([str(i) for i in inputs], out, config or Config(), page_function=fake_page, progress=False, **options)


def run_two_passes(inputs, out, config=None, **options):
    options.setdefault("jobs", 2)
    return run_batch(
        [str(i) for i in inputs], out, config or Config(), page_function=fake_correct, recognize_function=fake_recognize,
        progress=False, **options,
    )  # fmt: skip


@pytest.mark.slow  # a process pool
def test_pages_are_committed_with_done_manifests_and_a_summary(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A", "b.png": b"B", "c.png": b"C"})
    (scans / "a.published.txt").write_text("а")
    out = tmp_path / "out"
    lines: list[str] = []
    summary = run([scans], out, log=lines.append)
    assert (summary.done, summary.skipped, summary.failed) == (3, 0, 0)
    assert summary.mean_cer_published == 0.25
    for page in "abc":
        assert (out / page / "raw.txt").is_file()
        done = json.loads((out / page / DONE_MANIFEST).read_text())
        assert done["inputs"]["config_fingerprint"] == Config().fingerprint()
        assert done["result"]["status"] == "ok"
        assert "seconds" not in json.dumps(done)
    assert not (out / STAGING).exists()
    saved = json.loads((out / "summary.json").read_text())
    assert [p["page_id"] for p in saved["pages"]] == ["a", "b", "c"]
    assert saved["done"] == 3 and set(saved["timing"]["pages"]) == {"a", "b", "c"}
    assert sorted(called(calls)) == ["a", "b", "c"]
    assert lines[0].startswith("3 page(s): 0 finished earlier, 3 to do")
    assert "3 done, 0 skipped, 0 failed" in lines[-1]


@pytest.mark.slow  # a process pool
def test_a_rerun_skips_finished_pages_and_redoes_only_what_changed(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A", "b.png": b"B"})
    out = tmp_path / "out"
    run([scans], out)
    first = tree(out)
    calls.unlink()

    again = run([scans], out)
    assert (again.done, again.skipped) == (0, 2)
    assert called(calls) == []
    assert tree(out) == first

    (scans / "b.png").write_bytes(b"B2")
    changed = run([scans], out)
    assert (changed.done, changed.skipped) == (1, 1)
    assert called(calls) == ["b"]

    (scans / "b.published.txt").write_text("новый текст")
    assert called(calls) == ["b"] and run([scans], out).done == 1
    assert called(calls) == ["b", "b"]


@pytest.mark.slow  # a process pool
def test_changed_settings_or_force_redo_every_page(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A", "b.png": b"B"})
    out = tmp_path / "out"
    run([scans], out)
    before = (out / "a" / "raw.txt").read_bytes()
    other = Config().override("ocr", psm=6 if Config().ocr.psm != 6 else 4)
    assert run([scans], out, other).done == 2
    assert (out / "a" / "raw.txt").read_bytes() != before
    assert run([scans], out, other, force=True).done == 2
    assert sorted(called(calls)) == ["a", "a", "a", "b", "b", "b"]


@pytest.mark.slow  # a process pool
def test_a_failing_page_is_recorded_and_the_batch_goes_on(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A", "bad.png": b"FAIL", "c.png": b"C"})
    out = tmp_path / "out"
    summary = run([scans], out)
    assert (summary.done, summary.failed) == (2, 1)
    bad = next(p for p in summary.outcomes if p.page_id == "bad")
    assert bad.exit_code == ExitCode.BAD_INPUT and "not an image" in bad.error
    assert not (out / "bad").exists()
    saved = json.loads((out / "summary.json").read_text())
    assert saved["failed"] == 1
    assert next(p for p in saved["pages"] if p["page_id"] == "bad")["error"] == "bad.png: not an image"
    # a rerun retries the failed page only
    calls.unlink()
    assert run([scans], out).failed == 1 and called(calls) == ["bad"]


@pytest.mark.slow  # a process pool
def test_fail_fast_stops_at_the_first_failure(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"FAIL", "b.png": b"B", "c.png": b"C", "d.png": b"D"})
    summary = run([scans], tmp_path / "out", jobs=1, fail_fast=True)
    assert summary.failed == 1 and summary.stopped_early
    assert summary.not_run >= 2
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["stopped_early"] is True


@pytest.mark.slow  # a process pool
def test_a_crashing_page_fails_alone_and_the_others_finish(tmp_path, calls):
    scans = make_pages(
        tmp_path / "scans", {"a.png": b"A SLOW", "boom.png": b"CRASH", "c.png": b"C", "d.png": b"D", "e.png": b"E"}
    )
    summary = run([scans], tmp_path / "out")
    assert summary.failed == 1 and summary.done == 4
    boom = next(p for p in summary.outcomes if p.page_id == "boom")
    assert "worker process died" in boom.error and boom.exit_code == ExitCode.INTERNAL_ERROR
    assert not (tmp_path / "out" / STAGING).exists()


@pytest.mark.slow  # a process pool
def test_a_missing_dependency_stops_the_batch_with_its_own_error(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"NODEP", "b.png": b"NODEP", "c.png": b"C"})
    with pytest.raises(MissingDependencyError, match="tesseract is not installed") as info:
        run([scans], tmp_path / "out", jobs=1)
    assert info.value.exit_code == ExitCode.MISSING_DEPENDENCY
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["failed"] >= 1 and saved["stopped_early"] is True
    assert next(p for p in saved["pages"] if p["page_id"] == "a")["exit_code"] == ExitCode.MISSING_DEPENDENCY


@pytest.mark.slow  # a process pool
def test_two_batches_cannot_write_one_output_folder_at_once(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A"})
    out = tmp_path / "out"
    with OutputStore(out).locked():
        with pytest.raises(BadInputError, match="another ocrfix batch") as info:
            run([scans], out)
    assert info.value.exit_code == ExitCode.BAD_INPUT
    assert run([scans], out).done == 1


def test_bad_options_are_refused(tmp_path):
    scans = make_pages(tmp_path / "scans", {"a.png": b"A"})
    with pytest.raises(BadInputError, match="no such file or folder"):
        run([tmp_path / "nothing"], tmp_path / "out")
    assert not (tmp_path / "out").exists()  # bad inputs leave no output folder behind
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInputError, match="is a file"):
        run([scans], tmp_path / "file")
    with pytest.raises(BadInputError, match="jobs"):
        run([scans], tmp_path / "out", jobs=0)
    with pytest.raises(BadInputError, match="unknown executor"):
        run([scans], tmp_path / "out", executor="ray")


def test_commit_replaces_an_older_result_as_a_whole(tmp_path):
    store = OutputStore(tmp_path / "out")
    old = store.new_staging_dir("p")
    old.mkdir()
    (old / "raw.txt").write_text("old")
    (old / "only-old.txt").write_text("old")
    store.commit("p", old, None, {"status": "ok"})
    new = store.new_staging_dir("p")
    new.mkdir()
    (new / "raw.txt").write_text("new")
    store.commit("p", new, None, {"status": "ok"})
    assert sorted(p.name for p in (tmp_path / "out" / "p").iterdir()) == [DONE_MANIFEST, "raw.txt"]
    assert (tmp_path / "out" / "p" / "raw.txt").read_text() == "new"
    assert [p.name for p in store.staging_root.iterdir()] == []


def test_a_page_folder_without_a_matching_done_manifest_is_not_finished(tmp_path):
    from ocrfix.batch.store import page_key

    image = tmp_path / "a.png"
    image.write_bytes(b"A")
    key = page_key(PageTask("a", image), "fp", {"ocrfix": "1"})
    store = OutputStore(tmp_path / "out")
    (tmp_path / "out" / "a").mkdir(parents=True)
    (tmp_path / "out" / "a" / "raw.txt").write_text("half")
    assert store.finished_record("a", key) is None
    (tmp_path / "out" / "a" / DONE_MANIFEST).write_text('{"key": "something else"}')
    assert store.finished_record("a", key) is None
    (tmp_path / "out" / "a" / DONE_MANIFEST).write_text("{trunc")
    assert store.finished_record("a", key) is None
    (tmp_path / "out" / "a" / DONE_MANIFEST).write_text(json.dumps({"key": key.digest}))
    assert store.finished_record("a", key) == {"key": key.digest}
    assert page_key(PageTask("x", tmp_path / "missing.png"), "fp", {}) is None


# --- interrupts: a real batch process, stopped from outside ---------------------------

DRIVER = """
import sys
from pathlib import Path
sys.path.insert(0, {here!r})
from test_batch_runner import fake_page
from ocrfix.batch import run_batch
from ocrfix.config import Config
from ocrfix.errors import BatchInterruptedError
try:
    summary = run_batch([{scans!r}], Path({out!r}), Config(), jobs=2, page_function=fake_page,
                        progress=False, log=lambda m: print(m, flush=True))
except BatchInterruptedError as exc:
    print("interrupted", exc.message, flush=True)
    sys.exit(int(exc.exit_code))
"""


def start_driver(scans: Path, out: Path) -> subprocess.Popen:
    code = DRIVER.format(here=str(HERE), scans=str(scans), out=str(out))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_pages(out: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list(out.glob(f"*/{DONE_MANIFEST}"))) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} pages finished in {timeout} s")


def finished_pages(out: Path) -> set[str]:
    return {p.parent.name for p in out.glob(f"*/{DONE_MANIFEST}")}


def assert_only_complete_pages(out: Path) -> None:
    for page in out.iterdir():
        if page.is_dir() and not page.name.startswith(".") and page.name != DOCUMENTS_FOLDER:
            assert (page / DONE_MANIFEST).is_file(), f"{page.name} is there without _done.json"
            assert {"raw.txt", "corrected.txt"} <= {p.name for p in page.iterdir()}


# SIGTERM and SIGKILL of the real `ocrfix run` are in tests/integration/test_batch_cli.py.
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT])
def test_a_stopped_batch_keeps_finished_pages_and_a_rerun_completes_it(tmp_path, monkeypatch, signum):
    calls = tmp_path / "calls.log"
    monkeypatch.setenv("OCRFIX_TEST_CALLS", str(calls))
    pages = {f"p{i:02d}.png": f"SLOW {i}".encode() for i in range(10)}
    scans = make_pages(tmp_path / "scans", pages)
    out = tmp_path / "out"
    process = start_driver(scans, out)
    wait_for_pages(out, 3)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == ExitCode.INTERRUPTED, stderr
        assert "interrupted stopped by " + signal.Signals(signum).name in stdout
        assert not (out / STAGING).exists()
        saved = json.loads((out / "summary.json").read_text())
        assert saved["interrupted"] is True and saved["not_run"] >= 1
    assert_only_complete_pages(out)
    kept = finished_pages(out)
    assert 3 <= len(kept) < 10
    time.sleep(1.5)  # a worker of a killed parent notices within a second and ends

    calls.write_text("")
    summary = run_batch([str(scans)], out, Config(), jobs=2, page_function=fake_page, progress=False)
    assert (summary.done + summary.skipped, summary.failed) == (10, 0)
    assert summary.skipped == len(kept)
    assert not set(called(calls)) & kept, "a finished page was done again"
    assert sorted(called(calls)) == sorted(set(pages_ids := [n[:-4] for n in pages]) - kept)
    assert_only_complete_pages(out)

    reference = tmp_path / "reference"
    run_batch([str(scans)], reference, Config(), jobs=2, page_function=fake_page, progress=False)
    assert tree(out) == tree(reference)
    assert sorted(finished_pages(out)) == sorted(pages_ids)


@pytest.mark.slow  # a process pool
def test_interrupt_inside_the_process_raises_with_the_summary(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {f"p{i}.png": b"SLOW" for i in range(6)})
    out = tmp_path / "out"

    def stop_soon(message: str) -> None:  # SIGTERM to ourselves once the first page is committed
        if message.startswith("[1/"):
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(BatchInterruptedError) as info:
        run([scans], out, jobs=1, log=stop_soon)
    assert info.value.exit_code == ExitCode.INTERRUPTED
    assert info.value.summary.interrupted and info.value.summary.done == 1
    assert finished_pages(out) == {"p0"}
    assert not (out / STAGING).exists()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


# --- two passes: the recognition cache and the batch's collection lexicon -------------

NAMED = {  # a name no dictionary knows, once on each of three pages, misread (ц as п) on a fourth
    "a.png": "Доклад товарища Кацуфрина о положении дел.",
    "b.png": "Товарищ Кацуфрин прибыл вчера.",
    "c.png": "Письмо отправлено товарищу Кацуфрину.",
    "d.png": "Сообщить Капуфрину немедленно.",
}
PLAIN = "Письмо отправлено вчера вечером."


def named_pages(folder: Path, names: str = "abcd") -> Path:
    return make_pages(folder, {f"{n}.png": NAMED[f"{n}.png"].encode() for n in names})


def done_key(out: Path, page_id: str) -> dict:
    return json.loads((out / page_id / DONE_MANIFEST).read_text(encoding="utf-8"))


@pytest.mark.slow  # a process pool
def test_two_passes_ocr_each_page_once_and_correct_all_with_one_collection(tmp_path, calls):
    scans = named_pages(tmp_path / "scans")
    out = tmp_path / "out"
    lines: list[str] = []
    summary = run_two_passes([scans], out, log=lines.append)
    assert (summary.done, summary.failed) == (4, 0)
    log = called(calls)
    assert sorted(log) == sorted([f"ocr:{p}" for p in "abcd"] + [f"fix:{p}" for p in "abcd"])
    assert max(i for i, c in enumerate(log) if c.startswith("ocr:")) < min(i for i, c in enumerate(log) if c.startswith("fix:"))
    assert lines[0].startswith("4 page(s): 0 recognised earlier, 4 to recognise")
    assert any(line.startswith("collection lexicon: ") for line in lines)

    saved = json.loads((out / "summary.json").read_text())
    sha = saved["collection"]["sha256"]
    assert saved["collection"]["scope"] == "batch" and saved["collection"]["pages"] == 4
    lexicon = json.loads((out / COLLECTION_FILE).read_text(encoding="utf-8"))
    assert lexicon["sha256"] == sha
    assert any(w["word"].startswith("кацуфр") for w in lexicon["words"])
    for page in "abcd":
        assert f"collection {sha}" in (out / page / "corrected.txt").read_text(encoding="utf-8")
        assert done_key(out, page)["inputs"]["collection"] == sha
    assert len(list((out / CACHE_DIR).iterdir())) == 4

    first = tree(out)
    calls.unlink()
    again = run_two_passes([scans], out)
    assert (again.done, again.skipped) == (0, 4)
    assert called(calls) == [] and tree(out) == first

    other = Config().override("correct", max_cost=1.5)  # a correction setting: OCR comes from the cache
    assert run_two_passes([scans], out, other).done == 4
    assert sorted(called(calls)) == [f"fix:{p}" for p in "abcd"]
    calls.unlink()
    assert run_two_passes([scans], out, other, force=True).done == 4  # --force redoes the OCR too
    assert sorted(called(calls)) == sorted([f"ocr:{p}" for p in "abcd"] + [f"fix:{p}" for p in "abcd"])


@pytest.mark.slow  # a process pool
def test_a_page_added_to_the_batch_recorrects_the_others_only_when_the_collection_changes(tmp_path, calls):
    scans = named_pages(tmp_path / "scans", "ad")
    out = tmp_path / "out"
    run_two_passes([scans], out)
    before = {p: done_key(out, p) for p in "ad"}
    assert not json.loads((out / COLLECTION_FILE).read_text(encoding="utf-8"))["words"]  # the name occurs once

    calls.unlink()
    (scans / "c.png").write_bytes(NAMED["c.png"].encode())  # the name again: now it recurs, and joins
    grown = run_two_passes([scans], out)
    assert (grown.done, grown.skipped) == (3, 0)
    assert sorted(called(calls)) == ["fix:a", "fix:c", "fix:d", "ocr:c"]  # only the new page is OCR'd
    after = {p: done_key(out, p) for p in "ad"}
    for page in "ad":
        assert after[page]["key"] != before[page]["key"]
        assert after[page]["inputs"]["collection"] != before[page]["inputs"]["collection"]
        assert {k: v for k, v in after[page]["inputs"].items() if k != "collection"} == {
            k: v for k, v in before[page]["inputs"].items() if k != "collection"
        }

    calls.unlink()
    (scans / "e.png").write_bytes(PLAIN.encode())  # known words only: the collection stays the same
    plain = run_two_passes([scans], out)
    assert (plain.done, plain.skipped) == (1, 3)
    assert sorted(called(calls)) == ["fix:e", "ocr:e"]
    assert {p: done_key(out, p)["key"] for p in "ad"} == {p: after[p]["key"] for p in "ad"}


@pytest.mark.slow  # a process pool
def test_page_scope_and_no_correction_use_no_batch_collection(tmp_path, calls):
    scans = named_pages(tmp_path / "scans")
    out = tmp_path / "out"
    summary = run_two_passes([scans], out, collection_scope="page")
    assert summary.collection == {"scope": "page"} and summary.done == 4
    assert not (out / COLLECTION_FILE).exists()
    assert "collection None" in (out / "d" / "corrected.txt").read_text(encoding="utf-8")
    assert done_key(out, "d")["inputs"]["collection"] == "page"

    calls.unlink()
    assert run_two_passes([scans], out).done == 4  # now batch-wide: corrected again, OCR from the cache
    assert sorted(called(calls)) == [f"fix:{p}" for p in "abcd"]

    raw = run_two_passes([scans], tmp_path / "raw", Config().override("correct", enabled=False))
    assert raw.collection is None and done_key(tmp_path / "raw", "d")["inputs"]["collection"] is None
    assert not (tmp_path / "raw" / COLLECTION_FILE).exists()
    with pytest.raises(BadInputError, match="collection scope"):
        run_two_passes([scans], tmp_path / "x", collection_scope="document")


@pytest.mark.slow  # a process pool
def test_a_page_failing_recognition_is_recorded_and_left_out_of_the_collection(tmp_path, calls):
    scans = named_pages(tmp_path / "scans", "ab")
    (scans / "bad.png").write_bytes(b"FAIL")
    (scans / "boom.png").write_bytes(b"CRASH")
    out = tmp_path / "out"
    summary = run_two_passes([scans], out)
    assert (summary.done, summary.failed) == (2, 2)
    failed = {p.page_id: p for p in summary.outcomes if p.status == "failed"}
    assert failed["bad"].exit_code == ExitCode.BAD_INPUT and "not an image" in failed["bad"].error
    assert "worker process died" in failed["boom"].error
    assert not (out / "bad").exists() and not (out / "boom").exists()
    assert summary.collection["pages"] == 2
    assert not any(c in called(calls) for c in ("fix:bad", "fix:boom"))
    assert not (out / STAGING).exists()

    calls.unlink()  # a rerun tries the failed pages again, and nothing else
    assert run_two_passes([scans], out).failed == 2
    assert set(called(calls)) == {"ocr:bad", "ocr:boom"}  # (a crash is retried alone to find the culprit)


@pytest.mark.slow  # a process pool
def test_fail_fast_in_the_recognition_pass_corrects_nothing(tmp_path, calls):
    scans = make_pages(tmp_path / "scans", {"a.png": b"FAIL", "b.png": b"B", "c.png": b"C"})
    summary = run_two_passes([scans], tmp_path / "out", jobs=1, fail_fast=True)
    assert summary.failed == 1 and summary.stopped_early and summary.not_run == 2
    assert not [c for c in called(calls) if c.startswith("fix:")]


TWO_PASS_DRIVER = """
import sys
from pathlib import Path
sys.path.insert(0, {here!r})
from test_batch_runner import fake_correct, fake_recognize
from ocrfix.batch import run_batch
from ocrfix.config import Config
from ocrfix.errors import BatchInterruptedError
try:
    run_batch([{scans!r}], Path({out!r}), Config(), jobs=2, page_function=fake_correct,
              recognize_function=fake_recognize, progress=False, log=lambda m: print(m, flush=True))
except BatchInterruptedError as exc:
    sys.exit(int(exc.exit_code))
"""


def wait_for(pattern: str, out: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list(out.glob(pattern))) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} {pattern} in {timeout} s")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "phase"), [(signal.SIGTERM, "recognition"), (signal.SIGKILL, "correction")], ids=["SIGTERM-ocr", "SIGKILL-fix"]
)
def test_a_two_pass_batch_stopped_in_either_pass_reruns_to_identical_outputs(tmp_path, monkeypatch, signum, phase):
    calls = tmp_path / "calls.log"
    monkeypatch.setenv("OCRFIX_TEST_CALLS", str(calls))
    pages = {f"p{i:02d}.png": f"SLOW Кацуфрин {i}".encode() for i in range(8)}
    scans = make_pages(tmp_path / "scans", pages)
    out = tmp_path / "out"
    code = TWO_PASS_DRIVER.format(here=str(HERE), scans=str(scans), out=str(out))
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if phase == "recognition":
        wait_for(f"{CACHE_DIR}/*/_recognized.json", out, 2)
    else:
        wait_for(f"*/{DONE_MANIFEST}", out, 2)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else ExitCode.INTERRUPTED), stderr
    assert_only_complete_pages(out)
    cached = {p.parent.name for p in (out / CACHE_DIR).glob("*/_recognized.json")}
    kept = finished_pages(out)
    assert len(cached) < 8 if phase == "recognition" else len(cached) == 8
    assert len(kept) < 8
    time.sleep(1.5)  # a worker of a killed parent notices within a second and ends

    calls.write_text("")
    summary = run_batch([str(scans)], out, Config(), jobs=2, page_function=fake_correct,
                        recognize_function=fake_recognize, progress=False)  # fmt: skip
    assert (summary.done + summary.skipped, summary.failed, summary.skipped) == (8, 0, len(kept))
    assert len([c for c in called(calls) if c.startswith("ocr:")]) == 8 - len(cached)  # the cache was used
    assert sorted(c for c in called(calls) if c.startswith("fix:")) == sorted(f"fix:{n[:-4]}" for n in pages if n[:-4] not in kept)

    reference = tmp_path / "reference"
    run_batch([str(scans)], reference, Config(), jobs=2, page_function=fake_correct,
              recognize_function=fake_recognize, progress=False)  # fmt: skip
    assert tree(out) == tree(reference)
    assert (out / COLLECTION_FILE).read_bytes() == (reference / COLLECTION_FILE).read_bytes()
