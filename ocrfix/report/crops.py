"""Crops of the scan for the lines under review, as small inline PNG images."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from PIL import Image

from ocrfix.model import BBox, Page

MAX_HEIGHT = 56  # pixels per text line of the embedded crop: enough to read typewriting, small in the file
MAX_WIDTH = 1100
PADDING = 4


def line_boxes(page: Page, line_indexes: Iterable[int]) -> BBox | None:
    """The union of the boxes of some of the page's lines (None when none has a box)."""
    lines = page.lines
    box: BBox | None = None
    for index in line_indexes:
        if 0 <= index < len(lines) and lines[index].bbox is not None:
            line_box = lines[index].bbox
            box = line_box if box is None else box.union(line_box)
    return box


def crop_data_uris(image_path: Path, page: Page, wanted: Mapping[int, tuple[int, ...]]) -> dict[int, str]:
    """{report line number: data URI} for the lines in ``wanted`` (line number -> page line indexes).

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
        max_height = MAX_HEIGHT * max(1, len(set(indexes)))
        factor = min(1.0, max_height / crop.height, MAX_WIDTH / crop.width)
        if factor < 1.0:
            crop = crop.resize((max(1, round(crop.width * factor)), max(1, round(crop.height * factor))), Image.LANCZOS)
        buffer = io.BytesIO()
        crop.save(buffer, format="PNG", optimize=True)
        result[number] = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return result
