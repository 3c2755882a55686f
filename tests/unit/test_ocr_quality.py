"""The self-check's estimate from an OCR result alone (no Tesseract here)."""

from __future__ import annotations

import pytest

from ocrfix.model import Block, Line, Page, Word
from ocrfix.ocr.quality import KNOWN_WORD, UNKNOWN_WORD, estimate, is_garbage, weakest_word


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
        ("10.000", False, "digits grouped by a dot: a number"),
        ("1.000.000", False, "digits repeat in numbers"),
        ("1000р.", False, "roubles after a round number"),
        ("№111", False, "a number after the number sign"),
    ],
)
def test_garbage_tokens(token: str, garbage: bool, why: str) -> None:
    assert is_garbage(token) is garbage, why


SOVIET = {"ссср", "рсфср", "зсфср", "вцспс", "влксм", "рсдрп", "туркво", "сибво", "длинношеее", "iii", "xviii"}


@pytest.mark.parametrize("token", ["СССР", "(РСФСР),", "ЗСФСР", "ВЦСПС", "ВЛКСМ", "РСДРП", "ТуркВО", "СибВО", "длинношеее", "III", "XVIII"])
def test_a_word_the_lexicon_knows_is_never_garbage_whatever_its_shape(token: str) -> None:
    """Abbreviations in capitals (three letters in a row, no vowel), a letter before a capital in a
    military district's name, Roman numerals: without a lexicon the shape decides (garbage)."""
    assert is_garbage(token) is True
    assert is_garbage(token, lambda w: w.lower() in SOVIET) is False


@pytest.mark.parametrize("token", [";,.'`|", "тТыш", "СCCР", "ткнрвс", "л0", "тт"])
def test_what_the_lexicon_cannot_vouch_for_stays_garbage(token: str) -> None:
    """A run of symbols, mixed scripts or a digit in a word is no word to look up; unknown shapes
    and tokens too short to be looked up keep the rule."""
    knows = (lambda w: True) if token in {";,.'`|", "СCCР", "л0", "тт"} else (lambda w: False)
    assert is_garbage(token, knows) is (token != "тт")


def test_a_line_of_soviet_abbreviations_and_numbers_counts_only_its_noise_as_garbage() -> None:
    line = page_of(("СССР", 90.0), ("РСФСР", 88.0), ("10.000", 85.0), (";,.'`|", 40.0), ("ВЛКСМ", 91.0))
    knows = lambda w: w.lower() in SOVIET  # noqa: E731
    quality = estimate(line, knows)
    assert quality.garbage_characters == 6  # the symbols alone (before: all 26)
    assert quality.known_share == 1.0
    assert quality.score == pytest.approx(((4 + 5 + 5) * 0.97 + 6 * 0.85) / 26)
    assert quality.free_score == pytest.approx((4 * 0.9 + 5 * 0.88 + 6 * 0.85 + 5 * 0.91) / 26)
    assert weakest_word(line, knows) == (";,.'`|", 0.0)
    without = weakest_word(page_of(("СССР", 90.0), ("РСФСР", 88.0), ("10.000", 85.0)), knows)
    assert without == ("10.000", pytest.approx(0.85))  # before: СССР, chance 0


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


def test_a_known_word_read_at_confidence_zero_is_likely_right_for_the_weakest_word_as_for_the_estimate() -> None:
    """Tesseract reports confidence 0 for some words it reads right; the estimate counts a word the
    lexicon knows as right at least KNOWN_WORD of the time whatever its confidence, and so does the
    line's least sure word (it gave such a word 0: the line's two checks disagreed on it)."""
    knows = {"план"}.__contains__
    page = page_of(("план", 0.0), ("прочентон.", 89.0))
    assert estimate(page, knows).score == pytest.approx((4 * KNOWN_WORD + 10 * 0.89 * UNKNOWN_WORD) / 14)
    assert weakest_word(page, knows) == ("прочентон.", pytest.approx(0.89))
    assert weakest_word(page_of(("план", 0.0)), knows) == ("план", KNOWN_WORD)


def test_some_words_are_estimated_as_a_page_of_them_is() -> None:
    """One estimate scores a line (or a stretch of one) for the weak lines, the line check and the page merge."""
    from ocrfix.ocr.quality import estimate_words

    words = (("Наркомфину", 91.0), ("~^%&", 60.0), ("", 10.0), ("прочентон.", 70.0))
    page = page_of(*words)
    known = {"Наркомфину"}.__contains__
    for knows in (None, known):
        assert estimate_words(page.words, knows) == estimate(page, knows)
    assert estimate_words(()) == estimate(Page(()))
