"""The word after a year, and where sentences begin across line breaks."""

import pytest

from ocrfix.correct.sentences import blank, runs_on, sentence_start
from ocrfix.correct.years import year_words

RUNNING = "мирного соглашения между Урумчи и Хотаном, при условии принятия на"  # a full line of text


def _apply(text: str, zipf=lambda key: 0.0) -> str:
    for edit in sorted(year_words(text, zipf), key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.replacement + text[edit.end:]
    return text


@pytest.mark.parametrize("text, expected", [
    ("20 августа 1937 т. Гринько", "20 августа 1937 г. Гринько"),  # a full date: a name may follow
    ("в 1937 т. было решено", "в 1937 г. было решено"),
    ("в 1937 т. Сталин", "в 1937 т. Сталин"),  # a bare year before a name: т. may be тов.
    ("1937r.", "1937г."),
    ("в 1938 - 1939 гр.", "в 1938 - 1939 гг."),
    ("в 1358 — 1939 гр.", "в 1358 — 1939 гг."),  # the first year of the range misread
    ("в 1938 - 1939 т.", "в 1938 - 1939 т."),  # one letter after a range is no 'гг.'
    ("в 1937 г.", "в 1937 г."),
    ("от 15 июля 1936 гога.", "от 15 июля 1936 года."),
    ("от 15 июля 1936 года.", "от 15 июля 1936 года."),
    ("в 1937 году", "в 1937 году"),
    ("в 255/1937 т.", "в 255/1937 т."),  # a number, not a year
    ("в 1736 т.", "в 1736 т."),  # outside 1800-1999
])
def test_year_words(text, expected):
    assert _apply(text) == expected


def test_a_frequent_word_after_a_bare_year_is_kept():
    assert _apply("закуплено 1937 голов скота", zipf=lambda key: 4.4) == "закуплено 1937 голов скота"
    assert _apply("с 1 мая 1937 гола", zipf=lambda key: 4.1) == "с 1 мая 1937 года"  # a full date decides


def test_a_full_line_ending_in_a_lower_case_word_runs_on():
    text = RUNNING + "\nСебя обязательства"
    assert runs_on(text, len(RUNNING))
    assert not sentence_start(text, len(RUNNING) + 1)
    assert runs_on(RUNNING[:-3] + ",\nСебя", len(RUNNING) - 2)  # a comma ends the line


@pytest.mark.parametrize("text", [
    "Строго секретно\nОни доносят",  # a short line: a heading
    RUNNING + ".\nОни доносят",  # a sentence end
    RUNNING + " Т\nОни доносят",  # a capital ends the line (an initial, a stamp)
])
def test_other_line_breaks_end_the_sentence(text):
    assert sentence_start(text, text.index("\n") + 1)


def test_blank_keeps_offsets_and_line_breaks():
    text = "резервного :\n. Фонда"
    plain = blank(text, [(11, 12), (13, 15)])
    assert plain == "резервного  \n  Фонда" and len(plain) == len(text)
