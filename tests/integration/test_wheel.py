"""The wheel a user installs works on its own: built from the sources, installed into
a fresh virtual environment outside the repository, it checks itself (doctor),
corrects a text and runs a batch on one sample page, with the curated lexicons it
ships (nothing read from the checkout)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, needs_tesseract


def _run(*args, cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """(the fresh environment's bin folder, the environment variables to run it with)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # only what a source distribution holds: no build/ or caches of the checkout
    source.mkdir()
    shutil.copy(REPO / "pyproject.toml", source)
    shutil.copy(REPO / "README.md", source)
    shutil.copytree(REPO / "ocrfix", source / "ocrfix", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    built = _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-q",
                 "-w", root / "dist", cwd=root, env=env)
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("ocrfix-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ocrfix/data/lexicons/names.txt" in names and "ocrfix/data/lexicons/confusions.tsv" in names
    shipped = {p.relative_to(source).as_posix() for p in (source / "ocrfix").rglob("*") if p.is_file()}
    assert shipped - names == set(), "files of the package the wheel leaves out (see package-data in pyproject.toml)"

    venv = root / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root, env=env)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # ocrfix's dependencies come from this interpreter's site-packages (so nothing is downloaded);
    # a path in a .pth file runs none of that folder's own .pth files, so its editable ocrfix stays out
    target = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                       cwd=root, env=env).stdout.strip())
    (target / "ocrfix-test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel, cwd=root, env=env)
    assert done.returncode == 0, done.stderr
    where = _run(python, "-c", "import ocrfix; print(ocrfix.__file__)", cwd=root, env=env)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    return venv / "bin", env


@pytest.mark.slow
@needs_tesseract
@pytest.mark.tesseract
def test_the_installed_wheel_checks_corrects_and_runs(installed, tmp_path):
    bin_dir, env = installed
    ocrfix = bin_dir / "ocrfix"

    doctor = _run(ocrfix, "doctor", cwd=tmp_path, env=env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    curated = next(line for line in doctor.stdout.splitlines() if "curated word lists" in line)
    assert str(bin_dir.parent) in curated and str(REPO) not in curated  # the wheel's own lexicons

    text = tmp_path / "ocr.txt"
    text.write_text("Выписки посланы т.т. Литвинову, Ворошнлову.\n", encoding="utf-8")
    corrected = _run(ocrfix, "correct", text, cwd=tmp_path, env=env)
    assert corrected.returncode == 0, corrected.stderr
    assert "Ворошилову" in corrected.stdout

    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("page3.jpg", "page3.gt.txt"):
        shutil.copy(SAMPLE / name, scans / name)
    run = _run(ocrfix, "run", scans, "-o", tmp_path / "out", "--jobs", "1", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    (page,) = summary["pages"]
    assert page["status"] == "ok" and page["cer_ground_truth"] < 0.1
    assert (tmp_path / "out" / "page3" / "corrected.txt").read_text(encoding="utf-8").strip()
