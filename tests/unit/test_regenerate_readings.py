"""The pieces regenerate stands on: items against the published text, and readings put into a page."""

from __future__ import annotations

import pytest
from review_batch import page_from_spec

from ocrfix.model import BBox
from ocrfix.review.apply import apply_readings
from ocrfix.review.items import CorrectionInfo, build_items, correction_confidence, diff_segments
from ocrfix.review.layout import layout_page


def items_for(lines: list[str], published: str | None):
    page, corrections = page_from_spec(lines)
    layout = layout_page(page)
    infos = [CorrectionInfo.from_dict(c.to_dict()) for c in corrections]
    return layout, build_items(layout, infos, published)


@pytest.mark.parametrize(
    ("lines", "published", "expected", "why"),
    [
        (["а б в"], "а б в", [], "agreement: nothing to review"),
        (["а б в"], "а х в", [("disagreement", "б", "х")], "a substitution"),
        (["а б в"], "а б в г", [("disagreement", "в", "в г")], "an insertion is anchored to the word before it"),
        (["а б в"], "я а б в", [("disagreement", "а", "я а")], "an insertion at the start, to the first word"),
        (["а б в"], "а в", [("disagreement", "б", "")], "a deletion: accepting removes the word"),
        (["а бб>б в"], "а б в", [("correction", "б", "б")], "ocrfix and the archive agree: one correction item"),
        (["а бб>б в"], "а бв в", [("correction", "б", "бв")], "a correction the archive reads otherwise: still one item"),
        (["а бб>б в", "г"], None, [("correction", "б", None)], "no published transcription"),
    ],
)
def test_items(lines, published, expected, why) -> None:
    _, items = items_for(lines, published)
    assert [(i.kind, i.current_text, i.published_text) for i in items] == expected, why


def test_items_never_overlap_and_carry_boxes() -> None:
    _, items = items_for(["Выписки поспаны>посланы: т.т.", "Литвнову>Литвинову, Ежову"], "Выписки посланы т.т. Литвинову Ежову")
    covered = [w for i in items for w in range(i.first, i.last + 1)]
    assert len(covered) == len(set(covered))
    assert all(isinstance(i.bbox, BBox) and isinstance(i.line_bbox, BBox) for i in items)


def test_confidence_ranks_clear_winners_above_close_calls() -> None:
    from ocrfix.correct.confidence import raw_confidence

    cases = (("советскому", 1.0, [("советскому", -0.85)]), ("июня", 0.35, [("июня", -6.15), ("июля", -6.0)]),
             ("июня", 0.35, [("июня", -4.15)]))
    costly, close, clear = (raw_confidence(*case) for case in cases)
    assert 0 < costly < close < clear <= 1  # the evidence ranks them
    calibrated = [correction_confidence(*case) for case in cases]
    assert 0 < calibrated[0] <= calibrated[1] <= calibrated[2] <= 1  # the calibration keeps the order (steps may tie)


def test_diff_segments_name_invisible_changes() -> None:
    segments = diff_segments("Cоюз", "Союз")  # a Latin C
    assert segments[0][:2] == ["C", True] and "LATIN CAPITAL LETTER C" in segments[0][2]
    assert segments[1] == ["оюз", False, ""]


@pytest.mark.parametrize(
    ("reading", "words"),
    [
        ("посланы", ["Выписки", "посланы", "т.т."]),
        ("", ["Выписки", "т.т."]),
        ("по сланы", ["Выписки", "по", "сланы", "т.т."]),
    ],
)
def test_apply_readings(reading: str, words: list[str]) -> None:
    page, _ = page_from_spec(["Выписки поспаны т.т."])
    result = apply_readings(page, {(1, 1): reading})
    assert [w.text for w in result.words] == words
    if reading == "по сланы":  # the split shares the old box, left to right
        first, second = result.words[1], result.words[2]
        old = page.words[1].bbox
        assert old.left == first.bbox.left < first.bbox.right <= second.bbox.left < second.bbox.right == old.right
        assert first.original == "поспаны"


def test_apply_readings_across_lines_keeps_lines() -> None:
    page, _ = page_from_spec(["сооб-", "щение получено"])
    joined = apply_readings(page, {(0, 1): "сообщение"})
    assert [line.text for line in joined.lines] == ["сообщение", "получено"]
    same_count = apply_readings(page, {(0, 1): "сооб- щение"})
    assert [line.text for line in same_count.lines] == ["сооб-", "щение получено"]
    reverted = apply_readings(page, {(0, 0): "сооб-"})
    assert reverted.words[0].original is None  # back to the OCR reading: nothing changed


def test_apply_readings_refuses_runs_outside_the_page() -> None:
    page, _ = page_from_spec(["а б"])
    with pytest.raises(ValueError, match="outside the page"):
        apply_readings(page, {(1, 5): "x"})
