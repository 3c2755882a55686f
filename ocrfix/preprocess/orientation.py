"""Is an upright-lined page upside down?

Typewritten documents are set flush left with a ragged right edge: most
lines start at the same margin while their ends scatter. Turned by 180°, the
flush margin appears on the right. The test needs a few lines of text; when
the evidence is weak the page is left as it is.
"""

from __future__ import annotations

import numpy as np

from ocrfix.preprocess.util import otsu_ink, shrink_to, shrunk_width

MIN_LINES = 5
MARGIN_TOLERANCE = 0.012  # of the page width: how close line starts must be to count as "flush"
DECISIVE_GAP = 0.2  # flush share on the right must beat the left by this much
MIN_FLUSH_SHARE = 0.5  # ... and at least this share of the lines must end flush on the right


def line_edges(gray: np.ndarray) -> list[tuple[int, int]]:
    """(first ink column, last ink column) of each text line of a deskewed page."""
    small = shrink_to(gray, 1000)
    ink, _ = otsu_ink(small)
    row_ink = ink.sum(axis=1)
    if row_ink.max(initial=0) == 0:
        return []
    in_line = row_ink > max(2, 0.05 * row_ink.max())
    edges: list[tuple[int, int]] = []
    start = None
    for y, flag in enumerate(np.append(in_line, False)):
        if flag and start is None:
            start = y
        elif not flag and start is not None:
            if y - start >= 3:
                columns = np.nonzero(ink[start:y].sum(axis=0) > 0)[0]
                if len(columns):
                    edges.append((int(columns[0]), int(columns[-1])))
            start = None
    return edges


def flush_shares(gray: np.ndarray) -> tuple[float, float, int]:
    """Shares of lines flush with the most common left and right margins, and the line count."""
    edges = line_edges(gray)
    if len(edges) < MIN_LINES:
        return 0.0, 0.0, len(edges)
    width = shrunk_width(gray.shape, 1000)
    tolerance = max(2.0, MARGIN_TOLERANCE * width)
    starts = np.array([e[0] for e in edges], float)
    ends = np.array([e[1] for e in edges], float)
    return _flush_share(starts, tolerance), _flush_share(ends, tolerance), len(edges)


def is_upside_down(gray: np.ndarray) -> bool:
    """True only on clear evidence: most lines flush on the right, far fewer on the left.

    Noise at the ends of the lines scatters both margins; then nothing is turned.
    """
    left, right, _ = flush_shares(gray)
    return right >= MIN_FLUSH_SHARE and right - left > DECISIVE_GAP


def _flush_share(positions: np.ndarray, tolerance: float) -> float:
    """Largest share of positions within ``tolerance`` of one another."""
    ordered = np.sort(positions)
    best = 0
    for i, value in enumerate(ordered):
        best = max(best, int(np.searchsorted(ordered, value + tolerance, side="right")) - i)
    return best / len(ordered)
