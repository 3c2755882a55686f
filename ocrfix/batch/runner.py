"""The batch loop: discover pages, recognise them, count the collection, correct, commit, summarise.

A batch runs in two passes over the same executor. The first recognises
(preprocesses and OCRs) every page that is not in the recognition cache yet
(:mod:`.cache`); the parent then counts the batch's collection lexicon over all
recognised pages (:mod:`.collection`), once, in page-id order; the second pass
corrects and reports each page that is not finished with the same inputs,
settings and collection, reading its recognition from the cache.

Only this (parent) process touches the output folder's finished pages and
cache entries: workers write into staging folders, the parent commits each
result atomically as it arrives, so whatever stops the batch (a failed page
with --fail-fast, SIGINT, SIGTERM, even SIGKILL) leaves only complete pages and
complete cache entries behind, and a rerun picks up exactly what is not finished.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ocrfix import __version__
from ocrfix.batch.cache import CachedRecognition, RecognitionCache, recognition_key
from ocrfix.batch.collection import (
    COLLECTION_FILE,
    BatchCollection,
    collection_inputs,
    make_batch_collection,
    one_witness,
    stored_collection,
    write_collection,
)
from ocrfix.batch.discover import discover_pages
from ocrfix.batch.documents import write_batch_documents
from ocrfix.batch.executors import (
    PageExecutor,
    PageFunction,
    WorkerLost,
    available_cores,
    make_executor,
)
from ocrfix.batch.progress import Progress
from ocrfix.batch.store import OutputStore, PageKey, file_sha256, page_key, read_marker, remove_path
from ocrfix.batch.summary import FINISHED_STATUSES, BatchSummary, PageRecord, result_fields, write_summary
from ocrfix.config import Config
from ocrfix.errors import (
    BadInputError,
    BatchInterruptedError,
    ExitCode,
    MissingDependencyError,
    TooLargeError,
)
from ocrfix.outputs import DONE
from ocrfix.pipeline import PageOutcome, PageTask, process_page, recognize_page
from ocrfix.review.carry import carry_decisions, has_decisions, reviewed_state
from ocrfix.review.decisions import decisions_lock

EXECUTORS = ("local", "dask")
COLLECTION_SCOPES = ("batch", "page")
POLL_SECONDS = 0.2  # how often the loop looks at the stop flag while pages run
IN_FLIGHT_PER_SLOT = 2  # pages queued per worker, so none waits for the parent


def run_batch(
    inputs: Sequence[str],
    out_dir: Path,
    config: Config,
    *,
    jobs: int | None = None,
    transcription: Path | None = None,
    force: bool = False,
    redo_reviewed: bool = False,
    fail_fast: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
    collection_scope: str = "batch",
    page_function: PageFunction | None = None,
    recognize_function: PageFunction | None = None,
) -> BatchSummary:
    """Process every page of ``inputs`` into ``out_dir``; return what happened.

    Pages already finished with the same inputs, settings and collection
    lexicon are skipped (``force`` redoes them, OCR included). A page a
    reviewer has reviewed (marked reviewed, or every item decided) is redone
    only when its input (image, published text, ground truth) changed, or with
    ``redo_reviewed``; otherwise it is kept as it is and the log says why it
    would have been redone. Whenever a page with review decisions is redone,
    the decisions are carried into the new page and anchored to its words
    (:mod:`ocrfix.review.carry`): none is ever lost. A failed page is
    recorded and the batch goes on (``fail_fast`` stops at the first); failures
    are not raised: the caller decides from ``summary.failed``. Raises
    :class:`BatchInterruptedError` after SIGINT/SIGTERM (finished pages kept,
    summary written), :class:`BadInputError` for unusable inputs,
    :class:`MissingDependencyError` when pages fail because something is not
    installed. ``jobs`` (default: the cores) sizes the local pool or the Dask
    LocalCluster; with a ``scheduler`` address the cluster's own workers are used.

    ``collection_scope`` "batch" corrects every page with one collection
    lexicon counted over all the batch's pages; "page" counts it over each page
    alone (as ``ocrfix correct`` does). ``page_function`` and
    ``recognize_function`` replace the two page tasks (default
    :func:`ocrfix.pipeline.process_page` and :func:`ocrfix.pipeline.recognize_page`);
    a ``page_function`` given alone runs in one pass, with no recognition cache
    and no batch collection. They must be picklable module-level functions.
    Because workers are started with ``spawn``, a script that calls this must
    guard its entry point with ``if __name__ == "__main__"``.
    """
    started = time.perf_counter()
    if executor not in EXECUTORS:
        raise BadInputError(f"unknown executor {executor!r}", hint="use local or dask")
    if collection_scope not in COLLECTION_SCOPES:
        raise BadInputError(f"unknown collection scope {collection_scope!r}", hint="use batch or page")
    if jobs is not None and jobs < 1:
        raise BadInputError(f"--jobs must be at least 1, not {jobs}")
    if page_function is None:
        page_function, recognize_function = process_page, recognize_function or recognize_page
    out_dir = Path(out_dir)
    say = log or (lambda message: None)
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInputError(f"output folder {out_dir} is a file")
    if config.correct.enabled and config.correct.memory:  # a broken memory is said before any page is read
        from ocrfix.memory import load_memory

        load_memory(Path(config.correct.memory))
    tasks = discover_pages(inputs, transcription=transcription, exclude=[out_dir], config=config, warn=say)
    store = OutputStore(out_dir)
    with store.locked(), _StopSignals() as stop:
        store.clean_staging()
        fingerprint = config.fingerprint()
        versions = collect_versions(config)
        workers = max(1, min(jobs or available_cores(), len(tasks) or 1))
        where = f"Dask scheduler {scheduler}" if executor == "dask" and scheduler else f"{executor}, {workers} worker(s)"
        run = _Run(
            store, config, fail_fast, stop, bar=progress, log=log,
            new_executor=lambda: make_executor(executor, workers, config, scheduler),
            prepare=page_function is process_page,
        )  # fmt: skip
        batch = _Batch(tasks, config, fingerprint, versions, force, run, say, where, redo_reviewed=redo_reviewed)
        try:
            if recognize_function is None:
                batch.one_pass(page_function)
            else:
                batch.two_passes(recognize_function, page_function, collection_scope)
        finally:
            run.close()
        summary = BatchSummary(
            pages=tuple(run.records.get(t.page_id) or _not_run(t) for t in tasks),
            seconds=time.perf_counter() - started,
            interrupted=stop.requested,
            stopped_early=run.halted and not stop.requested,
            config_fingerprint=fingerprint,
            versions=tuple(sorted(versions.items())),
            collection=batch.collection_summary(),
        )
        write_summary(out_dir, summary)
        _write_index(out_dir, summary)
        problem = write_batch_documents(out_dir, summary)
        if problem:
            say(problem)
        store.clean_staging()
    say(summary.one_line())
    if stop.requested:
        raise BatchInterruptedError(
            f"stopped by {stop.signal_name}: {summary.done + summary.skipped} page(s) finished, {summary.not_run} not run",
            hint="run the same command again to finish",
            summary=summary,
        )
    if run.missing_dependency is not None:
        raise MissingDependencyError(run.missing_dependency)
    return summary


@dataclass
class _Batch:
    """One batch's plan: which pages to recognise, its collection, which pages to correct."""

    tasks: list[PageTask]
    config: Config
    fingerprint: str
    versions: dict[str, str]
    force: bool
    run: _Run
    say: Callable[[str], None]
    where: str
    redo_reviewed: bool = False
    image_hashes: dict[str, str | None] = field(default_factory=dict)
    collection: BatchCollection | None = None
    scope: str | None = None  # the collection scope of a two-pass batch that corrects

    def __post_init__(self) -> None:
        self.image_hashes = _image_hashes(self.tasks)

    def keys(self, collection: str | None) -> dict[str, PageKey | None]:
        return {
            t.page_id: page_key(
                t, self.fingerprint, self.versions, image_sha256=self.image_hashes[t.page_id], collection=collection
            )
            for t in self.tasks
        }

    def one_pass(self, page_function: PageFunction) -> None:
        if any(t.published_document for t in self.tasks):
            self.say("warning: a document's transcription is cut into its pages only by a two-pass batch; "
                     "its pages are not compared with it")
        keys = self.keys(None)
        todo = self.run.split_finished(self.tasks, keys, self.force, self.redo_reviewed)
        self._announce(todo)
        self.run.correct(todo, page_function, keys)

    def two_passes(self, recognize_function: PageFunction, page_function: PageFunction, scope: str) -> None:
        cache = RecognitionCache(self.run.store.out_dir)
        recognition_keys = {
            t.page_id: recognition_key(digest, t.page_index, self.config, self.versions) if digest else None
            for t, digest in ((t, self.image_hashes[t.page_id]) for t in self.tasks)
        }
        recognised: dict[str, CachedRecognition] = {}
        if not self.force:
            for task in self.tasks:
                entry = cache.lookup(recognition_keys[task.page_id])
                if entry is not None:
                    recognised[task.page_id] = entry
        label: str | None = None
        if self.config.correct.enabled:
            self.scope = scope
            label = "page"
        if self.scope != "batch":  # an earlier run's collection would only mislead the reader
            remove_path(self.run.store.out_dir / COLLECTION_FILE)
        else:
            # the collection needs every page's text: recognise all that are not cached, then count
            missing = [t for t in self.tasks if t.page_id not in recognised]
            if missing:
                self.say(
                    f"{len(self.tasks)} page(s): {len(self.tasks) - len(missing)} recognised earlier,"
                    f" {len(missing)} to recognise ({self.where})"
                )
            self.run.recognise(missing, recognize_function, recognition_keys, cache, recognised)
            if self.run.should_stop():
                return
            self.collection = self._batch_collection(recognised)
            label = self.collection.sha256
        if self.scope != "batch":  # a document's pages must be recognised before its transcription is cut
            documents = [t for t in self.tasks if t.published_document and t.page_id not in recognised]
            self.run.recognise(documents, recognize_function, recognition_keys, cache, recognised)
            if self.run.should_stop():
                return
        self._document_shares(recognised)
        keys = self.keys(label)
        candidates = [t for t in self.tasks if t.page_id not in self.run.records]  # not failed in the first pass
        todo = self.run.split_finished(candidates, keys, self.force, self.redo_reviewed)
        self._announce(todo)
        if self.scope != "batch":
            self.run.recognise(
                [t for t in todo if t.page_id not in recognised], recognize_function, recognition_keys, cache, recognised
            )
            if self.run.should_stop():
                return
        collection_path = self.run.store.out_dir / COLLECTION_FILE if self.collection is not None else None
        todo = [
            replace(
                t,
                recognition_dir=recognised[t.page_id].path,
                recognition_status=recognised[t.page_id].status,
                collection_path=collection_path,
                collection_sha256=self.collection.sha256 if self.collection is not None else None,
            )
            for t in todo
            if t.page_id in recognised
        ]
        self.run.correct(todo, page_function, keys)
        if not self.run.should_stop():
            # the cache keeps what this batch's pages need, nothing older
            cache.prune(key for key in recognition_keys.values() if key is not None)

    def _document_shares(self, recognised: dict[str, CachedRecognition]) -> None:
        """Cut each document's transcription into its pages' shares, by aligning it with their OCR
        (pages that could not be recognised count as empty)."""
        from ocrfix.fileio import read_text
        from ocrfix.reconcile.split import split_document

        documents: dict[Path, list[int]] = {}
        for index, task in enumerate(self.tasks):
            if task.published_document and task.published_path is not None:
                documents.setdefault(Path(task.published_path), []).append(index)
        for path, members in documents.items():
            try:
                text = read_text(path)
            except BadInputError:
                continue  # each page fails with the reason when it reads it
            texts = [recognised[self.tasks[i].page_id].text() if self.tasks[i].page_id in recognised else ""
                     for i in members]
            try:
                shares = split_document(texts, text)
            except TooLargeError as exc:  # its pages go on without a transcription, and the run says why
                self.say(f"{path}: not used: {exc.one_line()}")
                continue
            for index, share in zip(members, shares):
                self.tasks[index] = replace(self.tasks[index], published_span=share)
            if len(members) > 1:
                self.say(f"{path}: one transcription cut into {len(members)} pages by alignment")

    def _batch_collection(self, recognised: dict[str, CachedRecognition]) -> BatchCollection:
        """The collection of the recognised pages: the stored one if they and the settings are unchanged."""
        pages = sorted((page_id, entry.key) for page_id, entry in recognised.items())
        inputs = collection_inputs(self.fingerprint, self.versions, pages)
        stored = None if self.force else stored_collection(self.run.store.out_dir)
        if stored is not None and stored.inputs == inputs:
            self.say(f"collection lexicon: {len(stored.counts)} word(s) from {stored.pages} page(s), unchanged")
            return stored
        texts, copies = one_witness(
            [(page_id, self.image_hashes.get(page_id), recognised[page_id].text()) for page_id, _ in pages]
        )
        collection = make_batch_collection(texts, self.config, inputs)
        write_collection(self.run.store.out_dir, collection)
        self.say(f"collection lexicon: {len(collection.counts)} word(s) from {collection.pages} page(s)")
        if copies:
            shown = ", ".join(f"{copy} (= {original})" for copy, original in list(copies.items())[:5])
            more = f" and {len(copies) - 5} more" if len(copies) > 5 else ""
            self.say(f"collection lexicon: {len(copies)} page(s) copying another counted once: {shown}{more}")
        return collection

    def collection_summary(self) -> dict[str, Any] | None:
        if self.collection is not None:
            return self.collection.summary()
        return {"scope": "page"} if self.scope == "page" else None

    def _announce(self, todo: list[PageTask]) -> None:
        finished = sum(1 for record in self.run.records.values() if record.skipped)
        self.say(
            f"{len(self.tasks)} page(s): {finished} finished earlier, {len(todo)} to do"
            + (f" ({self.where})" if todo else "")
        )
        for page_id, why in self.run.kept_reviewed:
            self.say(f"{page_id}: reviewed, kept as it is although {why} (--redo-reviewed redoes it, keeping its decisions)")


