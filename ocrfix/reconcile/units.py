"""The two witnesses side by side: the scan's words and the published words in units.

The scan's words (a recognised :class:`~ocrfix.model.Page`) and the published
transcription (markup taken out, see :mod:`.markup`) are cut into layout words
(:func:`ocrfix.align.word_tokens`: NFC, whitespace and line breaks alike, a word
hyphenated at a line end counted as the whole word), so different line breaking
and hyphenation are no difference. The two word sequences are aligned by
Levenshtein over whole words; every run of words that differ is then cut into
the smallest units that pair up by their letters (one word for one, two for one
when a space was lost or invented, a run only one witness has: a dropped or
repeated line, a speck read as a word).

A :class:`Unit` is either an agreement (one word both witnesses read alike) or
a disagreement to decide. It names the page words it covers by their index in
``Page.words`` and the published words by their span in the original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ocrfix.align import Token, nfc, word_tokens
from ocrfix.model import Page
from ocrfix.reconcile.markup import Cleaned, without_markup

# Unit shapes tried when pairing a differing run: (scan words, published words).
_SHAPES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3), (2, 2))
MERGE_PENALTY = 0.5  # per extra word in a unit: a lost space is rarer than a misread letter
MAX_PAIRING_CELLS = 40_000  # larger differing runs are not paired word by word (a page that is not this one)


@dataclass(frozen=True, slots=True)
class ScanWord:
    """A layout word of the scan: its text and the page words (indexes) it is made of."""

    key: str
    words: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    words: tuple[int, ...]  # indexes into Page.words; empty when only the published text has words here
    scan: tuple[str, ...]  # the scan's layout words
    published: tuple[str, ...]  # the published layout words
    published_span: tuple[int, int] | None  # where they are in the published text as the archive wrote it
    after: int  # the last page word before this unit (-1 at the start): where a published-only unit goes
    clean_span: tuple[int, int] | None = None  # where they are in the published text without markup

    @property
    def agree(self) -> bool:
        return self.scan == self.published

    @property
    def scan_text(self) -> str:
        return " ".join(self.scan)

    @property
    def published_text(self) -> str:
        return " ".join(self.published)


def page_text(page: Page) -> tuple[str, list[tuple[int, int]]]:
    """The page's text as :attr:`Page.text` lays it out, and each word's span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for number, block in enumerate(page.blocks):
        if number:
            parts.append("\n")
            position += 1
        for line in block.lines:
            for index, word in enumerate(line.words):
                if index:
                    parts.append(" ")
                    position += 1
                text = nfc(word.text)
                spans.append((position, position + len(text)))
                parts.append(text)
                position += len(text)
            parts.append("\n")
            position += 1
    return "".join(parts), spans


def scan_words(page: Page) -> list[ScanWord]:
    """The page's layout words, each with the page words it covers."""
    text, spans = page_text(page)
    result = []
    index = 0
    for token in word_tokens(text):
        covered = []
        while index < len(spans) and spans[index][0] < token.end:
            if spans[index][1] > token.start:
                covered.append(index)
            index += 1
        result.append(ScanWord(token.key, tuple(covered)))
    return result


def published_words(published: str) -> tuple[Cleaned, list[Token]]:
    """The published text without markup, and its layout words (spans index the cleaned text)."""
    cleaned = without_markup(nfc(published))
    return cleaned, word_tokens(cleaned.text)


@dataclass(frozen=True)
class Alignment:
    units: tuple[Unit, ...]
    cleaned: Cleaned  # the published text without markup


def align_witnesses(page: Page, published: str) -> Alignment:
    """The page's words and the published text, in units (see the module docstring)."""
    scan = scan_words(page)
    cleaned, theirs = published_words(published)
    return Alignment(units_of(scan, theirs, cleaned), cleaned)


