"""Cleaned transcriptions from a reviewed batch: ``ocrfix regenerate OUTDIR -o CLEANDIR``.

Every decided item takes the reading the reviewer chose. What happens to the
corrections nobody decided on depends on whether the page was reviewed:

* on a reviewed page (every item decided, or marked reviewed), an undecided
  correction keeps ocrfix's reading: the reviewer saw it and let it stand;
* on a page not reviewed, the policy decides:
  ``all`` (the default) keeps them all: the output is ocrfix's corrected text
  with the reviewers' decisions where they exist; ``confident`` keeps those
  whose confidence is at least ``min_confidence`` and undoes the rest;
  ``reviewed`` undoes every undecided correction (only changes a person
  accepted reach the output, and an unreviewed page is written as the raw OCR).

The default is ``all`` because the corrector's changes are what ``ocrfix run``
wrote to ``corrected.txt`` (it keeps a correct word as it is, see the
benchmarks), and its confidences are not calibrated yet: a threshold on them
would drop good corrections as readily as bad ones. Whatever the policy, the
console and the provenance files say how many corrections of unreviewed pages
were left out, and why.

A disagreement with the published transcription changes the text only when
the reviewer took the published reading (or typed one).
A choice between the scan and the published transcription (a reconciled
page's ``choice`` items) left undecided counts as a correction when ocrfix took
a reading other than the scan's (the policy decides), and keeps the scan's
reading when ocrfix did.

For each page CLEANDIR gets ``<page>.txt``, ``<page>.alto.xml``,
``<page>.page.xml``, ``<page>.hocr`` (written by :mod:`ocrfix.ocr`'s writers,
the words in their boxes, the regeneration recorded as a processing step) and
``<page>.provenance.json``; the collection gets ``collection.txt`` (every page
in the batch's reading order, pages separated by a form feed) and
``collection.json`` (what made it, page by page); each input document gets its
text, ALTO, METS and (``pdf``) searchable PDF in ``documents/`` (see
:mod:`ocrfix.export.documents`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ocrfix.correct.confidence import CONFIDENT
from ocrfix.errors import BadInputError, write_error
from ocrfix.export.documents import FOLDER as DOCUMENTS_FOLDER
from ocrfix.export.documents import INDEX as DOCUMENTS_INDEX
from ocrfix.export.documents import DocumentPage, group_documents, write_documents
from ocrfix.fileio import atomic_write_json, atomic_write_text
from ocrfix.model import Page, Step
from ocrfix.outputs import CLEAN_COLLECTION_JSON, CLEAN_COLLECTION_TEXT
from ocrfix.review.apply import apply_readings
from ocrfix.review.batch import PageReview, list_pages, load_page_review, read_summary
from ocrfix.review.decisions import ACCEPT, EDIT, PUBLISHED, REJECT, state_of

POLICIES = ("reviewed", "confident", "all")
HYPHENATION = ("keep", "join")
DEFAULT_MIN_CONFIDENCE = CONFIDENT
STEP_NAME = "review-corrections"
COLLECTION_TEXT = CLEAN_COLLECTION_TEXT
COLLECTION_JSON = CLEAN_COLLECTION_JSON
PAGE_SEPARATOR = "\f\n"  # form feed: the plain-text page break

# A word broken at the end of a line: letters, then a hyphen (or soft hyphen / not sign).
_BROKEN_WORD = re.compile(r"(\w+)[-\u00ad\u00ac]$")
_CONTINUATION = re.compile(r"^([^\W\d_][\w]*)(.*)$")


@dataclass(frozen=True)
class PageRegenerated:
    page_id: str
    reviewed: bool
    accepted: int = 0  # ocrfix's reading kept
    rejected: int = 0  # ocrfix's change undone
    published: int = 0  # the published reading taken
    typed: int = 0
    undecided_kept: int = 0  # undecided corrections whose change stays
    undecided_undone: int = 0  # undecided corrections put back to the OCR reading
    undecided_disagreements: int = 0
    stale_decisions: int = 0  # made on an earlier run of the page; not applied
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegenerateSummary:
    out_dir: str
    clean_dir: str
    policy: str
    hyphenation: str
    min_confidence: float
    pages: tuple[PageRegenerated, ...] = ()
    skipped: tuple[str, ...] = ()  # pages of the batch with no result to regenerate
    files: tuple[str, ...] = field(default_factory=tuple)
    without_pdf: tuple[str, ...] = ()  # documents whose searchable PDF was asked for but could not be made, and why

    @property
    def accepted(self) -> int:
        return sum(p.accepted for p in self.pages)

    @property
    def rejected(self) -> int:
        return sum(p.rejected for p in self.pages)

    @property
    def typed(self) -> int:
        return sum(p.typed for p in self.pages)

    @property
    def published(self) -> int:
        return sum(p.published for p in self.pages)

    @property
    def left_out(self) -> int:
        """Undecided corrections of unreviewed pages the policy put back to the OCR reading."""
        return sum(p.undecided_undone for p in self.pages)

    @property
    def unreviewed_pages(self) -> int:
        return sum(not p.reviewed for p in self.pages)

    def left_out_reason(self) -> str:
        """Why corrections of unreviewed pages were left out (empty when none were)."""
        return left_out_reason(self.policy, self.min_confidence) if self.left_out else ""

    @property
    def reviewed_pages(self) -> int:
        return sum(p.reviewed for p in self.pages)


def regenerate(
    out_dir: Path,
    clean_dir: Path,
    *,
    policy: str = "all",
    hyphenation: str = "keep",
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    pdf: bool = False,
) -> RegenerateSummary:
    """Write the cleaned transcription of every finished page of ``out_dir`` into ``clean_dir``."""
    from ocrfix import __version__

    if policy not in POLICIES:
        raise BadInputError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    if hyphenation not in HYPHENATION:
        raise BadInputError(f"unknown hyphenation {hyphenation!r}; choose one of {', '.join(HYPHENATION)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise BadInputError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    out_dir, clean_dir = Path(out_dir), Path(clean_dir)
    pages = list_pages(out_dir)
    check_clean_dir(out_dir, clean_dir)
    listed = {p.page_id for p in pages}
    skipped = tuple(
        str(r.get("page_id", "")) for r in read_summary(out_dir)["pages"] if str(r.get("page_id", "")) not in listed
    )
    settings = {"policy": policy, "hyphenation": hyphenation, "min_confidence": min_confidence}
    # Every page is read and checked (page.json, corrections, decisions) before anything is
    # written: a bad file anywhere stops regenerate with CLEANDIR untouched.
    prepared = []
    for batch_page in pages:
        review = load_page_review(batch_page)
        page, counts = clean_page(review, policy=policy, min_confidence=min_confidence)
        step = Step(
            STEP_NAME,
            __version__,
            {**settings, "reviewed": counts.reviewed, **_count_settings(counts), "source": str(batch_page.page_dir)},
        )
        page = page.with_step(step)
        text = join_hyphenation(page.text) if hyphenation == "join" else page.text
        prepared.append((batch_page, page, text, counts, step))
    with _staged(clean_dir) as staging:
        results: list[PageRegenerated] = []
        texts: list[str] = []
        document_pages: list[DocumentPage] = []
        for batch_page, page, text, counts, step in prepared:
            files = _write_page(staging, batch_page.page_id, page, text, counts, step)
            results.append(_with_files(counts, files))
            texts.append(text)
            document_pages.append(DocumentPage.of(batch_page.page_id, page, text))
        atomic_write_text(staging / COLLECTION_TEXT, PAGE_SEPARATOR.join(texts))
        documents = write_documents(staging, group_documents(document_pages), pdf=pdf)
        summary = RegenerateSummary(
            out_dir=str(out_dir),
            clean_dir=str(clean_dir),
            policy=policy,
            hyphenation=hyphenation,
            min_confidence=min_confidence,
            pages=tuple(results),
            skipped=skipped,
            files=(COLLECTION_TEXT, COLLECTION_JSON, *documents.files),
            without_pdf=documents.without_pdf,
        )
        atomic_write_json(staging / COLLECTION_JSON, _collection_record(summary, __version__))
    return summary


def check_clean_dir(out_dir: Path, clean_dir: Path) -> None:
    """Refuse a CLEANDIR that is the batch folder or inside it (a page folder, say): the
    cleaned files would mix with the batch's own and be taken for them."""
    batch, clean = out_dir.resolve(), clean_dir.resolve()
    if clean == batch or clean.is_relative_to(batch):
        raise BadInputError(
            f"the cleaned transcriptions need a folder of their own, not {clean_dir}, which is "
            + ("the batch folder" if clean == batch else f"inside the batch folder {out_dir}"),
            hint="give -o a folder outside the batch",
        )


