"""`ocrfix regenerate --pdf`: per-document text, ALTO and METS in reading order, and a searchable PDF whose
invisible words pdftotext reads back, each where the page's ALTO puts it on the original scan.

Inputs: a two-page PDF (one document) and a folder of two page images (another), one of them turned 3.5
degrees on a dark scanner bed; the real `ocrfix run` (real Tesseract) and `ocrfix regenerate`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FONT, needs_tesseract, render_typed_lines
from lxml import etree
from PIL import Image
from test_export_frame import _scan

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tesseract,
    needs_tesseract,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing (Debian package poppler-utils)"),
]

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"
DPI = 300


def _ocrfix(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocrfix", *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    if not FONT.exists():
        pytest.skip(f"font {FONT} missing (Debian package fonts-freefont-ttf)")
    root = tmp_path_factory.mktemp("documents")
    inputs = root / "in"
    (inputs / "papka").mkdir(parents=True)
    first = render_typed_lines(("Выписки посланы: т.т. Литвинову,", "Ворошилову, Ежову, Берзину."), font_px=40)
    second = render_typed_lines(("Сосредоточить на границе полки РККА.", "Разрешить Наркомфину перевести"), font_px=40)
    # page 2 is stored sideways with /Rotate 90, as scanners do when a page was laid in turned
    first.save(root / "plain.pdf", save_all=True, append_images=[second.rotate(90, expand=True)], resolution=float(DPI))
    import pypdfium2

    document = pypdfium2.PdfDocument(root / "plain.pdf")
    document[1].set_rotation(90)
    document.save(inputs / "delo.pdf")
    document.close()
    second.copy().save(inputs / "akt.tif", save_all=True, append_images=[first.copy()], dpi=(DPI, DPI))
    Image.fromarray(_scan()).save(inputs / "papka" / "l1.png", dpi=(DPI, DPI))
    second.copy().save(inputs / "papka" / "l2.jpg", dpi=(DPI, DPI), quality=92)
    done = _ocrfix("run", str(inputs), "-o", str(root / "out"), "--no-correct", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    done = _ocrfix("regenerate", str(root / "out"), "-o", str(root / "clean"), "--pdf", "--policy", "all")
    assert done.returncode == 0, done.stderr
    return root


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout


def test_one_text_alto_and_mets_per_document_in_reading_order(regenerated):
    clean, documents = regenerated / "clean", regenerated / "clean" / "documents"
    names = sorted(p.name for p in documents.iterdir())
    assert names == sorted([f"{d}.{s}" for d in ("akt", "delo", "papka") for s in ("txt", "alto.xml", "mets.xml", "pdf")]
                           + ["documents.json"])
    for document, pages in (("delo", ("delo-p001", "delo-p002")), ("papka", ("l1", "l2")), ("akt", ("akt-p001", "akt-p002"))):
        page_texts = [(clean / f"{p}.txt").read_text(encoding="utf-8") for p in pages]
        assert (documents / f"{document}.txt").read_text(encoding="utf-8") == "\f\n".join(page_texts)
        alto = etree.parse(str(documents / f"{document}.alto.xml"))
        schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "alto-4-3.xsd")))
        assert schema.validate(alto), schema.error_log
        assert [p.get("PHYSICAL_IMG_NR") for p in alto.iter(f"{ALTO}Page")] == ["1", "2"]
        ids = [e.get("ID") for e in alto.iter() if e.get("ID")]
        assert len(ids) == len(set(ids))
        per_page = [[s.get("CONTENT") for s in etree.parse(str(clean / f"{p}.alto.xml")).iter(f"{ALTO}String")] for p in pages]
        assert [s.get("CONTENT") for s in alto.iter(f"{ALTO}String")] == [w for words in per_page for w in words]
        mets = etree.parse(str(documents / f"{document}.mets.xml"))
        page_files = [f.find(f"{METS}FLocat").get(f"{XLINK}href") for f in mets.iter(f"{METS}file") if f.get("ID").startswith("PAGE")]
        assert page_files == [f"../{p}.page.xml" for p in pages]
        assert all((documents / href).is_file() for href in page_files)
    images = [f.find(f"{METS}FLocat").get(f"{XLINK}href") for f in etree.parse(str(documents / "delo.mets.xml")).iter(f"{METS}file")
              if f.get("ID").startswith("IMAGE")]
    assert [Path(i).name for i in images] == ["delo.pdf#page=1", "delo.pdf#page=2"]


def test_pdftotext_reads_the_regenerated_text_of_each_page(regenerated):
    clean = regenerated / "clean"
    for document, number, page_id in (("delo", 1, "delo-p001"), ("delo", 2, "delo-p002"), ("akt", 2, "akt-p002")):
        pdf = clean / "documents" / f"{document}.pdf"
        text = _pdftotext(pdf, "-f", str(number), "-l", str(number))
        assert text.split() == (clean / f"{page_id}.txt").read_text(encoding="utf-8").split()
        # the lines stay lines
        assert [line for line in text.splitlines() if line.strip()] == [
            line for line in (clean / f"{page_id}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    pdf = clean / "documents" / "delo.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "2", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info and "Page    2 rot:   90" in info


def test_a_pdf_keeps_its_own_pages_and_images(regenerated):
    """The searchable PDF of a PDF is its pages with text over them: the same images, byte for byte."""
    def images(pdf: Path) -> list[list[str]]:
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        return [line.split()[3:9] + line.split()[-2:] for line in listing.splitlines()[2:]]

    assert images(regenerated / "clean" / "documents" / "delo.pdf") == images(regenerated / "in" / "delo.pdf")
    # a JPEG goes in as it is (not decoded and re-encoded), a PNG losslessly
    papka = images(regenerated / "clean" / "documents" / "papka.pdf")
    assert [page[5] for page in papka] == ["image", "jpeg"]
    jpeg = (regenerated / "in" / "papka" / "l2.jpg").stat().st_size
    listed = papka[1][-2]  # e.g. "40.4K"
    assert abs(float(listed.rstrip("KB")) * (1024 if listed.endswith("K") else 1) - jpeg) < 0.01 * jpeg + 100


def test_pdf_word_boxes_match_the_alto_boxes_on_the_original_scan(regenerated):
    """On the skewed page set on a scanner bed: every word's box in the PDF is its ALTO box (original pixels)."""
    clean = regenerated / "clean"
    pdf = clean / "documents" / "papka.pdf"
    words = etree.fromstring(_pdftotext(pdf, "-bbox", "-f", "1", "-l", "1").encode()).iter("{http://www.w3.org/1999/xhtml}word")
    found = [(w.text, *(float(w.get(k)) * DPI / 72 for k in ("xMin", "yMin", "xMax", "yMax"))) for w in words]
    alto = etree.parse(str(clean / "l1.alto.xml"))
    page = alto.find(f".//{ALTO}Page")
    scan = _scan()
    assert (int(page.get("WIDTH")), int(page.get("HEIGHT"))) == (scan.shape[1], scan.shape[0])
    expected = []
    for string in alto.iter(f"{ALTO}String"):
        left, top = int(string.get("HPOS")), int(string.get("VPOS"))
        expected.append((string.get("CONTENT"), left, top, left + int(string.get("WIDTH")), top + int(string.get("HEIGHT"))))
    assert sorted(w[0] for w in found) == sorted(w[0] for w in expected)
    for text, left, top, right, bottom in expected:
        match = min((f for f in found if f[0] == text), key=lambda f: abs(f[1] - left) + abs(f[2] - top))
        # level words over the deskewed word's box: the same horizontal stretch...
        assert abs(match[1] - left) <= 4 and abs(match[3] - right) <= 4, (text, match, (left, top, right, bottom))
        # ... and the text's height holds the word's ink, centred near it
        centre = (top + bottom) / 2
        assert match[2] <= centre <= match[4], (text, match, (left, top, right, bottom))
        assert abs((match[2] + match[4]) / 2 - centre) <= 0.5 * (bottom - top) + 6


