"""Searchable PDF: the original page images with the text as an invisible layer, word by word.

Only this module talks to the PDF writer (reportlab). Each page of the PDF is
the original image at its own resolution, or for a PDF its own page (the text
layer made here is drawn over it by :func:`ocrfix.preprocess.pdf.overlay_pages`,
as PDFium is only run in its child process), and every word is drawn over its ink in text render mode 3
(invisible): the word's stretch of its line is mapped back onto the original
(see :mod:`ocrfix.ocr.frame`), the text is level over it (or turned by the
quarter turns of a page scanned sideways), its font size spans
the line's height and its horizontal scaling the box's width. Viewers then
select, search and copy the text where the words stand; ``pdftotext -bbox``
reports each word's box.

The font is DejaVu Sans (Cyrillic and Latin; Debian ``fonts-dejavu-core``),
embedded as a subset; its glyphs are never painted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

from ocrfix.errors import MissingDependencyError
from ocrfix.fileio import atomic_write_bytes
from ocrfix.geometry import PageTransform
from ocrfix.model import Page, enclosing
from ocrfix.ocr.frame import original_frame

FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/freefont/FreeSans.ttf"),
)
FONT_PACKAGE = "fonts-dejavu-core"
FONT_NAME = "OcrfixInvisible"
DEFAULT_DPI = 300.0  # an image that does not say its resolution is taken to be a 300 dpi scan
INVISIBLE = 3  # PDF text render mode: neither filled nor stroked
EXIF_ORIENTATION = 0x0112
# A typed line's box (ascender top to descender bottom) is about this share of the type's em: the font size
# that makes readers see words of ordinary spacing (a smaller size makes a typewriter's wide gaps into columns).
LINE_HEIGHT_EM = 0.8


@dataclass(frozen=True)
class PdfPage:
    """One page of a searchable PDF: the page whose words go on it, and the original image under them."""

    page: Page
    size: tuple[int, int]  # (width, height) of the original image, pixels
    dpi: float | None = None
    image: np.ndarray | None = None  # uint8 gray or RGB original; None: the text layer alone (see text_layer)
    image_file: Path | None = None  # the original's file, embedded as it is when it is a JPEG shown as stored


def write_searchable_pdf(path: Path, pages: Sequence[PdfPage], *, title: str = "") -> None:
    """Write ``pages``, each image with its invisible text, as one PDF at ``path`` (atomically)."""
    atomic_write_bytes(Path(path), _pdf(pages, title))


def text_layer(pages: Sequence[PdfPage], *, title: str = "") -> bytes:
    """A PDF of the pages' invisible text alone, each page the size of its original at its dpi:
    drawn over the pages of an original PDF (see :func:`ocrfix.preprocess.pdf.overlay_pages`)."""
    return _pdf([PdfPage(p.page, p.size, p.dpi) for p in pages], title)


def _pdf(pages: Sequence[PdfPage], title: str) -> bytes:
    from io import BytesIO

    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rl_config.useA85 = 0  # binary streams: ASCII85 would make every image a quarter larger
    font = _font()
    buffer = BytesIO()
    document = canvas.Canvas(buffer, pageCompression=1, invariant=1, initialFontName=FONT_NAME)
    document.setTitle(title)
    document.setCreator("ocrfix")
    for item in pages:
        width_px, height_px = item.size
        scale = 72.0 / (item.dpi or DEFAULT_DPI)
        width_pt, height_pt = width_px * scale, height_px * scale
        document.setPageSize((width_pt, height_pt))
        if item.image_file is not None and _jpeg_as_stored(item.image_file, item.size):
            document.drawImage(str(item.image_file), 0, 0, width_pt, height_pt)  # its JPEG data, not re-encoded
        elif item.image is not None:
            document.drawImage(ImageReader(Image.fromarray(item.image)), 0, 0, width_pt, height_pt)
        _text_layer(document, item.page, font, scale, height_pt, (width_px, height_px))
        document.showPage()
    document.save()
    return buffer.getvalue()


def _text_layer(document, page: Page, font, scale: float, height_pt: float, image_size: tuple[int, int]) -> None:
    frame = original_frame(page)
    transform = frame.transform
    if (transform.original_width, transform.original_height) != image_size:
        # the boxes are in the frame of an image of another size (a page without a recorded origin)
        transform = PageTransform.identity(*image_size)
    descent = font.face.descent / 1000.0  # negative: below the baseline
    for line in page.lines:
        boxes = [w.bbox for w in line.words if w.bbox is not None]
        if not boxes:
            continue
        line_box = line.bbox or enclosing(boxes)
        for word in line.words:
            box = word.bbox
            if box is None or not word.text.strip() or box.width <= 0:
                continue
            # the word's stretch of its line: words of a line share its baseline and size, so
            # readers join them into the line; the line's top and bottom give the size
            corners = _corners(transform, box.left, line_box.top, box.right, line_box.bottom)
            placement = _placement(corners, scale, height_pt, descent)
            if placement is not None:
                _invisible_word(document, word.text, *placement)


def _corners(transform: PageTransform, left: int, top: int, right: int, bottom: int):
    if transform.is_identity:
        return ((left, top), (right, top), (right, bottom), (left, bottom))
    return transform.corners_to_original(left, top, right, bottom)


def _placement(corners, scale: float, height_pt: float, descent: float):
    """(direction, start, width, font size) of a word's box with ``corners`` (original pixels, clockwise from top left).

    The text runs along the box's bottom edge turned to the nearest quarter
    turn: a scan a few degrees askew gets level words over their ink (a
    slanted word would be split by text extractors), a page scanned sideways
    gets its text sideways.
    """
    top_left, _, bottom_right, bottom_left = ((x * scale, height_pt - y * scale) for x, y in corners)
    along = (bottom_right[0] - bottom_left[0], bottom_right[1] - bottom_left[1])
    up = (top_left[0] - bottom_left[0], top_left[1] - bottom_left[1])
    if math.hypot(*along) <= 0 or math.hypot(*up) <= 0:
        return None
    quarter = round(math.atan2(along[1], along[0]) / (math.pi / 2)) % 4
    cos, sin = ((1, 0), (0, 1), (-1, 0), (0, -1))[quarter]
    width = along[0] * cos + along[1] * sin  # the bottom edge's length along the text's direction
    height = abs(up[0] * -sin + up[1] * cos)
    if width <= 0 or height <= 0:
        return None
    size = height / LINE_HEIGHT_EM
    lift = -descent * size  # the baseline sits above the bottom by the font's descent
    centre = ((bottom_left[0] + bottom_right[0]) / 2, (bottom_left[1] + bottom_right[1]) / 2)
    start = (centre[0] - cos * width / 2 - sin * lift, centre[1] - sin * width / 2 + cos * lift)
    return (cos, sin), start, width, size


def _invisible_word(document, text_value: str, direction, start, width: float, size: float) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cos, sin = direction
    natural = stringWidth(text_value, FONT_NAME, size)
    text = document.beginText()
    text.setTextRenderMode(INVISIBLE)
    text.setFont(FONT_NAME, size)
    text.setTextTransform(cos, sin, -sin, cos, start[0], start[1])
    if natural > 0:
        text.setHorizScale(100.0 * width / natural)
    text.textOut(text_value)
    document.drawText(text)


def _jpeg_as_stored(path: Path, size: tuple[int, int]) -> bool:
    """Is ``path`` a JPEG of this size that viewers show as stored (no EXIF turn), so its data can go in as it is?"""
    if Path(path).suffix.lower() not in (".jpg", ".jpeg"):
        return False
    try:
        with Image.open(path) as image:
            upright = image.getexif().get(EXIF_ORIENTATION, 1) == 1
            return image.format == "JPEG" and image.size == tuple(size) and upright
    except (OSError, ValueError, SyntaxError):
        return False


def font_file() -> Path | None:
    """The font the text layer is written in, when installed."""
    return next((p for p in FONT_FILES if p.is_file()), None)


@cache
def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_file()
    if path is None:
        raise MissingDependencyError(
            f"no font for the PDF's text layer ({', '.join(str(p) for p in FONT_FILES)})",
            hint=f"install the Debian package {FONT_PACKAGE}",
        )
    font = TTFont(FONT_NAME, str(path))
    pdfmetrics.registerFont(font)
    return font
