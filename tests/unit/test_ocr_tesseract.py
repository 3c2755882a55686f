"""The Tesseract stage on small rendered Russian pages: words, boxes, confidences,
character alternatives, and every way it can fail."""

from __future__ import annotations

import pickle
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrfix.config import OcrConfig
from ocrfix.errors import BadInputError, ExitCode, MissingDependencyError, OcrError, OcrTimeoutError
from ocrfix.ocr import probe, recognize
from ocrfix.ocr.recognize import is_binary
from ocrfix.ocr.tesseract import debian_package_for_language

pytestmark = [
    pytest.mark.tesseract,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus)"),
]

FONT_PATH = "/usr/share/fonts/truetype/freefont/FreeMonoBold.ttf"  # thin FreeMono misreads л as п
LINES = ("Протокол заседания комиссии", "от 12 марта 1934 года", "Слушали доклад товарища Иванова")


def render_lines(lines: tuple[str, ...], size: int = 40, margin: int = 40, line_gap: int = 70):
    """A white page with ``lines`` in black, and the true box of every word."""
    try:
        font = ImageFont.truetype(FONT_PATH, size)
    except OSError:
        pytest.skip("FreeMonoBold is not installed (apt-get install fonts-freefont-ttf)")
    width = margin * 2 + max(int(font.getlength(line)) for line in lines)
    image = Image.new("L", (width, margin * 2 + line_gap * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    boxes = []
    for number, line in enumerate(lines):
        y = margin + number * line_gap
        x = margin
        for word in line.split(" "):
            draw.text((x, y), word, font=font, fill=0)
            boxes.append((word, _ink_box(image.size, (x, y), word, font)))
            x += int(font.getlength(word + " "))
    return np.array(image), boxes


def _ink_box(size, origin, word, font) -> tuple[int, int, int, int]:
    """Left, top, right, bottom (exclusive) of the inked pixels of one word drawn alone."""
    alone = Image.new("L", size, 255)
    ImageDraw.Draw(alone).text(origin, word, font=font, fill=0)
    rows, columns = np.nonzero(np.array(alone) < 128)
    return int(columns.min()), int(rows.min()), int(columns.max()) + 1, int(rows.max()) + 1


@pytest.fixture(scope="module")
def rendered():
    return render_lines(LINES)


@pytest.fixture(scope="module")
def page(rendered):
    image, _ = rendered
    return recognize(image, OcrConfig(), source="rendered.png")


def test_words_are_read_in_order_with_line_structure(page):
    assert [line.text for line in page.lines] == list(LINES)
    assert page.width > 0 and page.height > 0 and page.source == "rendered.png"


def test_word_boxes_match_the_drawn_words(page, rendered):
    _, truth = rendered
    assert [w.text for w in page.words] == [text for text, _ in truth]
    for word, (_, (left, top, right, bottom)) in zip(page.words, truth):
        box = word.bbox
        assert box is not None
        assert max(abs(box.left - left), abs(box.top - top), abs(box.right - right), abs(box.bottom - bottom)) <= 2, (
            word.text,
            box,
            (left, top, right, bottom),
        )
    for line in page.lines:
        assert all(line.bbox.left <= w.bbox.left and w.bbox.right <= line.bbox.right for w in line.words)


def test_confidences_are_full_precision_floats(page):
    confidences = [w.confidence for w in page.words]
    assert all(isinstance(c, float) and 0 < c <= 100 for c in confidences)
    assert any(c != int(c) for c in confidences), "TSV confidences lost their fraction"
    assert min(confidences) > 80, confidences


def test_every_character_has_ranked_alternatives(page):
    for word in page.words:
        assert len(word.alternatives) == len(word.text), word
        for character, choice in zip(word.text, word.alternatives):
            probabilities = [p for _, p in choice.choices]
            assert all(0.0 <= p <= 1.0 for p in probabilities)
            assert probabilities == sorted(probabilities, reverse=True)
            assert choice.choices[0][0] == character


def test_the_step_records_version_and_settings(page):
    (step,) = page.steps
    assert step.name == "tesseract" and step.version == probe(OcrConfig()).version
    assert step.settings["languages"] == "rus" and step.settings["psm"] == OcrConfig().psm
    assert step.settings["omp_thread_limit"] == 1
    assert step.settings["variables"]["lstm_choice_mode"] == "2"
    assert step.settings["traineddata"]["rus"].startswith("sha256:")


def test_without_alternatives_tesseract_writes_only_tsv(rendered, page):
    image, _ = rendered
    plain = recognize(image, replace(OcrConfig(), char_alternatives=False))
    assert [w.text for w in plain.words] == [w.text for w in page.words]
    assert [w.confidence for w in plain.words] == [w.confidence for w in page.words]
    assert all(w.alternatives == () for w in plain.words)
    assert "lstm_choice_mode" not in plain.steps[0].settings["variables"]


def test_tesseract_reads_no_line_again_inverted_unless_asked():
    """ocrfix judges a page's polarity itself (preprocess: negatives): Tesseract's own second
    reading of every weak line from its inverted image is switched off, and a white-on-black
    line reaches Tesseract as garbage; ``ocr.invert_lines`` turns Tesseract's inversion back on."""
    image, _ = render_lines(LINES[:1])
    negative = 255 - image
    config = replace(OcrConfig(), char_alternatives=False)
    as_configured = recognize(negative, config)
    inverting = recognize(negative, replace(config, invert_lines=True))
    assert [w.text for w in inverting.words] == LINES[0].split()
    assert [w.text for w in as_configured.words] != LINES[0].split()
    assert as_configured.steps[0].settings["variables"]["tessedit_do_invert"] == "0"
    assert "tessedit_do_invert" not in inverting.steps[0].settings["variables"]


def test_a_binary_page_is_read_as_the_same_page_in_grey(rendered):
    """A binarised page reaches Tesseract as a 1-bit file (it skips thresholding it): the same words,
    boxes, confidences and alternatives as the same pixels sent as a grey image (one paper pixel 254)."""
    image, _ = rendered
    binary = np.where(image < 128, 0, 255).astype(np.uint8)
    grey = binary.copy()
    grey[0, 0] = 254  # paper to any threshold: the same page, but not binary
    assert is_binary(binary) and not is_binary(grey) and not is_binary(np.stack([binary] * 3, axis=2))
    as_binary, as_grey = recognize(binary, OcrConfig()), recognize(grey, OcrConfig())
    assert [line.text for line in as_binary.lines] == list(LINES)
    assert as_binary.blocks == as_grey.blocks


def test_a_blank_page_has_no_blocks():
    blank = np.full((300, 500), 255, dtype=np.uint8)
    result = recognize(blank, OcrConfig())
    assert result.blocks == () and result.text == "" and result.steps[0].name == "tesseract"


@pytest.mark.slow  # a process pool
def test_pages_and_results_travel_through_a_process_pool(rendered, page):
    image, _ = rendered
    assert pickle.loads(pickle.dumps(page)) == page
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(recognize, image, OcrConfig(), source="rendered.png").result(timeout=120)
        failed = pool.submit(recognize, image, OcrConfig(oem=0), source="rendered.png").exception(timeout=120)
    assert remote == page
    assert isinstance(failed, OcrError) and failed.stderr and "rendered.png" in failed.message


def test_probe_reports_version_languages_and_is_cached():
    info = probe(OcrConfig())
    assert info.version[0].isdigit() and "rus" in info.languages and info.path
    started = time.perf_counter()
    assert probe(OcrConfig()) == info
    assert time.perf_counter() - started < 0.5


def test_missing_binary_names_the_package():
    with pytest.raises(MissingDependencyError) as caught:
        probe(OcrConfig(tesseract_cmd="/nonexistent/bin/tesseract"))
    error = caught.value
    assert error.exit_code == ExitCode.MISSING_DEPENDENCY == 4
    assert "/nonexistent/bin/tesseract" in error.message
    assert "tesseract-ocr" in error.hint and "tesseract-ocr-rus" in error.hint
    with pytest.raises(MissingDependencyError):
        recognize(np.full((50, 50), 255, np.uint8), OcrConfig(tesseract_cmd="/nonexistent/bin/tesseract"))


def test_missing_language_names_its_package():
    with pytest.raises(MissingDependencyError) as caught:
        probe(OcrConfig(languages="rus+xyz"))
    error = caught.value
    assert error.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "'xyz'" in error.message and "rus" in error.message
    assert "tesseract-ocr-xyz" in error.hint and "tesseract-ocr-rus " not in error.hint
    assert debian_package_for_language("chi_sim") == "tesseract-ocr-chi-sim"


def test_a_slow_page_times_out_and_reports_the_limit(rendered):
    image, _ = rendered
    big = np.tile(image, (6, 3))  # several thousand pixels of text: far more than 0.01 s of work
    started = time.perf_counter()
    with pytest.raises(OcrTimeoutError) as caught:
        recognize(big, OcrConfig(timeout_seconds=0.01), source="big.png")
    assert time.perf_counter() - started < 10
    error = caught.value
    assert error.exit_code == ExitCode.OCR_FAILED == 5
    assert "0.01 s" in error.message and "big.png" in error.message


def test_a_tesseract_failure_keeps_its_stderr(rendered):
    image, _ = rendered
    # The rus model has no legacy engine, so --oem 0 makes Tesseract itself fail.
    with pytest.raises(OcrError) as caught:
        recognize(image, OcrConfig(oem=0), source="page.png")
    error = caught.value
    assert not isinstance(error, OcrTimeoutError)
    assert error.exit_code == ExitCode.OCR_FAILED
    assert "exit status" in error.message and "page.png" in error.message
    assert "legacy" in error.stderr or "load" in error.stderr


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10), dtype=np.float32), np.zeros((0, 10), dtype=np.uint8), np.zeros((4, 4, 4, 4), dtype=np.uint8)],
    ids=["float", "empty", "4d"],
)
def test_images_that_are_not_pages_are_bad_input(bad):
    with pytest.raises(BadInputError) as caught:
        recognize(bad, OcrConfig())
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def test_an_unknown_block_mode_is_refused_before_tesseract_runs(rendered):
    image, _ = rendered
    with pytest.raises(BadInputError, match="ocr.blocks"):
        recognize(image, OcrConfig(blocks="columns", tesseract_cmd="/nonexistent/bin/tesseract"))
