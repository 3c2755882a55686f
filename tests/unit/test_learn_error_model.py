"""scripts/learn_error_model.py: the learned error model the corrector reads, reproducible from the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import learn_error_model  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import default_error_model, load_error_model  # noqa: E402
from ocrfix.lexicon import load_lexicon  # noqa: E402

SCRIPT = REPO / "scripts" / "learn_error_model.py"
LEARNED = REPO / "ocrfix" / "data" / "lexicons" / "confusions.learned.tsv"
PRIOR = REPO / "ocrfix" / "data" / "lexicons" / "confusions.tsv"


def test_the_shipped_table_is_what_the_script_makes(tmp_path: Path) -> None:
    # the fresh pages' misread words are recorded in the repository, so no page is typed or read here
    out = tmp_path / "learned.tsv"
    result = subprocess.run([sys.executable, SCRIPT, "--from-misreadings", "-o", out], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == LEARNED.read_text(encoding="utf-8")
    assert "--fresh-seeds 3 4 5 6 7 8" in LEARNED.read_text(encoding="utf-8").splitlines()[0]


def test_the_held_out_seeds_are_never_learned_from(tmp_path: Path) -> None:
    out = tmp_path / "learned.tsv"
    result = subprocess.run([sys.executable, SCRIPT, "--fresh-seeds", "3", "2", "-o", out, "--misreadings",
                             tmp_path / "misread.tsv"], capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2 and "held out" in result.stderr
    assert not out.exists() and not (tmp_path / "misread.tsv").exists()
    with pytest.raises(ValueError, match="held out"):  # whoever calls it, not only the command
        learn_error_model.fresh_misreadings([3, 2], tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_only_misread_words_are_the_chances_of_a_confusion() -> None:
    misread = [("бьл", "был")] * 5
    prior = load_error_model(PRIOR)
    costs = learn_error_model.learn(misread, prior, k=50, min_count=3)[0]
    assert learn_error_model.learn(misread + [("был", "был")] * 200, prior, k=50, min_count=3)[0] == costs
    assert costs[("ь", "ы")] < prior.cost("ь", "ы")  # seen 5 times in 5 misread ы: cheaper than the prior's


def test_the_corrector_reads_the_learned_table() -> None:
    assert default_error_model(load_lexicon(CorrectConfig())).pairs == load_error_model(LEARNED).pairs
