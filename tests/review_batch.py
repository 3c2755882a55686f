"""Build a small finished batch with ocrfix's own writers, for review tests.

A page is given as lines of tokens; ``OCR>FIXED`` is a word the corrector
changed (OCR read ``OCR``, the corrector wrote ``FIXED``). Word boxes are
laid out on a grid, the image is a rendered page of the same size, and every
file is written by the stage that writes it in a real run: ``page.json`` by
:func:`ocrfix.ocr.to_json`, corrections by :meth:`Correction.to_dict`, the
diff by :func:`ocrfix.report.write_page_report`, the summary by
:func:`ocrfix.batch.summary.write_summary`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ocrfix.fileio import atomic_write_json, atomic_write_text
from ocrfix.memory import split_core
from ocrfix.model import BBox, Block, Correction, Line, Page, Word

# A small reviewed page used by the memory and regenerate tests: "OCR>corrected" words,
# and the published transcription, which disagrees in one place (полк).
LINES = [
    "Выписки посланы: т.т. Литвнову,>Литвинову,",
    "Ворошнлову,>Ворошилову, Ежову, Берзнну.>Берзину.",
    "Сосредоточить на граниие>границе полки РККА.",
]
PUBLISHED = "Выписки посланы: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\nСосредоточить на границе полк РККА.\n"

CHAR_WIDTH = 20
LINE_HEIGHT = 50
MARGIN = 40


def page_from_spec(lines: list[str], cost: float = 0.3) -> tuple[Page, tuple[Correction, ...]]:
    """A corrected page and its corrections from lines of ``word`` / ``ocr>fixed`` tokens."""
    built_lines = []
    corrections = []
    raw_offset = 0
    width = 0
    for number, spec in enumerate(lines):
        words = []
        x = MARGIN
        top = MARGIN + number * LINE_HEIGHT
        for position, token in enumerate(spec.split()):
            if position:
                raw_offset += 1
                x += CHAR_WIDTH
            ocr, _, fixed = token.partition(">")
            text = fixed or ocr
            box = BBox(x, top, x + CHAR_WIDTH * max(len(ocr), len(text)), top + LINE_HEIGHT - 14)
            words.append(Word(text, box, 88.0, original=ocr if fixed else None))
            if fixed:  # the corrector works on the letters, without the punctuation around them
                lead, core, _ = split_core(ocr)
                fixed_core = split_core(fixed)[1]
                start = raw_offset + len(lead)
                corrections.append(
                    Correction(
                        core, fixed_core, start, start + len(core), number, cost, "lexicon: test",
                        ((fixed_core, cost), (core, cost + 1.0)),
                    )
                )
            raw_offset += len(ocr)
            x = box.right
        raw_offset += 1  # the newline
        width = max(width, x + MARGIN)
        built_lines.append(Line(tuple(words)))
    height = MARGIN * 2 + LINE_HEIGHT * len(lines)
    return Page((Block(tuple(built_lines)),), width=width, height=height, source="test.png"), tuple(corrections)


def write_page(out_dir: Path, page_id: str, page: Page, corrections, published: str | None) -> Path:
    from PIL import Image, ImageDraw

    from ocrfix import ocr
    from ocrfix.report import write_page_report
    from ocrfix.review.layout import ocr_reading

    page_dir = Path(out_dir) / page_id
    page_dir.mkdir(parents=True, exist_ok=True)
    image = Image.new("L", (page.width, page.height), 255)
    draw = ImageDraw.Draw(image)
    for word in page.words:
        draw.rectangle(word.bbox.as_list(), outline=0)
        draw.text((word.bbox.left + 2, word.bbox.top + 2), ocr_reading(word), fill=0)
    image.save(page_dir / "page.png")
    raw_page = _raw_page(page)
    raw, corrected = ocr.to_text(raw_page), ocr.to_text(page)
    atomic_write_text(page_dir / "raw.txt", raw)
    atomic_write_text(page_dir / "corrected.txt", corrected)
    atomic_write_json(page_dir / "corrections.json", [c.to_dict() for c in corrections])
    atomic_write_json(page_dir / "page.json", ocr.to_json(page))
    write_page_report(
        page_dir, reference=published, raw=raw, corrected=corrected, corrections=corrections, page=page
    )
    return page_dir


def _raw_page(page: Page) -> Page:
    from dataclasses import replace

    return replace(
        page,
        blocks=tuple(
            replace(b, lines=tuple(replace(li, words=tuple(
                replace(w, text=w.original or w.text, original=None) for w in li.words
            )) for li in b.lines))
            for b in page.blocks
        ),
    )


def write_batch(out_dir: Path, pages: dict[str, tuple[Page, tuple[Correction, ...], str | None]]) -> Path:
    from ocrfix.batch.summary import BatchSummary, PageRecord, write_summary

    records = []
    for index, (page_id, (page, corrections, published)) in enumerate(pages.items()):
        write_page(out_dir, page_id, page, corrections, published)
        records.append(PageRecord(page_id, f"/scans/{page_id}.png", index, "ok", corrections=len(corrections)))
    write_summary(Path(out_dir), BatchSummary(tuple(records), seconds=0.0))
    return Path(out_dir)


def record_decisions(out_dir: Path, choices: dict[str, tuple[str, str | None]], *, mark: bool = False) -> None:
    """Decide the first page's items whose OCR text is a key of ``choices`` ((action, typed text)), as the review app would."""
    from ocrfix.review.batch import list_pages, load_page_review
    from ocrfix.review.decisions import decide, save_decisions

    page = list_pages(out_dir)[0]
    review = load_page_review(page)
    decisions = dict(review.decisions.decisions)
    for item in review.items:
        if item.ocr_text in choices:
            action, text = choices[item.ocr_text]
            decisions[item.item_id] = decide(item, action, item.word_texts(review.layout), text, word_ids=item.word_ids)
    save_decisions(page.page_dir, replace(review.decisions, decisions=decisions, marked_reviewed=mark))
