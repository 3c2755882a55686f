"""pitch.py: the cells of a typewritten line a word's box spans, and number-spacing asking them."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from ocrfix.config import CorrectConfig
from ocrfix.correct import correct_page, correct_text
from ocrfix.correct.pitch import MAX_PAGE_SPREAD, Cells, line_pitch, monospaced, spare_cells, spread, typed_cells
from ocrfix.model import BBox, Block, Line, Page, Word, page_from_text

PITCH = 25  # pixels a cell: elite type (12 a inch) at 300 dpi
BEARING = 5  # the blank a glyph's ink leaves of its cell, both sides together
MARK_BLANK = 9  # ... and the more a period or comma ending a word leaves after it


def _typed(text: str, cell: int, *, lost: int = 0) -> Word:
    """``text`` as a typewriter set it from cell ``cell``, its box the ink's; ``lost``: characters
    (spaces) typed inside it that the reading left out."""
    width = (len(text) + lost) * PITCH - BEARING - (MARK_BLANK if text[-1] in ".," else 0)
    left = cell * PITCH + 3
    return Word(text, BBox(left, 10, left + width, 40), 80.0)


def _line(*texts: str, lost: dict[str, int] | None = None) -> tuple[Word, ...]:
    """Words typed one after another, a space between them."""
    words, cell = [], 5
    for text in texts:
        extra = (lost or {}).get(text, 0)
        words.append(_typed(text, cell, lost=extra))
        cell += len(text) + extra + 1
    return tuple(words)


def _page(*lines: tuple[Word, ...]) -> Page:
    return Page((Block(tuple(Line(words) for words in lines)),), width=2400, height=3300, source="t.png")


def test_a_line_s_pitch_is_its_words_cell_width():
    pitch = line_pitch(_line("НАРОДНЫЙ", "КОМИССАРИАТ", "ПУТЕЙ", "СООБЩЕНИЯ."))
    assert pitch == pytest.approx(PITCH, rel=0.04)


def test_a_trailing_mark_takes_part_of_its_cell_of_ink():
    assert typed_cells("Экз.") == pytest.approx(3.65) and typed_cells("№1") == 2


def test_no_pitch_from_too_few_words():
    assert line_pitch(_line("Экз.", "№1")) is None  # one word of three characters or more
    assert spare_cells(Word("№1"), PITCH) is None  # no box


def _set_in(font_path: str, *lines: str) -> list[tuple[Word, ...]]:
    """``lines`` set in a font (its glyphs' own widths), each word's box its ink's."""
    font = ImageFont.truetype(font_path, 40)
    out = []
    for line in lines:
        words, x = [], 100
        for text in line.split():
            left, _, right, _ = font.getbbox(text)
            words.append(Word(text, BBox(x + int(left), 10, x + int(right), 50), 80.0))
            x += int(font.getlength(text + " "))
        out.append(tuple(words))
    return out


TEXT = ("Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ ПУТЕЙ СООБЩЕНИЯ",
        "о выполнении плана перевозок за август 1937 года. Отправлена 11.IX.37 г. 21ч. 05 м.",
        "Погрузка зерна по дороге выполнена на 104 процента, угля на 92 процента, леса на 87.",
        "Простой вагонов под грузовыми операциями сокращён против июля на 3 часа.")


def test_a_page_in_a_proportional_font_has_no_pitch():
    mono = _set_in("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", *TEXT)
    proportional = _set_in("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", *TEXT)
    assert monospaced(mono) and spread(mono) < 0.05
    assert not monospaced(proportional) and spread(proportional) > MAX_PAGE_SPREAD
    starts = list(range(0, 1000, 20))[:sum(map(len, proportional))]  # (offsets only need to be in order)
    cells = Cells(proportional, [(start, start + 1) for start in starts])
    assert all(cells.word(s, s + 1)[1] is None for s in starts)


def test_cells_find_the_word_holding_a_span():
    words = _line("Экз.", "№1", "НАРОДНЫЙ", "КОМИССАРИАТ", lost={"№1": 1})
    cells = Cells([words], [(0, 4), (5, 7), (8, 16), (17, 28)])
    start, spare = cells.word(5, 7)
    assert start == 5 and spare == pytest.approx(1, abs=0.3)
    assert cells.word(4, 6) is None  # across two words
    assert cells.shifted(5, 16).word(0, 2) == (0, spare)


def _corrected(lexicon, *lines) -> list[str]:
    corrected, _ = correct_page(_page(*lines), lexicon, CorrectConfig())
    return [line.text for line in corrected.lines]


HEAD = ("Управление", "Туркестано-Сибирской", "дороги")


def test_a_glued_sign_whose_box_spans_its_own_cells_stays_glued(lexicon):
    line = _line("Секретно.", "Экз.", "№1", "НАРОДНЫЙ", "КОМИССАРИАТ")
    assert _corrected(lexicon, line, _line(*HEAD))[0] == "Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ"


def test_a_glued_sign_whose_box_spans_a_cell_more_gets_its_space(lexicon):
    line = _line("Секретно.", "Экз.", "№1", "НАРОДНЫЙ", "КОМИССАРИАТ", lost={"№1": 1})
    assert _corrected(lexicon, line, _line(*HEAD))[0] == "Секретно. Экз. № 1 НАРОДНЫЙ КОМИССАРИАТ"


def test_an_abbreviation_after_a_number_gets_its_space_only_where_the_box_has_the_cell(lexicon):
    spaced = _line("Отправлена", "11.IX.37", "г.", "21ч.", "05", "м.", lost={"21ч.": 1})
    glued = _line("Получена", "12.IX.37", "г.", "22ч.", "50", "м.")
    lines = _corrected(lexicon, spaced, glued)
    assert lines == ["Отправлена 11.IX.37 г. 21 ч. 05 м.", "Получена 12.IX.37 г. 22ч. 50 м."]


def test_a_box_two_cells_wider_is_no_lost_space(lexicon):
    line = _line("Секретно.", "Экз.", "№1", "НАРОДНЫЙ", "КОМИССАРИАТ", lost={"№1": 2})
    assert _corrected(lexicon, line)[0] == "Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ"


def test_without_boxes_nothing_is_inserted(lexicon):
    text = "Секретно. Экз. №1 НАРОДНЫЙ КОМИССАРИАТ\nОтправлена 11.IX.37 г. 21ч. 05 м.\n"
    corrected, _ = correct_page(page_from_text(text), lexicon, CorrectConfig())
    assert corrected.text == text
    assert correct_text(text, lexicon, CorrectConfig()).text == text
