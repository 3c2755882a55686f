"""A fallback read only where the first reading is weak (ocrfix.weak_lines), on a real sample page read by Tesseract."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import SAMPLE, needs_tesseract

from ocrfix import preprocess, recognition, weak_lines
from ocrfix.config import Config
from ocrfix.model import BBox, Block, Line, Page, Word, with_ids
from ocrfix.preprocess.lines import text_line_bands

GARBAGE = "#%~"


def _line(text: str, top: int, confidence: float = 95.0) -> Line:
    words, left = [], 10
    for token in text.split():
        words.append(Word(token, BBox(left, top, left + 12 * len(token), top + 20), confidence))
        left += 12 * len(token) + 12
    return Line(tuple(words), BBox(10, top, left, top + 20))


def _page(*lines: Line) -> Page:
    return with_ids(Page((Block(lines),), width=1000, height=400))


def test_a_line_with_garbage_or_estimated_poor_is_weak() -> None:
    page = _page(_line("сегодня решено", 10), _line(f"сегодня {GARBAGE}", 40), _line("сегодня решено", 70, 40.0))
    first, garbage, unsure = page.lines
    assert weak_lines.weak_line_ids(page, None) == (garbage.id, unsure.id)
    assert first.id not in weak_lines.weak_line_ids(page, None)


def test_a_page_weak_almost_everywhere_is_read_whole() -> None:
    image = np.full((400, 1000), 255, np.uint8)
    weak_everywhere = _page(*(_line(f"слово {GARBAGE}", 10 + 30 * i) for i in range(10)))
    assert weak_lines.regions(weak_everywhere, image, 20.0, None) is None
    one_weak = _page(*(_line(f"слово {GARBAGE}" if i == 3 else "слово дело", 10 + 30 * i) for i in range(10)))
    weak, boxes = weak_lines.regions(one_weak, image, 20.0, None)
    box = one_weak.lines[3].bbox
    assert weak == (one_weak.lines[3].id,)
    assert boxes == [BBox(box.left - 6, box.top - 6, box.right + 6, box.bottom + 6)]  # padded by 0.3 x-height
    # the image's text bands, when measured already, are not measured again: none given, none missed
    assert weak_lines.regions(one_weak, image, 20.0, None, bands=[]) == (weak, boxes)


def test_weak_lines_are_replaced_in_their_places_with_fresh_ids() -> None:
    page = _page(_line("первая строка", 10), _line(f"вторая {GARBAGE}", 40), _line("третья строка", 70))
    again = with_ids(Page((Block((_line("вторая строка", 41),)),), width=1000, height=400))
    mended = weak_lines.replaced(page, (page.lines[1].id,), again)
    assert [line.text for line in mended.lines] == ["первая строка", "вторая строка", "третья строка"]
    ids = [w.id for w in mended.words]
    assert len(set(ids)) == len(ids) and all(ids)
    assert mended.lines[0] == page.lines[0] and mended.lines[2] == page.lines[2]


@pytest.fixture(scope="module")
def read_sample() -> tuple[Config, preprocess.LoadedImage, preprocess.Shaped, preprocess.PreprocessResult]:
    config = Config()
    loaded = preprocess.load_page(SAMPLE / "page2.jpg", 0, config=config.preprocess)
    shaped = preprocess.shape(loaded, config.preprocess)
    prepared = preprocess.finish(shaped, config.preprocess)
    return config, loaded, shaped, prepared


@pytest.mark.tesseract
@needs_tesseract
def test_a_fallback_reads_again_only_the_first_readings_weak_line(read_sample) -> None:
    """Real Tesseract: a first reading of a clean page with one line spoiled by a garbage token; the
    other tone preparation (here binarised) reads that line alone again, and the page it gives is the
    first reading's but for that line, read again without the garbage."""
    config, loaded, shaped, prepared = read_sample
    first = recognition._reading("preprocessed", loaded, shaped, prepared, "page", config, None)
    assert first is not None and len(first.page.lines) >= 6
    spoiled_line = next(line for line in first.page.lines if len(line.words) >= 4 and all(
        (w.confidence or 0) >= 90 for w in line.words))  # fmt: skip
    spoiled_word = spoiled_line.words[1]
    page = _with_word(first.page, spoiled_word.id, GARBAGE)
    spoiled = recognition._Reading.judged(first.name, page, first.image, first.prepared, None)
    weak = weak_lines.weak_line_ids(spoiled.page, None)
    assert spoiled_line.id in weak and len(weak) <= weak_lines.WHOLE_SHARE * len(spoiled.page.lines)

    again = recognition._reading("binarised", loaded, shaped, prepared, "page", config, None, weak_of=spoiled)
    # the first reading's text bands, measured for this fallback, are the line check's too: measured once
    assert spoiled.line_bands is spoiled.line_bands and spoiled.line_bands == text_line_bands(first.image, spoiled.x_height)
    assert again is not None and again.regions is not None and again.regions >= len(weak)
    kept = {line.id: line.text for line in spoiled.page.lines if line.id not in weak}
    texts = [line.text for line in again.page.lines]
    assert all(text in texts for text in kept.values())  # the first reading's lines stand as read
    assert GARBAGE not in " ".join(texts)
    read_again = min(again.page.lines, key=lambda line: abs(line.bbox.top - spoiled_line.bbox.top))
    assert read_again.text not in kept.values() and spoiled_word.text in read_again.text.split()  # the weak line read again
    assert again.quality.garbage_characters < spoiled.quality.garbage_characters
    tops = [line.bbox.top for line in again.page.lines if line.bbox is not None]
    assert tops == sorted(tops)  # in its place on the page


def _with_word(page: Page, word_id: str, text: str) -> Page:
    return replace(page, blocks=tuple(
        replace(block, lines=tuple(
            replace(line, words=tuple(replace(w, text=text) if w.id == word_id else w for w in line.words))
            for line in block.lines))
        for block in page.blocks))  # fmt: skip
