"""What Tesseract said of each word of a corpus page, kept beside its text in a small TSV.

The post-correction corpus (``scans/correct/``, made by ``make_correct_corpus.py``) keeps
each page's OCR as ``<name>.ocr.txt``; ``ocrfix run`` corrects the page model, whose
words carry Tesseract's confidence (0..100) and its per-character alternatives. So the
benchmark corrects what the pipeline corrects, ``<name>.conf.tsv`` keeps those from the
same Tesseract run, one row per line of the text (its 1-based number in ``.ocr.txt``):

- ``confidences``: the line's words' confidences, space-separated, in the words' order
  (cut to two decimals, never rounded up, so no word crosses a threshold);
- ``alternatives``: only what the corrector reads of them (``correct/page.py``): for each
  character where Tesseract offered another reading at ``ALTERNATIVE_MIN_PROBABILITY``
  or more, the readings at that probability or more, as JSON
  ``{word index: {character index: [[reading, probability], ...]}}``; empty when none.

:func:`page_of` rebuilds the :class:`~ocrfix.model.Page` (blocks split at blank lines,
words at spaces, ids in reading order; no boxes); a character without a kept
alternative is rebuilt as the printed letter alone.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ocrfix.correct.page import ALTERNATIVE_MIN_PROBABILITY
from ocrfix.model import Block, CharChoice, Line, Page, Word, with_ids

SUFFIX = ".conf.tsv"
HEADER = ("# Tesseract's word confidences and character alternatives of <name>.ocr.txt, from the run that read it\n"
          "# (scripts/make_correct_corpus.py; format: scripts/corpus_pages.py)\n"
          "line\tconfidences\talternatives\n")


def _kept(word: Word) -> dict[str, list[list]]:
    if len(word.alternatives) != len(word.text):
        return {}
    kept = {}
    for i, (ch, choice) in enumerate(zip(word.text, word.alternatives)):
        readings = [[c, round(p, 3)] for c, p in choice.choices if p >= ALTERNATIVE_MIN_PROBABILITY]
        if any(c != ch for c, _ in readings):
            kept[str(i)] = readings
    return kept


def to_tsv(page: Page) -> str:
    """The confidences file of a recognised page (its text is ``page.text``)."""
    rows = [HEADER.rstrip("\n")]
    number = 0
    for b, block in enumerate(page.blocks):
        number += 1 if b else 0  # the blank line between blocks
        for line in block.lines:
            number += 1
            if not line.words:
                raise ValueError(f"line {number} has no words: the text alone cannot place it")
            confidences = " ".join(f"{math.floor((w.confidence or 0.0) * 100) / 100:.2f}" for w in line.words)
            alternatives = {str(k): kept for k, w in enumerate(line.words) if (kept := _kept(w))}
            cells = json.dumps(alternatives, ensure_ascii=False, separators=(",", ":")) if alternatives else ""
            rows.append(f"{number}\t{confidences}\t{cells}")
    return "\n".join(rows) + "\n"


def page_of(text: str, tsv: str) -> Page:
    """The page model of an OCR text and its confidences file (see the module's docstring)."""
    rows = {}
    for row in tsv.splitlines():
        if not row or row.startswith("#") or row.startswith("line\t"):
            continue
        number, confidences, alternatives = (row.split("\t") + [""])[:3]
        rows[int(number)] = ([float(c) for c in confidences.split()], json.loads(alternatives) if alternatives else {})
    blocks, lines = [], []
    numbered = list(enumerate(text.rstrip("\n").split("\n"), 1))
    for number, line_text in numbered + [(len(numbered) + 1, "")]:
        if not line_text:
            if lines:
                blocks.append(Block(tuple(lines)))
                lines = []
            continue
        confidences, alternatives = rows.pop(number, ([], {}))
        texts = line_text.split(" ")
        if len(confidences) != len(texts):
            raise ValueError(f"line {number}: {len(texts)} words but {len(confidences)} confidences")
        words = []
        for k, (word, confidence) in enumerate(zip(texts, confidences)):
            kept = alternatives.get(str(k), {})
            choices = tuple(CharChoice(tuple((c, float(p)) for c, p in kept[str(i)])) if str(i) in kept
                            else CharChoice(((ch, 1.0),)) for i, ch in enumerate(word)) if kept else ()
            words.append(Word(word, confidence=confidence, alternatives=choices))
        lines.append(Line(tuple(words)))
    if rows:
        raise ValueError(f"confidences for lines the text does not have: {sorted(rows)[:3]}")
    return with_ids(Page(tuple(blocks)))


def load_page(ocr_path: Path, text: str | None = None) -> Page | None:
    """The page model of ``<name>.ocr.txt`` from its confidences file (None when there is none);
    ``text``: the ``.ocr.txt``'s content when the caller has read it already."""
    conf = ocr_path.with_name(ocr_path.name[: -len(".ocr.txt")] + SUFFIX)
    if not conf.exists():
        return None
    return page_of(ocr_path.read_text("utf-8") if text is None else text, conf.read_text("utf-8"))
