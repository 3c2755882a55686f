"""The self-check's estimate from an OCR result alone (no Tesseract here)."""

from __future__ import annotations

import pytest

from ocrfix.model import Block, Line, Page, Word
from ocrfix.ocr.quality import estimate, is_garbage, weakest_word


def page_of(*words: tuple[str, float]) -> Page:
    return Page((Block((Line(tuple(Word(text, confidence=conf) for text, conf in words)),)),))


@pytest.mark.parametrize(
    "token, garbage, why",
    [
        ("Наркомфину", False, "a word"),
        ("10.286", False, "a number"),
        ("36г.", False, "a year's abbreviation follows the digits"),
        ("т.т.", False, "initials"),
        ("—", False, "a dash is text"),
        ("ВКП(б)", False, "brackets inside an abbreviation"),
        (".,-'", True, "a run of symbols"),
        ("СCCР", True, "Latin C among Cyrillic letters"),
        ("ааааа", True, "a letter struck three times in a row"),
        ("ткнрвс", True, "a long run with no vowel"),
        ("1а2", True, "letters between digits"),
        ("л0", True, "a digit after a letter: о read as 0"),
        ("т1сны", True, "і read as 1 inside a word"),
        ("10-го", False, "an ordinal's ending after the number"),
        ("ыдДжЖыл", True, "a small letter before a capital: one letter read as two"),
        ("тТыш", True, "a small letter before a capital"),
        ("но-Массовой", False, "a capital after a hyphen"),
        ("ВЦИК", False, "capitals only"),
        ("~^%&", True, "no letter or digit"),
    ],
)
def test_garbage_tokens(token: str, garbage: bool, why: str) -> None:
    assert is_garbage(token) is garbage, why


def test_a_confident_page_of_known_words_scores_high() -> None:
    known = {"разрешить", "наркомфину", "перевести"}.__contains__
    quality = estimate(page_of(("Разрешить", 95.0), ("Наркомфину", 90.0), ("перевести", 96.0)), lambda w: known(w.lower()))
    assert quality.score >= 0.95 and quality.known_share == 1.0 and quality.garbage_share == 0.0
    assert quality.words == 3 and quality.net > 0


def test_garbage_and_unknown_words_lower_the_estimate() -> None:
    clean = estimate(page_of(("Разрешить", 90.0), ("перевести", 90.0)), lambda w: True)
    noisy = estimate(page_of(("Разрешить", 90.0), ("~^%&", 90.0), ("пкрвсть", 90.0)), lambda w: False)
    assert noisy.score < clean.score - 0.3
    assert noisy.garbage_share > 0 and noisy.known_share == 0.0
    assert noisy.net < clean.net


def test_a_page_without_words_scores_zero_and_words_of_another_script_are_not_looked_up() -> None:
    assert estimate(Page(())).score == 0.0 and estimate(Page(())).words == 0
    latin = estimate(page_of(("Protokoll", 92.0), ("Sitzung", 92.0)), lambda w: False)
    assert latin.known_share is None  # the Russian lexicon cannot judge German words
    assert latin.score == pytest.approx(0.92)


def test_the_estimate_without_the_lexicon_is_confidence_and_garbage_alone() -> None:
    """A reading that turns an unknown word into a known one gains by the lexicon only."""
    komi = estimate(page_of(("да", 90.0), ("опытесо", 80.0)), lambda w: w == "да")
    russified = estimate(page_of(("да", 90.0), ("опыте", 60.0)), lambda w: w in {"да", "опыте"})
    assert russified.score > komi.score  # the lexicon prefers the Russian word ...
    assert russified.free_score < komi.free_score  # ... Tesseract's confidence does not
    assert komi.free_score == pytest.approx((2 * 0.9 + 7 * 0.8) / 9)
    assert komi.free_net == pytest.approx(2 * (2 * 0.9 + 7 * 0.8) - 9)
    noisy = estimate(page_of(("да", 90.0), ("~^%&", 90.0)), lambda w: True)
    assert noisy.garbage_characters == 4 and noisy.free_score == pytest.approx(2 * 0.9 / 6)


def test_the_weakest_word_keeps_its_confidence_when_unknown_and_counts_known_words_as_likely_right() -> None:
    """A line's least sure word: an unknown word (a Komi word read with ``rus``, a hyphenated piece)
    keeps its whole confidence, a known one counts at least KNOWN_WORD, garbage nothing."""
    knows = {"план"}.__contains__
    assert weakest_word(page_of(("прочентон.", 89.0), ("план", 40.0)), knows) == ("прочентон.", pytest.approx(0.89))
    assert weakest_word(page_of(("прочентон.", 89.0), ("тТыш", 95.0)), knows) == ("тТыш", 0.0)
    assert weakest_word(page_of(("содтодон", 11.0), ("план", 70.0)), knows) == ("содтодон", pytest.approx(0.11))
    assert weakest_word(Page(())) is None
