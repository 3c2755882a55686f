"""Alignment of two or three texts, for people to read.

Texts are aligned on layout tokens (see :mod:`ocrfix.align.segment`), so a
line break lines up with a space and a word hyphenated across lines lines up
with the same word unbroken: a different line layout is not a difference.
Every operation carries the spans it covers in both NFC texts.

The three-way view pivots on one text (the corrected reading): every token
of the pivot gets what each other text (published, raw OCR) has in its place,
and the text the pivot lacks is kept in "gap" slots between pivot tokens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

from ocrfix.align.limits import check_align_size
from ocrfix.align.segment import Token, layout_tokens, nfc, word_tokens

OpKind = Literal["equal", "replace", "insert", "delete"]
Level = Literal["char", "word"]


@dataclass(frozen=True, slots=True)
class AlignOp:
    """One run of the alignment: ``reference[ref_start:ref_end]`` became ``hypothesis[hyp_start:hyp_end]``.

    ``kind`` is ``equal``, ``replace`` (same number of units on both sides),
    ``insert`` (only the hypothesis has text) or ``delete`` (only the
    reference has). Offsets index the NFC-normalised texts, in code points.
    ``equal`` means equal up to layout: the two spans may differ in
    whitespace and line-end hyphenation.
    """

    kind: OpKind
    reference: str
    hypothesis: str
    ref_start: int
    ref_end: int
    hyp_start: int
    hyp_end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "op": self.kind,
            "ref": [self.ref_start, self.ref_end],
            "hyp": [self.hyp_start, self.hyp_end],
            "ref_text": self.reference,
            "hyp_text": self.hypothesis,
        }


def _tokens(text: str, level: Level) -> list[Token]:
    if level == "char":
        return layout_tokens(text)
    if level == "word":
        return word_tokens(text)
    raise ValueError(f"unknown alignment level {level!r} (use 'char' or 'word')")


def _position(tokens: Sequence[Token], index: int, text_length: int) -> int:
    """The text offset where token ``index`` starts (the end of the text past the last token)."""
    if index < len(tokens):
        return tokens[index].start
    return tokens[-1].end if tokens else text_length


def _span(tokens: Sequence[Token], first: int, last: int, text_length: int) -> tuple[int, int]:
    if first == last:
        position = _position(tokens, first, text_length)
        return position, position
    return tokens[first].start, tokens[last - 1].end


def token_opcodes(ref_tokens: Sequence[Token], hyp_tokens: Sequence[Token]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes (tag, i1, i2, j1, j2) between two token sequences, compared by key."""
    opcodes = Levenshtein.opcodes([t.key for t in ref_tokens], [t.key for t in hyp_tokens])
    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in opcodes]


def align(reference: str, hypothesis: str, *, level: Level = "char") -> tuple[AlignOp, ...]:
    """The operations that turn ``reference`` into ``hypothesis``, in text order.

    ``level="char"`` aligns grapheme clusters (whitespace runs as one unit);
    ``level="word"`` aligns whitespace-separated words, and its operations
    cover the words only, not the spaces between them.
    """
    check_align_size(reference, hypothesis)
    reference, hypothesis = nfc(reference), nfc(hypothesis)
    ref_tokens, hyp_tokens = _tokens(reference, level), _tokens(hypothesis, level)
    result = []
    for tag, i1, i2, j1, j2 in token_opcodes(ref_tokens, hyp_tokens):
        ref_start, ref_end = _span(ref_tokens, i1, i2, len(reference))
        hyp_start, hyp_end = _span(hyp_tokens, j1, j2, len(hypothesis))
        result.append(
            AlignOp(tag, reference[ref_start:ref_end], hypothesis[hyp_start:hyp_end], ref_start, ref_end, hyp_start, hyp_end)  # type: ignore[arg-type]
        )
    return tuple(result)


def confusions(reference: str, hypothesis: str) -> Counter[tuple[str, str]]:
    """How often each (reference character, hypothesis character) pair differs.

    Characters are grapheme clusters, aligned as :func:`align` does, so line
    layout makes no confusions. A character only in the reference counts as
    ``(char, "")``, one only in the hypothesis as ``("", char)``. Differences
    in whitespace alone are not counted.
    """
    check_align_size(reference, hypothesis)
    ref_tokens, hyp_tokens = layout_tokens(nfc(reference)), layout_tokens(nfc(hypothesis))
    counts: Counter[tuple[str, str]] = Counter()
    for tag, i1, i2, j1, j2 in token_opcodes(ref_tokens, hyp_tokens):
        if tag == "equal":
            continue
        if tag == "replace":
            pairs = zip((t.key for t in ref_tokens[i1:i2]), (t.key for t in hyp_tokens[j1:j2]))
        elif tag == "delete":
            pairs = ((t.key, "") for t in ref_tokens[i1:i2])
        else:
            pairs = (("", t.key) for t in hyp_tokens[j1:j2])
        counts.update(pair for pair in pairs if _visible(pair[0]) or _visible(pair[1]))
    return counts


