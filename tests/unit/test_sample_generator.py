"""The sample-scan generator (scripts/typewriter.py, scripts/make_sample_scans.py),
the committed sample pages and the gold reading of the seed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import make_sample_scans  # noqa: E402
import typewriter  # noqa: E402
from typewriter import PageLayout, ScanDamage, TypingStyle  # noqa: E402

SMALL_SHEET = PageLayout(paper_mm=(120.0, 70.0), margins_mm=(10.0, 10.0, 10.0, 10.0))
SAMPLE_TEXT = (
    "Выписка из протокола заседания Политбюро\n"
    "О Синьцзяне и торговле с Кашгаром\n"
    "\n"
    "Советское правительство готово дать совет"
)


def _estimate_skew(image: np.ndarray, limit: float = 6.0, step: float = 0.02) -> float:
    """Projection-profile skew: the angle whose rotated rows are sharpest.
    Independent of the generator's rotation code."""
    gray = image if image.ndim == 2 else image.mean(axis=2)
    ys, xs = np.nonzero(gray < 128)
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        radians = np.deg2rad(angle)
        rows = ys * np.cos(radians) + xs * np.sin(radians)
        histogram = np.bincount(np.round(rows - rows.min()).astype(int)).astype(np.float64)
        score = float((histogram**2).sum())
        if score > best_score:
            best_angle, best_score = float(angle), score
    return best_angle


# -- layout -----------------------------------------------------------------


def test_layout_wraps_at_spaces_and_keeps_blank_lines():
    lines = typewriter.layout_lines("Абв где ёжик два\n\nx", 8)
    assert lines == ("Абв где", "ёжик два", "", "x")


def test_layout_cuts_a_word_longer_than_the_line():
    assert typewriter.layout_lines("Синьцзянскому", 5) == ("Синьц", "зянск", "ому")


def test_layout_returns_nfc():
    decomposed = unicodedata.normalize("NFD", "Синьцзянский край")
    lines = typewriter.layout_lines(decomposed, 40)
    assert lines == ("Синьцзянский край",)
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_text_that_does_not_fit_the_sheet_is_refused():
    with pytest.raises(typewriter.LayoutError, match="lines need"):
        typewriter.render_page("строка\n" * 40, seed=1, damage="none", layout=SMALL_SHEET)


def test_a_character_the_font_cannot_draw_is_refused():
    with pytest.raises(typewriter.LayoutError, match="CJK"):
        typewriter.render_page("Кашгар 中", seed=1, damage="none", layout=SMALL_SHEET)


def test_unknown_font_names_the_problem():
    with pytest.raises(typewriter.FontMissingError, match="unknown font"):
        typewriter.find_font("no-such-font")


def test_unknown_damage_level_is_refused():
    with pytest.raises(ValueError, match="unknown damage level"):
        typewriter.damage_preset("catastrophic")


# -- determinism and output --------------------------------------------------


@pytest.mark.parametrize("level", ["light", "medium", "heavy"])
def test_same_seed_gives_identical_bytes(level):
    first = typewriter.render_page(SAMPLE_TEXT, seed=11, damage=level, layout=SMALL_SHEET)
    second = typewriter.render_page(SAMPLE_TEXT, seed=11, damage=level, layout=SMALL_SHEET)
    assert typewriter.encode_image(first.damaged) == typewriter.encode_image(second.damaged)
    assert typewriter.encode_image(first.clean) == typewriter.encode_image(second.clean)
    assert first.skew_degrees == second.skew_degrees


def test_different_seeds_give_different_pages():
    first = typewriter.render_page(SAMPLE_TEXT, seed=1, damage="medium", layout=SMALL_SHEET)
    second = typewriter.render_page(SAMPLE_TEXT, seed=2, damage="medium", layout=SMALL_SHEET)
    assert not np.array_equal(first.clean, second.clean)
    assert first.skew_degrees != second.skew_degrees


