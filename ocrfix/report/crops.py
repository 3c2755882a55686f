"""Crops of the scan for the lines under review, as small inline 1-bit PNG images.

A page report embeds one crop per differing line, so the crops are most of its
size. Each crop is therefore stored as black ink on white paper (1 bit per
pixel, PNG), cut from the page scaled once so that a typical line is
``LINE_HEIGHT`` pixels high: every crop of a page shows the typewriting at the
same size, large enough to tell ш from щ, and about a tenth of the bytes of a
256-grey crop (measured on the sample pages: see "The crops' size" in docs/formats.md).
"""

from __future__ import annotations

import base64
import io
import statistics
from collections.abc import Iterable, Mapping
from pathlib import Path

from PIL import Image

from ocrfix.model import BBox, Page

LINE_HEIGHT = 28  # pixels of a page's median line box in its crops: typewriting stays readable in 1 bit
MAX_WIDTH = 1100  # a wider crop is scaled down further (a line box spanning more than the text column)
MAX_LINE_HEIGHTS = 3  # a crop is at most this many LINE_HEIGHTs high per line it covers (boxes can be wrong)
PADDING = 4  # pixels of the page image around a line box
MIN_CONTRAST = 48  # grey levels between paper and ink below which the page is taken as blank paper


def line_boxes(page: Page, line_indexes: Iterable[int]) -> BBox | None:
    """The union of the boxes of some of the page's lines (None when none has a box)."""
    lines = page.lines
    box: BBox | None = None
    for index in line_indexes:
        if 0 <= index < len(lines) and lines[index].bbox is not None:
            line_box = lines[index].bbox
            box = line_box if box is None else box.union(line_box)
    return box


def ink_threshold(histogram: list[int]) -> int:
    """The grey level that separates ink from paper in a 256-bin histogram (Otsu's method).

    Grey values below the threshold are ink. When several levels separate the
    two classes equally well (a bilevel image: every level between its two
    values), the middle one is taken; a histogram without two clear classes
    gives the middle of the grey range.
    """
    counts = histogram[:256]
    total = sum(counts)
    if total == 0:
        return 128
    levels = [value for value, count in enumerate(counts) if count]
    if levels[-1] - levels[0] < MIN_CONTRAST:
        return 128
    grand_sum = sum(value * count for value, count in enumerate(counts))
    below_count = below_sum = 0
    best_variance = -1.0
    best_levels: list[int] = []
    for threshold in range(1, 256):
        below_count += counts[threshold - 1]
        below_sum += (threshold - 1) * counts[threshold - 1]
        above_count = total - below_count
        if below_count == 0 or above_count == 0:
            continue
        mean_below = below_sum / below_count
        mean_above = (grand_sum - below_sum) / above_count
        variance = below_count * above_count * (mean_below - mean_above) ** 2
        if variance > best_variance * (1 + 1e-12):
            best_variance, best_levels = variance, [threshold]
        elif variance >= best_variance * (1 - 1e-12):
            best_levels.append(threshold)
    return best_levels[len(best_levels) // 2] if best_levels else 128


def page_scale(page: Page, scale_y: float) -> float:
    """The factor from image pixels to crop pixels that makes the page's median line ``LINE_HEIGHT`` high (never above 1)."""
    heights = [line.bbox.height * scale_y for line in page.lines if line.bbox is not None and line.bbox.height > 0]
    if not heights:
        return 1.0
    return min(1.0, LINE_HEIGHT / statistics.median(heights))


def bilevel_png(crop: Image.Image, threshold: int) -> bytes:
    """``crop`` (mode L) as a 1-bit PNG: black where it is darker than ``threshold``, white elsewhere."""
    lookup = [0 if value < threshold else 255 for value in range(256)]
    bilevel = crop.point(lookup, mode="1")
    buffer = io.BytesIO()
    bilevel.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def crop_data_uris(image_path: Path, page: Page, wanted: Mapping[int, tuple[int, ...]]) -> dict[int, str]:
    """{report line number: data URI of a 1-bit PNG} for the lines in ``wanted`` (line number -> page line indexes).

    Boxes are in the page's pixel frame (``page.width`` x ``page.height``);
    when the image has another size, they are scaled to it. A missing or
    unreadable image gives no crops: a report without pictures is still a report.
    """
    if not wanted:
        return {}
    try:
        with Image.open(image_path) as opened:
            image = opened.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):
        return {}
    scale_x = image.width / page.width if page.width else 1.0
    scale_y = image.height / page.height if page.height else 1.0
    scale = page_scale(page, scale_y)
    threshold = ink_threshold(image.histogram())
    result = {}
    for number, indexes in wanted.items():
        box = line_boxes(page, indexes)
        if box is None:
            continue
        left = max(0, int(box.left * scale_x) - PADDING)
        top = max(0, int(box.top * scale_y) - PADDING)
        right = min(image.width, int(round(box.right * scale_x)) + PADDING)
        bottom = min(image.height, int(round(box.bottom * scale_y)) + PADDING)
        if right <= left or bottom <= top:
            continue
        crop = image.crop((left, top, right, bottom))
        max_height = MAX_LINE_HEIGHTS * LINE_HEIGHT * max(1, len(set(indexes)))
        factor = min(scale, max_height / crop.height, MAX_WIDTH / crop.width)
        if factor < 1.0:
            crop = crop.resize((max(1, round(crop.width * factor)), max(1, round(crop.height * factor))), Image.LANCZOS)
        result[number] = "data:image/png;base64," + base64.b64encode(bilevel_png(crop, threshold)).decode("ascii")
    return result
