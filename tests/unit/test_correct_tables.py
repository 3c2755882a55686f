"""The corrector's tables in ocrfix/data/lexicons/*.tsv: each says what it is, every row has
the header's columns, and the word forms built from them with pymorphy3 are the ones the
rules need."""

from __future__ import annotations

from importlib import resources

import pytest

from ocrfix.correct import roman, structural, tables, years

LEXICONS = resources.files("ocrfix") / "data" / "lexicons"
# confusions.tsv leaves its note column out where there is no note
OPTIONAL_LAST_COLUMN = {"confusions"}
TABLES = sorted(p.name[: -len(".tsv")] for p in LEXICONS.iterdir() if p.name.endswith(".tsv"))


@pytest.mark.parametrize("name", TABLES)
def test_every_table_says_what_it_is_and_has_its_columns(name):
    lines = (LEXICONS / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# "), f"{name}.tsv: no comment saying what it is"
    header = next(line for line in lines if line and not line.startswith("#")).split("\t")
    rows = tables.rows(name)
    assert rows, f"{name}.tsv has no rows"
    for row in rows:
        width_ok = len(row) == len(header) or (name in OPTIONAL_LAST_COLUMN and len(row) == len(header) - 1)
        assert width_ok, f"{name}.tsv: {row} does not have the columns {header}"


def test_forms_of_god_come_from_pymorphy3_on_its_stem():
    forms = set(years.year_forms())
    assert {"год", "года", "году", "годом", "годе", "годы", "годов", "годам", "годами", "годах"} == forms
    assert not forms & {"лет", "лета", "гг"}


def test_a_misread_form_of_god_becomes_the_commonest_one_letter_away():
    zipf = {"годов": 4.9, "годах": 4.8, "годом": 4.55}.get
    edits = years.year_words("в 1937 годох было", lambda w: zipf(w, 0.0))
    assert [e.replacement for e in edits] == ["годов"]  # годох is one letter from all three


def test_months_genitives_make_a_full_date():
    for date in ("20 августа 1937 т. Сталин", "3 мая 1936 т. Сталин", "5 Марта 1937 т. Сталин"):
        assert [e.replacement for e in years.year_words(date, lambda w: 0.0)] == ["г"], date
    assert years.year_words("в 1937 т. Сталин", lambda w: 0.0) == []  # a bare year: may be 'тов.'


def test_bracketed_name_is_built_from_its_row():
    edits = structural.party_name("ЦК ВКП/б/ и ВКП (6), но ВКП(б) и аВКП/б/")
    assert [(e.start, e.replacement) for e in edits] == [(3, "ВКП(б)"), (12, "ВКП(б)")]


def test_numerals_alone_from_the_lookalike_table():
    # Ш alone can only be a numeral; У alone may be a word, and needs a numbering word
    assert [e.replacement for e in roman.roman_numerals("в Ш квартале")[0]] == ["III"]
    assert roman.roman_numerals("стоял У квартала")[0] == []
    assert [e.replacement for e in roman.roman_numerals("в ПТи ТУ кварталах")[0]] == ["III и", "IV"]


def test_every_name_head_row_takes_effect(lexicon):
    """common-capitals asks name_heads.tsv only of words no curated list holds: a row whose every form
    is curated (DOMAIN) would never be asked."""
    from ocrfix.correct import context
    from ocrfix.lexicon.sources import DOMAIN

    for lemma in tables.column("name_heads"):
        parse = next(p for p in context.analyzer().parse(lemma) if p.normal_form == lemma and p.tag.POS == "NOUN")
        forms = {f.word.replace("ё", "е") for f in parse.lexeme}
        assert any(not lexicon.flags(form) & DOMAIN for form in forms), lemma
