"""The PDF renderer's child process: the only code that calls pypdfium2.

PDFium is a large C library; a hostile PDF can make it loop or allocate
without end, and a call into C cannot be interrupted from Python. So
:mod:`ocrfix.preprocess.pdf` runs this file as a separate process (by path,
so that starting it imports neither OpenCV nor the rest of ocrfix) and kills
it when its time is up.

Usage (for :mod:`pdf` only)::

    python pdf_child.py count PATH MAX_PAGES
    python pdf_child.py render PATH INDEX DPI MAX_PIXELS MAX_PAGES
    python pdf_child.py overlay PATH INDEXES LAYER OUT MAX_PAGES

``count`` prints the page count. ``render`` writes ``HEIGHT WIDTH\\n`` and then
HEIGHT*WIDTH bytes of 8-bit gray pixels, row by row. ``overlay`` writes to OUT
a PDF of PATH's pages INDEXES (0-based, comma-separated, in that order), each
with the page of the same place in the PDF LAYER drawn over it, LAYER's page
being the size of the page as it is shown (its /Rotate applied, as ``render``
renders it): the searchable PDF's invisible text over the original page. A file that is refused
exits with status 3 and one line on stderr saying why. When the environment
variable OCRFIX_PDF_MEMORY_BYTES is set, the process limits its own address
space to that many bytes first, so a PDF that asks for more is refused (or,
when PDFium itself runs out, the process dies) instead of starving the machine.
"""

from __future__ import annotations

import os
import sys

REFUSED = 3  # exit status for a file this process refuses to read
POINTS_PER_INCH = 72.0


class Refused(Exception):
    """The PDF cannot or must not be rendered; the message says why."""


def count(path: str, max_pages: int) -> int:
    import pypdfium2 as pdfium

    document = _open(pdfium, path)
    try:
        return _checked_page_count(document, max_pages)
    finally:
        document.close()


def render(path: str, index: int, dpi: float, max_pixels: int, max_pages: int) -> tuple[int, int, bytes]:
    """(height, width, gray pixels) of page ``index`` at ``dpi``; the size is checked before rendering."""
    import pypdfium2 as pdfium

    document = _open(pdfium, path)
    try:
        pages = _checked_page_count(document, max_pages)
        if index >= pages:
            raise Refused(f"page {index + 1} requested, but the PDF has {pages} page(s)")
        page = _load_page(pdfium, document, index, pages)
        try:
            width_pt, height_pt = page.get_size()
            scale = dpi / POINTS_PER_INCH
            width, height = round(width_pt * scale), round(height_pt * scale)
            if width <= 0 or height <= 0:
                raise Refused(f"page {index + 1} has no area")
            if width * height > max_pixels:
                raise Refused(
                    f"refused, page {index + 1} at {dpi:g} dpi would be {width}x{height} pixels, "
                    f"over max_pixels={max_pixels} (absurd page size)"
                )
            bitmap = page.render(scale=scale, grayscale=True, fill_color=(255, 255, 255, 255))
            try:
                return _gray_rows(bitmap)
            finally:
                bitmap.close()
        except pdfium.PdfiumError as exc:
            raise Refused(f"cannot render page {index + 1} ({exc})") from exc
        finally:
            page.close()
    finally:
        document.close()


def overlay(path: str, indexes: list[int], layer_path: str, out_path: str, max_pages: int) -> None:
    """Write the pages ``indexes`` of ``path`` with the pages of ``layer_path`` over them to ``out_path``."""
    import pypdfium2 as pdfium

    source = _open(pdfium, path)
    layer = pdfium.PdfDocument(layer_path)
    target = pdfium.PdfDocument.new()
    try:
        pages = _checked_page_count(source, max_pages)
        if any(not 0 <= i < pages for i in indexes) or len(layer) != len(indexes):
            raise Refused(f"pages {indexes} requested, but the PDF has {pages} page(s)")
        try:
            target.import_pages(source, indexes)
            for place in range(len(indexes)):
                page = target[place]
                form = layer.page_as_xobject(place, target).as_pageobject()
                form.set_matrix(pdfium.PdfMatrix(*_view_to_page(page.get_rotation(), page.get_cropbox())))
                page.insert_obj(form)
                page.gen_content()
                page.close()
            target.save(out_path)
        except pdfium.PdfiumError as exc:
            raise Refused(f"cannot add the text layer ({exc})") from exc
    finally:
        target.close()
        layer.close()
        source.close()