def units_of(scan: Sequence[ScanWord], theirs: Sequence[Token], cleaned: Cleaned) -> tuple[Unit, ...]:
    units: list[Unit] = []
    last_word = -1

    def span(first: int, last: int) -> tuple[int, int] | None:
        if first >= last:
            return None
        return cleaned.original_offset(theirs[first].start), cleaned.original_offset(theirs[last - 1].end - 1) + 1

    def clean_span(first: int, last: int) -> tuple[int, int] | None:
        return (theirs[first].start, theirs[last - 1].end) if first < last else None

    def add(i1: int, i2: int, j1: int, j2: int) -> None:
        nonlocal last_word
        words = tuple(w for s in scan[i1:i2] for w in s.words)
        units.append(Unit(words, tuple(s.key for s in scan[i1:i2]), tuple(t.key for t in theirs[j1:j2]), span(j1, j2),
                          last_word, clean_span(j1, j2)))
        if words:
            last_word = words[-1]

    for i1, i2, j1, j2, equal in _blocks([s.key for s in scan], [t.key for t in theirs]):
        if equal:
            for offset in range(i2 - i1):
                add(i1 + offset, i1 + offset + 1, j1 + offset, j1 + offset + 1)
            continue
        for a1, a2, b1, b2 in _pair(scan, theirs, i1, i2, j1, j2):
            add(a1, a2, b1, b2)
    return tuple(units)


def _blocks(ours: list[str], theirs: list[str]) -> list[tuple[int, int, int, int, bool]]:
    """Runs of equal words and runs of differing words (consecutive edit operations joined)."""
    blocks: list[tuple[int, int, int, int, bool]] = []
    for op in Levenshtein.opcodes(ours, theirs):
        equal = op.tag == "equal"
        if blocks and not equal and not blocks[-1][4]:
            i1, _, j1, _, _ = blocks[-1]
            blocks[-1] = (i1, op.src_end, j1, op.dest_end, False)
        else:
            blocks.append((op.src_start, op.src_end, op.dest_start, op.dest_end, equal))
    return blocks


def _pair(scan: Sequence[ScanWord], theirs: Sequence[Token], i1: int, i2: int, j1: int, j2: int):
    """Cut a differing run into units by the least letter-level cost (a small dynamic programme).

    Runs of words only one side has come out as one unit each.
    """
    m, n = i2 - i1, j2 - j1
    if m == 0 or n == 0 or m * n > MAX_PAIRING_CELLS:
        return [(i1, i2, j1, j2)] if m == 0 or n == 0 else [(i1, i2, j1, j1), (i2, i2, j1, j2)]
    ours = [s.key for s in scan[i1:i2]]
    them = [t.key for t in theirs[j1:j2]]
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for i in range(m + 1):
        for j in range(n + 1):
            here = best[i][j]
            if here == inf:
                continue
            for a, b in _SHAPES:
                if i + a > m or j + b > n:
                    continue
                cost = here + _cost(ours[i : i + a], them[j : j + b])
                if cost < best[i + a][j + b]:
                    best[i + a][j + b] = cost
                    back[i + a][j + b] = (a, b)
    shapes = []
    i, j = m, n
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        shapes.append((a, b))
        i, j = i - a, j - b
    shapes.reverse()
    result: list[tuple[int, int, int, int]] = []
    i, j = i1, j1
    for a, b in shapes:
        if result and (a == 0 or b == 0):  # join a run one side alone has with the unit before, if also one-sided
            p1, p2, q1, q2 = result[-1]
            if (a == 0 and p1 == p2) or (b == 0 and q1 == q2):
                result[-1] = (p1, p2 + a, q1, q2 + b)
                i, j = i + a, j + b
                continue
        result.append((i, i + a, j, j + b))
        i, j = i + a, j + b
    return result


def _cost(ours: Sequence[str], theirs: Sequence[str]) -> float:
    a, b = "".join(ours), "".join(theirs)
    if not ours or not theirs:
        return float(len(a) + len(b))
    return Levenshtein.distance(a.lower(), b.lower()) + MERGE_PENALTY * (len(ours) + len(theirs) - 2)