def _image_hashes(tasks: list[PageTask]) -> dict[str, str | None]:
    """Each page's image hash (a multi-page file is read once); None for a file that cannot be read."""
    by_path: dict[Path, str | None] = {}
    hashes: dict[str, str | None] = {}
    for task in tasks:
        path = Path(task.image_path)
        if path not in by_path:
            try:
                by_path[path] = file_sha256(path)
            except OSError:
                by_path[path] = None
        hashes[task.page_id] = by_path[path]
    return hashes


def collect_versions(config: Config) -> dict[str, str]:
    """Versions of what shapes a page's outputs besides the settings (part of every page key).

    ocrfix itself (its version, and fingerprints of its code: all of it, and the
    part that recognises pages), Tesseract and its language data, and the lexicon
    (its dictionaries and curated files). What cannot be found is recorded as
    "missing": the pages then fail with the right message and exit code.
    """
    from ocrfix.fingerprint import code_fingerprint, recognition_code

    versions = {"ocrfix": __version__, "code": code_fingerprint(),
                "recognition-code": code_fingerprint(recognition_code())}
    try:
        from ocrfix.ocr import probe

        info = probe(config.ocr)
        versions["tesseract"] = info.version
        versions.update({f"traineddata:{lang}": digest for lang, digest in info.traineddata})
    except Exception:
        versions["tesseract"] = "missing"
    if config.correct.enabled:
        try:
            from ocrfix.lexicon import store

            versions["lexicon"] = f"{store.base_key()}/{store.curated_key(config.correct)}"
        except Exception:
            versions["lexicon"] = "missing"
    return versions


