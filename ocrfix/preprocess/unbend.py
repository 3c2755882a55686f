"""Text lines bent by a fold, put straight again.

A page folded and flattened again (or scanned over a fold) keeps a strip
where the paper stood at an angle: the lines crossing it run up and down
there and come back to their height beyond it. Tesseract reads such a line
as pieces at different heights, misreads the tilted letters and takes the
pieces for lines of their own; the words of the bend are lost, not only
misplaced.

The bend is measured from the ink alone. The page is cut into narrow
vertical strips (STRIP x-heights wide); each strip's row profile (ink per
row) is compared with its neighbour's, and the shift up or down (at most
MAX_STEP x-heights between neighbours: less than half a line pitch, so a
strip never aligns with the next line) that matches them best is the
bend between them. Shifts are summed from the strip with the most ink
outwards, and each column of the image is moved by its shift.

The premise: lines bent by at least MIN_BEND x-heights *and* a page whose
rows of ink are clearly sharper once moved (the summed row profile's energy
higher by MIN_GAIN): straight lines, a page of one column of plain type,
give no shift and are left as they are. Only vertical shifts are made (a
fold runs across the lines, not along them). The shifts are recorded in the
page's transform (:class:`ocrfix.geometry.ColumnShifts`), which moves the
words' boxes back onto the scan as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess.util import closed_over_strokes, odd

STRIP = 1.2  # x-heights: the width of a strip whose row profile is compared
MAX_STEP = 0.8  # x-heights: the largest shift between two neighbouring strips (a fold steep as a chevron moves about this much)
MIN_BEND = 0.5  # x-heights: shifts spanning less than this are no bend
MIN_GAIN = 1.1  # the summed row profile's energy once moved, against as it stands, at least this
MIN_STRIP_INK = 0.002  # share of a strip's pixels that must be ink for its profile to be compared
INK_OFFSET = 24  # grey levels below that closing that a pixel must be to be ink (not its anti-aliased rim; a fold lightens what it bends)
SMOOTH = 0.3  # x-heights: the row profiles are blurred over this much before they are matched (bands of ink, not single rows)
MIN_STRIPS = 3  # a bend needs a strip between two others: a page cut into fewer has none to measure
MIN_HEIGHT = 4  # x-heights: an image less high holds about one text line (read as a line), no rows to match


@dataclass(frozen=True)
class Bend:
    strip: int  # pixels
    shifts: tuple[int, ...]  # per strip, pixels: the strip's rows are read this much lower (negative: higher)
    gain: float  # summed row profile energy moved / as it stands

    @property
    def span(self) -> int:
        return max(self.shifts) - min(self.shifts) if self.shifts else 0


def measure(gray: np.ndarray, x_height: float) -> Bend:
    """The bend of ``gray``'s text lines (uint8, paper light; letters ``x_height`` pixels high)."""
    height, width = gray.shape[:2]
    strip = max(4, int(round(STRIP * x_height)))
    count = width // strip
    if count < MIN_STRIPS or height < MIN_HEIGHT * x_height:
        return Bend(strip, (), 1.0)
    ink = _strokes(gray, x_height)
    # Counted in integers, then made float: the same counts as summing a float copy of the page, in 60% of the time.
    wide = np.uint16 if strip < 2**16 else np.uint32
    counts = np.add.reduceat(ink[:, : count * strip], np.arange(0, count * strip, strip), axis=1, dtype=wide)
    profiles = counts.astype(np.float32)
    smooth = odd(SMOOTH * x_height)
    profiles = cv2.GaussianBlur(profiles, (1, smooth), 0)
    active = profiles.sum(axis=0) >= MIN_STRIP_INK * strip * height
    step = max(1, int(round(MAX_STEP * x_height)))
    shifts = np.zeros(count, dtype=int)
    anchor = int(np.argmax(profiles.sum(axis=0)))
    for direction in (1, -1):
        here = anchor
        while 0 <= here + direction < count:
            there = here + direction
            shift = _best_shift(profiles[:, here], profiles[:, there], step) if active[here] and active[there] else 0
            shifts[there] = shifts[here] + shift
            here = there
    shifts -= int(np.median(shifts[active])) if active.any() else 0
    gain = _energy(profiles, shifts) / max(_energy(profiles, np.zeros(count, dtype=int)), 1e-9)
    return Bend(strip, tuple(int(s) for s in shifts), float(gain))


def is_bent(bend: Bend, x_height: float) -> bool:
    """Whether ``bend`` meets the premise (see the module's description)."""
    return bend.span >= MIN_BEND * x_height and bend.gain >= MIN_GAIN


def straightened(gray: np.ndarray, bend: Bend) -> np.ndarray:
    """``gray`` with each column moved up or down by ``bend``'s shift there (linear between strips' middles)."""
    height, width = gray.shape[:2]
    middles = (np.arange(len(bend.shifts)) + 0.5) * bend.strip
    per_column = np.interp(np.arange(width), middles, np.asarray(bend.shifts, dtype=np.float64)).astype(np.float32)
    map_x = np.tile(np.arange(width, dtype=np.float32), (height, 1))
    map_y = np.arange(height, dtype=np.float32)[:, None] + per_column[None, :]
    return cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _strokes(gray: np.ndarray, x_height: float) -> np.ndarray:
    """1 where ``gray`` is a stroke: darker by INK_OFFSET than the page with its strokes closed over (:func:`.util.closed_over_strokes`).

    A stain's mottle is wider than a stroke and survives the closing, so it is not ink here;
    a threshold against a window's mean took the mottle for ink, and its rows drowned the lines'.
    """
    return (cv2.subtract(closed_over_strokes(gray, x_height), gray) > INK_OFFSET).astype(np.uint8)


def _best_shift(reference: np.ndarray, other: np.ndarray, step: int) -> int:
    """The shift (``other``'s row y matched with ``reference``'s row y - shift, within ±step) that
    matches the two profiles best; 0 on a tie."""
    length = len(reference)
    best, chosen = -1.0, 0
    for shift in sorted(range(-step, step + 1), key=abs):
        if shift >= 0:
            value = float(np.dot(other[shift:], reference[: length - shift]))
        else:
            value = float(np.dot(other[: length + shift], reference[-shift:]))
        if value > best:
            best, chosen = value, shift
    return chosen


def _energy(profiles: np.ndarray, shifts: np.ndarray) -> float:
    """The energy (sum of squares) of the strips' profiles summed after moving each by its shift."""
    total = np.zeros(profiles.shape[0], dtype=np.float64)
    for column, shift in enumerate(shifts):
        total += np.roll(profiles[:, column], -int(shift))
    return float(np.dot(total, total))
