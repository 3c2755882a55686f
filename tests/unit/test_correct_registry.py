"""The registry of candidate generators: declared order, names and versions, switching entries off."""

from __future__ import annotations

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import correct_text, registry


def test_every_entry_is_declared_with_a_unique_name_a_version_and_what_it_proposes() -> None:
    names = [g.name for g in registry.GENERATORS]
    assert len(names) == len(set(names))
    assert all(g.version >= 1 and g.proposes and "\n" not in g.proposes for g in registry.GENERATORS)
    assert registry.running() == tuple(g for g in registry.GENERATORS if g.enabled)


def test_an_entry_switched_off_proposes_nothing_and_the_others_still_run(lexicon) -> None:
    text = "Решение ЦК ВКП/б/ о работе послани т.т. Литвинову.\n"
    full = correct_text(text, lexicon, CorrectConfig()).text
    assert "ВКП(б)" in full and "посланы" in full
    without = correct_text(text, lexicon, CorrectConfig(), off={"party-name"}).text
    assert "ВКП/б/" in without and "посланы" in without
    assert "послани" in correct_text(text, lexicon, CorrectConfig(), off={"words"}).text


def test_an_unknown_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="no candidate generator named nonsense"):
        registry.running({"nonsense"})


def test_a_score_floor_given_replaces_the_resolvers_own(lexicon) -> None:
    """``floor`` (the calibration's -inf: every change the search would make) reaches the resolver."""
    import math

    text = "Совещание об ускоренеи работ по колхозу."
    made = correct_text(text, lexicon, CorrectConfig())
    assert made.text == "Совещание об ускорение работ по колхозу." and made.corrections[0].log_odds > 0
    assert correct_text(text, lexicon, CorrectConfig(), floor=-math.inf).text == made.text
    assert correct_text(text, lexicon, CorrectConfig(), floor=math.inf).text == text  # above any score: not made


def test_without_the_specks_reading_a_speck_stays_and_a_mark_for_a_lost_letter_is_still_read(lexicon) -> None:
    # remove_specks governs dirt (the specks entry); mark-letters reads a letter misread as a mark
    from dataclasses import replace

    text = "Это было та‹ давно. Провести санитарную обработк\\ всех возвращающихся.\n"
    assert correct_text(text, lexicon, CorrectConfig()).text == (
        "Это было так давно. Провести санитарную обработку всех возвращающихся.\n")
    assert correct_text(text, lexicon, replace(CorrectConfig(), remove_specks=False)).text == (
        "Это было та‹ давно. Провести санитарную обработку всех возвращающихся.\n")
