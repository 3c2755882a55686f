"""Files out of a bare git mirror (a fetched snapshot), for sources given as one.

A snapshot may lack some large blobs: those files are skipped (and counted), not fatal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def is_bare_repository(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def extract(git_dir: Path, folders: list[str], target: Path) -> Path:
    """Write the files under ``folders`` (at HEAD) into ``target``; once (a marker file records completion)."""
    marker = target / ".extracted"
    if marker.is_file():
        return target
    git = ["git", f"--git-dir={git_dir}"]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "HEAD", "--", *folders], check=True, capture_output=True, text=True
    ).stdout
    entries = [(line.split()[2], line.split("\t", 1)[1]) for line in listing.splitlines() if "\tblob" not in line]
    missing = 0
    for sha, name in entries:
        done = subprocess.run([*git, "cat-file", "blob", sha], capture_output=True, check=False)
        if done.returncode != 0:
            missing += 1
            continue
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(done.stdout)
    if missing:
        print(f"{git_dir}: {missing} of {len(entries)} files absent from the snapshot, skipped", file=sys.stderr)
    marker.write_text(f"{len(entries) - missing} files\n", encoding="utf-8")
    return target
