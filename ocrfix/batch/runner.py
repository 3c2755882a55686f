"""The batch loop: discover pages, skip finished ones, run the rest, commit, summarise.

Only this (parent) process touches the output folder's finished pages: workers
write into staging folders, the parent commits each result atomically as it
arrives, so whatever stops the batch (a failed page with --fail-fast, SIGINT,
SIGTERM, even SIGKILL) leaves only complete pages behind, and a rerun picks up
exactly the pages that are not finished.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrfix import __version__
from ocrfix.batch.discover import discover_pages
from ocrfix.batch.executors import PageExecutor, PageFunction, WorkerLost, available_cores, make_executor
from ocrfix.batch.progress import Progress
from ocrfix.batch.store import OutputStore, PageKey, page_key
from ocrfix.batch.summary import BatchSummary, PageRecord, result_fields, write_summary
from ocrfix.config import Config
from ocrfix.errors import BadInputError, BatchInterruptedError, ExitCode, MissingDependencyError
from ocrfix.pipeline import PageOutcome, PageTask, process_page

EXECUTORS = ("local", "dask")
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
    fail_fast: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
    page_function: PageFunction | None = None,
) -> BatchSummary:
    """Process every page of ``inputs`` into ``out_dir``; return what happened.

    Pages already finished with the same inputs and settings are skipped
    (``force`` redoes them). A failed page is recorded and the batch goes on
    (``fail_fast`` stops at the first); failures are not raised: the caller
    decides from ``summary.failed``. Raises :class:`BatchInterruptedError` after
    SIGINT/SIGTERM (finished pages kept, summary written), :class:`BadInputError`
    for unusable inputs, :class:`MissingDependencyError` when pages fail because
    something is not installed. ``jobs`` (default: the cores) sizes the
    local pool or the Dask LocalCluster; with a ``scheduler`` address the
    cluster's own workers are used. ``page_function`` replaces the page task
    (default :func:`ocrfix.pipeline.process_page`); it must be a picklable
    module-level function. Because workers are started with ``spawn``, a script
    that calls this must guard its entry point with ``if __name__ == "__main__"``.
    """
    started = time.perf_counter()
    if executor not in EXECUTORS:
        raise BadInputError(f"unknown executor {executor!r}", hint="use local or dask")
    if jobs is not None and jobs < 1:
        raise BadInputError(f"--jobs must be at least 1, not {jobs}")
    if page_function is None:
        page_function = process_page
    out_dir = Path(out_dir)
    say = log or (lambda message: None)
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInputError(f"output folder {out_dir} is a file")
    tasks = discover_pages(inputs, transcription=transcription, exclude=[out_dir], config=config)
    store = OutputStore(out_dir)
    with store.locked(), _StopSignals() as stop:
        store.clean_staging()
        fingerprint = config.fingerprint()
        versions = collect_versions(config)
        keys = {task.page_id: page_key(task, fingerprint, versions) for task in tasks}
        records, todo = _split_finished(tasks, keys, store, force)
        workers = max(1, min(jobs or available_cores(), len(todo) or 1))
        where = f"Dask scheduler {scheduler}" if executor == "dask" and scheduler else f"{executor}, {workers} worker(s)"
        say(
            f"{len(tasks)} page(s): {len(tasks) - len(todo)} finished earlier, {len(todo)} to do"
            + (f" ({where})" if todo else "")
        )
        run = _Run(store, config, keys, page_function, Progress(len(todo), bar=progress, log=log), fail_fast, stop)
        try:
            if todo and not stop.requested:
                if page_function is process_page:
                    _prepare_shared_resources(config)
                run.execute(todo, lambda: make_executor(executor, workers, config, scheduler))
        finally:
            run.progress.close()
        records.update(run.records)
        summary = BatchSummary(
            pages=tuple(records.get(t.page_id) or _not_run(t) for t in tasks),
            seconds=time.perf_counter() - started,
            interrupted=stop.requested,
            stopped_early=run.halted and not stop.requested,
            config_fingerprint=fingerprint,
            versions=tuple(sorted(versions.items())),
        )
        write_summary(out_dir, summary)
        _write_index(out_dir, summary)
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


def _split_finished(
    tasks: list[PageTask], keys: dict[str, PageKey | None], store: OutputStore, force: bool
) -> tuple[dict[str, PageRecord], list[PageTask]]:
    """Records of the pages an earlier run finished (same key), and the pages still to do."""
    records: dict[str, PageRecord] = {}
    todo: list[PageTask] = []
    for task in tasks:
        stored = None if force else store.finished_record(task.page_id, keys[task.page_id])
        if stored is not None:
            records[task.page_id] = _record(task, stored.get("result", {}), skipped=True)
        else:
            todo.append(task)
    return records, todo


def collect_versions(config: Config) -> dict[str, str]:
    """Versions of what shapes a page's outputs besides the settings (part of every page key).

    ocrfix itself, Tesseract and its language data, and the lexicon (its
    dictionaries and curated files). What cannot be found is recorded as
    "missing": the pages then fail with the right message and exit code.
    """
    versions = {"ocrfix": __version__}
    try:
        from ocrfix.ocr import probe

        info = probe(config.ocr)
        versions["tesseract"] = info.version
        versions.update({f"traineddata:{lang}": digest for lang, digest in info.traineddata})
    except Exception:
        versions["tesseract"] = "missing"
    if config.correct.enabled:
        try:
            from ocrfix.lexicon import sources, store

            versions["lexicon"] = f"{store.base_key()}/{sources.curated_hash(store.lexicon_dir_of(config.correct))}"
        except Exception:
            versions["lexicon"] = "missing"
    return versions


def _prepare_shared_resources(config: Config) -> None:
    """Build what workers would otherwise all build at once (the compiled lexicon cache)."""
    if not config.correct.enabled:
        return
    try:
        from ocrfix.lexicon.store import ensure_base
    except ImportError:
        return
    ensure_base()


@dataclass
class _Run:
    """The state of one batch's page loop."""

    store: OutputStore
    config: Config
    keys: dict[str, PageKey | None]
    page_function: PageFunction
    progress: Progress
    fail_fast: bool
    stop: _StopSignals
    records: dict[str, PageRecord] = field(default_factory=dict)
    halted: bool = False
    missing_dependency: str | None = None

    def execute(self, todo: list[PageTask], new_executor: Callable[[], PageExecutor]) -> None:
        queue: deque[PageTask] = deque(todo)
        suspects: deque[PageTask] = deque()  # in flight when a worker crashed: rerun one at a time
        in_flight: dict[Any, tuple[PageTask, Path, bool]] = {}
        executor = new_executor()
        window = max(1, getattr(executor, "jobs", 1)) * IN_FLIGHT_PER_SLOT
        stopping = True
        try:
            while (queue or suspects or in_flight) and not self._should_stop():
                if suspects:
                    if not in_flight:
                        if self._submit(executor, suspects[0], in_flight, solo=True):
                            suspects.popleft()
                        else:
                            executor.restart()
                else:
                    while queue and len(in_flight) < window:
                        if not self._submit(executor, queue[0], in_flight, solo=False):
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
                            self._failed(task, str(exc), ExitCode.INTERNAL_ERROR)
                        else:
                            suspects.append(task)
                        pool_broken = not executor.isolates_crashes
                        continue
                    except Exception as exc:  # the page function itself raised
                        self.store.discard(staged)
                        self._failed(task, f"internal error: {type(exc).__name__}: {exc}", ExitCode.INTERNAL_ERROR)
                        continue
                    self._finish(task, staged, outcome)
                if pool_broken:
                    for task, staged, _ in in_flight.values():  # the whole pool went down with it
                        self.store.discard(staged)
                        suspects.append(task)
                    in_flight.clear()
                    executor.restart()
            stopping = bool(in_flight) or self._should_stop()
        finally:
            executor.close(stop_running=stopping)
            for _, staged, _ in in_flight.values():
                self.store.discard(staged)

    def _should_stop(self) -> bool:
        return self.halted or self.stop.requested

    def _submit(self, executor: PageExecutor, task: PageTask, in_flight: dict, *, solo: bool) -> bool:
        """Send ``task`` to a worker; False when the executor cannot take it now."""
        staged = self.store.new_staging_dir(task.page_id)
        try:
            future = executor.submit(self.page_function, task, self.config, staged)
        except WorkerLost:
            return False
        in_flight[future] = (task, staged, solo)
        return True

    def _finish(self, task: PageTask, staged: Path, outcome: PageOutcome) -> None:
        result = result_fields(outcome)
        if result["status"] in ("ok", "empty"):
            self.store.commit(task.page_id, staged, self.keys.get(task.page_id), result)
            record = _record(task, result, skipped=False, seconds=outcome.seconds)
            self.records[task.page_id] = record
            detail = "" if record.cer_published is None else f"CER vs published {record.cer_published:.2%}"
            self.progress.page_finished(task.page_id, record.status, detail)
            return
        self.store.discard(staged)
        self._failed(task, outcome.error or "failed", _exit_code(outcome.exit_code), outcome.seconds)

    def _failed(self, task: PageTask, error: str, code: ExitCode, seconds: float | None = None) -> None:
        self.records[task.page_id] = PageRecord(
            task.page_id, str(task.image_path), task.page_index, "failed", error=error, exit_code=int(code), seconds=seconds
        )
        self.progress.page_finished(task.page_id, "failed", error)
        if code == ExitCode.MISSING_DEPENDENCY:  # not the page's fault: every page would fail the same way
            self.missing_dependency = error
            self.halted = True
        elif self.fail_fast:
            self.halted = True


def _record(task: PageTask, result: dict[str, Any], *, skipped: bool, seconds: float | None = None) -> PageRecord:
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
