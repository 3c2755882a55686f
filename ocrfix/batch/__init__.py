"""Batch processing of archive collections: parallel, resumable, nothing lost.

Contract with the page task (:func:`ocrfix.pipeline.process_page`):

- ``process_page(task, config, page_dir)`` is a pure, picklable module-level
  function; it writes all of one page's files into ``page_dir`` (which it
  creates) and returns a :class:`~ocrfix.pipeline.PageOutcome`, never raising
  for a bad page.
- The batch passes a fresh staging folder ``OUT/.staging/<page_id>.<random>``
  as ``page_dir``, adds ``_done.json`` (the page key: hashes of the image and
  transcriptions, page index, ``Config.fingerprint()``, versions; and the
  deterministic result fields) and renames the folder to ``OUT/<page_id>``.
  A page is finished iff ``OUT/<page_id>/_done.json`` exists and its key matches.
- So that outputs are byte-identical whatever the executor and the run, the
  page task must not write timings or ``page_dir``'s path into its files
  (``PageOutcome.seconds`` is fine: it goes to ``summary.json``'s ``timing``).

Modules: :mod:`.discover` (inputs to page tasks), :mod:`.store` (keys,
atomic commits, the output-folder lock), :mod:`.executors` (local process
pool, Dask), :mod:`.runner` (the loop), :mod:`.summary`, :mod:`.progress`.
"""

from ocrfix.batch.discover import discover_pages
from ocrfix.batch.runner import run_batch
from ocrfix.batch.summary import BatchSummary, PageRecord

__all__ = ["BatchSummary", "PageRecord", "discover_pages", "run_batch"]