STAGING_PREFIX = ".ocrfix-staging-"


@contextmanager
def _staged(clean_dir: Path) -> Iterator[Path]:
    """A fresh folder inside ``clean_dir`` to write into; when the block ends without an
    error, each file is moved into place (``collection.json`` last, so a complete
    ``collection.json`` says every file beside it is from the same run). The staging
    folder is removed either way; nothing else in ``clean_dir`` is touched."""
    import secrets
    import shutil

    try:
        clean_dir.mkdir(parents=True, exist_ok=True)
        for leftover in clean_dir.glob(f"{STAGING_PREFIX}*"):  # of a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        staging = clean_dir / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        staging.mkdir()
    except OSError as exc:
        typed = write_error(exc, clean_dir)
        if typed is None:
            raise
        raise typed from exc
    try:
        yield staging
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        files.sort(key=lambda p: p.relative_to(staging) == Path(COLLECTION_JSON))
        for path in files:
            target = clean_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def clean_page(review: PageReview, *, policy: str, min_confidence: float) -> tuple[Page, PageRegenerated]:
    """The page with every item's chosen reading, and the counts of what was done."""
    readings: dict[tuple[int, int], str] = {}
    counts = {"accepted": 0, "rejected": 0, "published": 0, "typed": 0, "kept": 0, "undone": 0, "disagreements": 0}
    reviewed = review.reviewed
    for item in review.items:
        decision = review.decisions.decisions.get(item.item_id)
        if decision is not None:
            state = state_of(decision, item)
            counts[{ACCEPT: "accepted", REJECT: "rejected", PUBLISHED: "published", EDIT: "typed"}[state]] += 1
            readings[(item.first, item.last)] = decision.text
            continue
        if item.current_text == item.ocr_text:  # ocrfix kept the scan's reading (a disagreement, or a choice for the scan)
            counts["disagreements"] += 1
            continue
        # a change of ocrfix's (a correction, or a choice for the published reading): the policy decides
        if reviewed or policy == "all" or (
            policy == "confident" and item.confidence is not None and item.confidence >= min_confidence
        ):
            counts["kept"] += 1
        else:
            counts["undone"] += 1
            readings[(item.first, item.last)] = item.ocr_text
    page = apply_readings(review.layout.page, readings)
    return page, PageRegenerated(
        page_id=review.page_id,
        reviewed=reviewed,
        accepted=counts["accepted"],
        rejected=counts["rejected"],
        published=counts["published"],
        typed=counts["typed"],
        undecided_kept=counts["kept"],
        undecided_undone=counts["undone"],
        undecided_disagreements=counts["disagreements"],
        stale_decisions=len(review.stale),
    )


