"""Names of the files a batch writes: one place, for every module that reads or writes them.

``OUTDIR/`` holds ``SUMMARY`` and ``INDEX_HTML``; each ``OUTDIR/<page id>/``
holds the per-page files below, ``DONE`` once the page is complete, and
``DECISIONS`` once a reviewer has decided something.
"""

SUMMARY = "summary.json"
INDEX_HTML = "index.html"
COLLECTION_LEXICON = "collection-lexicon.json"  # the words the batch keeps using (see batch/collection.py)

# What `ocrfix regenerate` writes beside the pages' <page id>.txt, ... in CLEANDIR.
CLEAN_COLLECTION_TEXT = "collection.txt"
CLEAN_COLLECTION_JSON = "collection.json"

# The batch's own files in OUTDIR (hidden ones, starting with '.', are never page ids),
# and the page ids that would collide with them, here or in CLEANDIR (a page "collection"
# would write collection.txt). Discovery never gives a page one of these ids (compared
# without case, for case-insensitive file systems); review and regenerate skip them.
BATCH_FILES = (SUMMARY, INDEX_HTML, COLLECTION_LEXICON)
RESERVED_PAGE_IDS = frozenset(
    name.lower() for name in (*BATCH_FILES, CLEAN_COLLECTION_TEXT.removesuffix(".txt"))
)


def is_reserved_page_id(page_id: str) -> bool:
    return page_id.lower() in RESERVED_PAGE_IDS


RAW_TEXT = "raw.txt"
CORRECTED_TEXT = "corrected.txt"
CORRECTIONS = "corrections.json"
PAGE_JSON = "page.json"  # the corrected Page model: words with boxes and original readings
PAGE_IMAGE = "page.png"  # the preprocessed image the boxes refer to
DIFF_HTML = "diff.html"
DIFF_JSON = "diff.json"
DONE = "_done.json"
DECISIONS = "decisions.json"
