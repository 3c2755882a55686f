"""The OCR writers: each format valid against its schema, corrected words and the
recorded steps written back, JSON that round-trips."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrfix import __version__
from ocrfix.config import OcrConfig
from ocrfix.errors import BadInputError, ExitCode
from ocrfix.model import BBox, Block, CharChoice, Line, Page, Step, Word, page_from_text, with_ids
from ocrfix.ocr import page_from_json, recognize, to_alto, to_hocr, to_json, to_page_xml, to_text

etree = pytest.importorskip("lxml.etree", reason="lxml is needed to validate XML (pip install -e .[test])")

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
PC = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FONT_PATH = "/usr/share/fonts/truetype/freefont/FreeMonoBold.ttf"
LINES = ("Выписка из протокола № 5", "заседания бюро райкома")


@pytest.fixture(scope="module")
def alto_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "alto-4-3.xsd")))


@pytest.fixture(scope="module")
def page_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "pagecontent-2019-07-15.xsd")))


def assert_valid(schema, xml_text: str):
    document = etree.fromstring(xml_text.encode("utf-8"))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
    return document


def assert_valid_hocr(hocr_text: str, tmp_path: Path):
    hocr_spec = pytest.importorskip("hocr_spec", reason="hocr-spec validates hOCR (pip install -e .[test])")
    document = etree.fromstring(hocr_text.encode("utf-8"))  # XHTML: must be well-formed XML
    path = tmp_path / "page.hocr"
    path.write_text(hocr_text, encoding="utf-8")
    report = hocr_spec.HocrValidator("standard").validate(str(path))
    assert report.is_valid(), report.format("text")
    return document


@pytest.fixture(scope="module")
def ocr_page() -> Page:
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus)")
    try:
        font = ImageFont.truetype(FONT_PATH, 40)
    except OSError:
        pytest.skip("FreeMonoBold is not installed (apt-get install fonts-freefont-ttf)")
    image = Image.new("L", (760, 220), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(LINES):
        draw.text((40, 40 + 70 * number), line, font=font, fill=0)
    return recognize(np.array(image), OcrConfig(), source="scans/протокол 5.png")


def corrected(page: Page) -> Page:
    """The page as the corrector would hand it back: two blocks, one word changed."""
    lines = page.lines
    first, *rest = lines[0].words
    changed = replace(first, text="ВЫПИСКА", original=first.text)
    return replace(
        page,
        blocks=(Block((replace(lines[0], words=(changed, *rest)),), lines[0].bbox), Block(lines[1:], lines[1].bbox)),
        steps=page.steps + (Step("correct", "0.1.0", {"max_cost": 2.0}),),
    )


pytestmark = pytest.mark.tesseract


def test_text_keeps_lines_and_separates_blocks(ocr_page):
    assert to_text(ocr_page) == "\n".join(LINES) + "\n"
    assert to_text(corrected(ocr_page)) == "ВЫПИСКА из протокола № 5\n\nзаседания бюро райкома\n"


def test_alto_is_valid_and_holds_words_confidences_and_choices(ocr_page, alto_schema):
    document = assert_valid(alto_schema, to_alto(ocr_page))
    strings = document.findall(f".//{ALTO}String")
    assert [s.get("CONTENT") for s in strings] == [w.text for w in ocr_page.words]
    first, word = strings[0], ocr_page.words[0]
    assert (int(first.get("HPOS")), int(first.get("VPOS")), int(first.get("WIDTH")), int(first.get("HEIGHT"))) == (
        word.bbox.left,
        word.bbox.top,
        word.bbox.width,
        word.bbox.height,
    )
    assert float(first.get("WC")) == pytest.approx(word.confidence / 100, abs=1e-6)
    glyphs = first.findall(f"{ALTO}Glyph")
    assert "".join(g.get("CONTENT") for g in glyphs) == word.text
    assert all(0 <= float(g.get("GC")) <= 1 for g in glyphs)
    assert document.find(f".//{ALTO}Variant") is not None
    lines = document.findall(f".//{ALTO}TextLine")
    assert [" ".join(s.get("CONTENT") for s in line.findall(f"{ALTO}String")) for line in lines] == list(LINES)


def test_alto_records_the_steps(ocr_page, alto_schema):
    document = assert_valid(alto_schema, to_alto(corrected(ocr_page)))
    processing = document.findall(f".//{ALTO}Processing")
    names = [p.findtext(f".//{ALTO}softwareName") for p in processing]
    assert names == ["tesseract", "correct", "ocrfix"]
    tesseract = processing[0]
    assert tesseract.findtext(f".//{ALTO}softwareVersion") == ocr_page.steps[0].version
    assert tesseract.findtext(f"{ALTO}processingCategory") == "contentGeneration"
    settings = json.loads(tesseract.findtext(f"{ALTO}processingStepSettings"))
    assert settings == json.loads(json.dumps(ocr_page.steps[0].settings))
    assert processing[2].findtext(f".//{ALTO}softwareVersion") == __version__
    assert document.findtext(f".//{ALTO}fileName") == "scans/протокол 5.png"


def test_alto_keeps_the_ocr_reading_of_a_corrected_word(ocr_page, alto_schema):
    document = assert_valid(alto_schema, to_alto(corrected(ocr_page)))
    first = document.find(f".//{ALTO}String")
    assert first.get("CONTENT") == "ВЫПИСКА"
    alternative = first.find(f"{ALTO}ALTERNATIVE")
    assert alternative.text == ocr_page.words[0].text and alternative.get("PURPOSE") == "OCR"
    assert first.find(f"{ALTO}Glyph") is None  # the choices describe the old reading, not CONTENT
    assert len(document.findall(f".//{ALTO}TextBlock")) == 2


def test_page_xml_is_valid_with_words_and_steps(ocr_page, page_schema):
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    document = assert_valid(page_schema, to_page_xml(ocr_page, created=when))
    assert document.findtext(f"{PC}Metadata/{PC}Created") == "2026-01-02T03:04:05Z"
    assert document.findtext(f"{PC}Metadata/{PC}Creator") == f"ocrfix {__version__}"
    item = document.find(f"{PC}Metadata/{PC}MetadataItem")
    assert (item.get("type"), item.get("name"), item.get("value")) == ("processingStep", "tesseract", ocr_page.steps[0].version)
    labels = {label.get("type"): label.get("value") for label in item.iter(f"{PC}Label")}
    assert labels["psm"] == str(OcrConfig().psm) and labels["languages"] == "rus"
    words = document.findall(f".//{PC}Word")
    assert [w.findtext(f"{PC}TextEquiv/{PC}Unicode") for w in words] == [w.text for w in ocr_page.words]
    assert float(words[0].find(f"{PC}TextEquiv").get("conf")) == pytest.approx(ocr_page.words[0].confidence / 100, abs=1e-6)
    box = ocr_page.words[0].bbox
    assert words[0].find(f"{PC}Coords").get("points") == (
        f"{box.left},{box.top} {box.right},{box.top} {box.right},{box.bottom} {box.left},{box.bottom}"
    )
    line_texts = [line.findtext(f"{PC}TextEquiv/{PC}Unicode") for line in document.iter(f"{PC}TextLine")]
    assert line_texts == list(LINES)
    page_element = document.find(f"{PC}Page")
    assert (int(page_element.get("imageWidth")), int(page_element.get("imageHeight"))) == (ocr_page.width, ocr_page.height)


def test_page_xml_keeps_the_ocr_reading_of_a_corrected_word(ocr_page, page_schema):
    document = assert_valid(page_schema, to_page_xml(corrected(ocr_page)))
    first = document.find(f".//{PC}Word")
    equivs = {e.get("index"): e.findtext(f"{PC}Unicode") for e in first.findall(f"{PC}TextEquiv")}
    assert equivs == {"0": "ВЫПИСКА", "1": ocr_page.words[0].text}
    assert [i.get("name") for i in document.iter(f"{PC}MetadataItem")] == ["tesseract", "correct"]


def test_hocr_is_valid_and_holds_boxes_confidences_and_steps(ocr_page, tmp_path):
    document = assert_valid_hocr(to_hocr(ocr_page), tmp_path)
    words = [e for e in document.iter(f"{XHTML}span") if e.get("class") == "ocrx_word"]
    assert ["".join(w.itertext()).strip() for w in words] == [w.text for w in ocr_page.words]
    box, confidence = ocr_page.words[0].bbox, ocr_page.words[0].confidence
    assert words[0].get("title") == f"bbox {box.left} {box.top} {box.right} {box.bottom}; x_wconf {confidence:.2f}"
    metas = {m.get("name"): m.get("content") for m in document.iter(f"{XHTML}meta")}
    assert metas["ocr-system"] == f"tesseract {ocr_page.steps[0].version}; ocrfix {__version__}"
    assert json.loads(metas["processing-steps"])[0]["settings"]["psm"] == OcrConfig().psm


def test_hocr_writes_a_corrected_word_as_alternatives(ocr_page, tmp_path):
    document = assert_valid_hocr(to_hocr(corrected(ocr_page)), tmp_path)
    alternatives = next(e for e in document.iter(f"{XHTML}span") if e.get("class") == "alternatives")
    assert alternatives.findtext(f"{XHTML}ins") == "ВЫПИСКА"
    assert alternatives.findtext(f"{XHTML}del") == ocr_page.words[0].text
    assert len([e for e in document.iter(f"{XHTML}div") if e.get("class") == "ocr_carea"]) == 2


def test_json_round_trips_everything(ocr_page):
    for page in (ocr_page, corrected(ocr_page)):
        data = to_json(page)
        assert page_from_json(json.loads(json.dumps(data, ensure_ascii=False))) == page
    data = to_json(corrected(ocr_page))
    assert data["steps"][0]["name"] == "tesseract" and data["written_by"] == f"ocrfix {__version__}"
    first = data["blocks"][0]["lines"][0]["words"][0]
    assert first["text"] == "ВЫПИСКА" and first["original"] == ocr_page.words[0].text


def test_json_rejects_what_it_did_not_write():
    for bad in ({}, {"format": "something-else"}, {"format": "ocrfix-page", "format_version": 99}):
        with pytest.raises(BadInputError) as caught:
            page_from_json(bad)
        assert caught.value.exit_code == ExitCode.BAD_INPUT
    with pytest.raises(BadInputError, match="malformed"):
        page_from_json({"format": "ocrfix-page", "format_version": 1, "blocks": [{"lines": [{"words": [{}]}]}]})


def test_pages_without_geometry_and_with_markup_characters_still_validate(alto_schema, page_schema, tmp_path):
    page = page_from_text('Цена <5 & "10">\n\nё и е', source='a&b "c".png')
    page = with_ids(replace(
        page,
        blocks=page.blocks
        + (Block((Line((Word("с", BBox(1, 2, 9, 12), 91.5, (CharChoice((("с", 0.9), ("c", 0.1))),)),)),)),),
    ))
    assert_valid(alto_schema, to_alto(page))
    assert_valid(page_schema, to_page_xml(page))
    document = assert_valid_hocr(to_hocr(page), tmp_path)
    words = [e.text for e in document.iter(f"{XHTML}span") if e.get("class") == "ocrx_word"]
    assert words[:4] == ["Цена", "<5", "&", '"10">']
    assert page_from_json(to_json(page)) == page
    assert to_text(page) == 'Цена <5 & "10">\n\nё и е\n\nс\n'
