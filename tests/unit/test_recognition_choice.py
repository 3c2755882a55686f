"""Which evidence lets another reading replace the first, and what makes a reading doubtful (no Tesseract)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from line_pages import PARAGRAPH_TOPS, Row, folded
from line_pages import page_of as _page_of

from ocrfix import preprocess
from ocrfix.config import Config
from ocrfix.model import Step
from ocrfix.ocr import error_scale
from ocrfix.ocr.quality import Quality
from ocrfix.recognition import (
    GOOD_SCORE,
    MERGED,
    THINNED_GOOD_SCORE,
    _clearly_better,
    _disputed_word,
    _favoured_elsewhere,
    _good_score,
    _line_doubt,
    _Reading,
    _switch_evidence,
    _verdict,
    _with_lines_checked,
    verdict_of,
)

FIRST = Quality(words=100, characters=500, mean_confidence=80.0, known_share=0.8, garbage_share=0.1,
                score=0.7, net=200.0, free_score=0.7, free_net=200.0)  # fmt: skip


@pytest.mark.parametrize(
    "candidate, evidence",
    [
        (replace(FIRST, garbage_share=0.02), "fewer garbage characters and an estimate no worse"),
        (replace(FIRST, score=0.8, net=300.0, free_score=0.8, free_net=300.0),
         "a clearly better estimate, with and without the lexicon"),
        (replace(FIRST, score=0.8, net=300.0), None),  # better by the lexicon alone
        (replace(FIRST, garbage_share=0.02, score=0.69), None),  # fewer garbage characters, but a worse estimate
        (replace(FIRST, score=0.72, net=220.0, free_score=0.72, free_net=220.0), None),  # within the margin
        # more words, and clearly better without the lexicon, though the lexicon rates it lower and garbage
        # costs it characters estimated right (a preparation that lost half the text: dev photocopy2~s2)
        (replace(FIRST, words=200, score=0.6, net=-100.0, free_score=0.8, free_net=-50.0),
         "more words read, and a clearly better estimate by Tesseract's confidence"),
        (replace(FIRST, words=100, score=0.6, net=-100.0, free_score=0.8, free_net=-50.0), None),  # as many words
        (replace(FIRST, words=200, score=0.6, net=-100.0, free_score=0.72, free_net=-50.0), None),  # within the margin
    ],
)  # fmt: skip
def test_the_evidence_is_the_rule_that_switched(candidate: Quality, evidence: str | None) -> None:
    assert _switch_evidence(candidate, FIRST) == evidence
    assert _clearly_better(candidate, FIRST) == (evidence is not None)


def test_any_words_beat_none() -> None:
    none = Quality(0, 0, None, None, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert _switch_evidence(FIRST, none) == "words where it read none"
    assert _switch_evidence(none, none) is None


def test_a_thinned_page_must_be_estimated_excellent_to_be_read_once() -> None:
    def prepared(thinned: bool) -> preprocess.PreprocessResult:
        step = Step("preprocess.thin", "3", {"stroke_width": 12.8, "x_height": 28.6, "thinned": thinned})
        return preprocess.PreprocessResult(np.full((10, 10), 255, np.uint8), (step,), 0.0, 1.0, False)

    assert _good_score(prepared(True), "preprocessed") == THINNED_GOOD_SCORE > GOOD_SCORE
    assert _good_score(prepared(False), "preprocessed") == GOOD_SCORE
    # a line or crop read first as loaded was not thinned: the usual bar, and no second reading of the same image
    assert _good_score(prepared(True), "original") == GOOD_SCORE


def _reading(name: str, text: str, score: float, weakest: tuple[str, float] | None = None) -> _Reading:
    page = _page_of(*((word, 100, 100 + 60 * i, 400) for i, word in enumerate(text.split())))
    return _Reading(name, page, np.zeros((1, 1), np.uint8), None, replace(FIRST, score=score, free_score=score), weakest)


def _read_with(reading: _Reading, confidences: dict[str, float]) -> _Reading:
    """``reading`` with the words named in ``confidences`` read at those confidences (0..100)."""
    words = [replace(w, confidence=confidences.get(w.text, w.confidence)) for w in reading.page.words]
    blocks = tuple(replace(b, lines=tuple(replace(ln, words=(words.pop(0),)) for ln in b.lines)) for b in reading.page.blocks)
    return replace(reading, page=replace(reading.page, blocks=blocks))


def _doubt(chosen: _Reading, readings: list[_Reading]) -> str:
    """A line's doubt as the verdict asks it, with the disputed word it measures once (:func:`_disputed_word`)."""
    return _line_doubt(chosen, readings, _disputed_word(chosen, readings))