def test_a_missing_original_gives_no_pdf_but_everything_else(regenerated, tmp_path):
    moved = tmp_path / "l2.jpg"
    original = regenerated / "in" / "papka" / "l2.jpg"
    shutil.move(original, moved)
    try:
        done = _ocrfix("regenerate", str(regenerated / "out"), "-o", str(tmp_path / "clean"), "--pdf", "--policy", "all")
    finally:
        shutil.move(moved, original)
    assert done.returncode == 3
    assert "no searchable PDF for 1 document(s): papka" in done.stderr and "l2.jpg" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    documents = tmp_path / "clean" / "documents"
    assert (documents / "delo.pdf").is_file() and not (documents / "papka.pdf").exists()
    assert (documents / "papka.txt").is_file() and (tmp_path / "clean" / "l2.txt").is_file()


def test_the_batch_folder_gets_each_documents_corrected_text(regenerated):
    out = regenerated / "out"
    for document, pages in (("delo", ("delo-p001", "delo-p002")), ("papka", ("l1", "l2")), ("akt", ("akt-p001", "akt-p002"))):
        texts = [(out / p / "corrected.txt").read_text(encoding="utf-8") for p in pages]
        assert (out / "documents" / f"{document}.txt").read_text(encoding="utf-8") == "\f\n".join(texts)
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["akt.txt", "delo.txt", "documents.json", "papka.txt"]
