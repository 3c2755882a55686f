"""Exports are in the original scan's frame: a page typed with known words, set askew on a dark scanner bed
and small enough to be rescaled, goes through the real pipeline (`ocrfix ocr --format ...`, real Tesseract),
and the boxes of the known words land on those words' ink in the scan, also for page 2 of a PDF."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FONT, needs_tesseract
from lxml import etree
from PIL import Image, ImageDraw, ImageFont

from ocrfix.config import Config
from ocrfix.ocr import to_alto, to_hocr, to_page_xml
from ocrfix.pipeline import recognize_file

pytestmark = [pytest.mark.slow, pytest.mark.tesseract, needs_tesseract]

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
PC = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"
LINES = (
    "Выписки посланы: т.т. Литвинову,",
    "Ворошилову, Ежову, Берзину.",
    "Сосредоточить на границе полки РККА.",
    "Разрешить Наркомфину перевести",
)
KNOWN = ("Литвинову,", "Ворошилову,", "Берзину.", "Сосредоточить", "границе", "Наркомфину", "перевести")
FONT_PX = 30  # x-height about 13 px: preprocessing enlarges the page about twice
SKEW = 3.5  # degrees, counter-clockwise
BED = (130, 90)  # where the paper lies on the scanner bed (left, top)


def _scan(only_word: str | None = None) -> np.ndarray:
    """The typed page, turned and laid on a dark bed; with ``only_word``, nothing but that word is inked."""
    font = ImageFont.truetype(str(FONT), FONT_PX)
    pitch = int(FONT_PX * 1.7)
    width = int(max(len(line) for line in LINES) * FONT_PX * 0.62) + 200
    paper = Image.new("L", (width, pitch * len(LINES) + 200), 235)
    draw = ImageDraw.Draw(paper)
    for i, line in enumerate(LINES):
        x = 100
        for word in line.split(" "):
            if only_word is None or word == only_word:
                draw.text((x, 100 + i * pitch), word, font=font, fill=0)
            x += draw.textlength(word + " ", font=font)
    turned = np.asarray(paper.rotate(SKEW, expand=True, fillcolor=235, resample=Image.BICUBIC))
    bed = 25 if only_word is None else 235  # a word alone is found as the only dark pixels
    scan = np.full((turned.shape[0] + 2 * BED[1], turned.shape[1] + 2 * BED[0]), bed, np.uint8)
    scan[BED[1] : BED[1] + turned.shape[0], BED[0] : BED[0] + turned.shape[1]] = turned
    return scan


def _ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(image < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _ocr(path: Path, fmt: str, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ocrfix", "ocr", str(path), "--format", fmt, *extra],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def scan_files(tmp_path_factory):
    if not FONT.exists():
        pytest.skip(f"font {FONT} missing (Debian package fonts-freefont-ttf)")
    folder = tmp_path_factory.mktemp("frame")
    scan = _scan()
    Image.fromarray(scan).save(folder / "scan.png", dpi=(300, 300))
    # the same scan as page 2 of a PDF, rendered back at 300 dpi to the same pixels
    blank = Image.fromarray(np.full(scan.shape, 255, np.uint8))
    blank.save(folder / "delo.pdf", save_all=True, append_images=[Image.fromarray(scan)], resolution=300.0)
    expected = {word: _ink_box(_scan(word)) for word in KNOWN}
    return folder, scan, expected


def _assert_on_the_ink(found: dict[str, tuple[int, int, int, int]], expected: dict[str, tuple[int, int, int, int]]):
    """Each known word's box holds its ink and not much else (a deskewed word's box is the box of a slanted one)."""
    assert len(set(found) & set(expected)) >= 5, f"too few known words read: {sorted(found)}"
    for word, (left, top, right, bottom) in found.items():
        if word not in expected:
            continue
        e_left, e_top, e_right, e_bottom = expected[word]
        assert left <= e_left + 4 and top <= e_top + 4 and right >= e_right - 4 and bottom >= e_bottom - 4, (
            word, (left, top, right, bottom), expected[word])
        assert (right - left) * (bottom - top) <= 2.0 * (e_right - e_left) * (e_bottom - e_top), (
            word, (left, top, right, bottom), expected[word])


def test_alto_boxes_land_on_the_words_in_the_scan(scan_files):
    folder, scan, expected = scan_files
    document = etree.fromstring(_ocr(folder / "scan.png", "alto").encode())
    page = document.find(f".//{ALTO}Page")
    assert (int(page.get("WIDTH")), int(page.get("HEIGHT"))) == (scan.shape[1], scan.shape[0])
    assert page.get("PHYSICAL_IMG_NR") == "1"
    found = {}
    for string in document.iter(f"{ALTO}String"):
        left, top = int(string.get("HPOS")), int(string.get("VPOS"))
        found[string.get("CONTENT")] = (left, top, left + int(string.get("WIDTH")), top + int(string.get("HEIGHT")))
    _assert_on_the_ink(found, expected)


def test_page_xml_polygons_and_hocr_boxes_land_on_the_words_of_page_2_of_a_pdf(scan_files):
    folder, scan, expected = scan_files
    # through the pipeline's API (0-based page_index; the CLI's --page 2 is the same page)
    pdf_page, _, _ = recognize_file(folder / "delo.pdf", Config(), 1)
    document = etree.fromstring(to_page_xml(pdf_page).encode())
    page = document.find(f"{PC}Page")
    assert page.get("imageFilename").endswith("delo.pdf#page=2")
    # the PDF page is rendered back at 300 dpi: the same pixels, give or take the rounding of its size in points
    assert abs(int(page.get("imageWidth")) - scan.shape[1]) <= 1 and abs(int(page.get("imageHeight")) - scan.shape[0]) <= 1
    found = {}
    for word in document.iter(f"{PC}Word"):
        points = [tuple(int(v) for v in p.split(",")) for p in word.find(f"{PC}Coords").get("points").split()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        found[word.findtext(f".//{PC}Unicode")] = (min(xs), min(ys), max(xs), max(ys))
        # the polygon keeps the page's slant: its top edge rises to the right like the typed line
        (x0, y0), (x1, y1) = points[0], points[1]
        if x1 - x0 > 100:
            assert y1 < y0
    _assert_on_the_ink(found, expected)

    hocr = to_hocr(pdf_page)
    ocr_page = etree.fromstring(hocr.encode()).find(".//{http://www.w3.org/1999/xhtml}div")
    assert ocr_page.get("id") == "page_2"
    assert re.fullmatch(r'image "[^"]*delo.pdf"; bbox 0 0 \d+ \d+; ppageno 1; scan_res 300 300', ocr_page.get("title"))
    found = {
        m.group(5): tuple(int(m.group(i)) for i in range(1, 5))
        for m in re.finditer(r"class=\"ocrx_word\"[^>]*title=\"bbox (\d+) (\d+) (\d+) (\d+)[^\"]*\">([^<]+)<", hocr)
    }
    _assert_on_the_ink(found, expected)

    alto = etree.fromstring(to_alto(pdf_page).encode())
    assert alto.find(f".//{ALTO}Page").get("PHYSICAL_IMG_NR") == "2"
