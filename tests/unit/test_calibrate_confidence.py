"""scripts/calibrate_confidence.py: how the repair priors and the confidence map are fitted."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import calibrate_confidence as cal  # noqa: E402

from ocrfix.model import Correction  # noqa: E402

SCRIPT = REPO / "scripts" / "calibrate_confidence.py"


def _change(kind: str, generator: str, language: float = 0.0) -> Correction:
    return Correction("a", "b", 0, 1, 0, 0.0, "", repair=kind, generator=generator,
                      terms=(("channel", 0.0), ("language", language), ("context", 0.0), ("rival", 0.0)))


def test_every_step_of_the_map_holds_the_fewest_changes_asked_and_the_steps_rise() -> None:
    points = [(x / 10, x % 7 != 0) for x in range(100)] + [(20.0, True)] * 3  # a top step of three
    assert min(n for _, _, n in cal.isotonic(points, least=1)) < 10
    steps = cal.isotonic(points, least=10)
    assert min(n for _, _, n in steps) >= 10 and sum(n for _, _, n in steps) == len(points)
    shares = [r / n for _, r, n in steps]
    assert shares == sorted(shares) and steps[-1][0] == 20.0
    probabilities = [p for _, p, _, _ in cal.isotonic_steps(points, least=10)]
    assert probabilities == sorted(probabilities) and probabilities[-1] < 1


def test_a_texts_fresh_pages_fall_in_the_fold_of_its_corpus_page() -> None:
    assert cal.document_of("typed/memo-wool-prices.3") == cal.document_of("typed/memo-wool-prices") == "memo-wool-prices"
    assert cal.fold_of("scans/page1") == cal.fold_of("published/page1")
    assert {cal.fold_of(f"other/news.{seed}") for seed in range(3, 9)} == {cal.fold_of("other/news")}


def test_a_rare_kind_is_shrunk_toward_its_familys_prior() -> None:
    # a family whose many changes are right, and one change of a kind of its own, also right;
    # a kind of another family, as often right as wrong
    changes = [(_change("word", "words@11"), True) for _ in range(60)] + [(_change("name", "words@11"), True)]
    changes += [(_change("speck", "specks@6"), k % 2 == 0) for k in range(40)]
    with_families = cal.fit_priors(changes, cal.Fit(families=True))
    alone = cal.fit_priors(changes, cal.Fit(families=False))
    assert with_families.families.keys() == {"words", "specks"} and alone.families == {}
    assert with_families.priors["name"] > alone.priors["name"] > 0  # toward its family's prior, not the overall
    assert with_families.priors["name"] < with_families.priors["word"]
    for fitted in (with_families, alone):  # as often right as wrong: near even odds, pulled some way toward the overall
        assert 0 < fitted.priors["speck"] < 0.3 < fitted.overall
    assert with_families.overall > 0  # most changes are right: the kinds depart from that, not from even odds


def test_a_family_of_few_changes_stays_near_the_overall_prior() -> None:
    changes = [(_change("word", "words@11"), k % 5 != 0) for k in range(100)]  # 80% right
    changes += [(_change("clock-minutes", "clock-minutes@2"), True)]
    fitted = cal.fit_priors(changes, cal.Fit())
    assert fitted.priors["word"] == pytest.approx(math.log10(80 / 20), abs=0.02)
    # one right change: a little above the rest, near the overall prior, far from certainty
    assert fitted.priors["word"] < fitted.priors["clock-minutes"] < fitted.priors["word"] + 0.4
    assert fitted.priors["clock-minutes"] == pytest.approx(fitted.overall, abs=0.2)


def test_the_held_out_seeds_are_never_fitted_on(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="held out"):
        cal.development_material((3, 1))
    result = subprocess.run([sys.executable, SCRIPT, "--fresh-seeds", "4", "2", "--out-dir", tmp_path],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2 and "held out" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_least_without_the_isotonic_map_is_refused(tmp_path: Path) -> None:
    """--least sets the isotonic map's steps; the logistic map has none, so alone it is an error, not ignored."""
    result = subprocess.run([sys.executable, SCRIPT, "--least", "10", "--out-dir", tmp_path],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2 and "--isotonic" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_logistic_map_rises_smoothly_over_the_scores_and_counts_every_change() -> None:
    # right more often the higher the score: 1 in 4 at -1, 3 in 4 at 1, 19 in 20 at 2
    points = [(-1.0, k % 4 == 0) for k in range(40)] + [(1.0, k % 4 != 0) for k in range(40)]
    points += [(2.0, k % 20 != 0) for k in range(40)]
    steps = cal.logistic_steps(points)
    probabilities = [p for _, p, _, _ in steps]
    assert probabilities == sorted(probabilities) and len(set(probabilities)) == len(probabilities)
    assert steps[0][0] == -0.95 and steps[-1][0] == 2.0 and sum(n for *_, n in steps) == len(points)
    assert probabilities[0] < 0.35 and probabilities[-1] > 0.9
    assert [(r, n) for _, _, r, n in steps if n] == [(10, 40), (30, 40), (38, 40)]
    with pytest.raises(ValueError, match="does not rise"):
        cal.logistic_steps([(-1.0, True), (1.0, False), (-1.0, True), (1.0, False), (0.0, True), (0.0, False)])


def test_a_refit_reads_nothing_shipped_and_writes_the_same_tables_twice(monkeypatch) -> None:
    """The refit starts from neutral priors and runs the corrector with the priors it fits, never the ones
    ocrfix ships: two refits of the same material write byte-identical tables (a real run, on the typed and
    published development pages)."""
    from ocrfix.config import CorrectConfig
    from ocrfix.correct import confidence, scoring
    from ocrfix.lexicon import load_lexicon

    def shipped():
        raise AssertionError("the refit read a shipped table")

    # (the only places the shipped tables are read: page.py and the engine ask these modules for them)
    for module, name in ((scoring, "shipped_priors"), (confidence, "shipped_calibration")):
        monkeypatch.setattr(module, name, shipped)
    material = cal.development_material()
    material = cal.Material(tuple(p for p in material.parts if p[0] in ("typed", "published")), 2)
    assert [name for name, _ in material.parts] == ["typed", "published"]
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    lines = []
    first = cal.refit(material, lexicon, config, rounds=2, report=lines.append)
    second = cal.refit(material, lexicon, config, rounds=2, report=lambda _: None)
    assert (first.priors_text, first.calibration_text) == (second.priors_text, second.calibration_text)
    assert lines[0].startswith("round 1:") and "neutral priors" in lines[0] and 1 <= len(lines) <= 2
    # what is written is what the last pass ran with, and what the corrector reads back
    assert scoring.parse_priors(first.priors_text.splitlines(), "t") == first.priors
    for c, _, _ in first.last:
        assert c.log_odds == pytest.approx(cal.rescore(c, first.priors), abs=1e-3)
    assert first.calibration.bounds and len(first.points) == len(first.last) > 50
