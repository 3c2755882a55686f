"""The Tesseract OCR stage: probe, recognise a page, write it in archive formats.

Only :mod:`ocrfix.ocr.tesseract` runs the binary. :func:`recognize` returns a
:class:`~ocrfix.model.Page` with word boxes, float confidences and
per-character alternatives; the writers turn any page (also a corrected one)
into plain text, hOCR, ALTO v4, PAGE XML or JSON, each recording the steps
that made it.
"""

from ocrfix.ocr.page_json import page_from_json, to_json
from ocrfix.ocr.plain_text import to_text
from ocrfix.ocr.recognize import recognize
from ocrfix.ocr.tesseract import TesseractInfo, debian_package_for_language, probe
from ocrfix.ocr.write_alto import to_alto, to_alto_document
from ocrfix.ocr.write_hocr import to_hocr
from ocrfix.ocr.write_page_xml import to_page_xml

__all__ = [
    "TesseractInfo",
    "debian_package_for_language",
    "page_from_json",
    "probe",
    "recognize",
    "to_alto",
    "to_alto_document",
    "to_hocr",
    "to_json",
    "to_page_xml",
    "to_text",
]
