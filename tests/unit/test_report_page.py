"""diff.html / diff.json for one page: contents, escaping, crops, atomic writes."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from ocrfix.align import error_rates
from ocrfix.model import BBox, Block, Correction, Line, Page, Word, page_from_text
from ocrfix.report import FORMAT_NAME, FORMAT_VERSION, write_diff_files, write_page_report
from ocrfix.report.crops import LINE_HEIGHT, ink_threshold, page_scale

SAMPLE_SCAN = Path(__file__).resolve().parents[2] / "scans" / "sample" / "page1.jpg"
# A band of the raw sample scan (grey, yellowed, skewed, specks) and three typed lines in it, boxes in the band's pixels.
SCAN_BAND = (400, 650, 2500, 880)
SCAN_LINES = (
    ("Выписки посланы: т.т.Литвинову, Гринько, Арбузову.", BBox(50, 18, 1320, 96)),
    ("539.- О Синьцзяне.", BBox(50, 96, 520, 142)),
    ("1.Поручить врид. генконсула в Кашгаре т. Смирнову", BBox(50, 168, 2100, 228)),
)
CROP_RE = re.compile(r'<img alt="scan of line (\d+)" src="data:image/png;base64,([^"]+)"')

PUBLISHED = "Выписки посланы: т.т.Литвинову,\nГринько.\n\nСоветское правительство обсудив"
RAW = "Выписки послани: т.т.Литвинову, Гринько.\nСоветское правительство обсудив"
CORRECTED = "Выписки посланы: т.т.Литвинову, Гринько.\nСоветское правительство обсудив"
CORRECTION = Correction("послани", "посланы", 8, 15, 0, 0.42, "not in lexicon; и→ы is a common confusion", (("посланы", 0.42), ("послание", 1.3)))
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def _page_with_boxes(text: str, confidences: dict[str, float] | None = None) -> tuple[Page, Image.Image]:
    """A page model with one box per line and word, and a white image of that size with a dark bar per line."""
    confidences = confidences or {}
    lines, top = [], 10
    image = Image.new("L", (800, 40 * len(text.splitlines()) + 20), 255)
    draw = ImageDraw.Draw(image)
    for number, line_text in enumerate(text.splitlines()):
        words, left = [], 10
        for word in line_text.split():
            width = 12 * len(word)
            words.append(Word(word, BBox(left, top, left + width, top + 30), confidences.get(word, 91.0)))
            draw.rectangle((left, top + 5, left + width, top + 25), fill=40 + 20 * number)
            left += width + 12
        lines.append(Line(tuple(words), BBox(10, top, left, top + 30)))
        top += 40
    return Page((Block(tuple(lines)),), width=image.width, height=image.height, source="sample.png"), image


def _report(tmp_path: Path, **overrides) -> tuple[dict, str]:
    arguments = dict(reference=PUBLISHED, raw=RAW, corrected=CORRECTED, corrections=[CORRECTION])
    arguments.update(overrides)
    write_page_report(tmp_path, **arguments)
    data = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    return data, (tmp_path / "diff.html").read_text(encoding="utf-8")


def test_json_holds_metrics_texts_lines_and_corrections(tmp_path: Path) -> None:
    data, _ = _report(tmp_path)
    assert (data["format"], data["format_version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert data["texts"] == {"reference": PUBLISHED, "raw": RAW, "hypothesis": CORRECTED}
    expected = error_rates(PUBLISHED, CORRECTED)
    assert data["metrics"]["hypothesis_vs_reference"]["cer"] == pytest.approx(expected.cer)
    assert data["metrics"]["hypothesis_vs_reference"]["char_edits"] == expected.char_edits
    assert data["metrics"]["raw_vs_reference"]["char_edits"] == error_rates(PUBLISHED, RAW).char_edits
    # Only layout differs between published and corrected.
    assert data["metrics"]["hypothesis_vs_reference"]["layout_insensitive"]["char_edits"] == 0
    [correction] = data["corrections"]
    assert correction["original"] == "послани" and correction["hypothesis_span"] == [8, 15]
    assert correction["report_line"] == 1
    assert [line["hypothesis"] for line in data["lines"]] == CORRECTED.splitlines()
    first = data["lines"][0]
    assert first["raw"] == "Выписки послани: т.т.Литвинову, Гринько." and first["corrected"] is True and not first["differs"]
    assert first["corrections"] == [0]
    ops = data["operations"]["char"]["hypothesis_vs_raw"]
    assert [(op["ref_text"], op["hyp_text"]) for op in ops if op["op"] != "equal"] == [("и", "ы")]
    assert {"hypothesis_vs_raw", "raw_vs_reference", "hypothesis_vs_reference"} <= set(data["operations"]["word"])
    assert data["confusions"]["raw_vs_reference"] == [{"reference": "ы", "hypothesis": "и", "count": 1}]


def test_return_value_is_corrected_against_reference(tmp_path: Path) -> None:
    assert write_page_report(tmp_path, reference="абв", raw="абг", corrected="абв", corrections=[]) == error_rates("абв", "абв")


def test_without_reference_the_corrected_text_is_compared_with_raw(tmp_path: Path) -> None:
    rates = write_page_report(tmp_path, reference=None, raw=RAW, corrected=CORRECTED, corrections=[CORRECTION])
    assert rates == error_rates(RAW, CORRECTED)
    data = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert data["texts"]["reference"] is None and list(data["metrics"]) == ["hypothesis_vs_raw"]
    html = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert "published" not in html


def test_empty_reference_writes_null_rates_not_infinity(tmp_path: Path) -> None:
    data, _ = _report(tmp_path, reference="", corrections=[])
    assert data["metrics"]["hypothesis_vs_reference"]["cer"] is None
    assert data["metrics"]["hypothesis_vs_reference"]["char_edits"] > 0


def test_markup_in_texts_is_escaped_everywhere(tmp_path: Path) -> None:
    hostile_correction = Correction("x", HOSTILE, 0, 1, 0, 1.0, HOSTILE, ((HOSTILE, 1.0),))
    data, html = _report(
        tmp_path, reference=HOSTILE + "\nтекст", raw="x текст", corrected=HOSTILE + " текст", corrections=[hostile_correction]
    )
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # our own, and only ours
    assert data["texts"]["reference"].startswith(HOSTILE)  # the JSON keeps the text as it is


def test_html_is_self_contained_and_locks_scripts_to_its_own(tmp_path: Path) -> None:
    _, html = _report(tmp_path)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy


def test_changed_lines_get_a_crop_of_the_scan(tmp_path: Path) -> None:
    page, image = _page_with_boxes(CORRECTED)
    image.save(tmp_path / "page.png")
    _, html = _report(tmp_path, page=page, image_path=tmp_path / "page.png")
    crops = CROP_RE.findall(html)
    assert [number for number, _ in crops] == ["1"]  # line 2 is unchanged: no crop
    crop = Image.open(io.BytesIO(base64.b64decode(crops[0][1])))
    assert crop.mode == "1"  # ink and paper, one bit a pixel
    assert crop.height <= 56 and crop.width > 4 * crop.height
    assert crop.getextrema()[0] < 100  # the dark bar of line 1 is in it


def _scan_report(tmp_path: Path) -> str:
    """The report of three lines of the real sample scan, each differing from its published reading."""
    with Image.open(SAMPLE_SCAN) as scan:
        scan.convert("L").crop(SCAN_BAND).save(tmp_path / "scan.png")
    width, height = SCAN_BAND[2] - SCAN_BAND[0], SCAN_BAND[3] - SCAN_BAND[1]
    lines = tuple(Line((Word(text, box, 90.0),), box) for text, box in SCAN_LINES)
    page = Page((Block(lines),), width=width, height=height, source="scan.png")
    text = "\n".join(text for text, _ in SCAN_LINES)
    published = "\n".join("Ж" + text[1:] for text, _ in SCAN_LINES)  # each line misread at its first letter
    write_page_report(tmp_path, reference=published, raw=text, corrected=text, corrections=[], page=page, image_path=tmp_path / "scan.png")
    return (tmp_path / "diff.html").read_text(encoding="utf-8")


def test_every_differing_line_of_a_real_scan_gets_a_small_bilevel_crop(tmp_path: Path) -> None:
    crops = CROP_RE.findall(_scan_report(tmp_path))
    assert [number for number, _ in crops] == ["1", "2", "3"]
    for _, encoded in crops:
        # Size budget: a crop of a typed line costs under 2,000 bytes of the report (256-grey crops cost ~12,000).
        assert len(encoded) < 2000
        crop = Image.open(io.BytesIO(base64.b64decode(encoded)))
        crop.load()
        assert crop.format == "PNG" and crop.mode == "1"
        # Readable: the line is drawn about LINE_HEIGHT pixels high, and the ink survived thresholding the grey, yellowed scan.
        assert 0.8 * LINE_HEIGHT <= crop.height <= 1.6 * LINE_HEIGHT
        ink = crop.convert("L").histogram()[0] / (crop.width * crop.height)
        assert 0.03 < ink < 0.35


def test_crops_of_one_page_share_one_scale(tmp_path: Path) -> None:
    crops = CROP_RE.findall(_scan_report(tmp_path))
    sizes = [Image.open(io.BytesIO(base64.b64decode(encoded))).size for _, encoded in crops]
    boxes = [box for _, box in SCAN_LINES]
    ratios = [size[0] / (box.width + 8) for size, box in zip(sizes, boxes)]  # 8: the padding around a box
    assert max(ratios) - min(ratios) < 0.01  # a short line is not enlarged beside a long one
    assert ratios[0] < 1.0


def test_ink_threshold_separates_ink_from_paper() -> None:
    bilevel = [0] * 256
    bilevel[0], bilevel[255] = 1_000, 9_000
    assert ink_threshold(bilevel) == 128  # any level separates a bilevel image: the middle one
    scan = [0] * 256
    for level in range(30, 51):
        scan[level] = 100  # ink around 40
    for level in range(185, 216):
        scan[level] = 2_000  # yellowed paper around 200
    assert 50 < ink_threshold(scan) <= 185
    blank = [0] * 256
    blank[200], blank[210] = 5_000, 5_000
    assert ink_threshold(blank) == 128  # no ink: no threshold found inside the paper's noise
    assert ink_threshold([0] * 256) == 128


def test_page_scale_brings_the_median_line_to_the_crop_line_height() -> None:
    page, _ = _page_with_boxes(CORRECTED)  # lines 30 pixels high
    assert page_scale(page, 0.5) == 1.0  # lines 15 pixels high in the image: never enlarged
    assert page_scale(page, 2.0) == pytest.approx(LINE_HEIGHT / 60)
    assert page_scale(page_from_text(CORRECTED), 1.0) == 1.0  # no boxes


def test_unchanged_text_is_written_without_markup(tmp_path: Path) -> None:
    _, html = _report(tmp_path)
    assert '<td class="text">Советское правительство обсудив</td>' in html
    assert 'class="p-same"' not in html


def test_boxes_are_scaled_when_the_image_has_another_size(tmp_path: Path) -> None:
    page, image = _page_with_boxes(CORRECTED)
    image.resize((image.width // 2, image.height // 2)).save(tmp_path / "small.png")
    _, html = _report(tmp_path, page=page, image_path=tmp_path / "small.png")
    [(_, encoded)] = CROP_RE.findall(html)
    crop = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert crop.getextrema()[0] < 100


def test_a_missing_image_gives_a_report_without_crops(tmp_path: Path) -> None:
    page, _ = _page_with_boxes(CORRECTED)
    _, html = _report(tmp_path, page=page, image_path=tmp_path / "nowhere.png")
    assert "data:image/png" not in html


def test_low_confidence_words_are_marked(tmp_path: Path) -> None:
    page, _ = _page_with_boxes(CORRECTED, {"правительство": 31.0})
    data, html = _report(tmp_path, page=page)
    assert [line["low_confidence"] for line in data["lines"]] == [False, True]
    assert 'title="OCR confidence 31"' in html
    assert data["lines"][1]["page_lines"] == [1]


def test_a_correction_whose_offsets_do_not_match_is_listed_without_a_span(tmp_path: Path) -> None:
    wrong = Correction("нету", "нет", 0, 4, 0, 1.0, "mismatched offsets")
    data, _ = _report(tmp_path, corrections=[CORRECTION, wrong])
    assert [c["hypothesis_span"] for c in data["corrections"]] == [[8, 15], None]


def test_writes_replace_old_files_and_leave_no_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "diff.html").write_text("old", encoding="utf-8")
    _report(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diff.html", "diff.json"]
    assert (tmp_path / "diff.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_page_without_geometry_works(tmp_path: Path) -> None:
    data, _ = _report(tmp_path, page=page_from_text(CORRECTED))
    assert data["lines"][0]["page_lines"] == [0]


def test_diff_files_for_two_texts(tmp_path: Path) -> None:
    rates = write_diff_files(
        reference=PUBLISHED, hypothesis=RAW, html_path=tmp_path / "a.html", json_path=tmp_path / "a.json", reference_label="pub.txt", hypothesis_label="ocr.txt"
    )
    assert rates == error_rates(PUBLISHED, RAW)
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["labels"] == {"reference": "pub.txt", "hypothesis": "ocr.txt"} and data["texts"]["raw"] is None
    assert data["lines"][0]["differs"] is True
    assert "ocr.txt" in (tmp_path / "a.html").read_text(encoding="utf-8")
    write_diff_files(reference="a", hypothesis="b", json_path=tmp_path / "only.json")
    assert not (tmp_path / "only.html").exists() and (tmp_path / "only.json").exists()


def test_corrections_are_located_by_word_ids_not_offsets(tmp_path: Path) -> None:
    """A speck removed before a correction shifts every later offset; the report finds the
    corrections by the ids of the words they replaced, so none ends unlocated."""
    from ocrfix.model import with_ids
    from ocrfix.report.view import build_page_view

    raw_page = with_ids(page_from_text("Выписки | послани: т.т.Литвинову, Гринько.\n"))
    ids = [w.id for w in raw_page.words]
    raw = raw_page.text
    corrected_words = ["Выписки", "посланы:", "т.т.Литвинову,", "Гринько."]
    line = raw_page.blocks[0].lines[0]
    kept = tuple(w if w.text != "|" else None for w in line.words)
    words = tuple(replace(w, text=t) for w, t in zip((w for w in kept if w is not None), corrected_words))
    page = replace(raw_page, blocks=(replace(raw_page.blocks[0], lines=(replace(line, words=words),)),))
    hypothesis = page.text
    # offsets of another layout of the text (as a speck pass that blanked '| ' records them): they match nothing
    corrections = [
        Correction(" |", "", 7, 9, 0, 0.1, "speck", word_ids=(ids[1],)),
        Correction("послани", "посланы", 12, 19, 0, 0.42, "non-word", word_ids=(ids[2],)),
    ]
    view = build_page_view(hypothesis=hypothesis, others=[("raw", "raw OCR", raw)], raw_key="raw",
                           corrections=corrections, page=page)
    spans = {c.index: c.hypothesis_span for c in view.corrections}
    assert spans[0] is None  # the speck's word is gone
    start, end = spans[1]
    assert hypothesis[start:end] == "посланы:"
    assert 1 in view.lines[0].corrections
