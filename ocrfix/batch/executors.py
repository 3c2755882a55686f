"""Where page tasks run: a local process pool, or a Dask distributed cluster.

Both executors run the same module-level function, :func:`run_page`, on
picklable arguments (task, config, staging folder) and hand back the page
task's outcome, so the results cannot depend on the executor. The runner only
sees the small interface of :class:`PageExecutor`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from ocrfix.config import Config
from ocrfix.errors import MissingDependencyError
from ocrfix.pipeline import PageOutcome, PageTask

PageFunction = Callable[[PageTask, Config, Path], PageOutcome]

PARENT_CHECK_SECONDS = 0.5

_prepared_configs: set[Config] = set()


def prepare_worker(config: Config, threads: int = 1) -> None:
    """Per-process set-up, done once: thread limits, the lexicon loaded.

    Pages run in parallel processes, so each process keeps to ``threads``
    threads (Tesseract, OpenMP/BLAS, OpenCV) instead of all of them competing
    for every core. A lexicon that cannot be loaded is not an error here: each
    page task then reports it, and the runner stops the batch on the first
    such page.
    """
    if config in _prepared_configs:
        return
    _prepared_configs.add(config)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(threads))
    try:
        import cv2

        cv2.setNumThreads(threads)
    except ImportError:
        pass
    if config.correct.enabled:
        from ocrfix.lexicon.shared import get_lexicon

        try:
            get_lexicon(config.correct)
        except Exception:  # reported by the page task, with its exit code
            pass


def run_page(page_function: PageFunction, task: PageTask, config: Config, staging_dir: Path) -> PageOutcome:
    """What a worker runs for one page (any executor)."""
    prepare_worker(config)
    return page_function(task, config, staging_dir)


def _init_local_worker(config: Config, threads: int) -> None:
    # Ctrl-C reaches the whole process group: only the parent decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent stops a running page with SIGTERM: unwinding (instead of dying)
    # lets subprocess.run kill Tesseract and temporary files be removed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    _watch_parent(os.getppid())
    prepare_worker(config, threads)


def _watch_parent(parent_pid: int) -> None:
    """End this worker when the batch process is gone (SIGKILL gives it no chance to say so).

    Without this, a worker of a killed batch waits for work forever. The
    worker is first asked to unwind (SIGTERM, which also stops Tesseract),
    then ended outright.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1.0)  # unwinding kills Tesseract at once; a worker that was idle is still waiting
        os._exit(1)

    threading.Thread(target=watch, name="ocrfix-parent-watch", daemon=True).start()


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class WorkerLost(Exception):
    """The process running a page died (crash, out of memory, killed)."""


class PageExecutor(Protocol):
    isolates_crashes: bool
    jobs: int  # pages that can run at once

    def submit(self, page_function: PageFunction, task: PageTask, config: Config, staging_dir: Path) -> Any: ...

    def wait_any(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        """The futures among ``futures`` that are done, waiting up to ``timeout`` for one."""
        ...

    def outcome(self, future: Any) -> PageOutcome:
        """The page outcome of a done future; raises WorkerLost if its worker died."""
        ...

    def restart(self) -> None:
        """Make the executor usable again after a WorkerLost."""
        ...

    def close(self, *, stop_running: bool) -> None: ...


class LocalExecutor:
    """A process pool on this machine: ``jobs`` worker processes, started fresh (spawn)."""

    # A crashed worker takes the whole pool down with it, so the runner reruns
    # the pages that were in flight one at a time to find the culprit.
    isolates_crashes = False

    def __init__(self, jobs: int, config: Config) -> None:
        self.jobs = jobs
        self.config = config
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: workers hold no copy of the parent's lock or threads.
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_local_worker,
            initargs=(self.config, max(1, available_cores() // self.jobs)),
        )

    def submit(self, page_function: PageFunction, task: PageTask, config: Config, staging_dir: Path) -> Any:
        try:
            return self._pool.submit(run_page, page_function, task, config, staging_dir)
        except BrokenProcessPool as exc:
            raise WorkerLost("the process pool is broken") from exc

    def wait_any(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        done, _ = wait_futures(list(futures), timeout=timeout, return_when=FIRST_COMPLETED)
        return set(done)

    def outcome(self, future: Any) -> PageOutcome:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise WorkerLost("the worker process died while processing this page (crash or out of memory)") from exc

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self, *, stop_running: bool) -> None:
        if not stop_running:
            self._pool.shutdown(wait=True)
            return
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: the worker unwinds and kills its Tesseract
        deadline = time.monotonic() + 5.0
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)


class DaskExecutor:
    """A Dask distributed cluster: the one at ``scheduler``, or a LocalCluster of ``jobs`` workers.

    Every worker must have ocrfix installed and see the same input and output
    folders (a shared file system) as this process.
    """

    isolates_crashes = True  # Dask retries a page whose worker died, then gives up on that page only

    def __init__(self, jobs: int, config: Config, scheduler: str | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError(
                "the Dask executor needs dask and distributed",
                hint="pip install 'ocrfix[dask]'",
            ) from exc
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler, set_as_default=True)
        else:
            self._cluster = LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,  # logging.ERROR
                env={"OMP_THREAD_LIMIT": "1"},
            )
            self._client = Client(self._cluster, set_as_default=True)
        self.jobs = max(1, sum(self._client.nthreads().values())) if scheduler else jobs
        self._submitted: set[Any] = set()

    def submit(self, page_function: PageFunction, task: PageTask, config: Config, staging_dir: Path) -> Any:
        future = self._client.submit(run_page, page_function, task, config, staging_dir, pure=False)
        self._submitted.add(future)
        return future

    def wait_any(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        from distributed import wait

        pending = list(futures)
        try:
            done, _ = wait(pending, timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return set(done)

    def outcome(self, future: Any) -> PageOutcome:
        from distributed import KilledWorker

        self._submitted.discard(future)
        try:
            return future.result()
        except KilledWorker as exc:
            raise WorkerLost(f"Dask workers died while processing this page: {exc}") from exc

    def restart(self) -> None:
        pass  # Dask replaces dead workers itself

    def close(self, *, stop_running: bool) -> None:
        try:
            if stop_running and self._submitted:
                self._client.cancel(list(self._submitted), force=True)
            self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def available_cores() -> int:
    """CPU cores this process may use (the default number of parallel pages)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def make_executor(kind: str, jobs: int, config: Config, scheduler: str | None) -> PageExecutor:
    if kind == "local":
        return LocalExecutor(jobs, config)
    if kind == "dask":
        return DaskExecutor(jobs, config, scheduler)
    raise ValueError(f"unknown executor {kind!r} (local or dask)")
