"""Parsing Tesseract's TSV and hOCR: the cases a clean rendered page does not reach."""

from __future__ import annotations

import pytest

from ocrfix.errors import ExitCode, OcrError
from ocrfix.model import BBox, Block, Line, Word
from ocrfix.ocr.hocr import parse_hocr_words
from ocrfix.ocr.layout import blocks_by_gaps
from ocrfix.ocr.tsv import blocks_from_rows, parse_tsv

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_two_paragraphs_become_two_blocks_and_blank_words_are_dropped():
    text = tsv(
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t300\t-1\t",
        "3\t1\t1\t1\t0\t0\t10\t10\t200\t30\t-1\t",
        "4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t90\t30\t91.123456\tСлушали",
        "5\t1\t1\t1\t1\t2\t110\t10\t5\t30\t95\t ",
        "3\t1\t1\t2\t0\t0\t10\t100\t200\t30\t-1\t",
        "4\t1\t1\t2\t1\t0\t10\t100\t200\t30\t-1\t",
        "5\t1\t1\t2\t1\t1\t10\t100\t90\t30\t-1\tПостановили",
        "5\t1\t1\t2\t1\t2\t120\t100\t5\t30\t-1",  # an empty word whose last tab was lost
    )
    blocks = blocks_from_rows(parse_tsv(text))
    assert [[line.text for line in block.lines] for block in blocks] == [["Слушали"], ["Постановили"]]
    first, second = blocks[0].lines[0].words[0], blocks[1].lines[0].words[0]
    assert first.confidence == 91.123456 and first.bbox == BBox(10, 10, 100, 40)
    assert second.confidence is None
    assert blocks[1].bbox == BBox(10, 100, 210, 130)


def test_text_is_nfc():
    decomposed = "и\u0306"  # и + combining breve: й in NFD
    (block,) = blocks_from_rows(parse_tsv(tsv(f"5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t90\tмо{decomposed}")))
    assert block.lines[0].words[0].text == "мой"


@pytest.mark.parametrize(
    "text",
    ["", "not a header\n", tsv("5\t1\t1\t1\t1\t1\t0\t0\t9\t9\tninety\tслово"), tsv("5\t1\t1\t1\t1\t0\t0")],
    ids=["empty", "header", "number", "columns"],
)
def test_malformed_tsv_is_an_ocr_error(text):
    with pytest.raises(OcrError) as caught:
        parse_tsv(text)
    assert caught.value.exit_code == ExitCode.OCR_FAILED


def test_malformed_hocr_is_an_ocr_error():
    with pytest.raises(OcrError, match="well-formed"):
        parse_hocr_words("<html><body><span class='ocrx_word'>")


def _line(top: int, height: int = 30, text: str = "слово") -> Line:
    return Line((Word(text, BBox(10, top, 200, top + height), 90.0),), BBox(10, top, 200, top + height))


def test_blank_lines_between_typed_lines_start_new_blocks():
    # single spacing every 50 px; a blank half-line (75 px) before the third line
    # and a capital-letter line whose box starts higher but whose bottom keeps the pitch
    lines = (_line(0), _line(50), _line(125), _line(168, height=37), _line(225))
    (block,) = (Block(lines),)
    regrouped = blocks_by_gaps((block,))
    assert [[line.bbox.top for line in b.lines] for b in regrouped] == [[0, 50], [125, 168, 225]]
    assert regrouped[1].bbox == BBox(10, 125, 200, 255)


def test_a_step_upwards_is_a_new_column_and_boxless_pages_are_left_alone():
    regrouped = blocks_by_gaps((Block((_line(0), _line(50), _line(0), _line(50))),))
    assert len(regrouped) == 2
    no_boxes = (Block((Line((Word("а"),)), Line((Word("б"),)))),)
    assert blocks_by_gaps(no_boxes) == no_boxes
