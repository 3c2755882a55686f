"""Discovery and the output store against careless inputs: page ids never name a batch
file, one image under two manifest ids is an error naming both, symlinks that lead
nowhere are skipped with a warning, and a redone page is never missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocrfix.batch.discover import discover_pages
from ocrfix.batch.store import exchange_paths, move_into_place
from ocrfix.errors import BadInputError
from ocrfix.outputs import BATCH_FILES, is_reserved_page_id


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name",
    ["summary.json.jpg", "index.html.png", "collection-lexicon.json.png", "collection.png", "Summary.JSON.png"],
)
def test_a_stem_named_like_a_batch_file_gets_another_id(tmp_path, name):
    touch(tmp_path / name)
    touch(tmp_path / "page.png")
    tasks = discover_pages([str(tmp_path)])
    page_ids = sorted(t.page_id for t in tasks)
    assert not any(is_reserved_page_id(i) for i in page_ids), page_ids
    assert len(page_ids) == 2 and "page" in page_ids
    assert all(i.lower() not in {n.lower() for n in BATCH_FILES} for i in page_ids)


def test_a_manifest_id_naming_a_batch_file_is_refused(tmp_path):
    touch(tmp_path / "a.png")
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,id\na.png,index.html\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="m.csv line 2: id 'index.html' is the name of one of the batch's own files"):
        discover_pages([str(manifest)])


def test_one_image_under_two_manifest_ids_names_both(tmp_path):
    touch(tmp_path / "a.png")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"image": "a.png", "id": "first"}\n{"image": "./a.png", "id": "second"}\n', encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        discover_pages([str(manifest)])
    line = info.value.one_line()
    assert "m.jsonl line 2" in line and "'second'" in line and "'first'" in line and "m.jsonl line 1" in line


def test_one_image_twice_under_one_id_is_one_page(tmp_path):
    touch(tmp_path / "a.png")
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,id\na.png,x\na.png,x\n", encoding="utf-8")
    assert [t.page_id for t in discover_pages([str(manifest)])] == ["x"]


def test_symlinks_that_lead_nowhere_are_skipped_with_a_warning(tmp_path):
    touch(tmp_path / "good.png")
    os.symlink("loop.png", tmp_path / "loop.png")
    os.symlink("missing.png", tmp_path / "dangling.png")
    os.symlink("b.png", tmp_path / "a.png")
    os.symlink("a.png", tmp_path / "b.png")
    warnings: list[str] = []
    tasks = discover_pages([str(tmp_path)], warn=warnings.append)
    assert [t.page_id for t in tasks] == ["good"]
    assert sorted(warnings) == sorted(
        [
            f"warning: skipped {tmp_path / 'a.png'}: a symlink loop",
            f"warning: skipped {tmp_path / 'b.png'}: a symlink loop",
            f"warning: skipped {tmp_path / 'dangling.png'}: a broken symlink",
            f"warning: skipped {tmp_path / 'loop.png'}: a symlink loop",
        ]
    )
    # by a glob too
    warnings.clear()
    assert [t.page_id for t in discover_pages([str(tmp_path / "*.png")], warn=warnings.append)] == ["good"]
    assert len(warnings) == 4


_WATCH = """
import os, sys
path, stop = sys.argv[1], sys.argv[2]
missing = 0
while not os.path.exists(stop):
    for _ in range(1000):
        if not os.path.isfile(path):
            missing += 1
print(missing)
"""


def _page(folder: Path, marker: str) -> Path:
    folder.mkdir(parents=True)
    for name in ("page.json", "raw.txt", "_done.json"):
        (folder / name).write_text(marker, encoding="utf-8")
    return folder


def test_a_redone_page_is_swapped_in_at_once_and_never_missing(tmp_path):
    target = _page(tmp_path / "out" / "p1", "0")
    staging = tmp_path / "out" / ".staging"
    staging.mkdir()
    assert exchange_paths(_page(staging / "probe", "x"), target)  # this system swaps atomically
    exchange_paths(staging / "probe", target)  # (swapped back)
    # another process looks for the page as fast as it can while it is replaced 300 times
    watcher = subprocess.Popen(
        [sys.executable, "-c", _WATCH, str(target / "_done.json"), str(tmp_path / "stop")], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    try:
        for round_ in range(1, 300):
            move_into_place(_page(staging / f"p1.{round_}", str(round_)), target, staging)
    finally:
        (tmp_path / "stop").touch()
        seen_missing = int(watcher.communicate(timeout=30)[0])
    assert seen_missing == 0
    assert (target / "raw.txt").read_text() == "299"
    assert [p.name for p in staging.iterdir()] == ["probe"]  # every old folder deleted