def _visible(key: str) -> bool:
    return key != "" and not key.isspace()


@dataclass(frozen=True, slots=True)
class Slot:
    """One place in a pivot alignment.

    ``pivot`` is a token of the pivot text, or None for a gap (text that
    other texts have and the pivot lacks, just before the next pivot token).
    ``others[k]`` are the tokens of other text *k* in this place (at most one
    for a pivot token); ``kinds[k]`` how other text *k* relates to the pivot
    here: ``equal``, ``replace``, ``insert`` (the pivot has a token the other
    lacks), ``delete`` (the other has tokens the pivot lacks) or ``none``
    (a gap where this other text has nothing).
    """

    pivot: Token | None
    others: tuple[tuple[Token, ...], ...]
    kinds: tuple[str, ...]


def pivot_alignment(pivot: str, others: Sequence[str]) -> tuple[Slot, ...]:
    """Align every text of ``others`` to ``pivot`` (all NFC) and merge the alignments on the pivot's tokens."""
    check_align_size(pivot, *others)
    pivot_tokens = layout_tokens(pivot)
    count = len(pivot_tokens)
    per_other_match: list[list[tuple[Token | None, str]]] = []
    per_other_gaps: list[list[list[Token]]] = []
    for other in others:
        other_tokens = layout_tokens(other)
        matched: list[tuple[Token | None, str]] = [(None, "insert")] * count
        gaps: list[list[Token]] = [[] for _ in range(count + 1)]
        for tag, i1, i2, j1, j2 in token_opcodes(other_tokens, pivot_tokens):
            if tag in ("equal", "replace"):
                for offset in range(j2 - j1):
                    matched[j1 + offset] = (other_tokens[i1 + offset], tag)
            elif tag == "delete":
                gaps[j1].extend(other_tokens[i1:i2])
        per_other_match.append(matched)
        per_other_gaps.append(gaps)

    slots: list[Slot] = []
    for j in range(count + 1):
        gap = tuple(tuple(gaps[j]) for gaps in per_other_gaps)
        if any(gap):
            slots.append(Slot(None, gap, tuple("delete" if tokens else "none" for tokens in gap)))
        if j < count:
            pairs = [matched[j] for matched in per_other_match]
            slots.append(
                Slot(
                    pivot_tokens[j],
                    tuple((token,) if token is not None else () for token, _ in pairs),
                    tuple(kind for _, kind in pairs),
                )
            )
    return tuple(slots)


def split_lines(slots: Sequence[Slot], pivot: str) -> list[list[Slot]]:
    """Cut a pivot alignment into the pivot's lines (blank lines give no row).

    A pivot whitespace token that holds a line break ends its line; it stays
    in that line, so no text of the other texts is lost.
    """
    rows: list[list[Slot]] = [[]]
    for slot in slots:
        rows[-1].append(slot)
        if slot.pivot is not None and slot.pivot.is_space and "\n" in pivot[slot.pivot.start : slot.pivot.end]:
            rows.append([])
    return [row for row in rows if any(s.pivot is not None and not s.pivot.is_space for s in row) or _has_other_text(row)]


def _has_other_text(row: Sequence[Slot]) -> bool:
    return any(not token.is_space for slot in row for tokens in slot.others for token in tokens)


def aligned_lines(reference: str, hypothesis: str) -> list[tuple[str, str]]:
    """(reference text, hypothesis line) for each line of ``hypothesis``.

    The reference is cut where it lines up with the hypothesis's line
    breaks, so two texts with different line breaking can be compared line
    by line. Both sides are given in layout form: whitespace runs as one
    space, line-end hyphenation undone, trimmed.
    """
    reference, hypothesis = nfc(reference), nfc(hypothesis)
    rows = split_lines(pivot_alignment(hypothesis, [reference]), hypothesis)
    result = []
    for row in rows:
        ref_text = "".join(token.key for slot in row for token in slot.others[0]).strip()
        hyp_text = "".join(slot.pivot.key for slot in row if slot.pivot is not None).strip()
        result.append((ref_text, hyp_text))
    return result
