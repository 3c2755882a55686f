"""ALTO v4 (4.3) XML written from the page model.

Coordinates are pixels of the original image (``MeasurementUnit``
``pixel``; every box mapped back through the preprocessing's crop, turns,
deskew and scaling, see :mod:`ocrfix.ocr.frame`); ``Page`` carries the
original's size and ``PHYSICAL_IMG_NR`` its page number in a PDF or TIFF. Each recorded step is
a ``Processing`` element with the software name, version and settings (JSON
in ``processingStepSettings``). A ``String``'s ``CONTENT`` is the current
word; a word a later stage changed keeps the OCR reading in
``<ALTERNATIVE PURPOSE="OCR">``. An unchanged word keeps Tesseract's
per-character choices as ``Glyph`` (best reading, ``GC``) with ``Variant``
elements (other readings, ``VC``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ocrfix.model import BBox, Page, Step, Word
from ocrfix.ocr.frame import original_frame
from ocrfix.ocr.provenance import block_id, line_id, ocrfix_version, settings_json, word_id

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_VERSION = "4.3"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-3.xsd"
PREPROCESSING_WORDS = ("preprocess", "deskew", "binar", "denois", "crop", "rescale", "illumination", "orient", "invert")



def _number(value: float) -> str:
    return format(round(float(value), 6), "g")


def _position(box: BBox | None) -> dict[str, str]:
    if box is None:
        return {}
    return {
        "HPOS": str(box.left),
        "VPOS": str(box.top),
        "WIDTH": str(box.width),
        "HEIGHT": str(box.height),
    }


def processing_category(step: Step) -> str:
    name = step.name.lower()
    if name == "tesseract":
        return "contentGeneration"
    if "correct" in name:
        return "contentModification"
    if any(word in name for word in PREPROCESSING_WORDS):
        return "preOperation"
    return "other"


def to_alto(page: Page) -> str:
    """The page as an ALTO v4 document (UTF-8 XML text), in its original image's frame."""
    return to_alto_document((page,))


def to_alto_document(
    pages: Sequence[Page], *, file_name: str | None = None, numbers: Sequence[int] | None = None
) -> str:
    """Several pages (a document, in reading order) as one ALTO v4 document with a ``Page`` each.

    Boxes are in each page's original image (see :mod:`ocrfix.ocr.frame`).
    ``PHYSICAL_IMG_NR`` is ``numbers[i]`` (default: a single page's number in
    its file, or each page's place in the document). ``file_name`` (default:
    the first page's source) names the document's file.
    """
    if not pages:
        raise ValueError("an ALTO document needs at least one page")
    if numbers is None:
        numbers = [original_frame(pages[0]).page_number] if len(pages) == 1 else list(range(1, len(pages) + 1))
    if len(numbers) != len(pages):
        raise ValueError("one PHYSICAL_IMG_NR per page")
    root = ET.Element(
        "alto", {"xmlns": ALTO_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": SCHEMA_LOCATION, "SCHEMAVERSION": SCHEMA_VERSION}
    )
    description = ET.SubElement(root, "Description")
    ET.SubElement(description, "MeasurementUnit").text = "pixel"
    image_info = ET.SubElement(description, "sourceImageInformation")
    ET.SubElement(image_info, "fileName").text = file_name if file_name is not None else pages[0].source
    several = len(pages) > 1
    page_processing: list[list[str]] = []
    for number, page in enumerate(pages, start=1):
        prefix = f"p{number}_" if several else ""
        ids = []
        for index, step in enumerate(page.steps, start=1):
            ids.append(f"{prefix}processing_{index}")
            _processing(description, step, ids[-1])
        page_processing.append(ids)
    writer_id = "processing_writer" if several else f"processing_{len(pages[0].steps) + 1}"
    _processing(description, Step("ocrfix", ocrfix_version(), {"writer": "alto"}), writer_id)
    layout = ET.SubElement(root, "Layout")
    for place, (page, ids, number) in enumerate(zip(pages, page_processing, numbers), start=1):
        _page(layout, page, [*ids, writer_id], place if several else None, number)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _page(layout: ET.Element, page: Page, processing_ids: list[str], place: int | None, number: int) -> None:
    """One ``Page``; ``place`` is its place in a document of several pages (None: a page alone)."""
    frame = original_frame(page)
    prefix = "" if place is None else f"p{place}_"
    size = frame.size
    page_element = ET.SubElement(
        layout,
        "Page",
        {"ID": f"{prefix}page_1" if place is None else f"page_{place}",
         "PHYSICAL_IMG_NR": str(number),
         "WIDTH": str(size.width), "HEIGHT": str(size.height),
         "PROCESSINGREFS": " ".join(processing_ids)},
    )
    print_space = ET.SubElement(page_element, "PrintSpace", _position(size))
    for b, block in enumerate(page.blocks):
        text_block = ET.SubElement(print_space, "TextBlock", {"ID": prefix + block_id(b), **_position(frame.box(block.bbox))})
        for li, line in enumerate(block.lines):
            text_line = ET.SubElement(
                text_block, "TextLine", {"ID": prefix + line_id(b, li), **_position(frame.box(line.bbox))}
            )
            for w, word in enumerate(line.words):
                if w > 0:
                    ET.SubElement(text_line, "SP")
                _string(text_line, word, prefix + word_id(b, li, w), frame.box(word.bbox))


def _processing(parent: ET.Element, step: Step, identifier: str) -> None:
    element = ET.SubElement(parent, "Processing", {"ID": identifier})
    ET.SubElement(element, "processingCategory").text = processing_category(step)
    ET.SubElement(element, "processingStepDescription").text = step.name
    ET.SubElement(element, "processingStepSettings").text = settings_json(step)
    software = ET.SubElement(element, "processingSoftware")
    ET.SubElement(software, "softwareName").text = step.name
    ET.SubElement(software, "softwareVersion").text = step.version
    ET.SubElement(software, "applicationDescription").text = f"recorded by ocrfix {ocrfix_version()}"


def _string(parent: ET.Element, word: Word, identifier: str, box: BBox | None) -> None:
    attributes = {"ID": identifier, "CONTENT": word.text, **_position(box)}
    if word.confidence is not None:
        attributes["WC"] = _number(min(max(word.confidence / 100.0, 0.0), 1.0))
    element = ET.SubElement(parent, "String", attributes)
    if word.changed:
        ET.SubElement(element, "ALTERNATIVE", {"PURPOSE": "OCR"}).text = word.original
        return
    if len(word.alternatives) != len(word.text):
        return  # choices do not line up one per character (e.g. combining marks): leave them out
    for character, choice in zip(word.text, word.alternatives):
        best = dict(choice.choices).get(character)
        glyph = ET.SubElement(element, "Glyph", {"CONTENT": character})
        if best is not None:
            glyph.set("GC", _number(min(max(best, 0.0), 1.0)))
        for text, probability in choice.choices:
            if text != character and 0 < len(text) <= 3:
                ET.SubElement(glyph, "Variant", {"CONTENT": text, "VC": _number(min(max(probability, 0.0), 1.0))})
