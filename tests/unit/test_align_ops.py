"""Alignment operations, confusions and the three-way view."""

from __future__ import annotations

from collections import Counter

import pytest

from ocrfix.align import align, aligned_lines, confusions, layout_tokens, pivot_alignment, split_lines


def _rebuild(ops, side: str) -> str:
    return "".join(getattr(op, side) for op in ops)


def test_char_ops_cover_both_texts_and_say_what_changed() -> None:
    reference, hypothesis = "Вопрос НКИЛ.", "Вопрос НКИД!"
    ops = align(reference, hypothesis)
    assert _rebuild(ops, "reference") == reference and _rebuild(ops, "hypothesis") == hypothesis
    changed = [(op.kind, op.reference, op.hypothesis) for op in ops if op.kind != "equal"]
    assert changed == [("replace", "Л", "Д"), ("replace", ".", "!")] or changed == [("replace", "Л.", "Д!")]
    for op in ops:
        assert reference[op.ref_start : op.ref_end] == op.reference
        assert hypothesis[op.hyp_start : op.hyp_end] == op.hypothesis


def test_insert_and_delete_have_empty_spans_on_the_other_side() -> None:
    ops = align("шли", "пошли!")
    kinds = [op.kind for op in ops]
    assert kinds == ["insert", "equal", "insert"]
    assert (ops[0].ref_start, ops[0].ref_end, ops[0].hypothesis) == (0, 0, "по")
    assert (ops[2].ref_start, ops[2].ref_end, ops[2].hypothesis) == (3, 3, "!")
    deleted = align("abc", "")
    assert [(op.kind, op.reference, op.hyp_start, op.hyp_end) for op in deleted] == [("delete", "abc", 0, 0)]


def test_line_layout_is_not_a_difference() -> None:
    reference = "пожеланиям командо-\n\nвания 36-й\nдивизии"
    hypothesis = "пожеланиям командования 36-й дивизии"
    assert all(op.kind == "equal" for op in align(reference, hypothesis))
    assert all(op.kind == "equal" for op in align(reference, hypothesis, level="word"))


def test_a_real_hyphen_inside_a_line_is_kept() -> None:
    ops = align("Ма-Ху-шаня", "МаХушаня")
    assert [(op.kind, op.reference) for op in ops if op.kind != "equal"] == [("delete", "-"), ("delete", "-")]


def test_word_level_aligns_words() -> None:
    ops = align("один два три", "один тва три четыре", level="word")
    assert [(op.kind, op.reference, op.hypothesis) for op in ops] == [
        ("equal", "один", "один"),
        ("replace", "два", "тва"),
        ("equal", "три", "три"),
        ("insert", "", "четыре"),
    ]


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        align("a", "b", level="line")  # type: ignore[arg-type]


def test_texts_are_compared_in_nfc() -> None:
    assert [op.kind for op in align("е\u0308ж", "ёж")] == ["equal"]


def test_confusions_count_character_pairs() -> None:
    counts = confusions("синий и ёлка", "сuнuй н елка")
    assert counts == Counter({("и", "u"): 2, ("и", "н"): 1, ("ё", "е"): 1})
    assert confusions("шли", "пошли") == Counter({("", "п"): 1, ("", "о"): 1})
    assert confusions("a b", "a\n\n b") == Counter()  # layout only


def test_layout_tokens_fold_spaces_and_hyphen_breaks() -> None:
    tokens = layout_tokens("ко-\n ман  да")
    assert [t.key for t in tokens] == ["к", "о", "м", "а", "н", " ", "д", "а"]
    assert (tokens[1].start, tokens[1].end) == (1, 5)  # "о-\n " folded into "о"


def test_three_way_view_pivots_on_the_corrected_text() -> None:
    published, raw, corrected = "Ма-Ху-шаня ответ", "Ма-Ху-шаня отвeт!", "Ма-Ху-шаня ответ!"
    slots = pivot_alignment(corrected, [published, raw])
    pivot_text = "".join(corrected[s.pivot.start : s.pivot.end] for s in slots if s.pivot)
    assert pivot_text == corrected
    changed = [(s.pivot.key if s.pivot else None, s.kinds) for s in slots if s.kinds != ("equal", "equal")]
    # the corrector fixed the Latin "e" (raw: replace); the "!" is in raw and corrected only.
    assert changed == [("е", ("equal", "replace")), ("!", ("insert", "equal"))]


def test_three_way_view_keeps_text_the_pivot_lacks() -> None:
    slots = pivot_alignment("аб", ["аXб", "аб"])
    gaps = [s for s in slots if s.pivot is None]
    assert len(gaps) == 1 and [t.key for t in gaps[0].others[0]] == ["X"] and gaps[0].kinds == ("delete", "none")


def test_lines_follow_the_pivot() -> None:
    corrected = "первая строка\nвторая\n\nтретья"
    rows = split_lines(pivot_alignment(corrected, [corrected]), corrected)
    assert len(rows) == 3


def test_aligned_lines_cut_the_reference_at_the_hypothesis_line_breaks() -> None:
    reference = "Разрешить Наркомфину СССР перевести Генконсулу\nСССР в Харбине"
    hypothesis = "Разрешить Наркомфину\nСССР перевести Генконсулу СССР в Харбине"
    assert aligned_lines(reference, hypothesis) == [
        ("Разрешить Наркомфину", "Разрешить Наркомфину"),
        ("СССР перевести Генконсулу СССР в Харбине", "СССР перевести Генконсулу СССР в Харбине"),
    ]
