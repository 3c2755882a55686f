"""Settings: validated at load with a message naming the setting, shown as TOML, documented."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from ocrfix.config import LIMITS, Config, load_config, to_toml, validate
from ocrfix.errors import BadInputError, ExitCode

REPO = Path(__file__).resolve().parent.parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("toml", "fragments"), [
    ("[ocr]\npsm = 'four'\n", ("[ocr] psm", "whole number", "'four'")),
    ("[ocr]\npsm = 14\n", ("[ocr] psm", "between 0 and 13", "14")),
    ("[ocr]\npsm = true\n", ("[ocr] psm", "whole number")),
    ("[preprocess]\ndeskew = 'yes'\n", ("[preprocess] deskew", "true or false")),
    ("[preprocess]\nbinarize = 'adaptive'\n", ("[preprocess] binarize", "one of auto, otsu, sauvola, none")),
    ("[preprocess]\nmin_x_height = 40\n", ("min_x_height", "max_x_height")),
    ("[correct]\nprotect_confidence = 150\n", ("[correct] protect_confidence", "between 0 and 100")),
    ("[correct]\nlexicon_dir = 3\n", ("[correct] lexicon_dir", "a string")),
    ("[ocr]\nlanguages = ''\n", ("[ocr] languages", "empty")),
    ("ocr = 3\n", ("[ocr]", "section")),
    ("[ocr]\nlanguage = 'rus'\n", ("unknown setting", "language")),
    ("[ocrr]\n", ("unknown section", "ocrr")),
])
def test_a_bad_setting_is_named(tmp_path, toml, fragments):
    path = write(tmp_path, toml)
    with pytest.raises(BadInputError) as info:
        load_config(path)
    assert info.value.exit_code == ExitCode.BAD_CONFIG
    line = info.value.one_line()
    assert str(path) in line and "\n" not in line
    for fragment in fragments:
        assert fragment in line, line


def test_a_whole_number_is_a_number(tmp_path):
    config = load_config(write(tmp_path, "[correct]\nmax_cost = 2\n"))
    assert config.correct.max_cost == 2.0 and isinstance(config.correct.max_cost, float)
    assert config.fingerprint() == Config().fingerprint()


def test_defaults_are_valid_and_every_limit_names_a_setting():
    assert validate(Config()) == Config()
    for section, name in LIMITS:
        assert name in {f.name for f in fields(getattr(Config(), section))}, (section, name)


def test_shown_settings_read_back_the_same(tmp_path):
    config = load_config(write(tmp_path, "[preprocess]\nrescale = false\n[ocr]\nlanguages = \"rus+eng\"\n"
                                         "[correct]\nlexicon_dir = 'C:\\\\архив \"x\"'\n"))
    assert load_config(write(tmp_path, to_toml(config))) == config


def test_every_setting_is_documented_with_its_default():
    """docs/configuration.md has a row per setting: | `name` | type | `default` | ...
    (a new setting needs its row there)."""
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for section in fields(Config):
        part = text.split(f"## `[{section.name}]`", 1)[1].split("\n## ", 1)[0]
        rows = dict(re.findall(r"^\| `(\w+)` \| \w+ \| `([^`]*)` \|", part, re.M))
        values = getattr(Config(), section.name)
        for f in fields(values):
            shown = to_toml(Config()).split(f"[{section.name}]\n", 1)[1]
            default = re.search(rf"^{f.name} = (.*)$", shown, re.M).group(1)
            assert rows.get(f.name) == default, f"docs/configuration.md: [{section.name}] {f.name} = {default}"


def ocrfix(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocrfix", *map(str, args)], capture_output=True, text=True, timeout=120)


def test_global_options_after_the_command_and_config_show(tmp_path):
    path = write(tmp_path, "[ocr]\npsm = 6\n")
    before = ocrfix("--config", path, "config", "show")
    after = ocrfix("config", "show", "-v", "--config", path)
    assert before.returncode == after.returncode == 0, after.stderr
    assert before.stdout == after.stdout and "psm = 6\n" in after.stdout
    assert load_config(write(tmp_path, after.stdout)).ocr.psm == 6


def test_a_bad_config_stops_a_run_before_any_page(tmp_path):
    path = write(tmp_path, "[preprocess]\nsauvola_k = 'high'\n")
    out = tmp_path / "out"
    result = ocrfix("run", REPO / "scans" / "sample" / "page3.jpg", "-o", out, "--config", path)
    assert result.returncode == ExitCode.BAD_CONFIG
    assert result.stderr.strip().splitlines() == [
        f"ocrfix: error: config file {path}: setting [preprocess] sauvola_k must be a number, not 'high'"]
    assert not out.exists()
