"""Review reports: per-page ``diff.html``/``diff.json``, the batch ``index.html``, unified diffs."""

from ocrfix.report.index import IndexRow, index_row_from_page_dir, write_index
from ocrfix.report.page import DIFF_HTML, DIFF_JSON, FORMAT_NAME, FORMAT_VERSION, write_diff_files, write_page_report
from ocrfix.report.unified import unified_diff

__all__ = [
    "DIFF_HTML",
    "DIFF_JSON",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "IndexRow",
    "index_row_from_page_dir",
    "unified_diff",
    "write_diff_files",
    "write_index",
    "write_page_report",
]
