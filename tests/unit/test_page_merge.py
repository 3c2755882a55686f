"""A page read more than once, merged line by line: the pairing by place and the rule (no Tesseract)."""

from __future__ import annotations

from ocrfix.line_merge import NO_EVIDENCE
from ocrfix.model import BBox, Block, Line, Page, Word
from ocrfix.page_merge import Other, evidence, merge, pair_words

KNOWN = {"генконсулу", "уплаты", "заседания"}  # the words a small lexicon knows (as written)


def _page(*lines: tuple[tuple[str, float], ...], scale: int = 1, top: int = 100) -> Page:
    """Lines of words with their confidences, 60 px apart, words 100 px apart (every length times ``scale``)."""
    built, s = [], scale
    for li, words in enumerate(lines):
        y = top + 60 * li
        placed = tuple(Word(text, BBox(s * 100 * i, s * y, s * (100 * i + 80), s * (y + 40)), conf)
                       for i, (text, conf) in enumerate(words))  # fmt: skip
        built.append(Line(placed, BBox(0, s * y, s * 100 * len(words), s * (y + 40))))
    return Page((Block(tuple(built)),))


def _texts(page: Page) -> list[list[str]]:
    return [[w.text for w in line.words] for line in page.lines]


def test_words_are_paired_with_the_line_whose_box_holds_their_centre() -> None:
    lines = [BBox(0, 100, 500, 140), BBox(0, 160, 500, 200), BBox(0, 130, 500, 170)]  # the third overlaps both
    words = [BBox(10, 105, 60, 135), BBox(10, 165, 60, 195), BBox(10, 140, 60, 162), BBox(600, 105, 650, 135), None]
    # the third word's centre (151) is in the second and third boxes, nearer the third's middle (150);
    # a word right of every line and one without a box go to no line
    assert pair_words(lines, words) == ((0,), (1,), (2,))


def test_a_stretch_is_taken_only_as_long_with_the_line_evidence_and_tesseracts_confidence_behind_it() -> None:
    def w(text: str, conf: float) -> Word:
        return Word(text, None, conf)

    knows = KNOWN.__contains__
    assert evidence([w("генконсупу", 85)], [w("генконсулу", 93)], knows) is not None  # known, surer
    assert evidence([w("генконсупу", 93)], [w("генконсулу", 60)], knows) is None  # known, but less sure
    # fewer garbage tokens, but the other stretch misreads its letters and is read less surely
    assert evidence([w("náš", 90), w("osud.", 90), w(";", 40)], [w(".", 30), w("náp“", 40), w("Pha", 30)], None) is None
    # fewer garbage tokens and surer, but a third as long: another cut of the line, not the same words
    assert evidence([w("pro", 60), w("h2000", 20), w("Žon,,«", 10)], [w("zb", 90)], None) is None
    assert evidence([w("b7l", 40)], [w("byl", 90)], None) is not None  # a letter read as a digit, mended


def test_each_line_keeps_the_kept_readings_words_but_where_another_reading_has_evidence() -> None:
    """Two other readings: one in the kept reading's frame, one (the image as loaded) twice as large.
    Each line is mended from the reading with evidence for it; the rest stays as kept, ids are fresh
    and in reading order, boxes in the kept frame, and each line weighed says where its words came from."""
    kept = _page((("генконсупу", 85), ("СССР", 95)), (("для", 95), ("уппаты", 60)), (("засецания", 80),))
    grey = _page((("генконсупу", 80), ("СССР", 90)), (("для", 95), ("уплаты", 90)), (("засецания", 80),))
    loaded = _page((("генконсулу", 93), ("СССР", 95)), (("для", 90), ("уплаты", 40)), (("заседания", 20),), scale=2)

    def halved(box: BBox) -> BBox:
        return BBox(box.left // 2, box.top // 2, box.right // 2, box.bottom // 2)

    merged = merge(kept, "preprocessed", [Other("grey", grey), Other("original", loaded, halved)], KNOWN.__contains__)
    assert _texts(merged.page) == [["генконсулу", "СССР"], ["для", "уплаты"], ["засецания"]]
    assert merged.took_other
    assert [w.id for w in merged.page.words] == ["w1", "w2", "w3", "w4", "w5"]
    assert [line.id for line in merged.page.lines] == ["l1", "l2", "l3"]
    assert merged.page.words[0].bbox == BBox(0, 100, 80, 140)  # the loaded image's box, mapped into the kept frame
    record = {line["line"]: line for line in merged.lines}
    assert record["l1"]["words_from"] == ["original", "preprocessed"]
    assert record["l2"]["words_from"] == ["preprocessed", "grey"]  # the original's уплаты (40) is not surer
    assert record["l3"]["words_from"] == ["preprocessed"]  # заседания read with confidence 20: not taken
    assert record["l3"]["stretches"] == [{"readings": {"preprocessed": "засецания", "original": "заседания"},
                                          "kept": "preprocessed", "why": NO_EVIDENCE}]  # fmt: skip


def test_without_evidence_the_kept_reading_is_the_page() -> None:
    kept = _page((("генконсулу", 90),), (("уплаты", 90),))
    other = _page((("генконсупу", 95),), (("уппаты", 95), ("ещё", 90)))
    merged = merge(kept, "original", [Other("preprocessed", other)], KNOWN.__contains__)
    assert merged.page is kept and not merged.took_other
    assert [line["words_from"] for line in merged.lines] == [["original"], ["original"]]



def test_a_line_the_kept_reading_lost_comes_back_in_reading_order_when_confirmed_or_sure() -> None:
    """The kept reading lost its second and fourth lines. The grey reading holds the second, read fairly
    (estimate between line_check's 0.8 and SURE_SCORE), and the binarised one confirms it: added. The fourth,
    read surely (every word known), needs no confirmation. A fairly read line nobody confirms, a row of
    symbols, a line of another type size and a line over a kept line stay out."""
    fair = (("уплаты", 93), ("заседания", 93), ("засецания", 93))  # estimate 0.82
    sure = (("уплаты", 93), ("заседания", 93))  # estimate 0.97
    kept = _page((("генконсулу", 92), ("уплаты", 92)), (), (("заседания", 92), ("уплаты", 92)))
    kept = Page((Block(tuple(line for line in kept.lines if line.words)),))
    grey = _page((("генконсулу", 90),), fair, (), sure, (), fair)
    binarised = _page((), (("уплаты", 60), ("заседания", 70)), (), (), (("«:;*", 30), ("~.,", 20)))
    tall = Page((Block((Line((Word("заседания", BBox(0, 400, 300, 520), 95),), BBox(0, 400, 300, 520)),)),))
    merged = merge(kept, "preprocessed", [Other("grey", grey), Other("binarised", binarised), Other("tall", tall)],
                   KNOWN.__contains__)  # fmt: skip
    assert _texts(merged.page) == [["генконсулу", "уплаты"], ["уплаты", "заседания", "засецания"],
                                   ["заседания", "уплаты"], ["уплаты", "заседания"]]  # fmt: skip
    assert [line.id for line in merged.page.lines] == ["l1", "l2", "l3", "l4"]  # (none had an id)
    assert merged.took_other
    assert [(a["line"], a["from"], a["confirmed_by"]) for a in merged.added] == [
        ("l2", "grey", ["binarised"]), ("l4", "grey", [])]  # fmt: skip
    # without the binarised reading, the fairly read second line is nobody's but the grey reading's: left out
    alone = merge(kept, "preprocessed", [Other("grey", grey)], KNOWN.__contains__)
    assert [a["text"] for a in alone.added] == ["уплаты заседания"]
