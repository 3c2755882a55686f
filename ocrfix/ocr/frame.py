"""The frame every export is written in: the original image's.

A page's boxes are in the frame of the processed image Tesseract read
(``page.png``); its :class:`~ocrfix.geometry.PageOrigin` maps them back onto
the scan the archive holds (the image file, or the PDF page rendered at its
recorded dpi). A page without an origin (written before ocrfix recorded one,
or made from plain text) is taken to be in its original's frame already.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocrfix.geometry import PageOrigin, PageTransform
from ocrfix.model import BBox, Page
from ocrfix.ocr.provenance import page_box


@dataclass(frozen=True)
class OriginalFrame:
    image: str  # the original image file (a PDF or TIFF: the whole file; see origin.page_number)
    origin: PageOrigin

    @property
    def transform(self) -> PageTransform:
        return self.origin.transform

    @property
    def page_number(self) -> int:
        return self.origin.page_number

    @property
    def width(self) -> int:
        return self.origin.width

    @property
    def height(self) -> int:
        return self.origin.height

    @property
    def size(self) -> BBox:
        return BBox(0, 0, self.width, self.height)

    def box(self, box: BBox | None) -> BBox | None:
        """The axis-aligned box around ``box``'s corners mapped onto the original (None stays None)."""
        if box is None:
            return None
        if self.transform.is_identity:
            return box
        return BBox(*self.transform.box_to_original(box.left, box.top, box.right, box.bottom))

    def polygon(self, box: BBox) -> tuple[tuple[int, int], ...]:
        """``box``'s four corners on the original, clockwise from the top left (a deskewed box stays slanted)."""
        if self.transform.is_identity:
            return ((box.left, box.top), (box.right, box.top), (box.right, box.bottom), (box.left, box.bottom))
        return self.transform.polygon_to_original(box.left, box.top, box.right, box.bottom)


def original_frame(page: Page) -> OriginalFrame:
    if page.origin is not None:
        return OriginalFrame(page.source, page.origin)
    size = page_box(page)
    return OriginalFrame(page.source, PageOrigin(PageTransform.identity(size.width, size.height)))
