"""hOCR (XHTML) written from the page model.

Layout: ``ocr_page`` > ``ocr_carea`` > ``ocr_par`` > ``ocr_line`` >
``ocrx_word``, each with its ``bbox`` in the original image's pixels (mapped
back through the preprocessing, see :mod:`ocrfix.ocr.frame`; ``ocr_page``'s
bbox is the original's size, its ``ppageno`` the page of a PDF or TIFF
counted from 0 as Tesseract does); words carry Tesseract's confidence as
``x_wconf`` (float). A word a later stage changed holds both readings as
hOCR alternatives: ``<ins class="alt">`` the current text, ``<del
class="alt">`` the OCR reading. The ``ocr-system`` meta names Tesseract and
ocrfix versions; ``processing-steps`` holds every recorded step as JSON.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocrfix.model import BBox, Page, Word
from ocrfix.ocr.frame import original_frame
from ocrfix.ocr.provenance import block_id, engine_description, line_id, steps_json, word_id

XHTML_NS = "http://www.w3.org/1999/xhtml"
DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
    '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
STEPS_META = "processing-steps"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"



def _bbox_title(box: BBox | None) -> str:
    box = box or BBox(0, 0, 0, 0)
    return f"bbox {box.left} {box.top} {box.right} {box.bottom}"


def _tesseract_language(page: Page) -> str:
    for step in page.steps:
        if step.name == "tesseract" and step.settings.get("languages"):
            return str(step.settings["languages"]).split("+")[0]
    return "rus"


def to_hocr(page: Page) -> str:
    """The page as an hOCR document (UTF-8 XHTML text)."""
    html = ET.Element("html", {"xmlns": XHTML_NS, "xml:lang": "ru", "lang": "ru"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "title").text = page.source
    ET.SubElement(head, "meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    ET.SubElement(head, "meta", {"name": "ocr-system", "content": engine_description(page)})
    ET.SubElement(head, "meta", {"name": "ocr-capabilities", "content": CAPABILITIES})
    ET.SubElement(head, "meta", {"name": "ocr-number-of-pages", "content": "1"})
    ET.SubElement(head, "meta", {"name": "ocr-langs", "content": "ru"})
    ET.SubElement(head, "meta", {"name": "ocr-scripts", "content": "Cyrl"})
    # "ocr-" names are reserved by the hOCR spec, so the steps get a name of their own.
    ET.SubElement(head, "meta", {"name": STEPS_META, "content": steps_json(page)})
    body = ET.SubElement(html, "body")
    frame = original_frame(page)
    image = frame.image.replace('"', "'")
    page_div = ET.SubElement(
        body,
        "div",
        {
            "class": "ocr_page",
            "id": f"page_{frame.page_number}",
            # ppageno counts from 0 (hOCR 1.2: "the front cover is page number 0"; Tesseract too)
            "title": f'image "{image}"; {_bbox_title(frame.size)}; ppageno {frame.page_number - 1}'
            + (f"; scan_res {round(page.origin.dpi)} {round(page.origin.dpi)}" if page.origin and page.origin.dpi else ""),
        },
    )
    language = _tesseract_language(page)
    for b, block in enumerate(page.blocks):
        block_box = frame.box(block.bbox)
        area = ET.SubElement(page_div, "div", {"class": "ocr_carea", "id": block_id(b), "title": _bbox_title(block_box)})
        paragraph = ET.SubElement(
            area, "p", {"class": "ocr_par", "id": f"par_{b + 1}", "lang": language, "title": _bbox_title(block_box)}
        )
        for li, line in enumerate(block.lines):
            line_span = ET.SubElement(
                paragraph, "span", {"class": "ocr_line", "id": line_id(b, li), "title": _bbox_title(frame.box(line.bbox))}
            )
            for w, word in enumerate(line.words):
                _word(line_span, word, word_id(b, li, w), frame.box(word.bbox))
    ET.indent(html, space=" ")
    body_text = ET.tostring(html, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{body_text}\n'


def _word(parent: ET.Element, word: Word, identifier: str, box: BBox | None) -> None:
    title = _bbox_title(box)
    if word.confidence is not None:
        title += f"; x_wconf {min(max(word.confidence, 0.0), 100.0):.2f}"
    span = ET.SubElement(parent, "span", {"class": "ocrx_word", "id": identifier, "title": title})
    if not word.changed:
        span.text = word.text
        return
    alternatives = ET.SubElement(span, "span", {"class": "alternatives"})
    ET.SubElement(alternatives, "ins", {"class": "alt"}).text = word.text
    ET.SubElement(alternatives, "del", {"class": "alt"}).text = word.original
