"""Stable line and word ids: given once, kept by every later stage, read back from page.json."""

from dataclasses import replace

import pytest

from ocrfix.errors import BadInputError
from ocrfix.model import page_from_text, with_ids
from ocrfix.ocr.page_json import page_from_json, to_json


def test_ids_are_numbered_in_reading_order():
    page = page_from_text("один два\nтри\n\nчетыре\n")
    assert [line.id for line in page.lines] == ["l1", "l2", "l3"]
    assert [w.id for w in page.words] == ["w1", "w2", "w3", "w4"]


def test_ids_given_are_kept_and_new_ones_never_repeat_them():
    page = page_from_text("один два три\n")
    first, second, third = page.words
    line = replace(page.lines[0], words=(first, replace(second, id=""), third))
    changed = replace(page, blocks=(replace(page.blocks[0], lines=(line,)),))
    renumbered = with_ids(changed)
    ids = [w.id for w in renumbered.words]
    assert ids[0] == "w1" and ids[2] == "w3" and ids[1] not in {"w1", "w3"} and ids[1]


def test_page_json_round_trip_keeps_ids():
    page = page_from_text("один два\nтри\n")
    again = page_from_json(to_json(page))
    assert [w.id for w in again.words] == [w.id for w in page.words]
    assert [line.id for line in again.lines] == [line.id for line in page.lines]


def test_version_1_page_json_gets_ids():
    data = to_json(page_from_text("один два\n"))
    data["format_version"] = 1
    for block in data["blocks"]:
        for line in block["lines"]:
            line.pop("id")
            for word in line["words"]:
                word.pop("id")
    assert [w.id for w in page_from_json(data).words] == ["w1", "w2"]


def test_a_repeated_id_is_malformed():
    data = to_json(page_from_text("один два\n"))
    data["blocks"][0]["lines"][0]["words"][1]["id"] = "w1"
    with pytest.raises(BadInputError, match="occurs twice"):
        page_from_json(data)