def _prepare_shared_resources(config: Config, report: Callable[[str], None] | None) -> None:
    """Build what workers would otherwise all build at once (the compiled lexicon cache);
    ``report`` hears that a first-time build starts and how long it took."""
    if not config.correct.enabled:
        return
    try:
        from ocrfix.lexicon.store import ensure_base
    except ImportError:
        return
    ensure_base(report=report)


class _Run:
    """The state of one batch's page loops: the executor (shared by both passes), records, stop flags."""

    def __init__(
        self,
        store: OutputStore,
        config: Config,
        fail_fast: bool,
        stop: _StopSignals,
        *,
        bar: bool | None,
        log: Callable[[str], None] | None,
        new_executor: Callable[[], PageExecutor],
        prepare: bool,
    ) -> None:
        self.store = store
        self.config = config
        self.fail_fast = fail_fast
        self.stop = stop
        self.bar = bar
        self.log = log
        self.new_executor = new_executor
        self.prepare = prepare  # build shared resources (the lexicon cache) before the first worker starts
        self.records: dict[str, PageRecord] = {}
        self.kept_reviewed: list[tuple[str, str]] = []  # (page id, what changed) of reviewed pages not redone
        self.halted = False
        self.missing_dependency: str | None = None
        self._executor: PageExecutor | None = None

    def should_stop(self) -> bool:
        return self.halted or self.stop.requested

    def split_finished(
        self, tasks: list[PageTask], keys: dict[str, PageKey | None], force: bool, redo_reviewed: bool = False
    ) -> list[PageTask]:
        """Record the pages an earlier run finished (same key) and the reviewed pages to keep;
        return the pages still to do."""
        todo: list[PageTask] = []
        for task in tasks:
            stored = None if force else self.store.finished_record(task.page_id, keys[task.page_id])
            if stored is not None:
                self.records[task.page_id] = _record(task, stored.get("result", {}), skipped=True)
                continue
            kept = None if redo_reviewed else self._reviewed_to_keep(task, keys[task.page_id], force)
            if kept is not None:
                old, why = kept
                self.kept_reviewed.append((task.page_id, why))
                self.records[task.page_id] = _record(
                    task, old.get("result", {}), skipped=True, review=f"reviewed: kept although {why}"
                )
            else:
                todo.append(task)
        return todo

    def _reviewed_to_keep(self, task: PageTask, key: PageKey | None, force: bool) -> tuple[dict, str] | None:
        """(the finished record, what changed) when the page was reviewed and its input did not change."""
        page_dir = self.store.page_dir(task.page_id)
        if key is None or not has_decisions(page_dir):
            return None
        old = read_marker(page_dir / DONE)  # the page's record whatever its key
        inputs = old.get("inputs") if old else None
        if not isinstance(inputs, dict):
            return None
        new = key.to_dict()
        if any(inputs.get(name) != new[name] for name in INPUT_FIELDS):
            return None  # the image, published text or ground truth changed: the page must be redone
        if not reviewed_state(task.page_id, page_dir, str(task.image_path)):
            return None
        return old, _what_changed(inputs, new, force)

    def recognise(
        self,
        tasks: list[PageTask],
        function: PageFunction,
        recognition_keys: dict[str, str | None],
        cache: RecognitionCache,
        recognised: dict[str, CachedRecognition],
    ) -> None:
        """The first pass: recognise ``tasks`` into the cache; add their entries to ``recognised``."""

        def finish(task: PageTask, staged: Path, outcome: PageOutcome, progress: Progress) -> None:
            key = recognition_keys.get(task.page_id)
            if outcome.status not in FINISHED_STATUSES:
                self.store.discard(staged)
                self._failed(task, outcome.error or "failed", _exit_code(outcome.exit_code), progress, outcome.seconds)
                return
            if key is None:  # the image could not be hashed, yet was read: keep it out of the cache
                self.store.discard(staged)
                self._failed(task, "the image changed or vanished while the batch ran", ExitCode.BAD_INPUT, progress)
                return
            recognised[task.page_id] = cache.commit(key, staged, outcome.status)
            progress.page_finished(task.page_id, outcome.status)

        self._execute(tasks, function, "OCR", finish, staging_suffix=".ocr")

    def correct(self, tasks: list[PageTask], function: PageFunction, keys: dict[str, PageKey | None]) -> None:
        """The (last) pass: write each page's outputs and commit them with their key."""

        def finish(task: PageTask, staged: Path, outcome: PageOutcome, progress: Progress) -> None:
            result = result_fields(outcome)
            if result["status"] not in FINISHED_STATUSES:
                self.store.discard(staged)
                self._failed(task, outcome.error or "failed", _exit_code(outcome.exit_code), progress, outcome.seconds)
                return
            with decisions_lock(self.store.out_dir):  # a decision saved meanwhile is carried or lands in the new page
                carried = carry_decisions(task.page_id, self.store.page_dir(task.page_id), staged, str(task.image_path))
                self.store.commit(task.page_id, staged, keys.get(task.page_id), result)
            note = None if carried is None else carried.describe()
            record = _record(task, result, skipped=False, seconds=outcome.seconds, review=note)
            self.records[task.page_id] = record
            details = [] if record.cer_published is None else [f"CER vs published {record.cer_published:.2%}"]
            progress.page_finished(task.page_id, record.status, "; ".join(details + ([note] if note else [])))

        self._execute(tasks, function, "", finish)

    def _execute(
        self,
        todo: list[PageTask],
        function: PageFunction,
        label: str,
        finish: Callable[[PageTask, Path, PageOutcome, Progress], None],
        *,
        staging_suffix: str = "",
    ) -> None:
        if not todo or self.should_stop():
            return
        self._started_executor()  # before the bar: a first-time lexicon build says so instead of freezing it at 0%
        progress = Progress(len(todo), bar=self.bar, log=self.log, label=label)
        try:
            self._loop(todo, function, finish, progress, staging_suffix)
        finally:
            progress.close()

    def _loop(
        self,
        todo: list[PageTask],
        function: PageFunction,
        finish: Callable[[PageTask, Path, PageOutcome, Progress], None],
        progress: Progress,
        staging_suffix: str,
    ) -> None:
        executor = self._started_executor()
        queue: deque[PageTask] = deque(todo)
        suspects: deque[PageTask] = deque()  # in flight when a worker crashed: rerun one at a time
        in_flight: dict[Any, tuple[PageTask, Path, bool]] = {}
        window = max(1, getattr(executor, "jobs", 1)) * IN_FLIGHT_PER_SLOT

        def submit(task: PageTask, *, solo: bool) -> bool:
            """Send ``task`` to a worker; False when the executor cannot take it now."""
            staged = self.store.new_staging_dir(task.page_id + staging_suffix)
            try:
                future = executor.submit(function, task, self.config, staged)
            except WorkerLost:
                return False
            in_flight[future] = (task, staged, solo)
            return True

        try:
            while (queue or suspects or in_flight) and not self.should_stop():
                if suspects:
                    if not in_flight:
                        if submit(suspects[0], solo=True):
                            suspects.popleft()
                        else:
                            executor.restart()
                else:
                    while queue and len(in_flight) < window:
                        if not submit(queue[0], solo=False):
                            break  # the pool broke: the futures in flight say so next
                        queue.popleft()
                done = executor.wait_any(in_flight, POLL_SECONDS)
                if self.stop.requested:
                    break
                pool_broken = False
                for future in sorted(done, key=lambda f: in_flight[f][0].page_id):
                    task, staged, solo = in_flight.pop(future)
                    try:
                        outcome = executor.outcome(future)
                    except WorkerLost as exc:
                        self.store.discard(staged)
                        if executor.isolates_crashes or solo:
                            self._failed(task, str(exc), ExitCode.INTERNAL_ERROR, progress)
                        else:
                            suspects.append(task)
                        pool_broken = not executor.isolates_crashes
                        continue
                    except Exception as exc:  # the page function itself raised
                        self.store.discard(staged)
                        self._failed(task, f"internal error: {type(exc).__name__}: {exc}", ExitCode.INTERNAL_ERROR, progress)
                        continue
                    finish(task, staged, outcome, progress)
                if pool_broken:
                    for task, staged, _ in in_flight.values():  # the whole pool went down with it
                        self.store.discard(staged)
                        suspects.append(task)
                    in_flight.clear()
                    executor.restart()
        finally:
            if in_flight:  # stopped with pages running: stop them before their staging folders go
                self.close(stop_running=True)
                for _, staged, _ in in_flight.values():
                    self.store.discard(staged)

    def _started_executor(self) -> PageExecutor:
        if self._executor is None:
            if self.prepare:
                _prepare_shared_resources(self.config, self.log)
            self._executor = self.new_executor()
        return self._executor

    def close(self, *, stop_running: bool | None = None) -> None:
        """Shut the executor down (stopping running pages when the batch is stopping)."""
        if self._executor is None:
            return
        executor, self._executor = self._executor, None
        executor.close(stop_running=self.should_stop() if stop_running is None else stop_running)

    def _failed(
        self, task: PageTask, error: str, code: ExitCode, progress: Progress, seconds: float | None = None
    ) -> None:
        self.records[task.page_id] = PageRecord(
            task.page_id, str(task.image_path), task.page_index, "failed", error=error, exit_code=int(code), seconds=seconds
        )
        progress.page_finished(task.page_id, "failed", error)
        if code == ExitCode.MISSING_DEPENDENCY:  # not the page's fault: every page would fail the same way
            self.missing_dependency = error
            self.halted = True
        elif self.fail_fast:
            self.halted = True


