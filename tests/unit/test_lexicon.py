"""The compiled lexicon: contents, folding, curated entries, caching, errors, commands."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocrfix.commands.lexicon import lexicon as lexicon_group
from ocrfix.config import CorrectConfig
from ocrfix.errors import BadInputError, ExitCode, MissingDependencyError
from ocrfix.lexicon import default_lexicon_dir, fold, load_lexicon, sources
from ocrfix.lexicon.curate import add_entries
from ocrfix.lexicon.sources import ABBREVIATION, NAME, PLACE
from ocrfix.lexicon.store import base_key, cache_root, curated_key, user_lexicon_dir


@pytest.fixture
def private_lexicon_dir(tmp_path, monkeypatch, lexicon):
    """A copy of the curated lexicons and a private cache that reuses the built base."""
    lexicon_dir = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), lexicon_dir)
    cache = tmp_path / "cache"
    cache.mkdir()
    os.symlink(lexicon.base_dir, cache / lexicon.base_dir.name)
    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(cache))
    return lexicon_dir


def test_every_inflected_form_is_known(lexicon):
    for word in ("быть", "присужденных", "посланы", "изъявляет", "авиаэскадрилью", "сосредоточить", "половины"):
        assert word in lexicon, word
    assert "секрешном" not in lexicon and "присужденних" not in lexicon


def test_a_memo_is_kept_by_name_until_the_lexicon_forgets(lexicon):
    lexicon.forget()
    candidates = lexicon.memo("candidates")
    candidates["слово"] = ("слава",)
    assert lexicon.memo("candidates") is candidates and lexicon.memo("real-words") == {}
    lexicon.forget()
    assert lexicon.memo("candidates") == {}


def test_yo_is_folded():
    assert fold("Ещё") == "еще" and fold("ЁЖ") == "еж"


def test_frequencies_order_common_before_rare(lexicon):
    assert lexicon.zipf("быть") > lexicon.zipf("бить") > 0
    assert lexicon.zipf("секрешном") == 0.0


def test_curated_entries_are_inflected_and_flagged(lexicon):
    for word in ("кашгарского", "синьцзяне", "генконсулу", "дубаню", "ма-ху-шаню", "стомонякову"):
        assert word in lexicon, word
    assert lexicon.flags("кашгаре") & PLACE
    assert lexicon.flags("литвинову") & NAME
    assert lexicon.flags("нкид") & ABBREVIATION
    assert lexicon.canonical("нкид") == "НКИД"
    assert "расчитывать" in lexicon  # period spelling


def test_a_word_is_known_as_written_in_a_regular_case_or_its_curated_spelling(lexicon):
    """What the self-check asks (is this token a word, whatever its shape: СССР, ТуркВО): small
    letters, capitals and a capital first by the folded form; another mix of cases only as curated."""
    for word in ("ссср", "СССР", "Ссср", "РСФСР", "ВЛКСМ", "длинношеее", "XVIII", "ТуркВО", "СибВО"):
        assert lexicon.knows_as_written(word), word
    for word in ("несмотРЯ", "заПасных", "НатУралистов", "туркВО", "ТУРКво"):
        assert lexicon.knows(word) and not lexicon.knows_as_written(word), word


def test_chinese_names_decline_on_their_last_syllable(lexicon):
    """Ма-Чжу-ин: a last part in lower case that no dictionary parses declines as a noun."""
    for form in ("ма-чжу-ина", "ма-чжу-ину", "ма-чжу-ином", "ма-чжу-ине"):
        assert lexicon.canonical(form) == "Ма-Чжу-" + form.split("-")[-1], form
    assert "ма-чжу-иным" not in lexicon  # not a Russian surname in -ин (Пушкиным)


def test_load_is_cached_and_keyed_by_versions(lexicon):
    assert lexicon.base_dir.parent == cache_root()
    assert lexicon.base_dir.name == f"base-{base_key()}"
    assert (lexicon.base_dir / "manifest.json").exists()
    assert len(lexicon) > 3_000_000


def test_prefix_and_suffix_lookups(lexicon):
    assert lexicon.has_prefix("кашг") and lexicon.has_suffix("ского")
    assert not lexicon.has_prefix("ъъъ") and not lexicon.has_suffix("ъъъ")


def letters_between(grams, before: str, after: str) -> str:
    """The letters the two tables (ocrfix.lexicon.grams) both allow between ``before`` (two characters,
    padded with ^) and ``after`` (two, padded with $): the plain reading of what they hold, every
    character kept (the corrector reads the letters of ALPHABET only, as masks)."""
    right = grams[1].get(before[1] + after, "")
    return "".join(c for c in grams[0].get(before + after[0], "") if c in right)


def padded_neighbours(word: str, i: int, width: int) -> tuple[str, str]:
    """The two characters before position ``i`` of ``word`` and the two after ``i + width``, padded
    as the tables pad a form."""
    from ocrfix.lexicon.grams import PAD_LEFT, PAD_RIGHT

    padded = PAD_LEFT + word + PAD_RIGHT
    return padded[i:i + 2], padded[i + 2 + width:i + 4 + width]


def test_neighbour_letters_allow_every_known_form(lexicon):
    for word in ("быть", "изъявляет", "авиаэскадрилью", "кашгарского", "нкид", "я", "ма-ху-шаню"):
        assert word in lexicon, word
        for i, letter in enumerate(word):
            before, after = padded_neighbours(word, i, 1)
            assert letter in letters_between(lexicon.grams, before, after), (word, i)
    # and they do prune: no known form has 'ъ' between 'ы' and a consonant
    assert "ъ" not in letters_between(lexicon.grams, "^ы", "ка")


def test_cache_dir_override(private_lexicon_dir):
    assert cache_root() == Path(os.environ["OCRFIX_CACHE_DIR"])


def test_adding_a_word_rebuilds_the_overlay(private_lexicon_dir):
    config = CorrectConfig(lexicon_dir=str(private_lexicon_dir))
    assert "бабаджанову" not in load_lexicon(config)
    path, new = add_entries(private_lexicon_dir, "names", ["Бабаджанов", "Литвинов"])
    assert new == ["Бабаджанов"] and path.name == "names.txt"
    reloaded = load_lexicon(config)
    assert "бабаджанову" in reloaded  # inflected like a dictionary surname
    assert reloaded.flags("бабаджанову") & NAME


def test_model_word_inflection(private_lexicon_dir):
    add_entries(private_lexicon_dir, "institutions", ["шанцзюнь ~ конь"])
    reloaded = load_lexicon(CorrectConfig(lexicon_dir=str(private_lexicon_dir)))
    assert all(form in reloaded for form in ("шанцзюня", "шанцзюню", "шанцзюнем"))
    assert "шанцзюнь" not in load_lexicon(CorrectConfig())  # only the private lexicon changed


def test_user_word_lists_are_merged_with_the_curated_ones(private_lexicon_dir, tmp_path, monkeypatch):
    config = CorrectConfig(lexicon_dir=str(private_lexicon_dir))
    before = load_lexicon(config)
    assert "тюркестанцу" not in before
    monkeypatch.setenv("OCRFIX_DATA_DIR", str(tmp_path / "data"))
    assert user_lexicon_dir() == tmp_path / "data" / "lexicons"
    add_entries(user_lexicon_dir(), "places", ["Тюркестанец"])
    merged = load_lexicon(config)
    assert "тюркестанцу" in merged and merged.flags("тюркестанцу") & PLACE
    assert "кашгаре" in merged and merged.flags("кашгаре") & PLACE  # the curated entries are all still there
    assert curated_key(config) != sources.curated_hash([private_lexicon_dir, tmp_path / "nowhere"])


def test_the_user_data_folder_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("OCRFIX_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert user_lexicon_dir() == tmp_path / "share" / "ocrfix" / "lexicons"


def test_missing_lexicon_dir_is_a_missing_dependency(tmp_path):
    with pytest.raises(MissingDependencyError) as info:
        load_lexicon(CorrectConfig(lexicon_dir=str(tmp_path / "nowhere")))
    assert info.value.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "nowhere" in info.value.message


def test_missing_dawg_package_is_a_missing_dependency(monkeypatch, lexicon):
    import numpy as np

    from ocrfix.lexicon import store

    monkeypatch.setitem(sys.modules, "dawg", None)  # import dawg now raises ImportError
    for attempt in (lambda: store._read_forms(lexicon.base_dir),
                    lambda: store._forms_dawgs(None, np.zeros((0, 2), np.uint8))):
        with pytest.raises(MissingDependencyError) as info:
            attempt()
        assert info.value.exit_code == ExitCode.MISSING_DEPENDENCY
        assert info.value.hint == "pip install dawg2"


@pytest.mark.parametrize(("kind", "words", "message"), [
    ("spells", ["Ежов"], "unknown lexicon kind"),
    ("names", ["two words!"], "not a lexicon entry"),
    ("names", ["  "], "no words to add"),
])
def test_add_rejects_bad_input(private_lexicon_dir, kind, words, message):
    with pytest.raises(BadInputError) as info:
        add_entries(private_lexicon_dir, kind, words)
    assert message in info.value.message
    assert info.value.exit_code == ExitCode.BAD_INPUT


def test_lexicon_commands(private_lexicon_dir, tmp_path, monkeypatch):
    from ocrfix.config import Config
    from ocrfix.config import CorrectConfig as CC

    monkeypatch.setenv("OCRFIX_DATA_DIR", str(tmp_path / "data"))
    obj = {"config": Config(correct=CC(lexicon_dir=str(private_lexicon_dir)))}
    curated = {p.name: p.read_bytes() for p in private_lexicon_dir.iterdir()}
    runner = CliRunner()
    words = tmp_path / "words.txt"
    words.write_text("Кашгарец\n# a comment\nЯркендец\n", encoding="utf-8")
    result = runner.invoke(lexicon_group, ["add", "--kind", "places", "--file", str(words), "Бешкурган"], obj=obj)
    assert result.exit_code == 0, result.output
    assert "added 3 new entries" in result.output
    # the user's words go to the user's folder; the curated files stay as they were
    assert "Яркендец" in (tmp_path / "data" / "lexicons" / "places.txt").read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in private_lexicon_dir.iterdir()} == curated
    assert "яркендцу" in load_lexicon(obj["config"].correct)
    result = runner.invoke(lexicon_group, ["add", "--kind", "places", "Бешкурган", "Кашгар"], obj=obj)
    assert "added 0 new entries" in result.output and "2 already there" in result.output  # Кашгар is curated
    result = runner.invoke(lexicon_group, ["build"], obj=obj)
    assert result.exit_code == 0 and "word forms" in result.output


def test_neighbour_letter_tables_are_built_once_for_an_older_base(tmp_path):
    import marisa_trie

    from ocrfix.lexicon.store import GRAMS_FILE, _derived_grams, _read_grams

    trie = marisa_trie.Trie(["кот", "кит"])
    assert _read_grams(tmp_path) is None
    built = _derived_grams(tmp_path, trie)
    assert (tmp_path / GRAMS_FILE).exists()
    assert letters_between(built, "^к", "т$") == "ио"
    assert _read_grams(tmp_path) == built  # read back next time
    (tmp_path / GRAMS_FILE).write_text('{"left": {"x": "y"}, "right": {}}', encoding="utf-8")
    assert _read_grams(tmp_path) == ({"x": "y"}, {})
    (tmp_path / GRAMS_FILE).write_text("damaged", encoding="utf-8")
    assert _read_grams(tmp_path) is None


def test_the_forms_look_up_tables_are_derived_once_for_an_older_base(tmp_path):
    import marisa_trie
    import numpy as np

    from ocrfix.lexicon.store import FORMS_FILE, REVERSED_FORMS_FILE, _derived_forms, _read_forms

    def info(trie, rows):
        table = np.zeros((len(trie), 2), dtype=np.uint8)
        for key, row in rows.items():
            table[trie[key]] = row
        return table

    trie = marisa_trie.Trie(["кот", "кит"])
    assert _read_forms(tmp_path) is None
    forms, reversed_forms = _derived_forms(tmp_path, trie, info(trie, {"кот": (80, 3), "кит": (61, 1)}))
    assert (tmp_path / FORMS_FILE).exists() and (tmp_path / REVERSED_FORMS_FILE).exists()
    assert "кот" in forms and "ко" not in forms and forms.has_keys_with_prefix("ки") and not forms.has_keys_with_prefix("ка")
    assert forms.get("кот") == 80 | 3 << 8 and forms.get("кит") == 61 | 1 << 8 and forms.get("кат") is None
    assert reversed_forms.has_keys_with_prefix("ти") and not reversed_forms.has_keys_with_prefix("тя")  # кит, not -ят
    assert list(tmp_path.glob(".*")) == []  # nothing staged is left behind
    forms, _ = _read_forms(tmp_path)
    assert forms.get("кот") == 80 | 3 << 8  # read back next time
    (tmp_path / FORMS_FILE).write_bytes(b"damaged")
    assert _read_forms(tmp_path) is None


def test_a_base_with_damaged_look_up_tables_reads_them_once_and_derives_them_again(tmp_path, monkeypatch):
    """A real (tiny) base whose forms DAWG is damaged and whose letter tables are missing: the load
    reads each once, derives both from the trie, keeps them for the next load (which derives nothing),
    and the lexicon knows the same words as when the base was built."""
    from ocrfix.lexicon import store

    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(sources, "frequency_zipf", lambda: {"кот": 4.0, "кит": 3.0})
    monkeypatch.setattr(sources, "iter_morph_forms", lambda: iter(["кот", "кота", "Кит"]))
    monkeypatch.setattr(store, "_load_overlay", lambda dirs, rebuild=False, report=None: {})
    built = load_lexicon(CorrectConfig())
    base = built.base_dir
    (base / store.FORMS_FILE).write_bytes(b"damaged")
    (base / store.GRAMS_FILE).unlink()
    reads, derived = [], []
    for name, log in (("_read_forms", reads), ("_read_grams", reads), ("_derived_forms", derived),
                      ("_derived_grams", derived)):  # fmt: skip
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *args, real=real, name=name, log=log: log.append(name) or real(*args))
    again = load_lexicon(CorrectConfig())
    assert sorted(reads) == ["_read_forms", "_read_grams"] and sorted(derived) == ["_derived_forms", "_derived_grams"]
    assert again.base_dir == base and again.size == built.size == 3
    assert all(again.zipf(word) == built.zipf(word) and again.flags(word) == built.flags(word) for word in ("кот", "кота", "кит"))
    assert again.grams == built.grams and "пёс" not in again
    reads.clear(), derived.clear()
    load_lexicon(CorrectConfig())
    assert sorted(reads) == ["_read_forms", "_read_grams"] and derived == []  # kept: read back, not derived


def test_a_first_build_says_what_it_does_step_by_step(tmp_path, monkeypatch):
    """The real build on a tiny dictionary: the caller hears it start, each step, and its time."""
    from ocrfix.lexicon import store

    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(sources, "frequency_zipf", lambda: {"кот": 4.0, "кит": 3.0})
    monkeypatch.setattr(sources, "iter_morph_forms", lambda: iter(["кот", "кота", "Кит"]))
    said, steps = [], []
    base = store.ensure_base(report=said.append, on_step=lambda index, name: steps.append((index, name)))
    assert said[0].startswith("building the lexicon, once") and str(tmp_path / "cache") in said[0]
    assert said[1].startswith("lexicon built in ") and said[1].endswith(" s") and len(said) == 2
    assert steps == [*enumerate(store.BUILD_STEPS), (len(store.BUILD_STEPS), "done")]
    assert json.loads((base / "manifest.json").read_text())["forms"] == 3
    said.clear()
    assert store.ensure_base(report=said.append) == base and said == []  # built once


def test_lexicon_build_shows_its_steps_on_stderr(tmp_path, monkeypatch):
    from ocrfix.lexicon import store

    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(sources, "frequency_zipf", lambda: {"кот": 4.0})
    monkeypatch.setattr(sources, "iter_morph_forms", lambda: iter(["кот"]))
    monkeypatch.setattr(store, "_load_overlay", lambda dirs, rebuild=False, report=None: {})
    result = CliRunner().invoke(lexicon_group, ["build"], obj={})
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("building the lexicon, once")
    assert lines[1:7] == [f"[lexicon {i}/6] {name}" for i, name in enumerate(store.BUILD_STEPS, 1)]
    assert lines[7].startswith("lexicon built in ")
    assert "1 word forms" in result.stdout


def test_correct_says_on_stderr_that_it_builds_the_lexicon_first(tmp_path, monkeypatch):
    """Any command that triggers the one-time build says so (here `ocrfix correct`), on stderr only."""
    from ocrfix.cli import cli
    from ocrfix.lexicon import shared

    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(sources, "frequency_zipf", lambda: {"кот": 4.0, "посланы": 4.0})
    monkeypatch.setattr(sources, "iter_morph_forms", lambda: iter(["кот", "посланы"]))
    monkeypatch.setattr(shared, "_loaded", {})
    result = CliRunner().invoke(cli, ["correct", "-"], input="посланы кот\n", obj={})
    assert result.exit_code == 0, result.output
    assert result.stdout == "посланы кот\n"
    said = result.stderr.splitlines()
    assert said[0].startswith("building the lexicon, once") and said[1].startswith("lexicon built in ")
    assert said[-1] == "0 correction(s)"
