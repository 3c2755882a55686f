"""A page read more than once, merged line by line: each line of the reading kept, mended from the others on evidence.

A doubtful page is read again from other preparations (:mod:`ocrfix.recognition`),
and one whole reading is kept by the self-check's estimate. Damage on a page is
usually local (a stain, a fold, a blotch over one paragraph), so another
preparation often reads some lines better than the one kept. Each of the kept
reading's lines is therefore paired with the words another reading read at the
same place on the page (:func:`pair_words`: the other reading's boxes mapped
into the kept reading's frame, each word given to the line whose box holds its
centre), and the two are merged word by word as a single text line's two
readings are (:func:`ocrfix.line_merge.merge`): a stretch where they differ is
taken from the other reading only on evidence (fewer garbage tokens; more words
the lexicon knows as written, each with Tesseract's confidence behind it), else
the kept reading's words stay. Kept lines the other reading has no words on stay
as the kept reading has them.

A line the kept reading lost entirely (set to paper by a preprocessing step,
skipped by Tesseract's page analysis) is added from another reading that holds
it (:func:`lost_lines`): a whole line of the other reading lying where the kept
reading has no text, of the page's type size, read as plausibly as a line read
again must be to join a page (:mod:`ocrfix.line_check`), and either confirmed by
a further reading or read surely (no garbage, an estimate of at least
SURE_SCORE). It takes its place in reading order by its box
(:func:`ocrfix.line_check.inserted`) and a new id; the kept lines keep theirs.

The other readings are weighed in the order they were read, each against the
line as mended so far. The result keeps the kept reading's blocks and lines,
with boxes in its frame and fresh ids (:func:`ocrfix.line_merge.rebuilt`, as a
single line's merge); every line weighed records which reading each of its
words came from, and every stretch weighed in the shape a single line's merge
records it (:meth:`ocrfix.line_merge.Stretch.record`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ocrfix import line_check, line_merge
from ocrfix.model import BBox, Block, Line, Page, Word, enclosing, with_ids
from ocrfix.ocr import quality as page_quality


@dataclass(frozen=True)
class Other:
    """Another reading of the page: its name, its page, and the map of its boxes into the kept reading's frame."""

    name: str
    page: Page
    to_kept: Callable[[BBox], BBox] | None = None  # None: the same frame


@dataclass(frozen=True)
class PageMerge:
    page: Page  # the kept reading, with the stretches taken from the others
    lines: tuple[dict[str, Any], ...]  # per line of ``page`` where another reading read other words there: the stretches weighed
    took_other: bool  # whether any word of ``page`` came from another reading
    added: tuple[dict[str, Any], ...] = ()  # lines another reading holds where the kept one has none (:func:`lost_lines`)


def pair_words(line_boxes: Sequence[BBox | None], word_boxes: Sequence[BBox | None]) -> tuple[tuple[int, ...], ...]:
    """For each line box, the indices of the word boxes whose centre it holds (in their order).

    A word whose centre lies in several line boxes (lines read in pieces that overlap) goes to
    the one whose middle is nearest its centre; a word in none, or without a box, to no line."""
    paired: list[list[int]] = [[] for _ in line_boxes]
    for index, box in enumerate(word_boxes):
        if box is None:
            continue
        x, y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
        holding = [
            (abs((line.top + line.bottom) / 2 - y), li)
            for li, line in enumerate(line_boxes)
            if line is not None and line.left <= x <= line.right and line.top <= y <= line.bottom
        ]
        if holding:
            paired[min(holding)[1]].append(index)
    return tuple(tuple(words) for words in paired)


def merge(kept: Page, kept_name: str, others: Sequence[Other], knows: Callable[[str], bool] | None) -> PageMerge:
    """``kept`` with each line mended from ``others`` where :func:`evidence` favours them.

    Each line weighed is recorded as ``{"line": its id, "words_from": [the reading each word came from],
    "stretches": [...]}``, each stretch in :meth:`ocrfix.line_merge.Stretch.record`'s shape, its first
    reading the line as mended so far, named by the kept reading."""
    lines = list(kept.lines)
    words: list[list[tuple[Word, str]]] = [[(w, kept_name) for w in line.words] for line in lines]
    stretches: list[list[dict[str, Any]]] = [[] for _ in lines]
    for other in others:
        moved = [line_merge.moved(w, other.to_kept) for w in other.page.words]
        current_boxes = [enclosing([line.bbox, *(w.bbox for w, _ in words[li])]) for li, line in enumerate(lines)]
        for li, indices in enumerate(pair_words(current_boxes, [w.bbox for w in moved])):
            if not indices or not words[li]:
                continue
            theirs = [moved[i] for i in indices]
            merged = line_merge.merge(_one_line([w for w, _ in words[li]]), _one_line(theirs), knows,
                                      weigh=lambda a, b: evidence(a, b, knows))  # fmt: skip
            stretches[li].extend(s.record(kept_name, other.name) for s in merged.stretches)
            if merged.took_other:
                words[li] = [words[li][i] if source == line_merge.FIRST else (theirs[i], other.name)
                             for source, i in merged.origins]  # fmt: skip
    took_other = any(name != kept_name for line in words for _, name in line)
    page = line_merge.rebuilt(kept, [[w for w, _ in line] for line in words]) if took_other else kept
    record = tuple(
        {"line": line.id, "words_from": [name for _, name in words[li]], "stretches": stretches[li]}
        for li, line in enumerate(page.lines)
        if stretches[li]
    )
    found, added = lost_lines(page, others, knows)
    if found:  # the kept lines keep their ids; an added line takes a new one, as a line read again does
        placed = line_check.inserted(page, found)
        page = with_ids(placed)
        at = [next(i for i, line in enumerate(placed.lines) if line is f) for f in found]
        added = tuple({"line": page.lines[i].id, **a} for i, a in zip(at, added))
    return PageMerge(page, record, took_other or bool(found), added)


