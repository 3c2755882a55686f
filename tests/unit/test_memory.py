"""The collection memory: what review decisions teach the corrector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_batch import LINES, PUBLISHED, page_from_spec, record_decisions, write_batch

from ocrfix.errors import BadInputError
from ocrfix.memory import (
    FORMAT_VERSION,
    Event,
    Memory,
    dictionary,
    load_memory,
    save_memory,
    word_pairs,
)
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.decisions import decide
from ocrfix.review.learn import events_from_decision, update_memory_from_decisions


@pytest.fixture(scope="module")
def known():
    return dictionary()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    page, corrections = page_from_spec(LINES)
    return write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})



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


def test_learns_fixes_rules_words_and_confusions(batch: Path, tmp_path: Path, known) -> None:
    record_decisions(
        batch,
        {
            "Литвнову,": ("accept", None),
            "Ворошнлову,": ("reject", None),
            "Берзнну.": ("edit", "Берзиной."),
            "полки": ("published", None),
        },
    )
    memory = update_memory_from_decisions(batch, tmp_path / "memory.json", known)
    fixes = memory.fixes(known)
    assert fixes["Литвнову"] == "Литвинову"  # an accepted correction
    assert fixes["Берзнну"] == "Берзиной"  # a typed reading
    # the published reading, taken once: one dictionary word for another needs a second decision or "always"
    assert "полки" not in fixes and "two decisions" in memory.refused(known)[("полки", "полк")]
    assert "Ворошнлову" not in fixes
    assert ("Ворошнлову", "Ворошилову") in memory.forbidden()  # the rejected change
    assert ("Берзнну", "Берзину") in memory.forbidden()  # the corrector's wrong guess before the typed one
    words = memory.words(known)
    assert {"Литвинову", "Ворошнлову", "Берзиной"} <= set(words) and "полк" not in words
    confusions = memory.confusions(known)
    assert confusions[("", "и")] >= 1  # Литвнову -> Литвинову: a dropped и
    assert confusions[("у", "й")] >= 1  # Берзнну -> Берзиной (aligned Берз+и+н(н>о)(у>й))


def test_memory_file_is_versioned_and_round_trips(batch: Path, tmp_path: Path, known) -> None:
    record_decisions(batch, {"Литвнову,": ("accept", None), "Ворошнлову,": ("reject", None)})
    path = tmp_path / "memory.json"
    memory = update_memory_from_decisions(batch, path, known)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "ocrfix-memory" and data["format_version"] == FORMAT_VERSION
    assert {"original": "Литвнову", "replacement": "Литвинову"} in data["fixes"]
    assert {"original": "Ворошнлову", "replacement": "Ворошилову"} in data["forbidden"]
    loaded = load_memory(path)
    assert loaded.fixes(known) == memory.fixes(known) and loaded.forbidden() == memory.forbidden()
    source = next(iter(data["sources"].values()))
    assert all(e["item"] and e["word_ids"] and e["decided_at"] for e in source)  # where each lesson came from
    assert not list(tmp_path.glob(".memory.json.*"))  # the atomic write left no temporary file


def test_learning_twice_from_the_same_decisions_changes_nothing(batch: Path, tmp_path: Path, known) -> None:
    record_decisions(batch, {"Литвнову,": ("accept", None)})
    path = tmp_path / "memory.json"
    first = update_memory_from_decisions(batch, path, known).to_dict(known)
    second = update_memory_from_decisions(batch, path, known).to_dict(known)
    assert first == second
    assert second["learned"] == [{"original": "Литвнову", "replacement": "Литвинову", "count": 1}]


def test_a_changed_mind_replaces_the_earlier_lesson(batch: Path, tmp_path: Path, known) -> None:
    path = tmp_path / "memory.json"
    record_decisions(batch, {"Литвнову,": ("accept", None)})
    update_memory_from_decisions(batch, path, known)
    record_decisions(batch, {"Литвнову,": ("reject", None)})
    memory = update_memory_from_decisions(batch, path, known)
    assert "Литвнову" not in memory.fixes(known)
    assert ("Литвнову", "Литвинову") in memory.forbidden()


def test_two_batches_add_up_and_majority_wins(known) -> None:
    accepted = (Event("accepted", "Ежсву", "Ежову"),)
    rejected = (Event("rejected", "Ежсву", "Ежову"),)
    memory = Memory({"a#p1": accepted, "b#p1": accepted, "c#p1": rejected})
    assert memory.fixes(known) == {"Ежсву": "Ежову"} and not memory.forbidden()
    tied = Memory({"a#p1": accepted, "c#p1": rejected})
    assert tied.fixes(known) == {} and tied.forbidden() == {("Ежсву", "Ежову")}


def test_keeping_the_scan_reading_of_a_disagreement_confirms_it(batch: Path) -> None:
    review = load_page_review(list_pages(batch)[0])
    item = next(i for i in review.items if i.kind == "disagreement")
    events = events_from_decision(decide(item, "accept", item.word_texts(review.layout)))  # "a": ocrfix (the scan) is right
    assert [(e.kind, e.original, e.replacement) for e in events] == [("confirmed", "", "полки")]


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


def test_save_and_load_keep_nfc(tmp_path: Path, known) -> None:
    decomposed = "Е\u0308жову"  # Ё as E + combining diaeresis
    save_memory(Memory({"x#p": (Event("accepted", "Ежсву", decomposed),)}), tmp_path / "m.json")
    assert load_memory(tmp_path / "m.json").fixes(known) == {"Ежсву": "Ёжову"}


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
                Event("accepted", "Ежову", "Ежовым", always=True),  # a fix it would never make by itself
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


@pytest.mark.parametrize(
    ("original", "replacement", "events", "learned", "why"),
    [
        ("секретном", "секрешном", 3, False, "a dictionary word never becomes a non-word, however often"),
        ("бить", "быть", 1, False, "word -> word: one decision is not enough"),
        ("бить", "быть", 2, True, "word -> word: two decisions are"),
        ("поспаны", "посланы", 1, True, "a non-word fixed once is learned"),
    ],
)
def test_a_fix_must_be_safe(original: str, replacement: str, events: int, learned: bool, why: str, known) -> None:
    memory = Memory({f"b#p{i}": (Event("published", original, replacement),) for i in range(events)})
    assert (original in memory.fixes(known)) == learned, why
    assert (replacement in memory.words(known)) == learned, why  # a refused lesson teaches no word either
    assert not memory.confusions(known) or learned


def test_always_lets_one_decision_fix_a_word_but_never_into_a_non_word(known) -> None:
    always = Memory({"b#p": (Event("typed", "бить", "быть", always=True), Event("typed", "секретном", "секрешном", always=True))})
    assert always.fixes(known) == {"бить": "быть"}
    assert "non-word" in always.refused(known)[("секретном", "секрешном")]


def test_a_rejection_is_the_change_the_corrector_proposed() -> None:
    from ocrfix.review.decisions import Change, Decision

    decision = Decision(
        item_id="c3-6", action="reject", text="Решение ПБ от 14.УТ. 37 г.", kind="correction",
        ocr="Решение ПБ от 14.УТ. 37 г.", current="Решение ПБ от 14.VI.37г.", published=None,
        words=("Решение", "ПБ", "от", "14.VI.37г."), word_ids=("w3", "w4", "w5", "w6"),
        changes=(Change("14.УТ. 37 г", "14.VI.37г", ("w6", "w7", "w8")),), decided_at="2026-12-01T10:00:00+00:00",
    )
    events = events_from_decision(decision)
    assert [(e.kind, e.original, e.replacement) for e in events if e.kind == "rejected"] == [
        ("rejected", "14.УТ. 37 г", "14.VI.37г")
    ]
    assert events[0].word_ids == ("w6", "w7", "w8") and events[0].item == "c3-6"
    forbidden = Memory({"b#p": tuple(events)}).forbidden()
    assert forbidden == {("14.УТ. 37 г", "14.VI.37г")}

    # ... and so the corrector, which proposes exactly that change, never proposes it again.
    from ocrfix.config import CorrectConfig
    from ocrfix.correct import correct_text
    from ocrfix.lexicon.shared import get_lexicon

    config, text = CorrectConfig(), "Решение ПБ от 14.УТ. 37 г. о поездке.\n"
    lexicon = get_lexicon(config)
    assert [(c.original, c.replacement) for c in correct_text(text, lexicon, config).corrections] == [
        ("14.УТ. 37 г", "14.VI.37г")
    ]
    assert correct_text(text, lexicon, config, forbidden=forbidden).text == text


def test_list_and_remove_lessons(batch: Path, tmp_path: Path, known) -> None:
    from ocrfix.memory import memory_entries, remove_entries

    record_decisions(batch, {"Литвнову,": ("accept", None), "Ворошнлову,": ("reject", None)})
    path = tmp_path / "memory.json"
    update_memory_from_decisions(batch, path, known)
    entries = {(e["entry"], e["original"]): e for e in memory_entries(path, known)}
    fix = entries[("fix", "Литвнову")]
    assert fix["state"] == "active" and fix["sources"][0]["page"].endswith("#p1") and fix["sources"][0]["item"]
    assert entries[("forbidden", "Ворошнлову")]["state"] == "active"
    remove_entries(path, [fix["id"]], "2999-01-01T00:00:00+00:00", known)
    assert "Литвнову" not in load_memory(path).fixes(known)
    # learning again from the same decisions does not bring the removed lesson back
    assert "Литвнову" not in update_memory_from_decisions(batch, path, known).fixes(known)
    with pytest.raises(BadInputError, match="no lesson with id"):
        remove_entries(path, ["fdeadbee"], "2999-01-01T00:00:00+00:00", known)


def test_memory_commands(batch: Path, tmp_path: Path, known) -> None:
    import subprocess
    import sys

    record_decisions(batch, {"Литвнову,": ("accept", None)})
    path = tmp_path / "memory.json"
    update_memory_from_decisions(batch, path, known)
    listed = subprocess.run([sys.executable, "-m", "ocrfix", "memory", "list", path, "--json"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    fix = next(e for e in json.loads(listed.stdout) if e["entry"] == "fix")
    removed = subprocess.run([sys.executable, "-m", "ocrfix", "memory", "remove", path, fix["id"]], capture_output=True, text=True)
    assert removed.returncode == 0 and "Литвнову → Литвинову" in removed.stdout
    missing = subprocess.run([sys.executable, "-m", "ocrfix", "memory", "list", tmp_path / "none.json"], capture_output=True, text=True)
    assert missing.returncode == 3 and "no such memory file" in missing.stderr
