"""The post-correction corpus's confidences files (scripts/corpus_pages.py): written from a page, read back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ocrfix.correct.page import _alternative_readings_by_token
from ocrfix.model import Block, CharChoice, Line, Page, Word, with_ids

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import corpus_pages  # noqa: E402


def _page() -> Page:
    unsure = Word("прочента", confidence=69.946785, alternatives=tuple(
        CharChoice(((ch, 0.9), ("и", 0.51), ("м", 0.1)) if i == 3 else ((ch, 0.95),)) for i, ch in enumerate("прочента")))
    return with_ids(Page((
        Block((Line((Word("Секретно.", confidence=94.999),)),)),
        Block((Line((Word("пять", confidence=96.1), unsure)), Line((Word("(«“»)", confidence=40.0),)))),
    )))


def test_a_page_is_read_back_with_its_text_confidences_and_the_alternatives_the_corrector_reads() -> None:
    page = _page()
    tsv = corpus_pages.to_tsv(page)
    assert tsv.splitlines()[3:] == ["1\t94.99\t", '3\t96.10 69.94\t{"1":{"3":[["ч",0.9],["и",0.51]]}}', "4\t40.00\t"]
    back = corpus_pages.page_of(page.text, tsv)
    assert back.text == page.text and [len(b.lines) for b in back.blocks] == [1, 2]
    assert [w.confidence for w in back.words] == [94.99, 96.1, 69.94, 40.0]  # cut, never rounded up past 95
    assert [w.id for w in back.words] == [w.id for w in page.words]
    assert _alternative_readings_by_token(back) == _alternative_readings_by_token(page) == {2: ("проиента",)}


def test_a_text_and_confidences_that_do_not_match_are_refused() -> None:
    tsv = corpus_pages.to_tsv(_page())
    with pytest.raises(ValueError, match="line 3: 3 words but 2 confidences"):
        corpus_pages.page_of("Секретно.\n\nпять прочента ещё\n(«“»)\n", tsv)
    with pytest.raises(ValueError, match="lines the text does not have"):
        corpus_pages.page_of("Секретно.\n", tsv)


def test_every_committed_corpus_page_with_confidences_matches_its_text() -> None:
    paths = sorted((REPO / "scans" / "correct").glob("*/*.ocr.txt"))
    pages = [corpus_pages.load_page(path) for path in paths]
    assert any(page is not None for page in pages)
    for path, page in zip(paths, pages):
        if page is not None:
            assert page.text == path.read_text("utf-8"), path.name


def test_a_word_with_marks_around_its_letters_offers_the_readings_of_its_letters() -> None:
    """'(бык)': Tesseract's alternatives of the letters (б or 6) make readings of the letters alone,
    the word token the corrector looks at; the brackets' own alternatives take no part."""
    choices = {0: (("(", 0.9), ("{", 0.4)), 1: (("б", 0.9), ("6", 0.4), ("в", 0.3)), 4: ((")", 0.9), ("}", 0.4))}
    word = Word("(бык)", confidence=70.0, alternatives=tuple(
        CharChoice(choices.get(i, ((ch, 0.95),))) for i, ch in enumerate("(бык)")))
    page = with_ids(Page((Block((Line((Word("Видел", confidence=96.0), word)),)),)))
    assert _alternative_readings_by_token(page) == {1: ("6ык", "вык")}
