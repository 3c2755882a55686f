"""Which small marks on a text line can be punctuation, and which are dust.

Typewritten punctuation sits at fixed places on its line: . , ; : at the
baseline right after a letter or digit (a comma's tail hangs a little below),
hyphens and dashes in the middle (but they are wide, and are never candidates
here), the upper dots of : and ; straight above the lower ones, quotes and the
marks over й and ё above the letters. Dust falls anywhere. So each small mark
is placed on its own line, whose baseline is measured locally from the
x-height letters around it (lines may be slightly curved or unevenly typed),
and is called dust when

- it floats in the middle of the line (above the baseline, below the x-height)
  with nothing under or over it: a fragment of a broken letter always has the
  rest of its letter straight above or below;
- it lies wholly under the baseline with no letter right above it (no
  punctuation mark hangs there on its own; a detached descender has its letter
  above);
- it floats high in the line (dust there reads as ' ` or ё) and is neither
  the upper dot of : or ; (a mark right beneath it), nor й's breve (wider than
  tall, over a letter), nor one of a pair (ё's dots, a typewriter quote "),
  nor a long thin bar (a hyphen, which some typefaces set high);
- it sits low in the line far from the letter before it (. , : ; always
  follow a letter closely; dust in the gap between words reads as a period);
- it is a baseline mark far smaller than the page's own full stops: the
  typewriter strikes every period with the same type, so real ones come in
  one size, measured on the page as the common size of baseline marks that
  follow a letter.

All distances are in x-heights, so the rules hold at any scan resolution.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import cv2
import numpy as np

LONELY_GAP = 1.1  # punctuation sits closer than this to the letter before it (narrow letter + period: about 0.85)
ON_BASELINE = 0.3  # x-heights: a mark whose bottom is at most this far above the baseline stands on it
NEIGHBOURHOOD = 6.0  # letters this far sideways tell where a mark's line lies
MIN_PERIOD_SHARE = 0.3  # a baseline mark with less ink than this share of a typical period is not one
MIN_PERIOD_SAMPLES = 8  # periods needed before their typical size is trusted
REASONS = ("floating", "midline", "below", "lonely", "undersized")


@dataclass(frozen=True)
class MarkVerdicts:
    """Per component (indexed like the stats): is it dust, and why."""

    dust: np.ndarray  # bool
    reason: np.ndarray  # uint8: 0 = kept, k = REASONS[k - 1] called it dust (the first rule that did)
    floating: int = 0  # high in the line, nothing beneath
    midline: int = 0  # in the middle of the line, nothing above or below
    below: int = 0  # under the baseline, no letter above
    lonely: int = 0  # at the baseline, far from the letter before it
    undersized: int = 0  # at the baseline, far smaller than the page's periods


def dust_among_marks(stats: np.ndarray, candidates: np.ndarray, anchors: np.ndarray, x_height: float) -> MarkVerdicts:
    """Decide for each ``candidates`` component whether it is dust.

    ``stats`` are OpenCV component statistics (row 0 the paper); ``anchors``
    are the components that count as text around a mark (letters and the
    small marks near them).
    """
    dust = np.zeros(len(stats), bool)
    index = np.nonzero(candidates)[0]
    anchor_index = np.nonzero(anchors)[0]
    if len(index) == 0 or len(anchor_index) == 0:
        return MarkVerdicts(dust, np.zeros(len(stats), np.uint8))
    h = float(x_height)
    left = stats[:, cv2.CC_STAT_LEFT].astype(np.float64)
    top = stats[:, cv2.CC_STAT_TOP].astype(np.float64)
    width = stats[:, cv2.CC_STAT_WIDTH].astype(np.float64)
    height = stats[:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    area = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    right, bottom = left + width, top + height
    # Letters and digits (but for a few descenders) stand on the baseline: their bottoms mark it.
    x_letters = anchor_index[
        (height[anchor_index] >= 0.75 * h) & (height[anchor_index] <= 1.8 * h)
        & (width[anchor_index] >= 0.3 * h)  # letters run together in bold type are wide
    ]  # fmt: skip
    tall_index = anchor_index[height[anchor_index] >= 0.6 * h]
    index, anchor_index, tall_index, x_letters = (
        ids[np.argsort(top[ids], kind="stable")] for ids in (index, anchor_index, tall_index, x_letters)
    )
    reach = 4.0 * h  # every test below looks at most this far up or down
    zones = {name: np.zeros(len(stats), bool) for name in REASONS}
    baseline_of = np.full(len(stats), np.nan)
    after_letter = np.zeros(len(stats), bool)
    for chunk in np.array_split(index, max(1, len(index) // 64)):
        low, high = top[chunk].min() - reach, bottom[chunk].max() + reach

        def window(ids: np.ndarray, low: float = low, high: float = high) -> np.ndarray:
            tops = top[ids]
            return ids[np.searchsorted(tops, low) : np.searchsorted(tops, high)]

        anchors_near, tall, xs, partners = window(anchor_index), window(tall_index), window(x_letters), window(index)
        c_left, c_right, c_top, c_bottom = left[chunk, None], right[chunk, None], top[chunk, None], bottom[chunk, None]
        c_middle = (c_top + c_bottom) / 2.0
        baseline = _local_baselines(c_left, c_right, c_middle, left[xs], right[xs], bottom[xs], h)
        baseline_of[chunk] = baseline
        base = baseline[:, None]
        not_self = anchors_near[None, :] != chunk[:, None]
        overlaps = (left[None, anchors_near] < c_right + 0.1 * h) & (right[None, anchors_near] > c_left - 0.1 * h) & not_self
        # Something right beneath (within 0.6 x-heights) under the mark's middle: the lower dot of : or ;, the letter under a dot.
        c_centre = (c_left + c_right) / 2.0
        under = (
            (left[None, anchors_near] - 0.1 * h <= c_centre) & (right[None, anchors_near] + 0.1 * h >= c_centre) & not_self
            & (top[None, anchors_near] >= c_bottom - 0.3 * h) & (top[None, anchors_near] <= c_bottom + 0.6 * h)
        )  # fmt: skip
        beneath = under.any(axis=1)
        # Over a letter, a lone round dot is dust: й's breve is wider than tall, ё's dots come in pairs.
        under_mark = (under & (height[None, anchors_near] < 0.6 * h)).any(axis=1)
        breve = width[chunk] >= 1.3 * height[chunk]
        diacritic_or_colon = under_mark | (beneath & breve)
        # Anything straight above or below within the line: the rest of a broken letter.
        stacked = (overlaps & (bottom[None, anchors_near] > base - 1.5 * h) & (top[None, anchors_near] < base + 0.6 * h)).any(axis=1)
        # A letter straight above a mark under the baseline: a detached descender or comma tail.
        above = (overlaps & (bottom[None, anchors_near] >= base - 0.15 * h) & (top[None, anchors_near] < base - 0.4 * h)
                 & (bottom[None, anchors_near] <= c_top + 0.4 * h) & (bottom[None, anchors_near] >= c_top - 0.25 * h)).any(axis=1)  # fmt: skip
        # A partner at the same height close by: the two strokes of a quote, the two dots of ё.
        partner = (
            (np.abs(left[None, partners] - c_left) <= 0.8 * h)
            & (np.abs(top[None, partners] - c_top) <= 0.3 * h)
            & (partners[None, :] != chunk[:, None])
        ).any(axis=1)
        known = ~np.isnan(baseline)
        above_base = np.where(known, (baseline - c_bottom[:, 0]) / h, 0.0)  # how far the mark's bottom is above the baseline
        top_above = np.where(known, (baseline - c_top[:, 0]) / h, 0.0)
        # A hyphen is a short bar, wider than tall; struck lightly or blurred it may not pass as a dash.
        bar = (width[chunk] >= 1.5 * height[chunk]) & (height[chunk] <= 0.35 * h)
        # High in the line only a clearly long bar can be a hyphen (FreeMono's sits there): dust is often a short one.
        long_bar = bar & (width[chunk] >= 2.0 * height[chunk]) & (width[chunk] >= 0.3 * h)
        floating = known & (above_base > 0.55) & ~diacritic_or_colon & ~partner & ~long_bar
        midline = known & (above_base > ON_BASELINE) & (top_above <= 1.15) & ~stacked & ~partner & ~bar
        below = known & (top_above < -0.15) & ~above
        # Punctuation low in the line follows a letter or digit closely; dust in a gap does not.
        to_left = (bottom[None, tall] > c_top) & (top[None, tall] < c_bottom) & (right[None, tall] <= c_left + 0.3 * h)
        gap = np.where(to_left, c_left - right[None, tall], np.inf).min(axis=1, initial=np.inf)
        low_mark = known & (above_base <= ON_BASELINE) & (top_above >= -0.15)
        lonely = low_mark & (gap > LONELY_GAP * h) & ~beneath & ~partner
        after_letter[chunk] = low_mark & (gap <= LONELY_GAP * h) & (top_above <= 0.6)
        zones["floating"][chunk] = floating
        zones["midline"][chunk] = midline
        zones["below"][chunk] = below
        zones["lonely"][chunk] = lonely
    zones["undersized"] = _undersized_periods(area, width, height, after_letter)
    reason = np.zeros(len(stats), np.uint8)
    for code, name in reversed(list(enumerate(REASONS, start=1))):
        reason[zones[name]] = code
    counts = {name: int(np.count_nonzero(reason == code)) for code, name in enumerate(REASONS, start=1)}
    return MarkVerdicts(reason > 0, reason, **counts)


def _local_baselines(
    c_left: np.ndarray, c_right: np.ndarray, c_middle: np.ndarray, x_left: np.ndarray, x_right: np.ndarray, x_bottom: np.ndarray, h: float
) -> np.ndarray:
    """For each mark, the baseline of the line it belongs to (NaN when no line is near).

    The mark belongs to the line whose x-height band (baseline - h .. baseline)
    is closest to its middle; that line's baseline is the median bottom of its
    letters within NEIGHBOURHOOD x-heights sideways, descenders left out.
    """
    sideways = (x_right[None, :] > c_left - NEIGHBOURHOOD * h) & (x_left[None, :] < c_right + NEIGHBOURHOOD * h)
    # Distance from the mark's middle to each letter's band (0 inside it).
    distance = np.maximum(np.maximum(x_bottom[None, :] - h - c_middle, c_middle - x_bottom[None, :]), 0.0)
    distance = np.where(sideways, distance, np.inf)
    result = np.full(len(c_left), np.nan)
    if distance.shape[1] == 0:
        return result
    closest = distance.min(axis=1)
    found = np.isfinite(closest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # marks with no line near give NaN
        # The letters whose band is closest. Bottoms lie on the baseline or, for descenders
        # (р у д ц щ ф), below it, never above: a low quantile of them (y grows downwards) is on it.
        in_line = distance <= closest[:, None] + 0.1 * h
        line_bottom = np.nanquantile(np.where(in_line, x_bottom[None, :], np.nan), 0.3, axis=1, method="lower")
        offset = x_bottom[None, :] - line_bottom[:, None]
        same_line = sideways & (offset >= -0.35 * h) & (offset <= 0.2 * h)  # descenders reach 0.3 x-heights lower and more
        medians = np.nanmedian(np.where(same_line, x_bottom[None, :], np.nan), axis=1)
    result[found] = medians[found]
    return result


def _undersized_periods(area: np.ndarray, width: np.ndarray, height: np.ndarray, after_letter: np.ndarray) -> np.ndarray:
    """Baseline marks after a letter with far less ink than the page's typical period."""
    roundish = after_letter & (np.maximum(width, height) <= 1.6 * np.maximum(np.minimum(width, height), 1))
    sizes = area[roundish]
    if len(sizes) < MIN_PERIOD_SAMPLES:
        return np.zeros(len(area), bool)
    typical = float(np.median(sizes))
    return after_letter & (area < MIN_PERIOD_SHARE * typical)