def test_a_line_is_doubtful_when_its_readings_disagree_on_an_unsure_word_or_its_least_sure_word_is_more_likely_wrong() -> None:
    """Not by the mean estimate, which on a Komi line read with ``rus`` is low however well it reads."""
    kept = _reading("original", "30 прочентон.", 0.60, ("30", 0.89))  # every word read at confidence 90
    same = _reading("preprocessed", "30 прочентон.", 0.62, ("30", 0.9))
    other = _reading("preprocessed", "30 прбчентбн.", 0.7, ("30", 0.9))
    assert _doubt(kept, [kept, same]) == ""
    # they disagree, but the line given out reads there what plain Tesseract reads, and is sure of it
    assert _doubt(kept, [kept, other]) == ""
    assert _disputed_word(kept, [kept, other]) == ("прочентон.", 0.9)
    # ... unsure of the word they disagree on (not of the one they agree on)
    unsure = _read_with(kept, {"прочентон.": 70.0})
    differ = _doubt(unsure, [unsure, other])
    assert differ.startswith('its readings disagree (preprocessed read "30 прбчентбн." against "30 прочентон.")'), differ
    assert '"прочентон.", a word they disagree on, with a chance of 0.70' in differ
    assert _doubt(_read_with(kept, {"30": 70.0}), [_read_with(kept, {"30": 70.0}), other]) == ""
    # a word given out that plain Tesseract does not read there (taken from the other preparation) is a departure
    merged = replace(other, name=MERGED)
    assert "departs there from what plain Tesseract reads" in _doubt(merged, [kept, other])
    weak = replace(kept, weakest=("прочентон.", 0.42))
    assert "least sure word" in _doubt(weak, [weak]) and "0.42" in _doubt(weak, [weak])
    assert _verdict(kept, [kept], "line", "first reading", has_ink=True).status == "ok"
    recorded = verdict_of(_verdict(unsure, [unsure, other], "line", "first reading", has_ink=True).page)
    assert recorded is not None and recorded["disputed_word"] == {"text": "прочентон.", "chance": 0.7}
    # a page: by its estimated CER, from confidence and garbage (0.6 of its characters estimated right: far above the bar)
    assert _verdict(kept, [kept], "page", "first reading", has_ink=True).status == "doubtful"


def test_a_page_is_doubtful_by_its_estimated_error_rate_not_by_the_lexicons_score() -> None:
    """The score counts a word the lexicon knows as right: a Russian page Tesseract reads unsure of
    itself scores as well as a Czech or Komi page it reads confidently (the lexicon judges none of
    its words). Both are judged on the scale fitted to true CER, from confidence and garbage alone."""
    base = _reading("preprocessed", "Довожу до Вашего сведения", 0.9)
    confident_unjudged = replace(base, quality=replace(FIRST, garbage_share=0.0, score=0.62, free_score=0.95))
    unsure_known = replace(base, quality=replace(FIRST, garbage_share=0.0, score=0.93, free_score=0.80))
    assert _verdict(confident_unjudged, [confident_unjudged], "page", "first", has_ink=True).status == "ok"
    flagged = _verdict(unsure_known, [unsure_known], "page", "first", has_ink=True)
    assert flagged.status == "doubtful" and flagged.reason.startswith("estimated character error rate"), flagged.reason
    recorded = verdict_of(flagged.page)["estimated_cer"]
    assert recorded == pytest.approx(error_scale.estimated_cer(unsure_known.quality), abs=1e-4)
    assert recorded > error_scale.shipped_scale().doubtful


def test_a_crop_of_a_few_words_is_judged_by_its_least_sure_word_not_by_the_scale_fitted_on_pages() -> None:
    """A word cut out ("выло.", 150 dpi) is read at Tesseract confidence 50: its mean over one word
    says nothing the scale, fitted on pages of a hundred words and more, can read (it would estimate
    119% CER). Judged as a line is, by its least sure word: a word the lexicon knows is ok, a word
    more likely wrong than right is doubtful."""
    crop = replace(FIRST, words=1, characters=5, score=0.97, free_score=0.5)
    known = replace(_reading("original", "выло.", 0.97, ("выло.", 0.97)), quality=crop)
    assert error_scale.estimated_cer(crop) > error_scale.shipped_scale().doubtful  # what the scale alone would say
    assert _verdict(known, [known], "page", "first reading", has_ink=True).status == "ok"
    unsure = replace(known, weakest=("выло.", 0.3))
    flagged = _verdict(unsure, [unsure], "page", "first reading", has_ink=True)
    assert flagged.status == "doubtful" and flagged.reason.startswith("its least sure word"), flagged.reason


