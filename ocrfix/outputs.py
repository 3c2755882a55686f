"""Names of the files a batch writes: one place, for every module that reads or writes them.

``OUTDIR/`` holds ``SUMMARY`` and ``INDEX_HTML``; each ``OUTDIR/<page id>/``
holds the per-page files below, ``DONE`` once the page is complete, and
``DECISIONS`` once a reviewer has decided something.
"""

SUMMARY = "summary.json"
INDEX_HTML = "index.html"

RAW_TEXT = "raw.txt"
CORRECTED_TEXT = "corrected.txt"
CORRECTIONS = "corrections.json"
PAGE_JSON = "page.json"  # the corrected Page model: words with boxes and original readings
PAGE_IMAGE = "page.png"  # the preprocessed image the boxes refer to
DIFF_HTML = "diff.html"
DIFF_JSON = "diff.json"
DONE = "_done.json"
DECISIONS = "decisions.json"
