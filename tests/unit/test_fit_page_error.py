"""scripts/fit_page_error.py: the page error scale fitted on a development run's kept pages."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import fit_page_error  # noqa: E402
from bench_recognition import page_file  # noqa: E402

from ocrfix.ocr.error_scale import read_scale  # noqa: E402


def _run(folder: Path, pages: list[tuple[str, float, float, float]], part: str = "dev", words: int = 100) -> Path:
    """A benchmark run's folder: per page (name, free_score, ocrfix's CER, plain Tesseract's CER), each of ``words``."""
    (folder / "pages").mkdir(parents=True)
    rows = []
    for name, free, cer, plain in pages:
        rows.append({"name": name, "source": name.split("/")[0], "part": part, "kind": "page",
                     "cer": {"tesseract_psm3": plain, "ocrfix": cer}})  # fmt: skip
        step = {"name": "recognition", "version": "11", "settings": {"quality": {"words": words, "free_score": free}}}
        page_file(folder / "pages", name).write_text(json.dumps({"steps": [step]}), encoding="utf-8")
    (folder / "items.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_the_fit_recovers_the_scale_and_puts_the_bar_between_good_and_bad_pages(tmp_path: Path) -> None:
    def cer(free: float) -> float:
        return math.exp(5.0 - 10.0 * free) - 0.005

    frees = [0.97, 0.95, 0.93, 0.9, 0.85, 0.8, 0.7]
    run = _run(tmp_path / "dev", [(f"augraphy/p{i}/clean", free, cer(free), 0.5) for i, free in enumerate(frees)])
    crops = _run(tmp_path / "crops", [("augraphy/c/crop", 0.5, 0.0, 0.5)], words=5)  # judged by its least sure word
    out = tmp_path / "scale.tsv"
    assert fit_page_error.main([str(run), str(crops), "--out", str(out)]) == 0
    assert "on 7 development pages" in out.read_text(encoding="utf-8")  # the crop neither fitted nor counted
    scale = read_scale(out)
    assert scale.intercept == pytest.approx(5.0, abs=1e-3) and scale.slope == pytest.approx(-10.0, abs=1e-3)
    good = max(cer(f) for f in frees if cer(f) <= 0.02)
    bad = min(cer(f) for f in frees if cer(f) > 0.10)
    assert good < scale.doubtful < bad


def test_the_fit_refuses_the_test_part(tmp_path: Path) -> None:
    run = _run(tmp_path / "test", [("ehri/a/x", 0.9, 0.02, 0.03)], part="test")
    with pytest.raises(SystemExit, match="development part only"):
        fit_page_error.main([str(run), "--out", str(tmp_path / "scale.tsv")])