INPUT_FIELDS = ("image_sha256", "page_index", "published_sha256", "ground_truth_sha256")


def _what_changed(old: dict[str, Any], new: dict[str, Any], force: bool) -> str:
    """Why a page whose input is the same would be redone, in words."""
    reasons = []
    if force:
        reasons.append("--force was given")
    if old.get("config_fingerprint") != new["config_fingerprint"]:
        reasons.append("the settings changed")
    old_versions, new_versions = old.get("versions") or {}, new["versions"]
    changed = sorted(k for k in set(old_versions) | set(new_versions) if old_versions.get(k) != new_versions.get(k))
    if changed:
        reasons.append(f"{', '.join(changed)} changed")
    if old.get("collection") != new["collection"]:
        reasons.append("the collection lexicon changed")
    if old.get("schema") != new["schema"]:
        reasons.append("the page key's meaning changed")
    return " and ".join(reasons) or "its record changed"


def _record(
    task: PageTask, result: dict[str, Any], *, skipped: bool, seconds: float | None = None, review: str | None = None
) -> PageRecord:
    return PageRecord(
        page_id=task.page_id,
        image_path=str(task.image_path),
        page_index=task.page_index,
        status=str(result.get("status") or "ok"),
        skipped=skipped,
        corrections=int(result.get("corrections") or 0),
        cer_published=result.get("cer_published"),
        cer_published_raw=result.get("cer_published_raw"),
        cer_ground_truth=result.get("cer_ground_truth"),
        cer_ground_truth_raw=result.get("cer_ground_truth_raw"),
        wer_ground_truth=result.get("wer_ground_truth"),
        files=tuple(result.get("files") or ()),
        seconds=None if skipped else seconds,
        quality=result.get("quality"),
        review=review,
    )


def _exit_code(value: int | None) -> ExitCode:
    try:
        return ExitCode(value) if value else ExitCode.INTERNAL_ERROR
    except ValueError:
        return ExitCode.INTERNAL_ERROR


def _not_run(task: PageTask) -> PageRecord:
    return PageRecord(task.page_id, str(task.image_path), task.page_index, "not_run")


def _write_index(out_dir: Path, summary: BatchSummary) -> None:
    try:
        from ocrfix.report import write_index
    except ImportError:
        return
    write_index(out_dir, summary)


class _StopSignals:
    """While active, SIGINT and SIGTERM ask the batch to stop instead of killing it."""

    def __init__(self) -> None:
        self.requested = False
        self.signal_name = ""
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.requested = True
        self.signal_name = signal.Signals(signum).name

    def __exit__(self, *exc_info: Any) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
