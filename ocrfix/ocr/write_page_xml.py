"""PAGE XML (2019-07-15) written from the page model.

Blocks are ``TextRegion``s, then ``TextLine`` and ``Word``, each with
``Coords``: the four corners of its box mapped onto the original image (a
box of the deskewed page is a slanted quadrilateral on the scan; see
:mod:`ocrfix.ocr.frame`). ``Page`` names the original (``imageFilename``,
with ``#page=N`` for page N of a PDF or TIFF) and its size. A word's ``TextEquiv index="0"`` is its
current text; a word a later stage changed adds ``TextEquiv index="1"`` with
the OCR reading. Lines and regions carry their text too. Every recorded step
is a ``MetadataItem type="processingStep"`` whose ``Labels`` hold the
settings.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from ocrfix.model import BBox, Page, Step, Word
from ocrfix.ocr.frame import OriginalFrame, original_frame
from ocrfix.ocr.provenance import block_id, engine_description, line_id, ocrfix_version, word_id

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd"
MULTIPAGE_SUFFIXES = (".pdf", ".tif", ".tiff")



def _points(corners: tuple[tuple[int, int], ...]) -> str:
    return " ".join(f"{max(x, 0)},{max(y, 0)}" for x, y in corners)


def _conf(confidence: float | None) -> dict[str, str]:
    if confidence is None:
        return {}
    return {"conf": format(round(min(max(confidence / 100.0, 0.0), 1.0), 6), "g")}


def _text_equiv(parent: ET.Element, text: str, attributes: dict[str, str] | None = None) -> None:
    equiv = ET.SubElement(parent, "TextEquiv", attributes or {})
    ET.SubElement(equiv, "Unicode").text = text


def to_page_xml(page: Page, *, created: datetime | None = None) -> str:
    """The page as a PAGE XML document (UTF-8 XML text); ``created`` defaults to now (UTC)."""
    stamp = (created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = ET.Element("PcGts", {"xmlns": PAGE_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": SCHEMA_LOCATION})
    metadata = ET.SubElement(root, "Metadata")
    ET.SubElement(metadata, "Creator").text = f"ocrfix {ocrfix_version()}"
    ET.SubElement(metadata, "Created").text = stamp
    ET.SubElement(metadata, "LastChange").text = stamp
    ET.SubElement(metadata, "Comments").text = engine_description(page)
    for step in page.steps:
        _metadata_item(metadata, step)
    frame = original_frame(page)
    size = frame.size
    page_element = ET.SubElement(
        root,
        "Page",
        {"imageFilename": image_reference(frame), "imageWidth": str(size.width), "imageHeight": str(size.height)},
    )
    for b, block in enumerate(page.blocks):
        region_box = block.bbox
        region = ET.SubElement(page_element, "TextRegion", {"id": block_id(b), "type": "paragraph", "production": "typewritten"})
        ET.SubElement(region, "Coords", {"points": _points(_polygon(frame, region_box, size))})
        for li, line in enumerate(block.lines):
            line_box = line.bbox or region_box
            text_line = ET.SubElement(region, "TextLine", {"id": line_id(b, li)})
            ET.SubElement(text_line, "Coords", {"points": _points(_polygon(frame, line_box, size))})
            for w, word in enumerate(line.words):
                _word(text_line, word, word_id(b, li, w), _polygon(frame, word.bbox or line_box, size))
            _text_equiv(text_line, line.text)
        _text_equiv(region, "\n".join(line.text for line in block.lines))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _metadata_item(parent: ET.Element, step: Step) -> None:
    item = ET.SubElement(parent, "MetadataItem", {"type": "processingStep", "name": step.name, "value": step.version})
    labels = ET.SubElement(item, "Labels", {"externalModel": "ocrfix-step-settings"})
    for key, value in step.settings.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        ET.SubElement(labels, "Label", {"type": str(key), "value": text})


def image_reference(frame: OriginalFrame) -> str:
    """The original image: its file, with ``#page=N`` for page N of a PDF or TIFF (RFC 8118's fragment for PDF)."""
    multipage = Path(frame.image).suffix.lower() in MULTIPAGE_SUFFIXES
    return f"{frame.image}#page={frame.page_number}" if multipage or frame.page_number > 1 else frame.image


def _polygon(frame: OriginalFrame, box: BBox | None, size: BBox) -> tuple[tuple[int, int], ...]:
    """A box's corners on the original; a box not known (a page without geometry) is the whole image."""
    return frame.polygon(box) if box is not None else _corners(size)


def _corners(box: BBox) -> tuple[tuple[int, int], ...]:
    return ((box.left, box.top), (box.right, box.top), (box.right, box.bottom), (box.left, box.bottom))


def _word(parent: ET.Element, word: Word, identifier: str, corners: tuple[tuple[int, int], ...]) -> None:
    element = ET.SubElement(parent, "Word", {"id": identifier})
    ET.SubElement(element, "Coords", {"points": _points(corners)})
    if word.changed:
        _text_equiv(element, word.text, {"index": "0", "comments": "corrected"})
        _text_equiv(element, word.original or "", {"index": "1", **_conf(word.confidence), "comments": "OCR reading"})
    else:
        _text_equiv(element, word.text, {"index": "0", **_conf(word.confidence)})
