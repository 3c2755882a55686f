"""ALTO v4 (4.3) XML written from the page model.

Coordinates are pixels (``MeasurementUnit`` ``pixel``). Each recorded step is
a ``Processing`` element with the software name, version and settings (JSON
in ``processingStepSettings``). A ``String``'s ``CONTENT`` is the current
word; a word a later stage changed keeps the OCR reading in
``<ALTERNATIVE PURPOSE="OCR">``. An unchanged word keeps Tesseract's
per-character choices as ``Glyph`` (best reading, ``GC``) with ``Variant``
elements (other readings, ``VC``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocrfix.model import BBox, Page, Step, Word
from ocrfix.ocr.provenance import block_id, line_id, ocrfix_version, page_box, settings_json, word_id

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
    """The page as an ALTO v4 document (UTF-8 XML text)."""
    root = ET.Element(
        "alto", {"xmlns": ALTO_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": SCHEMA_LOCATION, "SCHEMAVERSION": SCHEMA_VERSION}
    )
    description = ET.SubElement(root, "Description")
    ET.SubElement(description, "MeasurementUnit").text = "pixel"
    image_info = ET.SubElement(description, "sourceImageInformation")
    ET.SubElement(image_info, "fileName").text = page.source
    processing_ids = []
    for index, step in enumerate([*page.steps, Step("ocrfix", ocrfix_version(), {"writer": "alto"})], start=1):
        processing_ids.append(f"processing_{index}")
        _processing(description, step, processing_ids[-1])
    layout = ET.SubElement(root, "Layout")
    size = page_box(page)
    page_element = ET.SubElement(
        layout,
        "Page",
        {"ID": "page_1", "PHYSICAL_IMG_NR": "1", "WIDTH": str(size.width), "HEIGHT": str(size.height),
         "PROCESSINGREFS": " ".join(processing_ids)},
    )
    print_space = ET.SubElement(page_element, "PrintSpace", _position(size))
    for b, block in enumerate(page.blocks):
        text_block = ET.SubElement(print_space, "TextBlock", {"ID": block_id(b), **_position(block.bbox)})
        for li, line in enumerate(block.lines):
            text_line = ET.SubElement(text_block, "TextLine", {"ID": line_id(b, li), **_position(line.bbox)})
            for w, word in enumerate(line.words):
                if w > 0:
                    ET.SubElement(text_line, "SP")
                _string(text_line, word, word_id(b, li, w))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _processing(parent: ET.Element, step: Step, identifier: str) -> None:
    element = ET.SubElement(parent, "Processing", {"ID": identifier})
    ET.SubElement(element, "processingCategory").text = processing_category(step)
    ET.SubElement(element, "processingStepDescription").text = step.name
    ET.SubElement(element, "processingStepSettings").text = settings_json(step)
    software = ET.SubElement(element, "processingSoftware")
    ET.SubElement(software, "softwareName").text = step.name
    ET.SubElement(software, "softwareVersion").text = step.version
    ET.SubElement(software, "applicationDescription").text = f"recorded by ocrfix {ocrfix_version()}"


def _string(parent: ET.Element, word: Word, identifier: str) -> None:
    attributes = {"ID": identifier, "CONTENT": word.text, **_position(word.bbox)}
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