def lost_lines(kept: Page, others: Sequence[Other], knows: Callable[[str], bool] | None) -> tuple[list[Line], tuple[dict[str, Any], ...]]:
    """The lines the other readings hold where ``kept`` has no text, each with its record.

    A line of another reading (its words moved into the kept frame) is taken when all hold:
    its box overlaps no line of ``kept`` nor one already taken; it is of the page's type size
    (its height within LINE_HEIGHT of the median kept line's); it passes the test a line read again
    must pass to join a page (:data:`ocrfix.line_check.ACCEPT_SCORE`, :data:`ocrfix.line_check.MAX_GARBAGE`);
    and a further reading confirms it (has words whose centres it holds), or it is read surely (no garbage,
    an estimate of at least SURE_SCORE, at least SURE_LETTERS letters): a stain, a fold edge or a row of dots
    read as symbols or stray letters by one preparation only is left out."""
    heights = sorted(ln.bbox.height for ln in kept.lines if ln.bbox is not None)
    if not heights:
        return [], ()
    median = heights[len(heights) // 2]
    taken_boxes = [ln.bbox for ln in kept.lines if ln.bbox is not None]
    moved = [[[line_merge.moved(w, other.to_kept) for w in line.words] for line in other.page.lines] for other in others]
    word_boxes = [[w.bbox for line in lines for w in line] for lines in moved]  # each reading's, to confirm a line by
    found: list[Line] = []
    record: list[dict[str, Any]] = []
    for oi, other in enumerate(others):
        for line_words in moved[oi]:
            line_words = [w for w in line_words if w.text.strip()]
            box = enclosing([w.bbox for w in line_words if w.bbox is not None]) if line_words else None
            if box is None or any(_overlap(box, t) for t in taken_boxes):
                continue
            if not LINE_HEIGHT[0] * median <= box.height <= LINE_HEIGHT[1] * median:
                continue
            check = page_quality.estimate_words(line_words, knows)
            if check.score < line_check.ACCEPT_SCORE or check.garbage_share > line_check.MAX_GARBAGE:
                continue
            confirmed = [others[j].name for j in range(len(others)) if j != oi and any(pair_words([box], word_boxes[j])[0])]
            letters = sum(ch.isalpha() for w in line_words for ch in w.text)
            if not confirmed and (check.score < SURE_SCORE or check.garbage_share > 0 or letters < SURE_LETTERS):
                continue
            taken_boxes.append(box)
            found.append(Line(tuple(replace(w, id="") for w in line_words), box))
            record.append({"from": other.name, "confirmed_by": confirmed, "box": box.as_list(),
                           "text": " ".join(w.text for w in line_words), "score": round(check.score, 4)})  # fmt: skip
    return found, tuple(record)


SURE_SCORE = 0.9  # a line no further reading confirms is added only when estimated at least this good ...
SURE_LETTERS = 4  # ... with no garbage and at least this many letters (not a stray mark read as a letter)
LINE_HEIGHT = (0.7, 1.5)  # a line added from another reading is this many times the kept lines' median height


def _overlap(a: BBox, b: BBox) -> bool:
    return min(a.right, b.right) > max(a.left, b.left) and min(a.bottom, b.bottom) > max(a.top, b.top)


def evidence(ours: Sequence[Word], theirs: Sequence[Word], knows: Callable[[str], bool] | None) -> str | None:
    """Why the other reading's stretch ``theirs`` should replace the kept reading's ``ours``; None: it should not.

    Three conditions, all needed:

    - the two stretches are about as long (:func:`ocrfix.line_merge.about_as_long`: the shorter holds at least
      SAME_LENGTH of the longer's characters, spaces aside): readings of the same words. On a page the other reading's
      words are paired by place, and a stretch of another length is another cut of the line (a
      piece read as noise, words run together), which the word-level evidence does not weigh;
    - the evidence a single line's merge asks word by word (:func:`ocrfix.line_merge.word_evidence`): fewer garbage
      tokens, or more words the lexicon knows as written, each with Tesseract's confidence >= 0.5;
    - more characters estimated right without the lexicon (``free_net`` of
      :func:`ocrfix.ocr.quality.estimate`, Tesseract's confidence and garbage alone), as a whole
      reading must show to replace another: a stretch that only sheds a stray mark but misreads its
      letters (``náš osud. ;`` read ``náp“ Pha``) does not.
    """
    if not line_merge.about_as_long(ours, theirs):
        return None
    why = line_merge.word_evidence(ours, theirs, knows)
    if why is None or page_quality.estimate_words(theirs).free_net <= page_quality.estimate_words(ours).free_net:
        return None
    return why + ", more characters estimated right by Tesseract's confidence"


def _one_line(words: Sequence[Word]) -> Page:
    return Page((Block((Line(tuple(words), enclosing(w.bbox for w in words)),)),))
