"""Preprocessing steps on small typed pages rendered in the test (no Tesseract here)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError
from ocrfix.preprocess import LoadedImage, PreprocessResult, binarize, deskew, illumination, orientation, page, preprocess, scale

FONT = Path("/usr/share/fonts/truetype/freefont/FreeMono.ttf")
LINES = (
    "Разрешить Наркомфину СССР перевести",
    "Генконсулу СССР в Харбине за счет",
    "резервного фонда СНК СССР 10.286 руб.",
    "для уплаты правительству половины",
    "сумм, присужденных по искам к бывш.",
    "Выписки посланы: т.т.Литвинову,",
    "Гринько, Арбузову. О Синьцзяне.",
    "Поручить врид. генконсула в Кашгаре",
)


def typed_page(font_px: int = 26, lines: tuple[str, ...] = LINES, margin: int = 40) -> np.ndarray:
    """A clean gray page of flush-left typed lines (x-height about 0.42 * font_px)."""
    if not FONT.exists():
        pytest.skip(f"font {FONT} missing (Debian package fonts-freefont-ttf)")
    font = ImageFont.truetype(str(FONT), font_px)
    pitch = int(font_px * 1.7)
    width = int(max(len(line) for line in lines) * font_px * 0.6) + 2 * margin
    image = Image.new("L", (width, pitch * len(lines) + 2 * margin), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * pitch), line, font=font, fill=0)
    return np.asarray(image).copy()


def rotated(pixels: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """Counter-clockwise rotation (Pillow's convention), canvas expanded."""
    return np.asarray(Image.fromarray(pixels).rotate(degrees, expand=True, fillcolor=fill, resample=Image.BICUBIC)).copy()


def ink_count(image: np.ndarray) -> int:
    """Ink pixels of a binary page, or of a grey one (a clean page is kept grey)."""
    return int(np.count_nonzero(image < 128))


def letters(image: np.ndarray) -> int:
    count, _, stats, _ = cv2.connectedComponentsWithStats((image < 128).astype(np.uint8), connectivity=8)
    return int(np.count_nonzero(stats[1:, cv2.CC_STAT_HEIGHT] >= 5))


def step(result: PreprocessResult, name: str) -> dict:
    for s in result.steps:
        if s.name == f"preprocess.{name}":
            return s.settings
    raise AssertionError(f"step {name} not recorded: {[s.name for s in result.steps]}")


# --- deskew -----------------------------------------------------------------


@pytest.mark.parametrize("angle", [-7.5, -2.3, 0.0, 1.1, 4.0, 9.5])
def test_skew_is_measured_within_a_fifth_of_a_degree(angle: float) -> None:
    estimate = deskew.estimate_skew(rotated(typed_page(), angle), max_degrees=10.0)
    assert estimate.confident
    assert estimate.quarter_turns == 0
    assert estimate.degrees == pytest.approx(angle, abs=0.2)


def test_preprocess_straightens_the_page_and_reports_the_angle() -> None:
    result = preprocess(rotated(typed_page(), 3.0), PreprocessConfig())
    assert result.skew_degrees == pytest.approx(3.0, abs=0.2)
    assert step(result, "deskew")["skew_degrees"] == result.skew_degrees
    # The straightened output measures (almost) no skew.
    assert deskew.estimate_skew(result.image, detect_quarter_turn=False).degrees == pytest.approx(0.0, abs=0.2)


def test_blank_page_gives_no_skew_measurement() -> None:
    estimate = deskew.estimate_skew(np.full((300, 200), 255, np.uint8))
    assert not estimate.confident and estimate.degrees == 0.0


# --- orientation ------------------------------------------------------------


def test_quarter_turned_page_is_turned_back() -> None:
    upright = typed_page()
    result = preprocess(np.rot90(upright, 1), PreprocessConfig())
    assert step(result, "deskew")["quarter_turns"] in (1, 3)
    height, width = result.image.shape
    assert width > height  # the lines run across again, as in the upright page
    assert deskew.estimate_skew(result.image, detect_quarter_turn=True).quarter_turns == 0


def test_upside_down_page_is_detected_from_its_flush_margin() -> None:
    upright = typed_page()
    assert not orientation.is_upside_down(upright)
    assert orientation.is_upside_down(np.rot90(upright, 2))
    result = preprocess(np.rot90(upright, 2), PreprocessConfig())
    assert step(result, "deskew")["upside_down"] is True
    assert not orientation.is_upside_down(result.image)


def test_orientation_detection_can_be_switched_off() -> None:
    result = preprocess(np.rot90(typed_page(), 2), PreprocessConfig(detect_orientation=False))
    assert step(result, "deskew")["upside_down"] is False


# --- page detection ------------------------------------------------------------


def with_scanner_bed(pixels: np.ndarray, border: int, angle: float, bed: int = 25) -> np.ndarray:
    """The sheet rotated by ``angle`` on a dark bed ``border`` pixels wide."""
    sheet = rotated(pixels, angle, fill=bed)
    return cv2.copyMakeBorder(sheet, border, border, border, border, cv2.BORDER_CONSTANT, value=bed)


def test_dark_scanner_bed_is_cropped_and_no_text_is_lost() -> None:
    clean = typed_page()
    scan = with_scanner_bed(clean, border=50, angle=2.0)
    region = page.find_paper(scan)
    assert region.found_border
    assert region.box.left >= 30 and region.box.top >= 30
    assert region.box.right <= scan.shape[1] - 30 and region.box.bottom <= scan.shape[0] - 30
    result = preprocess(scan, PreprocessConfig(binarize="otsu"))
    reference = preprocess(clean, PreprocessConfig(binarize="otsu"))
    # No bed left: nothing dark touches the output's edges ...
    edges = np.concatenate([result.image[:3].ravel(), result.image[-3:].ravel(), result.image[:, :3].ravel(), result.image[:, -3:].ravel()])
    assert (edges == 255).all()
    # ... and every letter of the clean page is still there.
    assert letters(result.image) == pytest.approx(letters(reference.image), rel=0.03)


def test_page_without_border_is_not_cropped() -> None:
    clean = typed_page()
    region = page.find_paper(clean)
    assert not region.found_border
    assert region.box.as_list() == [0, 0, clean.shape[1], clean.shape[0]]


def test_unevenly_lit_page_without_border_keeps_its_dim_side() -> None:
    clean = typed_page().astype(np.float32)
    light = np.linspace(1.0, 0.55, clean.shape[1], dtype=np.float32)[None, :]
    dim = np.clip(clean * light, 0, 255).astype(np.uint8)
    region = page.find_paper(dim)
    assert region.box.right == dim.shape[1] and region.box.left == 0


# --- illumination, binarisation, despeckle ----------------------------------


def test_flattening_brings_uneven_paper_to_white() -> None:
    clean = typed_page().astype(np.float32)
    light = np.linspace(1.0, 0.5, clean.shape[1], dtype=np.float32)[None, :] * 0.9
    dim = np.clip(clean * light, 0, 255).astype(np.uint8)
    flat = illumination.flatten(dim)
    paper = typed_page() == 255
    solid_ink = typed_page() < 64
    assert flat[paper].mean() > 240
    assert np.percentile(flat[paper], 5) > 220
    assert flat[solid_ink].mean() < 80  # ink stays dark


def test_binarised_output_is_black_and_white_and_keeps_the_letters() -> None:
    clean = typed_page()
    result = preprocess(clean, PreprocessConfig(clean_paper_noise=0.0))  # binarise even a clean page
    assert set(np.unique(result.image)) <= {0, 255}
    _, reference = cv2.threshold(clean, 128, 255, cv2.THRESH_BINARY)
    assert letters(result.image) == pytest.approx(letters(reference), rel=0.05)


@pytest.mark.parametrize("method", ["otsu", "sauvola"])
def test_binarisation_method_can_be_forced(method: str) -> None:
    result = preprocess(typed_page(), PreprocessConfig(binarize=method))
    settings = step(result, "binarize")
    assert settings["method"] == method and settings["requested"] == method
    assert set(np.unique(result.image)) <= {0, 255}


def test_auto_binarisation_prefers_otsu_on_a_clean_page_and_sauvola_on_uneven_ink() -> None:
    clean = typed_page()
    assert binarize.choose_method(clean) == "otsu"
    faded = clean.astype(np.float32)
    fade = np.linspace(0.0, 0.9, clean.shape[1], dtype=np.float32)[None, :]
    faded = 255 - (255 - faded) * (1 - fade)  # ink fades to nearly nothing towards the right
    noisy = np.clip(faded + np.random.default_rng(1).normal(0, 30, faded.shape), 0, 255).astype(np.uint8)
    assert binarize.choose_method(noisy) == "sauvola"


def test_sauvola_keeps_faint_letters_that_otsu_drops() -> None:
    clean = typed_page()
    mixed = clean.copy()
    half = clean.shape[0] // 2
    mixed[half:] = 255 - ((255 - clean[half:].astype(np.int32)) // 3)  # bottom half: ink at a third of the contrast
    mixed[:half] = clean[:half]
    local = binarize.sauvola(mixed, window=31).image
    global_ = binarize.otsu(mixed).image
    assert letters(local[half:]) > 1.5 * letters(global_[half:])


def test_despeckle_removes_dust_but_keeps_punctuation() -> None:
    clean = binarize.otsu(typed_page()).image
    dusty = clean.copy()
    rng = np.random.default_rng(5)
    height, width = dusty.shape
    for _ in range(30):  # dust in the margins, far from letters
        y, x = int(rng.integers(3, 30)), int(rng.integers(3, width - 3))
        cv2.circle(dusty, (x, y), 1, 0, -1)
    cleaned, report = binarize.despeckle(dusty, x_height=11.0, speck_size=0.12)
    assert report.isolated + report.tiny >= 25
    assert ink_count(cleaned[:32]) == ink_count(clean[:32])
    # Periods and commas of the text survive: the text area is unchanged.
    assert ink_count(cleaned[40:]) == ink_count(clean[40:])


# --- scale -----------------------------------------------------------------------


def test_x_height_is_measured() -> None:
    measured = scale.estimate_x_height(typed_page(font_px=40))
    assert measured is not None
    assert measured == pytest.approx(0.42 * 40, rel=0.15)


def test_small_type_is_enlarged_to_the_target_x_height() -> None:
    small = typed_page(font_px=22)  # x-height about 9-10 px
    result = preprocess(small, PreprocessConfig(target_x_height=26))
    settings = step(result, "rescale")
    assert result.scale == pytest.approx(26 / settings["x_height_before"], rel=0.01)
    assert result.scale > 2.0
    assert result.x_height == pytest.approx(26, rel=0.1)
    assert scale.estimate_x_height(result.image) == pytest.approx(26, rel=0.15)


def test_clean_page_is_kept_grey_and_unsharpened() -> None:
    """Sharpening and a global threshold lose lightly struck strokes: a page whose paper is calm stays grey."""
    result = preprocess(typed_page(), PreprocessConfig())
    names = [s.name for s in result.steps]
    assert "preprocess.keep-grey" in names and "preprocess.sharpen" not in names and "preprocess.binarize" not in names
    assert step(result, "keep-grey")["clean"] is True
    noisy = np.clip(typed_page().astype(np.float32) + np.random.default_rng(1).normal(0, 8, typed_page().shape), 0, 255)
    damaged = preprocess(noisy.astype(np.uint8), PreprocessConfig())
    assert "preprocess.binarize" in [s.name for s in damaged.steps]


def test_noise_does_not_pass_for_letters_when_measuring_the_x_height() -> None:
    """Specks that outnumber the letters must not set the scale: the page keeps its size."""
    page_image = typed_page(font_px=56)  # x-height about 24: in range
    rng = np.random.default_rng(4)
    specks = page_image.copy()
    for y, x in zip(rng.integers(0, specks.shape[0], 6000), rng.integers(0, specks.shape[1], 6000)):
        cv2.circle(specks, (int(x), int(y)), int(rng.integers(2, 4)), 0, -1)
    result = preprocess(specks, PreprocessConfig())
    assert result.scale <= 1.25


def test_type_already_in_range_is_not_rescaled() -> None:
    result = preprocess(typed_page(font_px=56), PreprocessConfig())  # x-height about 24
    assert result.scale == 1.0


# --- negatives, empty pages ----------------------------------------------------------


def test_negative_scan_is_inverted() -> None:
    clean = typed_page()
    result = preprocess(255 - clean, PreprocessConfig())
    assert step(result, "invert")["inverted"] is True
    assert ink_count(result.image) < 0.3 * result.image.size
    assert letters(result.image) == pytest.approx(letters(preprocess(clean, PreprocessConfig()).image), rel=0.03)


@pytest.mark.parametrize("value", [0, 255, 128])
def test_uniform_page_is_reported_empty(value: int) -> None:
    result = preprocess(np.full((400, 300), value, np.uint8), PreprocessConfig())
    assert result.empty
    assert (result.image == 255).all()
    assert step(result, "empty")["reason"]


def test_page_of_faint_paper_grain_is_empty() -> None:
    grain = np.clip(np.random.default_rng(2).normal(225, 6, (400, 300)), 0, 255).astype(np.uint8)
    assert preprocess(grain, PreprocessConfig()).empty


def test_a_page_with_text_is_not_empty() -> None:
    assert not preprocess(typed_page(), PreprocessConfig()).empty


# --- configuration, records, intermediates ----------------------------------------------


def test_every_step_can_be_switched_off() -> None:
    pixels = rotated(typed_page(), 2.0)
    config = PreprocessConfig(
        crop_borders=False,
        deskew=False,
        detect_orientation=False,
        flatten_illumination=False,
        denoise=False,
        binarize="none",
        rescale=False,
        invert_negatives=False,
        sharpen_amount=0.0,
        fat_stroke=0.0,
        toner_specks=0.0,
        dither_tiles=0.0,
        lift_stains=False,
        unbend=False,
    )
    result = preprocess(pixels, config)
    assert [s.name for s in result.steps] == ["preprocess.gray"]
    assert np.array_equal(result.image, pixels)
    assert result.skew_degrees == 0.0 and result.scale == 1.0


def test_steps_record_their_measurements() -> None:
    result = preprocess(LoadedImage(rotated(typed_page(), -1.5), 300.0, "t.png", 0), PreprocessConfig(clean_paper_noise=0.0))
    names = [s.name for s in result.steps]
    assert names == [
        "preprocess.gray",
        "preprocess.invert",
        "preprocess.crop",
        "preprocess.flatten",
        "preprocess.dither",
        "preprocess.toner",
        "preprocess.deskew",
        "preprocess.rescale",
        "preprocess.thin",
        "preprocess.stains",
        "preprocess.unbend",
        "preprocess.sharpen",
        "preprocess.binarize",
        "preprocess.despeckle",
    ]
    assert step(result, "thin")["thinned"] is False
    assert step(result, "unbend")["bent"] is False
    assert step(result, "stains") == {"stained_share": None, "lifted": False}  # paper noise 0 here: no paper is calm
    assert step(result, "toner")["filtered"] is False and step(result, "toner")["specks_per_letter"] < 1.0
    assert step(result, "dither") == {"dithered_share": 0.0, "cleared": False, "ink_level": None}
    assert len(step(result, "crop")["box"]) == 4
    assert step(result, "binarize")["method"] in ("otsu", "sauvola")
    assert step(result, "rescale")["factor"] == pytest.approx(result.scale, abs=1e-4)
    assert all(s.version for s in result.steps)


def test_intermediates_are_written_in_order(tmp_path: Path) -> None:
    out = tmp_path / "steps"
    preprocess(rotated(typed_page(), 1.0), PreprocessConfig(clean_paper_noise=0.0), intermediates_dir=out)
    names = sorted(p.name for p in out.iterdir())
    assert names[0] == "01-gray.png"
    assert any(n.endswith("-deskew.png") for n in names)
    assert names[-1].endswith("-despeckle.png")
    last = cv2.imread(str(out / names[-1]), cv2.IMREAD_GRAYSCALE)
    assert last is not None and set(np.unique(last)) <= {0, 255}


def test_rgb_input_is_accepted() -> None:
    gray = typed_page()
    tinted = np.stack([gray, (gray * 0.92).astype(np.uint8), (gray * 0.75).astype(np.uint8)], axis=2)
    result = preprocess(tinted, PreprocessConfig())
    assert result.image.ndim == 2 and not result.empty


def test_empty_array_is_bad_input() -> None:
    with pytest.raises(BadInputError):
        preprocess(np.zeros((0, 0), np.uint8), PreprocessConfig())


def test_unknown_binarisation_is_refused() -> None:
    with pytest.raises(BadInputError, match="unknown binarisation"):
        preprocess(typed_page(), PreprocessConfig(binarize="magic"))


def test_text_bands_count_the_lines_of_a_crop_too_small_for_an_x_height() -> None:
    from conftest import render_typed_lines

    from ocrfix.preprocess.lines import text_bands
    from ocrfix.recognition import input_kind

    word = np.asarray(render_typed_lines(("КАНЕВ.",), font_px=40))
    rows, cols = np.nonzero(word < 128)
    crop = word[rows.min() - 10 : rows.max() + 10, cols.min() - 10 : cols.max() + 10]
    bands = text_bands(crop)
    assert bands is not None and bands.lines == 1
    assert input_kind(crop.shape[0], crop.shape[1], None, (bands.lines, bands.line_height)) == "line"
    three = np.asarray(render_typed_lines(("Канев", "Киев", "Харбин"), font_px=40))
    rows, cols = np.nonzero(three < 128)
    block = three[rows.min() - 10 : rows.max() + 10, cols.min() - 10 : cols.max() + 10]
    found = text_bands(block)
    assert found is not None and found.lines == 3
    assert input_kind(block.shape[0], block.shape[1], None, (found.lines, found.line_height)) == "block"
    assert text_bands(np.full((50, 200), 255, np.uint8)) is None


def _grains(pixels: np.ndarray, count: int, seed: int, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """Toner grains of two to four pixels sown over ``box`` (top, left, bottom, right; the whole page when None)."""
    out = pixels.copy()
    top, left, bottom, right = box or (0, 0, out.shape[0] - 2, out.shape[1] - 2)
    rng = np.random.default_rng(seed)
    for _ in range(count):
        y, x = int(rng.integers(top, bottom)), int(rng.integers(left, right))
        h, w = ((2, 1), (1, 2), (2, 2))[int(rng.integers(0, 3))]
        out[y : y + h, x : x + w] = 40
    return out


def test_the_toner_filter_clears_grains_only_where_its_premise_holds() -> None:
    from ocrfix.preprocess import noise

    clean = typed_page(font_px=40)
    assert noise.toner_dust(clean, 1.0).filtered is None  # no grains: nothing to filter
    dusty = _grains(clean, 4000, 1)
    dust = noise.toner_dust(dusty, 1.0)
    assert dust.specks_per_letter >= 5 and dust.filtered is not None and dust.specks_cleared >= 0.9
    assert noise.toner_dust(dusty, 0.0).filtered is not None and noise.toner_dust(_grains(clean, 60, 1), 1.0).filtered is None
    # the letters survive the median: the page thresholds to nearly the clean page's ink
    ink = lambda image: cv2.threshold(image, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]  # noqa: E731
    kept = ink(dust.filtered)[ink(clean) > 0].mean()
    assert kept >= 0.9, kept
    # a dense dither (a grey blotch of grains touching each other) is merged by a median into clumps: left as it is
    blotch = _grains(clean, 60000, 2, (0, 0, clean.shape[0] // 2, clean.shape[1] - 2))
    dither = noise.toner_dust(blotch, 1.0)
    assert dither.specks_per_letter >= 1.0 and dither.filtered is None, dither.settings()
    assert dither.dense and dither.settings()["dense"] is True  # said so: the page's fallbacks depend on it
    assert not dust.dense and not noise.toner_dust(clean, 1.0).dense


def test_a_dusty_page_is_median_filtered_and_thresholded_however_calm_its_paper_then_is() -> None:
    result = preprocess(_grains(typed_page(font_px=40), 4000, 3), PreprocessConfig())
    names = [s.name for s in result.steps]
    toner = next(s for s in result.steps if s.name == "preprocess.toner")
    assert toner.settings["filtered"] is True and "preprocess.binarize" in names and "preprocess.keep-grey" not in names
    off = preprocess(_grains(typed_page(font_px=40), 4000, 3), PreprocessConfig(toner_specks=0.0))
    assert "preprocess.toner" not in [s.name for s in off.steps]


@pytest.mark.parametrize(
    "settings",
    [
        {},  # the page's own preparation
        {"binarize": "none", "sharpen_amount": 0.0, "denoise": False},  # kept grey
        {"clean_paper_noise": 0.0},  # treated as damaged
        {"binarize": "sauvola"},
    ],
)
def test_a_shaped_page_finishes_as_the_whole_preprocessing_does(settings: dict) -> None:
    """The preparations of one page share its shaping: finishing it with other tone settings gives
    what preprocessing the page afresh with those settings gives, image, steps and geometry."""
    from dataclasses import replace

    from ocrfix.preprocess import finish, shape

    pixels = _grains(rotated(typed_page(), 1.5), 300, 4)
    shaped = shape(pixels, PreprocessConfig())
    config = replace(PreprocessConfig(), **settings)
    alone, shared = preprocess(pixels, config), finish(shaped, config)
    assert np.array_equal(alone.image, shared.image)
    assert alone.steps == shared.steps and alone.transform == shared.transform
    assert (alone.skew_degrees, alone.scale, alone.x_height, alone.empty) == (shared.skew_degrees, shared.scale, shared.x_height, shared.empty)
    assert shared.steps[: len(shaped.steps)] == shaped.steps  # the shared steps are recorded once, as they ran


def test_a_band_of_toner_blotch_down_one_side_does_not_turn_the_page() -> None:
    """A photocopy's dense blotch of toner down the right third makes the rows across it look like
    lines (the page seen on its side); left out of the quarter-turn test, the text decides, both ways."""
    page = typed_page(font_px=40, lines=LINES * 2)
    height, width = page.shape
    blotched = _grains(page, 80000, 7, (0, int(width * 0.7), height - 2, width - 2))
    flat = illumination.flatten(blotched, letter_px=max(40.0, min(blotched.shape) / 40.0))
    assert deskew.estimate_skew(flat).quarter_turns == 0
    assert deskew.estimate_skew(np.ascontiguousarray(np.rot90(flat, 1))).quarter_turns == 3  # on its side: turned back


@pytest.mark.parametrize("margin", [0, 1, 60])
def test_stroke_width_is_the_same_whatever_paper_surrounds_the_ink(margin: int) -> None:
    """The stroke width is measured on the ink's bounding box: the paper around it, or its absence
    (ink touching the image's edge), changes nothing."""
    from ocrfix.preprocess import strokes

    page = typed_page(font_px=40, margin=2)
    rows, cols = np.flatnonzero((page < 128).any(axis=1)), np.flatnonzero((page < 128).any(axis=0))
    tight = np.ascontiguousarray(page[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    padded = np.pad(tight, margin, constant_values=255)
    ink = (padded < 128).astype(np.uint8)
    distance = cv2.distanceTransform(ink, cv2.DIST_L2, 5)  # the whole image, as measured before
    ridge = (distance > 0) & (distance >= cv2.dilate(distance, np.ones((3, 3), np.uint8)))
    assert strokes.stroke_width(padded) == pytest.approx(2.0 * float(np.median(distance[ridge])))


@pytest.mark.parametrize("channels", [3, 4])
def test_channel_mean_is_the_float_mean_rounded_down(channels):
    from ocrfix.preprocess.gray import channel_mean

    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (37, 53, channels), dtype=np.uint8)
    image[0, :channels] = 255  # the brightest and darkest sums too
    image[1, :channels] = 0
    assert np.array_equal(channel_mean(image), image.mean(axis=2).astype(np.uint8))


@pytest.mark.parametrize("shape", [(3508, 2480), (2480, 3508), (999, 400), (1000, 1000), (1001, 3), (5000, 7)])
def test_shrunk_width_is_the_width_of_shrink_to_s_copy(shape):
    from ocrfix.preprocess.util import shrink_to, shrunk_width

    assert shrunk_width(shape, 1000) == shrink_to(np.zeros(shape, np.uint8), 1000).shape[1]


def _dithered(pixels: np.ndarray, field: int, dots: int, density: float, seed: int, halo: int = 0) -> np.ndarray:
    """``pixels`` with the right half under a dither: a ``field`` grey with one-pixel dots of grey ``dots``
    on ``density`` of its pixels, laid under the ink (the darker of ink and toner wins), as a photocopy
    of a photocopy prints grey toner; ``halo``: the toner kept that many pixels off the ink (paper there)."""
    out = pixels.copy()
    half = out[:, out.shape[1] // 2 :]
    rng = np.random.default_rng(seed)
    toner = np.where(rng.random(half.shape) < density, dots, field).astype(np.uint8)
    if halo:
        near = cv2.dilate((half < 128).astype(np.uint8), np.ones((2 * halo + 1, 2 * halo + 1), np.uint8)) > 0
        toner[near] = 255
    half[...] = np.minimum(half, toner)
    return out


def test_the_dither_step_keeps_the_strokes_and_clears_the_dots_to_paper() -> None:
    """Strokes are solid runs of the darkest grey, the toner a scatter of dots as dark as ink at most: the
    level kept lies under the dither's field, nearly every stroke's core stays, the dots and the field go.
    Also inside a dark field whose letters are drawn on a halo of paper, where a smoothing at the dots'
    scale averages stroke and halo into the field's grey."""
    from ocrfix.preprocess import dither

    clean = typed_page(font_px=40)
    strokes = clean < 30  # the strokes' cores (their soft edges go either way)
    right = np.zeros_like(strokes)
    right[:, clean.shape[1] // 2 :] = True
    toner = right & ~(cv2.dilate(strokes.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0)
    cases = ((200, 30, 0.15, 0), (90, 255, 0.3, 0), (70, 255, 0.3, 4))  # dark dots on light grey; light dots on dark; with a halo
    for field, dots, density, halo in cases:
        page = _dithered(clean, field, dots, density, 4, halo)
        found = dither.descreen(page, 0.05)
        assert found.cleared is not None and found.dithered_share >= 0.3, found.settings()
        assert found.ink_level is not None and found.ink_level < field, found.settings()
        kept = (found.cleared < 255)[strokes & right].mean()
        left = (found.cleared < 255)[toner].mean()
        assert kept >= 0.95 and left <= 0.005, (field, kept, left, found.settings())
        assert np.array_equal(found.cleared[found.cleared < 255], page[found.cleared < 255])  # the ink keeps its grey
    # a page without a dither is measured and left as it is
    assert dither.descreen(clean, 0.05).cleared is None and dither.descreen(clean, 0.05).dithered_share == 0.0
