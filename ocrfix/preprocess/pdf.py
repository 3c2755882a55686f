"""PDF pages rendered to pixels: the only module that talks to pypdfium2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from ocrfix.errors import BadInputError

POINTS_PER_INCH = 72.0


def count_pages(path: Path) -> int:
    document = _open(path)
    try:
        return len(document)
    finally:
        document.close()


def render_page(path: Path, index: int, *, dpi: float, max_pixels: int) -> np.ndarray:
    """Page ``index`` (0-based) rendered in grayscale at ``dpi`` as uint8."""
    document = _open(path)
    try:
        pages = len(document)
        if index >= pages:
            raise BadInputError(f"{path}: page {index + 1} requested, but the PDF has {pages} page(s)")
        page = document[index]
        try:
            width_pt, height_pt = page.get_size()
            scale = dpi / POINTS_PER_INCH
            width, height = round(width_pt * scale), round(height_pt * scale)
            if width <= 0 or height <= 0:
                raise BadInputError(f"{path}: page {index + 1} has no area")
            if width * height > max_pixels:
                raise BadInputError(
                    f"{path}: refused, page {index + 1} at {dpi:g} dpi is {width}x{height}, "
                    f"over max_pixels={max_pixels}"
                )
            bitmap = page.render(scale=scale, grayscale=True, fill_color=(255, 255, 255, 255))
            pixels = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        except pdfium.PdfiumError as exc:
            raise BadInputError(f"{path}: cannot render page {index + 1} ({exc})") from exc
        finally:
            page.close()
    finally:
        document.close()
    if pixels.ndim == 3:  # some builds return gray as a single channel
        pixels = pixels[..., 0] if pixels.shape[2] == 1 else pixels[..., :3].mean(axis=2).astype(np.uint8)
    return np.ascontiguousarray(pixels)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise BadInputError(f"{path}: not a readable PDF ({exc})") from exc
