"""One text line's two readings (as loaded, and preprocessed) merged word by word.

A single text line is read twice (:mod:`ocrfix.recognition`): as loaded, which is
what plain Tesseract (``--psm 7``) reads, and preprocessed. Choosing one whole
reading by the self-check's estimate is a noisy call on a handful of words: the
preprocessed reading often mends one word (a letter a speck broke, ``ыдДжЖыл``)
and misreads another (Komi ӧ read as б after a resampling). The two readings are
of one line, so they are aligned word by word (:class:`difflib.SequenceMatcher`
on their word sequences) and, where they differ, each differing stretch is
taken from the reading with evidence for it, evidence on a scale both readings
share:

- **fewer garbage tokens** (:func:`ocrfix.ocr.quality.is_garbage`: shapes no
  text is made of, a letter read as two): the stretch as loaded holds broken
  letters or noise that the other does not, and the other is no longer (a
  broken letter is mended by fewer characters, never by more: :func:`evidence`);
- **more words the lexicon knows as written**, in as many words and with no
  more garbage, about as long and no longer, and each of the other stretch's words one Tesseract itself rates
  at least as likely right as wrong (LIKELY_RIGHT): the lexicon never carries it
  alone, since a lexicon of one language turns another language's words read with
  its letters into its own (a Komi опытсӧ read as Russian опыте with confidence 0).

Tesseract's confidences are *not* compared between the readings: the
preprocessed image reads a Komi ӧ as б with high confidence (``вермбмъясбн.``
89 against the right ``вермомъясон.`` 61), so a higher confidence there made
lines worse on the development part. Where nothing distinguishes the two, and
where one reading has words the other has not, the reading as loaded is kept:
ties can never make a line worse than plain Tesseract.

Words taken from the preprocessed reading get their boxes mapped into the frame
of the image as loaded (the frame of the merged line), and every word records
which reading it came from, and which of its words it is (:attr:`Merged.origins`).

Every stretch weighed is recorded in one shape, here and for a page read more
than once (:mod:`ocrfix.page_merge`), by :meth:`Stretch.record`::

    {"readings": {"original": "МиИянН", "preprocessed": "миян"},
     "kept": "preprocessed", "why": "fewer garbage tokens"}

``readings`` holds the stretch's text in each of the two readings, by the
readings' names, the first reading first; ``kept`` is the name of the reading
whose words the merge kept there; ``why`` says why (the evidence for the other
reading, or that there was none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from ocrfix.model import BBox, Page, Word, enclosing, with_ids
from ocrfix.ocr import quality as page_quality

LIKELY_RIGHT = 0.5  # a word of the other reading the lexicon vouches for must have at least this confidence (0..1)
SAME_LENGTH = 0.7  # two stretches are readings of the same words when the shorter holds this share of the longer's characters
FIRST, OTHER = "first", "other"
NO_EVIDENCE = "no evidence for the other reading"


@dataclass(frozen=True)
class Stretch:
    """A stretch where the two readings differ: each reading's words there, and why the other's were taken."""

    first: str  # the first reading's words, joined by spaces ("" when it has none there)
    other: str  # the other reading's
    why: str | None  # the evidence the other's words were taken on; None: the first's were kept

    def record(self, first_name: str, other_name: str) -> dict[str, Any]:
        """The stretch as page.json records it, the readings named (see the module's description)."""
        return {"readings": {first_name: self.first, other_name: self.other},
                "kept": other_name if self.why else first_name, "why": self.why or NO_EVIDENCE}  # fmt: skip


@dataclass(frozen=True)
class Merged:
    page: Page  # the first reading's page, with the stretches taken from the other
    origins: tuple[tuple[str, int], ...]  # per word of ``page``: FIRST or OTHER, and its index in that reading's words
    stretches: tuple[Stretch, ...]  # every stretch where the readings differ

    @property
    def sources(self) -> tuple[str, ...]:
        """Per word of ``page``, the reading it came from (FIRST or OTHER)."""
        return tuple(source for source, _ in self.origins)

    @property
    def took_other(self) -> bool:
        return OTHER in self.sources


def merge(
    first: Page,
    other: Page,
    knows: Callable[[str], bool] | None,
    to_first_frame: Callable[[BBox], BBox] | None = None,
    weigh: Callable[[Sequence[Word], Sequence[Word]], str | None] | None = None,
) -> Merged:
    """``first`` with each stretch where ``other`` reads other words replaced by ``other``'s, when
    :func:`evidence` favours it (or ``weigh``, given both stretches: why the other's should be taken,
    or None). ``to_first_frame`` maps a box of ``other`` into ``first``'s frame (None: the same frame)."""
    if weigh is None:
        def weigh(ours: Sequence[Word], theirs: Sequence[Word]) -> str | None:
            return evidence(ours, theirs, knows)

    first_words = [(li, w) for li, line in enumerate(first.lines) for w in line.words]
    other_words = list(other.words)
    matcher = SequenceMatcher(None, [w.text for _, w in first_words], [w.text for w in other_words], autojunk=False)
    lines: list[list[tuple[Word, str, int]]] = [[] for _ in first.lines]
    stretches: list[Stretch] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ours = first_words[i1:i2]
        theirs = other_words[j1:j2]
        why = None
        if op != "equal":
            one_line = len({li for li, _ in ours}) == 1
            why = weigh([w for _, w in ours], theirs) if one_line else None
            stretches.append(Stretch(" ".join(w.text for _, w in ours), " ".join(w.text for w in theirs), why))
        if why:
            line = ours[0][0]
            lines[line].extend((moved(w, to_first_frame), OTHER, j) for j, w in enumerate(theirs, j1))
        else:
            for i, (li, w) in enumerate(ours, i1):
                lines[li].append((w, FIRST, i))
    origins = tuple((source, index) for line in lines for _, source, index in line)
    if not any(stretch.why for stretch in stretches):
        return Merged(first, origins, tuple(stretches))
    return Merged(rebuilt(first, [[w for w, _, _ in line] for line in lines]), origins, tuple(stretches))


def rebuilt(page: Page, words: Sequence[Sequence[Word]]) -> Page:
    """``page`` with ``words[i]`` on its i-th line, in reading order: every line's box made to enclose its
    words, and every line and word given a fresh id in reading order (:func:`ocrfix.model.with_ids`)."""
    blocks = []
    index = 0
    for block in page.blocks:
        new_lines = []
        for line in block.lines:
            line_words = tuple(replace(w, id="") for w in words[index])
            bbox = enclosing([line.bbox, *(w.bbox for w in line_words)])
            new_lines.append(replace(line, words=line_words, id="", bbox=bbox))
            index += 1
        blocks.append(replace(block, lines=tuple(new_lines)))
    return with_ids(replace(page, blocks=tuple(blocks)))


def evidence(ours: Sequence[Word], theirs: Sequence[Word], knows: Callable[[str], bool] | None) -> str | None:
    """Why the other reading's stretch ``theirs`` should replace ``ours``, the line as loaded (see the
    module's description); None when nothing says so (then ``ours``, what plain Tesseract reads, is kept).

    The evidence of :func:`word_evidence` (whose lexicon's evidence asks a stretch about as long as
    ours, SAME_LENGTH), for a stretch no longer than ours (characters, spaces aside). A letter
    Tesseract broke in two, or read as a digit, is mended by as many characters or fewer (``МиИянН`` to ``миян``); a
    stretch that adds characters where ours holds garbage reads something more than the letters, a
    diacritic or a speck read as a letter (the Komi ``найӧе``, read as loaded ``най0е``, preprocessed
    ``найдбе``), and on a line of twenty letters each one is five points of its CER. A word the lexicon
    knows that is much shorter than ours is a piece of it (``неральной`` read ``нер``), not a reading of it."""
    if _length(theirs) > _length(ours):
        return None
    return word_evidence(ours, theirs, knows)


def about_as_long(ours: Sequence[Word], theirs: Sequence[Word]) -> bool:
    """Are the two stretches readings of the same words by their length: does the shorter hold at least
    SAME_LENGTH of the longer's characters (spaces aside)?"""
    ours_length, theirs_length = _length(ours), _length(theirs)
    return min(ours_length, theirs_length) >= SAME_LENGTH * max(ours_length, theirs_length)


def _length(words: Sequence[Word]) -> int:
    """A stretch's characters, spaces aside."""
    return sum(len(w.text) for w in words)


def word_evidence(ours: Sequence[Word], theirs: Sequence[Word], knows: Callable[[str], bool] | None) -> str | None:
    """Why the stretch ``theirs`` should replace ``ours`` word by word: fewer garbage tokens, or more words
    the lexicon knows in a stretch about as long (:func:`about_as_long`: a known word much shorter is a
    piece of ours, not a reading of it; see the module's description); None when nothing says so."""
    if not ours or not theirs:
        return None  # words one reading has and the other has not: nothing to weigh them against
    ours_garbage = sum(page_quality.is_garbage(w.text, knows) for w in ours)
    theirs_garbage = sum(page_quality.is_garbage(w.text, knows) for w in theirs)
    if theirs_garbage != ours_garbage:
        return "fewer garbage tokens" if theirs_garbage < ours_garbage else None
    if knows is None or len(theirs) != len(ours) or not about_as_long(ours, theirs):
        return None
    if _known(theirs, knows) > _known(ours, knows) and all(
        _confidence(w) >= LIKELY_RIGHT for w in theirs
    ):
        return "more words the lexicon knows as written, none Tesseract rates more likely wrong than right"
    return None


def _known(words: Sequence[Word], knows: Callable[[str], bool]) -> int:
    return sum(1 for w in words if page_quality.is_known(w.text, knows))


def _confidence(word: Word) -> float:
    return page_quality.word_confidence(word.confidence) / 100.0


def moved(word: Word, to_frame: Callable[[BBox], BBox] | None) -> Word:
    """``word`` with its box mapped by ``to_frame`` (None: the same frame)."""
    if word.bbox is None or to_frame is None:
        return word
    return replace(word, bbox=to_frame(word.bbox))