def test_two_different_readings_the_estimate_rates_alike_are_a_doubtful_close_call() -> None:
    kept = _reading("preprocessed", "paalæg Åriere", 0.840)
    assert _favoured_elsewhere(kept, [kept, _reading("original", "paaleg Ariere", 0.838)]) is not None  # a tie
    assert _favoured_elsewhere(kept, [kept, _reading("original", "paaleg Ariere", 0.845)]) is not None  # rated higher
    assert _favoured_elsewhere(kept, [kept, _reading("original", "paaleg Ariere", 0.82)]) is None  # rated lower
    assert _favoured_elsewhere(kept, [kept, _reading("original", "paalæg Åriere", 0.838)]) is None  # the same words


def _read_in_halves(left: list[Row], right: list[Row], height: int) -> _Reading:
    """A reading of the left halves of lines down the page, then the right halves, prepared on a blank
    image ``height`` px high (the line check finds no band to read again and no line to drop)."""
    white = np.full((height, 1000), 255, np.uint8)
    prepared = preprocess.PreprocessResult(white, (), 0.0, 1.0, False, x_height=20.0)
    return _Reading("preprocessed", _page_of(*left, *right), white, prepared, replace(FIRST, score=0.9, free_score=0.9))


def test_a_reading_that_goes_back_up_the_page_is_put_back_in_rows_and_stays_doubtful() -> None:
    """The halves of three lines read as two columns: the line check (on a blank image: no band to read
    again, no line dropped) puts them back in rows and records it, and the verdict says so; a reading
    not put back (the page as loaded, never line-checked) is doubtful too; one read top to bottom is ok."""
    halves = (("Протокол", "колхоза"), ("заседания", "имени"), ("правления", "Ленина"))
    left, right = folded(halves)
    read = _read_in_halves(left, right, 400)
    checked, lines = _with_lines_checked(read, "page", Config(), None)
    assert [line.text for line in checked.page.lines] == [" ".join(pair) for pair in halves]
    assert lines["order_breaks"] == 1 and not lines["missed_lines"] and not lines["noise_lines"], lines
    put_back = _verdict(checked, [read], "page", "first reading", has_ink=True, lines=lines)
    assert put_back.status == "doubtful" and "went back up the page 1 time(s)" in put_back.reason, put_back.reason
    assert "put back in rows" in put_back.reason
    assert verdict_of(put_back.page)["order_breaks"] == 1 and verdict_of(put_back.page)["order_put_back"] is True
    as_read = _verdict(replace(read, prepared=None), [read], "page", "first reading", has_ink=True)
    assert as_read.status == "doubtful" and "went back up the page 1 time(s)" in as_read.reason
    assert "put back in rows" not in as_read.reason
    # the verdict found the break the line check never looked for: recorded as found, not put back
    assert verdict_of(as_read.page)["order_breaks"] == 1 and verdict_of(as_read.page)["order_put_back"] is False
    in_order = replace(read, page=_page_of(*left))
    in_order_verdict = _verdict(in_order, [in_order], "page", "first reading", has_ink=True)
    assert in_order_verdict.status == "ok"
    assert verdict_of(in_order_verdict.page)["order_breaks"] == 0 and verdict_of(in_order_verdict.page)["order_put_back"] is False


@pytest.mark.parametrize("mode, blocks", [("gaps", [3, 3]), ("tesseract", [6])])
def test_a_page_put_back_in_rows_is_cut_into_blocks_as_the_setting_ocr_blocks_asks(mode: str, blocks: list[int]) -> None:
    """Two paragraphs read in halves down the page, a blank line between them: put back in rows, the
    page is cut at the blank line only when ``ocr.blocks`` is "gaps", as a page read in order is."""
    halves = (("Протокол", "колхоза"), ("заседания", "имени"), ("правления", "Ленина"),
              ("Слушали", "доклад"), ("председателя", "колхоза"), ("Постановили", "принять"))  # fmt: skip
    read = _read_in_halves(*folded(halves, PARAGRAPH_TOPS), 600)
    checked, lines = _with_lines_checked(read, "page", Config().override("ocr", blocks=mode), None)
    assert lines["order_breaks"] == 1
    assert [line.text for line in checked.page.lines] == [" ".join(pair) for pair in halves]
    assert [len(block.lines) for block in checked.page.blocks] == blocks