def left_out_reason(policy: str, min_confidence: float) -> str:
    """Why a policy leaves undecided corrections of unreviewed pages out of the output."""
    if policy == "reviewed":
        return "policy 'reviewed': only changes a person decided on reach the output of a page not reviewed"
    if policy == "confident":
        return f"policy 'confident': corrections below confidence {min_confidence} on pages not reviewed"
    return ""


def join_hyphenation(text: str) -> str:
    """Join words broken across lines (``сооб-`` / ``щение``) onto the first line.

    Only within a block (a blank line is never crossed), and only when the
    next line starts with a lower-case letter, so dashes and hyphenated
    compounds before a capital (``Северо-`` / ``Западный``) stay as they are.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines) and lines[i + 1].strip():
            broken = _BROKEN_WORD.search(line)
            follow = _CONTINUATION.match(lines[i + 1].lstrip())
            if not broken or not follow or not follow.group(1)[0].islower():
                break
            line = line[: broken.end(1)] + follow.group(1)
            rest = follow.group(2).lstrip()
            if rest:
                lines[i + 1] = rest
                break
            i += 1  # the next line was a single word: keep joining onto this line
        out.append(line)
        i += 1
    return "\n".join(out)


def _count_settings(counts: PageRegenerated) -> dict[str, int]:
    return {
        "accepted": counts.accepted,
        "rejected": counts.rejected,
        "published": counts.published,
        "typed": counts.typed,
        "undecided_kept": counts.undecided_kept,
        "undecided_undone": counts.undecided_undone,
        "undecided_disagreements": counts.undecided_disagreements,
        "stale_decisions": counts.stale_decisions,
    }


def _write_page(clean_dir: Path, page_id: str, page: Page, text: str, counts: PageRegenerated, step: Step) -> tuple[str, ...]:
    from ocrfix import ocr

    files = {
        f"{page_id}.txt": text,
        f"{page_id}.alto.xml": ocr.to_alto(page),
        f"{page_id}.page.xml": ocr.to_page_xml(page),
        f"{page_id}.hocr": ocr.to_hocr(page),
    }
    for name, content in files.items():
        atomic_write_text(clean_dir / name, content)
    provenance = f"{page_id}.provenance.json"
    atomic_write_json(
        clean_dir / provenance,
        {
            "page_id": page_id,
            "written_by": f"ocrfix {step.version}",
            "reviewed": counts.reviewed,
            "settings": {k: step.settings[k] for k in ("policy", "hyphenation", "min_confidence")},
            "counts": _count_settings(counts),
            "left_out": {
                "corrections": counts.undecided_undone,
                "why": left_out_reason(step.settings["policy"], step.settings["min_confidence"])
                if counts.undecided_undone
                else "",
            },
            "steps": [{"name": s.name, "version": s.version, "settings": s.settings} for s in page.steps],
            "files": sorted(files),
        },
    )
    return (*files, provenance)


def _with_files(counts: PageRegenerated, files: tuple[str, ...]) -> PageRegenerated:
    from dataclasses import replace

    return replace(counts, files=files)


def _collection_record(summary: RegenerateSummary, version: str) -> dict:
    return {
        "format": "ocrfix-clean-collection",
        "format_version": 1,
        "written_by": f"ocrfix {version}",
        "source_batch": summary.out_dir,
        "settings": {
            "policy": summary.policy,
            "hyphenation": summary.hyphenation,
            "min_confidence": summary.min_confidence,
        },
        "totals": {
            "pages": len(summary.pages),
            "pages_reviewed": summary.reviewed_pages,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "published": summary.published,
            "typed": summary.typed,
            "skipped": len(summary.skipped),
        },
        "left_out": {
            "corrections": summary.left_out,
            "pages_not_reviewed": summary.unreviewed_pages,
            "why": summary.left_out_reason(),
        },
        "reading_order": [p.page_id for p in summary.pages],
        "text": COLLECTION_TEXT,
        "documents": f"{DOCUMENTS_FOLDER}/{DOCUMENTS_INDEX}",
        "pages": [{**asdict(p), "files": list(p.files)} for p in summary.pages],
        "skipped": list(summary.skipped),
    }
