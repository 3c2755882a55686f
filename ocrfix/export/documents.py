"""Per-document outputs: the pages of one input document, in reading order, as one text, one ALTO, one METS
(pointing at each page's PAGE XML and ALTO) and, when asked, one searchable PDF.

A document is a file with several pages (a PDF, a multi-page TIFF), or the
single-page images of one folder. Its pages keep the batch's order (the
reading order). Each page says where it came from (``Page.source`` and
``Page.origin.page_number``), so grouping needs nothing but the pages.

Everything goes into ``CLEANDIR/documents/``: ``<name>.txt`` (pages separated
by a form feed), ``<name>.alto.xml`` (one ALTO ``Page`` per page),
``<name>.mets.xml`` (PAGE XML holds one page per file, so the document's
PAGE is a METS file listing the original images and the pages' PAGE and ALTO
files in order, as Transkribus and OCR-D exchange them), ``<name>.pdf`` (with
``pdf``), and ``documents.json`` (which page went where).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError
from ocrfix.fileio import atomic_write_json, atomic_write_text
from ocrfix.model import Page
from ocrfix.ocr.frame import original_frame
from ocrfix.ocr.provenance import ocrfix_version

FOLDER = "documents"
INDEX = "documents.json"
PAGE_SEPARATOR = "\f\n"  # form feed between pages, as in the collection's text
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"

_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class DocumentPage:
    """A page of a document: its text, where it came from, and (for XML and PDF) its page model."""

    page_id: str
    text: str
    image: str  # the original image file
    number: int = 1  # the page's 1-based number in that file
    page: Page | None = None  # needed for ALTO, METS and PDF

    @classmethod
    def of(cls, page_id: str, page: Page, text: str) -> DocumentPage:
        number = page.origin.page_number if page.origin is not None else 1
        return cls(page_id, text, page.source, number, page)


@dataclass(frozen=True)
class Document:
    name: str  # unique in the clean folder, safe as a file name
    source: str  # the multi-page file, or the folder of single-page images
    kind: str  # "file" or "folder"
    pages: tuple[DocumentPage, ...]


def group_documents(pages: Sequence[DocumentPage]) -> tuple[Document, ...]:
    """The documents of ``pages`` (in the batch's order), each in order of its first page."""
    per_image: dict[str, int] = {}
    for item in pages:
        per_image[item.image] = per_image.get(item.image, 0) + 1
    groups: dict[tuple[str, str], list[DocumentPage]] = {}
    for item in pages:
        several = per_image[item.image] > 1 or item.number > 1
        key = ("file", item.image) if several else ("folder", str(Path(item.image).parent))
        groups.setdefault(key, []).append(item)
    documents, used = [], set()
    for (kind, source), members in groups.items():
        stem = Path(source).stem if kind == "file" else (Path(source).name or "pages")
        name = _unique(_UNSAFE.sub("_", stem).strip("._") or "document", used)
        documents.append(Document(name, source, kind, tuple(members)))
    return tuple(documents)


@dataclass(frozen=True)
class DocumentsWritten:
    files: tuple[str, ...]  # relative to the clean folder
    without_pdf: tuple[str, ...] = ()  # "name (why)": documents whose PDF was asked for but could not be made


def write_documents(
    clean_dir: Path, documents: Sequence[Document], *, pdf: bool = False, text_only: bool = False
) -> DocumentsWritten:
    """Write every document's files into ``clean_dir/documents``.

    With ``pdf``, a document whose original images cannot be read any more
    gets no PDF (its other files are written); the result says which and why.
    With ``text_only`` (a batch's own folder, which has no per-page XML to
    point at), only the texts and ``documents.json``.
    """
    from ocrfix.ocr import to_alto_document

    folder = Path(clean_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    records, missing = [], []
    for document in documents:
        files = {f"{document.name}.txt": PAGE_SEPARATOR.join(p.text for p in document.pages)}
        if not text_only:
            pages = [_model(p) for p in document.pages]
            files[f"{document.name}.alto.xml"] = to_alto_document(
                pages, file_name=document.source, numbers=[_place(document, i) for i in range(len(pages))]
            )
            files[f"{document.name}.mets.xml"] = _mets(document)
        for name, content in files.items():
            atomic_write_text(folder / name, content)
        names = list(files)
        if pdf and not text_only:
            try:
                _write_pdf(folder / f"{document.name}.pdf", document)
                names.append(f"{document.name}.pdf")
            except BadInputError as exc:
                missing.append(f"{document.name} ({exc.one_line()})")
        written.extend(f"{FOLDER}/{n}" for n in names)
        records.append({
            "name": document.name,
            "kind": document.kind,
            "source": document.source,
            "pages": [{"page_id": p.page_id, "image": p.image, "page_number": p.number} for p in document.pages],
            "files": names,
        })
    atomic_write_json(folder / INDEX, {"format": "ocrfix-documents", "format_version": 1, "documents": records})
    written.append(f"{FOLDER}/{INDEX}")
    return DocumentsWritten(tuple(written), tuple(missing))


def _model(item: DocumentPage) -> Page:
    if item.page is None:
        raise ValueError(f"page {item.page_id} has no page model for the document's XML")
    return item.page


def _place(document: Document, index: int) -> int:
    """PHYSICAL_IMG_NR of a document's page: its page in the file, or its place among the folder's pages."""
    return document.pages[index].number if document.kind == "file" else index + 1


def _write_pdf(path: Path, document: Document) -> None:
    """The searchable PDF: over the original PDF's own pages when the document is one PDF, else over its images."""
    from ocrfix.export.pdf import PdfPage, text_layer, write_searchable_pdf
    from ocrfix.preprocess.pdf import overlay_pages

    unplaced = [p.page_id for p in document.pages if p.page is None or p.page.origin is None]
    if unplaced:  # its boxes are in page.png's frame, and nothing says how that lies on the scan
        raise BadInputError(
            f"page {unplaced[0]} was read by an ocrfix that did not record where its words lie on the scan",
            hint="run `ocrfix run` on the batch again",
        )

    if document.kind == "file" and Path(document.source).suffix.lower() == ".pdf" and _all_dpi_known(document):
        source = Path(document.source)
        if not source.is_file():
            raise BadInputError(f"the original {source} is not there any more")
        pages = [PdfPage(_model(p), (_model(p).origin.width, _model(p).origin.height), _model(p).origin.dpi)
                 for p in document.pages]
        config = PreprocessConfig()
        overlay_pages(source, [p.number - 1 for p in document.pages], text_layer(pages, title=document.name), path,
                      timeout_seconds=config.pdf_timeout_seconds, max_pages=config.max_pdf_pages,
                      memory_mb=config.pdf_memory_mb)
        return
    pdf_pages = []
    for item in document.pages:
        image, dpi = _original_image(item)
        pdf_pages.append(PdfPage(_model(item), (image.shape[1], image.shape[0]), dpi, image, Path(item.image)))
    write_searchable_pdf(path, pdf_pages, title=document.name)


def _all_dpi_known(document: Document) -> bool:
    return all(p.page is not None and p.page.origin is not None and p.page.origin.dpi for p in document.pages)


def _original_image(item: DocumentPage):
    """The original image the page's boxes refer to, loaded as the run loaded it, and its dpi."""
    from ocrfix.preprocess import load_page

    origin = _model(item).origin
    source = Path(item.image)
    if not source.is_file():
        raise BadInputError(f"the original image {source} of page {item.page_id} is not there any more")
    config = PreprocessConfig(pdf_dpi=origin.dpi) if origin.dpi else PreprocessConfig()
    loaded = load_page(source, item.number - 1, config=config)
    if (loaded.pixels.shape[1], loaded.pixels.shape[0]) != (origin.width, origin.height):
        raise BadInputError(
            f"{source} is {loaded.pixels.shape[1]}x{loaded.pixels.shape[0]} now, but page {item.page_id} "
            f"was read from a {origin.width}x{origin.height} image (the file changed since the run)"
        )
    return loaded.pixels, origin.dpi or loaded.dpi


def _mets(document: Document) -> str:
    """A METS file: the document's pages in order, each with its original image, PAGE XML and ALTO."""
    ET.register_namespace("mets", METS_NS)
    ET.register_namespace("xlink", XLINK_NS)
    m, x = f"{{{METS_NS}}}", f"{{{XLINK_NS}}}"
    root = ET.Element(f"{m}mets", {"OBJID": document.name, "LABEL": document.source})
    header = ET.SubElement(root, f"{m}metsHdr")
    agent = ET.SubElement(header, f"{m}agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    ET.SubElement(agent, f"{m}name").text = f"ocrfix {ocrfix_version()}"
    file_sec = ET.SubElement(root, f"{m}fileSec")
    groups = {use: ET.SubElement(file_sec, f"{m}fileGrp", {"USE": use}) for use in ("IMAGE", "PAGE", "ALTO")}
    struct = ET.SubElement(root, f"{m}structMap", {"TYPE": "PHYSICAL"})
    sequence = ET.SubElement(struct, f"{m}div", {"TYPE": "physSequence", "ID": "physroot"})
    for index, item in enumerate(document.pages, start=1):
        frame = original_frame(_model(item))
        image = frame.image if document.kind == "folder" and item.number == 1 else f"{frame.image}#page={item.number}"
        references = {
            "IMAGE": (image, _mime(image)),
            "PAGE": (f"../{item.page_id}.page.xml", "application/vnd.prima.page+xml"),
            "ALTO": (f"../{item.page_id}.alto.xml", "application/alto+xml"),
        }
        div = ET.SubElement(sequence, f"{m}div", {"TYPE": "page", "ID": f"phys_{index:04d}", "ORDER": str(index),
                                                  "ORDERLABEL": str(_place(document, index - 1))})
        for use, (href, mime) in references.items():
            file_id = f"{use}_{index:04d}"
            entry = ET.SubElement(groups[use], f"{m}file", {"ID": file_id, "MIMETYPE": mime})
            ET.SubElement(entry, f"{m}FLocat", {"LOCTYPE": "URL", f"{x}href": href})
            ET.SubElement(div, f"{m}fptr", {"FILEID": file_id})
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _mime(href: str) -> str:
    suffix = Path(href.split("#", 1)[0]).suffix.lower()
    return {
        ".pdf": "application/pdf", ".tif": "image/tiff", ".tiff": "image/tiff", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".bmp": "image/bmp",
    }.get(suffix, "application/octet-stream")


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name}-{number}", number + 1
    used.add(candidate)
    return candidate
