"""A batch's per-document texts: ``OUTDIR/documents/<document>.txt``, the corrected text of each input
document (a file with several pages, or a folder of page images), pages in the batch's order and separated
by a form feed, with ``documents.json`` saying which page went where (see :mod:`ocrfix.export.documents`).

Only the texts: a batch's folder has no per-page ALTO or PAGE XML for a document's XML to point at
(``ocrfix regenerate`` writes those, per page and per document).
"""

from __future__ import annotations

from pathlib import Path

from ocrfix.batch.summary import BatchSummary
from ocrfix.export.documents import FOLDER, DocumentPage, group_documents, write_documents
from ocrfix.fileio import read_text
from ocrfix.outputs import CORRECTED_TEXT


def write_batch_documents(out_dir: Path, summary: BatchSummary) -> str | None:
    """Write the documents of the batch's finished pages; returns a line for the log when none could be."""
    if any(record.page_id == FOLDER for record in summary.pages):
        return f"no {FOLDER}/ folder: a page of the batch is called {FOLDER!r}"
    pages = []
    for record in summary.pages:
        text_path = Path(out_dir) / record.page_id / CORRECTED_TEXT
        if record.finished and text_path.is_file():
            pages.append(DocumentPage(record.page_id, read_text(text_path), record.image_path, record.page_index + 1))
    if pages:
        write_documents(Path(out_dir), group_documents(pages), text_only=True)
    return None