def _view_to_page(rotation: int, cropbox: tuple[float, float, float, float]) -> tuple[float, ...]:
    """The matrix from the page as shown (bottom left origin, /Rotate applied) to its own coordinates."""
    left, bottom, right, top = cropbox
    return {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, right, bottom),
        180: (-1, 0, 0, -1, right, top),
        270: (0, -1, 1, 0, left, top),
    }[rotation % 360]


# Why PDFium would not open a document, by its error code (FPDF_GetLastError): said in
# our words, not PDFium's ("Failed to load document (PDFium: Success)").
_OPEN_ERRORS = {
    0: "not a readable PDF: it has no pages, or its page tree is damaged",  # PDFium refused it without an error
    2: "not a readable PDF: the file cannot be opened",
    3: "not a readable PDF: not a PDF, or its structure is damaged",
    4: "not a readable PDF: it is protected by a password",
    5: "not a readable PDF: it uses an unsupported security scheme",
}


def _open(pdfium, path: str):  # type: ignore[no-untyped-def]
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise Refused(_OPEN_ERRORS.get(exc.err_code, "not a readable PDF: its structure is damaged")) from exc
    if len(document) == 0:
        document.close()
        raise Refused("the PDF has no pages")
    return document


def _load_page(pdfium, document, index: int, pages: int):  # type: ignore[no-untyped-def]
    try:
        return document[index]
    except pdfium.PdfiumError as exc:
        raise Refused(
            f"the PDF claims {pages} page(s), but page {index + 1} cannot be read (a damaged or truncated PDF)"
        ) from exc


def _checked_page_count(document, max_pages: int) -> int:  # type: ignore[no-untyped-def]
    """The page count, refused when over ``max_pages`` or when it lies: the last page it
    claims must load (a count that lies would otherwise start one doomed renderer per page)."""
    import pypdfium2 as pdfium

    pages = len(document)
    if pages > max_pages:
        raise Refused(f"refused, the PDF claims {pages} pages, over max_pdf_pages={max_pages}")
    _load_page(pdfium, document, pages - 1, pages).close()
    return pages


def _gray_rows(bitmap) -> tuple[int, int, bytes]:  # type: ignore[no-untyped-def]
    """The bitmap's pixels as one gray byte each, without row padding."""
    import numpy as np

    pixels = np.asarray(bitmap.to_numpy())
    if pixels.ndim == 3:  # some builds return gray as several channels
        pixels = pixels[..., 0] if pixels.shape[2] == 1 else pixels[..., :3].mean(axis=2)
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    return int(pixels.shape[0]), int(pixels.shape[1]), pixels.tobytes()


def limit_memory() -> int | None:
    """Cap this process's address space at OCRFIX_PDF_MEMORY_BYTES, if set; the cap."""
    value = os.environ.get("OCRFIX_PDF_MEMORY_BYTES")
    if not value:
        return None
    import resource

    limit = int(value)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def main(argv: list[str]) -> int:
    out = sys.stdout.buffer
    limit = limit_memory()
    try:
        if len(argv) == 3 and argv[0] == "count":
            out.write(f"{count(argv[1], int(argv[2]))}\n".encode("ascii"))
        elif len(argv) == 6 and argv[0] == "render":
            height, width, pixels = render(argv[1], int(argv[2]), float(argv[3]), int(argv[4]), int(argv[5]))
            out.write(f"{height} {width}\n".encode("ascii"))
            out.write(pixels)
        elif len(argv) == 6 and argv[0] == "overlay":
            overlay(argv[1], [int(i) for i in argv[2].split(",")], argv[3], argv[4], int(argv[5]))
        else:
            sys.stderr.write(
                "usage: pdf_child.py count PATH MAX_PAGES | render PATH INDEX DPI MAX_PIXELS MAX_PAGES"
                " | overlay PATH INDEXES LAYER OUT MAX_PAGES\n"
            )
            return 2
    except Refused as exc:
        sys.stderr.write(" ".join(str(exc).split()) + "\n")
        return REFUSED
    except MemoryError:
        megabytes = f"{limit // (1024 * 1024)} MB" if limit else "the memory there is"
        sys.stderr.write(f"refused, the PDF needs more than {megabytes} (pdf_memory_mb)\n")
        return REFUSED
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
