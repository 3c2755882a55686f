"""Batch processing of archive collections: parallel, resumable, nothing lost.

A batch runs two page tasks, in two passes over one executor:

1. :func:`ocrfix.pipeline.recognize_page` preprocesses and OCRs each page that
   is not in the recognition cache (``OUT/.ocr-cache/<recognition key>``, see
   :mod:`.cache`) into a staging folder, which the parent moves into the cache.
2. The parent counts the batch's collection lexicon once over every recognised
   page's text, in page-id order, and writes ``OUT/collection-lexicon.json``
   (:mod:`.collection`); an unchanged batch reuses it without reading a page.
3. :func:`ocrfix.pipeline.process_page` corrects and reports each page that
   is not finished, with ``task.recognition_dir`` (its cache entry) and
   ``task.collection_path``/``collection_sha256`` set.

Contract with the page tasks:

- ``function(task, config, page_dir)`` is a pure, picklable module-level
  function; it writes all of one page's files into ``page_dir`` (which it
  creates) and returns a :class:`~ocrfix.pipeline.PageOutcome`, never raising
  for a bad page. The recognition task writes at least ``raw.txt`` (the text
  the collection is counted over).
- The batch passes a fresh staging folder ``OUT/.staging/<page_id>.<random>``
  as ``page_dir``, adds ``_done.json`` (the page key: hashes of the image and
  transcriptions, page index, ``Config.fingerprint()``, versions, the
  collection lexicon's hash; and the deterministic result fields) and renames
  the folder to ``OUT/<page_id>``. A page is finished iff
  ``OUT/<page_id>/_done.json`` exists and its key matches. Cache entries are
  committed the same way, with ``_recognized.json``.
- So that outputs are byte-identical whatever the executor and the run, the
  page tasks must not write timings or ``page_dir``'s path into their files
  (``PageOutcome.seconds`` is fine: it goes to ``summary.json``'s ``timing``).

Modules: :mod:`.discover` (inputs to page tasks), :mod:`.store` (keys,
atomic commits, the output-folder lock), :mod:`.cache` (recognitions),
:mod:`.collection` (the batch's collection lexicon), :mod:`.executors` (local
process pool, Dask), :mod:`.runner` (the passes), :mod:`.summary`, :mod:`.progress`.
"""

from ocrfix.batch.discover import discover_pages
from ocrfix.batch.runner import run_batch
from ocrfix.batch.summary import BatchSummary, PageRecord

__all__ = ["BatchSummary", "PageRecord", "discover_pages", "run_batch"]
