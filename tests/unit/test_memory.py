"""The collection memory: what review decisions teach the corrector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_batch import LINES, PUBLISHED, page_from_spec, write_batch

from ocrfix.errors import BadInputError
from ocrfix.memory import (
    FORMAT_VERSION,
    Event,
    Memory,
    load_memory,
    save_memory,
    word_pairs,
)
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.decisions import decide, save_decisions
from ocrfix.review.learn import events_from_decision, update_memory_from_decisions


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    page, corrections = page_from_spec(LINES)
    return write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})


def record(out_dir: Path, choices: dict[str, tuple[str, str | None]]) -> None:
    from dataclasses import replace

    page = list_pages(out_dir)[0]
    review = load_page_review(page)
    decisions = dict(review.decisions.decisions)
    for item in review.items:
        if item.ocr_text in choices:
            action, text = choices[item.ocr_text]
            decisions[item.item_id] = decide(item, action, item.word_texts(review.layout), text)
    save_decisions(page.page_dir, replace(review.decisions, decisions=decisions))


@pytest.mark.parametrize(
    ("original", "replacement", "pairs", "why"),
    [
        ("Литвнову,", "Литвинову,", [("Литвнову", "Литвинову")], "same punctuation: the words alone"),
        ("(Ежову)", "(Ежову)", [], "nothing changed"),
        ("полки", "полк", [("полки", "полк")], "one word"),
        ("т.т. Литвнову", "т.т. Литвинову", [("Литвнову", "Литвинову")], "unchanged words are left out"),
        ("Берзину.", "Берзину!", [("Берзину.", "Берзину!")], "punctuation changed: whole words"),
        ("Сосредо точить", "Сосредоточить", [("Сосредо точить", "Сосредоточить")], "a split word pairs whole"),
    ],
)
def test_word_pairs(original: str, replacement: str, pairs: list, why: str) -> None:
    assert word_pairs(original, replacement) == pairs, why


def test_learns_fixes_rules_words_and_confusions(batch: Path, tmp_path: Path) -> None:
    record(
        batch,
        {
            "Литвнову,": ("accept", None),
            "Ворошнлову,": ("reject", None),
            "Берзнну.": ("edit", "Берзиной."),
            "полки": ("accept", None),
        },
    )
    memory = update_memory_from_decisions(batch, tmp_path / "memory.json")
    fixes = memory.fixes()
    assert fixes["Литвнову"] == "Литвинову"  # an accepted correction
    assert fixes["Берзнну"] == "Берзиной"  # a typed reading
    assert fixes["полки"] == "полк"  # the published reading, accepted
    assert "Ворошнлову" not in fixes
    assert ("Ворошнлову", "Ворошилову") in memory.forbidden()  # the rejected change
    assert ("Берзнну", "Берзину") in memory.forbidden()  # the corrector's wrong guess before the typed one
    words = memory.words()
    assert {"Литвинову", "Ворошнлову", "Берзиной", "полк"} <= set(words)
    confusions = memory.confusions()
    assert confusions[("", "и")] >= 1  # Литвнову -> Литвинову: a dropped и
    assert confusions[("у", "й")] >= 1  # Берзнну -> Берзиной (aligned Берз+и+н(н>о)(у>й))


def test_memory_file_is_versioned_and_round_trips(batch: Path, tmp_path: Path) -> None:
    record(batch, {"Литвнову,": ("accept", None), "Ворошнлову,": ("reject", None)})
    path = tmp_path / "memory.json"
    memory = update_memory_from_decisions(batch, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "ocrfix-memory" and data["format_version"] == FORMAT_VERSION
    assert {"original": "Литвнову", "replacement": "Литвинову"} in data["fixes"]
    assert {"original": "Ворошнлову", "replacement": "Ворошилову"} in data["forbidden"]
    loaded = load_memory(path)
    assert loaded.fixes() == memory.fixes() and loaded.forbidden() == memory.forbidden()
    assert not list(tmp_path.glob(".memory.json.*"))  # the atomic write left no temporary file


def test_learning_twice_from_the_same_decisions_changes_nothing(batch: Path, tmp_path: Path) -> None:
    record(batch, {"Литвнову,": ("accept", None)})
    path = tmp_path / "memory.json"
    first = update_memory_from_decisions(batch, path).to_dict()
    second = update_memory_from_decisions(batch, path).to_dict()
    assert first == second
    assert second["accepted"] == [{"original": "Литвнову", "replacement": "Литвинову", "count": 1}]


def test_a_changed_mind_replaces_the_earlier_lesson(batch: Path, tmp_path: Path) -> None:
    path = tmp_path / "memory.json"
    record(batch, {"Литвнову,": ("accept", None)})
    update_memory_from_decisions(batch, path)
    record(batch, {"Литвнову,": ("reject", None)})
    memory = update_memory_from_decisions(batch, path)
    assert "Литвнову" not in memory.fixes()
    assert ("Литвнову", "Литвинову") in memory.forbidden()


def test_two_batches_add_up_and_majority_wins() -> None:
    accepted = (Event("accepted", "Ежсву", "Ежову"),)
    rejected = (Event("rejected", "Ежсву", "Ежову"),)
    memory = Memory({"a#p1": accepted, "b#p1": accepted, "c#p1": rejected})
    assert memory.fixes() == {"Ежсву": "Ежову"} and not memory.forbidden()
    tied = Memory({"a#p1": accepted, "c#p1": rejected})
    assert tied.fixes() == {} and tied.forbidden() == {("Ежсву", "Ежову")}


def test_disagreement_rejected_confirms_the_ocr_reading(batch: Path) -> None:
    review = load_page_review(list_pages(batch)[0])
    item = next(i for i in review.items if i.kind == "disagreement")
    events = events_from_decision(decide(item, "reject", item.word_texts(review.layout)))
    assert events == [Event("confirmed", "", "полки")]


def test_missing_file_is_empty_and_bad_files_are_errors(tmp_path: Path) -> None:
    assert load_memory(tmp_path / "none.json").fixes() == {}
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInputError, match="cannot read the collection memory"):
        load_memory(bad)
    bad.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(BadInputError, match="not an ocrfix collection memory"):
        load_memory(bad)
    bad.write_text(json.dumps({"format": "ocrfix-memory", "format_version": FORMAT_VERSION + 1}), encoding="utf-8")
    with pytest.raises(BadInputError, match="reads up to"):
        load_memory(bad)
    bad.write_text(json.dumps({"format": "ocrfix-memory", "format_version": 1, "sources": {"x": [["maybe", "a", "b"]]}}), encoding="utf-8")
    with pytest.raises(BadInputError, match=r"sources\[.x.\]\[0\]\[0\] must be one of"):
        load_memory(bad)


def test_save_and_load_keep_nfc(tmp_path: Path) -> None:
    decomposed = "Е\u0308жову"  # Ё as E + combining diaeresis
    save_memory(Memory({"x#p": (Event("accepted", "Ежсву", decomposed),)}), tmp_path / "m.json")
    assert load_memory(tmp_path / "m.json").fixes() == {"Ежсву": "Ёжову"}


def test_the_corrector_follows_the_memory(tmp_path: Path) -> None:
    from ocrfix.config import CorrectConfig
    from ocrfix.correct import correct_page, correct_text
    from ocrfix.lexicon.shared import get_lexicon
    from ocrfix.memory import corrector_options, page_corrector_options

    config = CorrectConfig()
    lexicon = get_lexicon(config)
    text = "Выписки поспаны т. Ворошипову и т. Ежову.\nПетевести средства в банк.\n"
    before = {(c.original, c.replacement) for c in correct_text(text, lexicon, config).corrections}
    assert ("Ворошипову", "Ворошилову") in before  # what the corrector does on its own
    memory = Memory(
        {
            "batch#p1": (
                Event("accepted", "Ежову", "Ежовым"),  # a fix it would never make by itself
                Event("rejected", "Ворошипову", "Ворошилову"),
                Event("confirmed", "", "Ворошипову"),
            )
        }
    )
    result = correct_text(text, lexicon, config, **corrector_options(memory, lexicon, [text]))
    made = {(c.original, c.replacement): c for c in result.corrections}
    assert made[("Ежову", "Ежовым")].reason.startswith("collection memory")
    assert not any(original == "Ворошипову" for original, _ in made)
    assert "Ворошипову" in result.text

    path = tmp_path / "memory.json"
    save_memory(memory, path)
    page, _ = page_from_spec(["Выписки поспаны т. Ворошипову и т. Ежову."])
    corrected, corrections = correct_page(page, lexicon, config, **page_corrector_options(path, lexicon, page))
    assert "Ежовым" in [w.text.rstrip(".") for w in corrected.words]
    assert not any(c.original == "Ворошипову" for c in corrections)
    assert page_corrector_options(None, lexicon, page) == {}
