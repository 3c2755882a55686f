"""Reading regions of a page again (ocrfix.ocr.regions): their words in the page's frame."""

from __future__ import annotations

import numpy as np
from conftest import needs_tesseract, render_typed_lines

from ocrfix.align import error_rates
from ocrfix.config import Config
from ocrfix.model import enclosing
from ocrfix.ocr import recognize
from ocrfix.ocr.regions import read_regions

LINES = (
    "Сообщаем что по поручению тов. Смирнова",
    "передано письмо на имя торгпреда в Урумчи",
    "о поставках керосина и сахара для торговых",
    "организаций Синьцзяна согласно протоколу",
)


@needs_tesseract
def test_regions_are_read_in_the_pages_frame_cut_out_or_in_place():
    image = np.asarray(render_typed_lines(LINES, font_px=40))
    config = Config().ocr
    page = recognize(image, config)
    assert len(page.lines) == len(LINES)
    boxes = [enclosing(w.bbox for w in page.lines[n].words) for n in (1, 3)]
    for crop in (True, False):
        again = read_regions(image, boxes, config, crop=crop)
        assert (again.width, again.height) == (page.width, page.height)
        assert [error_rates(LINES[n], line.text).cer <= 0.05 for n, line in zip((1, 3), again.lines)] == [True, True]
        # the lines between are blanked, and every box lands where the first reading's did
        for line, n in zip(again.lines, (1, 3)):
            first = enclosing(w.bbox for w in page.lines[n].words)
            assert abs(line.bbox.left - first.left) <= 3 and abs(line.bbox.top - first.top) <= 3, (crop, line.bbox, first)
            for word in line.words:
                assert first.left - 3 <= word.bbox.left and word.bbox.right <= first.right + 3