def test_colour_follows_the_paper_tint():
    gray = typewriter.render_page(SAMPLE_TEXT, seed=1, damage="light", layout=SMALL_SHEET)
    colour = typewriter.render_page(SAMPLE_TEXT, seed=1, damage="medium", layout=SMALL_SHEET)
    assert gray.damaged.ndim == 2
    assert colour.damaged.ndim == 3 and colour.damaged.shape[2] == 3
    height, width = colour.damaged.shape[:2]
    centre = colour.damaged[height // 3 : 2 * height // 3, width // 3 : 2 * width // 3].astype(float)
    inner_red, inner_blue = centre[..., 0], centre[..., 2]
    assert inner_red.mean() > inner_blue.mean() + 15  # yellowed paper


def test_ground_truth_is_what_was_typed():
    page = typewriter.render_page(SAMPLE_TEXT, seed=5, damage="none", layout=SMALL_SHEET)
    assert page.lines == typewriter.layout_lines(SAMPLE_TEXT, SMALL_SHEET.chars_per_line)
    assert page.text == "\n".join(page.lines) + "\n"
    # ink lies inside the boxes of typed lines, and blank lines have none
    for line, (x0, y0, x1, y1) in zip(page.lines, page.line_boxes):
        if line:
            assert (page.clean[y0:y1, x0:x1] < 128).sum() > 20 * len(line.replace(" ", ""))
        else:
            assert (x0, y0, x1, y1) == (0, 0, 0, 0)
    ink_outside = page.clean.copy()
    for x0, y0, x1, y1 in page.line_boxes:
        ink_outside[y0:y1, x0:x1] = 255
    assert (ink_outside < 200).sum() == 0


# -- skew ---------------------------------------------------------------------


@pytest.mark.parametrize("angle", [3.0, -4.5, 0.7])
def test_fixed_skew_is_applied_and_reported(angle):
    page = typewriter.render_page(
        SAMPLE_TEXT, seed=3, damage=ScanDamage(skew_degrees=angle, bed_level=1.0), style=TypingStyle.ideal(), layout=SMALL_SHEET
    )
    assert page.skew_degrees == angle
    assert _estimate_skew(page.damaged) == pytest.approx(angle, abs=0.1)


def test_random_skew_stays_within_bounds_and_is_reported():
    damage = typewriter.damage_preset("light", max_skew_degrees=5.0, speck_density=0.0, bed_level=1.0)
    page = typewriter.render_page(SAMPLE_TEXT, seed=8, damage=damage, style=TypingStyle.ideal(), layout=SMALL_SHEET)
    assert abs(page.skew_degrees) <= 5.0
    assert abs(page.skew_degrees) > 0.05
    assert _estimate_skew(page.damaged) == pytest.approx(page.skew_degrees, abs=0.1)


# -- real Tesseract reads what was drawn ---------------------------------------------


@pytest.mark.tesseract
@pytest.mark.parametrize("font", ["freemono", "liberation-mono"])
def test_tesseract_reads_an_undamaged_line(font, tmp_path):
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract binary not found on PATH")
    from rapidfuzz.distance import Levenshtein

    page = typewriter.render_page(
        SAMPLE_TEXT, seed=2, damage="none", style=TypingStyle.ideal(font), layout=SMALL_SHEET
    )
    x0, y0, x1, y1 = page.line_boxes[2]  # "О Синьцзяне и торговле с Кашгаром"
    crop = page.clean[max(0, y0 - 20) : y1 + 20, max(0, x0 - 20) : x1 + 20]
    image = tmp_path / "line.png"
    image.write_bytes(typewriter.encode_image(crop))
    result = subprocess.run(
        ["tesseract", str(image), "-", "-l", "rus", "--psm", "7"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    read = " ".join(result.stdout.split())
    expected = page.lines[2]
    assert Levenshtein.distance(read, expected) / len(expected) < 0.1, read


# -- committed data -------------------------------------------------------------------


def test_gold_reading_aligns_with_the_published_seed():
    published = (REPO / "tests/data/seed_published.txt").read_text(encoding="utf-8").split("\n")
    gold = (REPO / "tests/data/seed_gold.txt").read_text(encoding="utf-8").split("\n")
    assert len(gold) == len(published)
    for number, (pub, fixed) in enumerate(zip(published, gold), start=1):
        assert bool(pub.strip()) == bool(fixed.strip()), f"line {number}: blank in one file only"
    text = "\n".join(gold)
    assert unicodedata.is_normalized("NFC", text)
    latin = {ch for ch in text if "a" <= ch.lower() <= "z"}
    assert latin <= set("IVX"), f"Latin letters other than Roman numerals in the gold reading: {latin}"


def test_sample_texts_hold_the_seed():
    texts = REPO / "scans/texts"
    assert (texts / "page1.txt").read_bytes() == (REPO / "tests/data/seed_gold.txt").read_bytes()
    assert (texts / "page1.published.txt").read_bytes() == (REPO / "tests/data/seed_published.txt").read_bytes()


def test_committed_samples_match_their_texts():
    sample = REPO / "scans/sample"
    manifest = json.loads((sample / "manifest.json").read_text(encoding="utf-8"))
    stems = [entry["stem"] for entry in manifest["pages"]]
    assert stems == [page.stem for page in make_sample_scans.PAGES]
    total = 0
    for entry, page in zip(manifest["pages"], make_sample_scans.PAGES):
        text = (REPO / "scans/texts" / f"{page.stem}.txt").read_text(encoding="utf-8")
        expected = [" ".join(line.split()) for line in typewriter.layout_lines(text, page.layout.chars_per_line)]
        gt = (sample / entry["ground_truth"]).read_text(encoding="utf-8")
        assert gt == "\n".join(expected) + "\n"
        assert 20 <= sum(1 for line in expected if line) <= 60
        image = sample / entry["image"]
        assert image.is_file()
        total += image.stat().st_size
        if entry["published"]:
            assert (sample / entry["published"]).read_bytes() == (
                REPO / "scans/texts" / entry["published"]
            ).read_bytes()
    assert sum(1 for entry in manifest["pages"] if entry["published"]) >= 2
    assert total <= 15 * 1024 * 1024


@pytest.mark.slow
def test_sample_generator_reproduces_a_committed_page(tmp_path):
    """The committed page2 is what the script makes from the texts."""
    manifest = json.loads((REPO / "scans/sample/manifest.json").read_text(encoding="utf-8"))
    exit_code = make_sample_scans.main(
        ["--out", str(tmp_path), "--seed", str(manifest["base_seed"]), "--only", "page2"]
    )
    assert exit_code == 0
    entry = next(e for e in manifest["pages"] if e["stem"] == "page2")
    # Same pixels up to codec rounding: a libjpeg or OpenCV upgrade must not fail the suite,
    # a change in what is drawn must.
    from PIL import Image

    with Image.open(tmp_path / entry["image"]) as made, Image.open(REPO / "scans/sample" / entry["image"]) as kept:
        assert made.size == kept.size
        difference = np.abs(np.asarray(made, dtype=np.int16) - np.asarray(kept, dtype=np.int16))
    assert difference.mean() < 1.0


def test_a_large_skew_keeps_the_whole_sheet_on_the_scan():
    on_white_bed = ScanDamage(skew_degrees=-10.0, border_px=30, bed_level=1.0)
    page = typewriter.render_page(SAMPLE_TEXT, seed=4, damage=on_white_bed, layout=SMALL_SHEET)
    # linear interpolation preserves the amount of ink; a clipped corner would not
    ink_clean = float((255 - page.clean.astype(np.float64)).sum())
    ink_scan = float((255 - page.damaged.astype(np.float64)).sum())
    assert abs(ink_scan - ink_clean) < 0.01 * ink_clean
    on_dark_bed = typewriter.render_page(SAMPLE_TEXT, seed=4, damage=ScanDamage(skew_degrees=-10.0), layout=SMALL_SHEET)
    assert on_dark_bed.damaged.shape == (page.damaged.shape[0] - 60, page.damaged.shape[1] - 60)
    bed_dark = int((on_dark_bed.damaged < 60).sum())  # the bed shows round the rotated sheet
    assert bed_dark > 0.05 * on_dark_bed.damaged.size


def test_recorded_transform_maps_the_sheet_onto_the_scan():
    import cv2

    page = typewriter.render_page(
        SAMPLE_TEXT, seed=4, damage=ScanDamage(skew_degrees=6.0, border_px=25, bed_level=1.0), layout=SMALL_SHEET
    )
    height, width = page.damaged.shape
    matrix = np.array(page.sheet_to_scan, dtype=np.float64)
    mapped = cv2.warpAffine(page.clean, matrix, (width, height), borderValue=255)
    ink_mapped, ink_scan = mapped < 128, page.damaged < 128
    overlap = (ink_mapped & ink_scan).sum() / max(1, ink_scan.sum())
    assert overlap > 0.9
    x0, y0, x1, y1 = page.line_boxes[0]
    centre = matrix @ np.array([(x0 + x1) / 2, (y0 + y1) / 2, 1.0])
    assert 0 <= centre[0] < width and 0 <= centre[1] < height
