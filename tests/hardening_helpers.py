"""Helpers for the hardening tests: run the real CLI in a child process, measure the
child's peak memory with ``resource.getrusage``, and give a child a tiny or read-only
file system of its own (a tmpfs in a private mount namespace; root only)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from ocrfix.errors import ExitCode

# Runs ocrfix's main in this child and, whatever happens, writes the child's peak
# resident memory (ru_maxrss, KiB on Linux: its own, or that of the largest of its own
# children, such as batch workers) to the file named by OCRFIX_TEST_RUSAGE.
_WRAPPER = """
import json, os, resource, sys
sys.argv[0] = "ocrfix"
code = 0
try:
    from ocrfix.cli import main
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
finally:
    with open(os.environ["OCRFIX_TEST_RUSAGE"], "w") as handle:
        json.dump({"maxrss_kib": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                     resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}, handle)
sys.exit(code)
"""


@dataclass
class Run:
    returncode: int
    stdout: bytes
    stderr: str
    peak_mb: float

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")


def run_measured(*args: object, stdin: bytes | None = None, timeout: float = 300, cwd: Path | None = None) -> Run:
    """``ocrfix ARGS`` in a child process, with the child's peak memory in MB."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        usage = handle.name
    try:
        result = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *map(str, args)],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            cwd=cwd,
            env={**os.environ, "OCRFIX_TEST_RUSAGE": usage},
        )
        peak = json.loads(Path(usage).read_text())["maxrss_kib"] / 1024
    finally:
        Path(usage).unlink(missing_ok=True)
    return Run(result.returncode, result.stdout, result.stderr.decode("utf-8", "replace"), peak)


def ocrfix(*args: object, stdin: bytes | None = None, timeout: float = 300) -> Run:
    return run_measured(*args, stdin=stdin, timeout=timeout)


def assert_one_line(result: Run, code: ExitCode, *fragments: str) -> str:
    """The run failed with ``code`` and said so in one line holding every fragment."""
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocrfix: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d"],
        capture_output=True,
    )
    return probe.returncode == 0


CAN_MOUNT = _can_mount()
needs_mount = pytest.mark.skipif(
    not CAN_MOUNT, reason="needs root and unshare to give the child a tiny or read-only tmpfs"
)


def ocrfix_on_tmpfs(mount: Path, *args: object, size_kb: int = 64, read_only: bool = False, setup: str = "",
                    after: str = "", stdin: bytes | None = None) -> Run:
    """``ocrfix ARGS`` in a private mount namespace where ``mount`` is a fresh tmpfs of
    ``size_kb`` (made read-only after the shell commands ``setup`` ran in it). The shell
    commands ``after`` run once ocrfix is done; their output is the result's stdout
    (ocrfix's own stdout is dropped), the exit code is ocrfix's."""
    mount.mkdir(parents=True, exist_ok=True)
    command = " ".join(_quote(a) for a in [sys.executable, "-m", "ocrfix", *map(str, args)])
    script = f"mount -t tmpfs -o size={size_kb}k tmpfs {_quote(mount)} && {setup or 'true'}"
    if read_only:
        script += f" && mount -o remount,ro {_quote(mount)}"
    script += f" && {{ {command} >/dev/null; rc=$?; {after or 'true'}; exit $rc; }}"
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], input=stdin or b"", capture_output=True, timeout=300)
    return Run(result.returncode, result.stdout, result.stderr.decode("utf-8", "replace"), 0.0)


def _quote(value: object) -> str:
    import shlex

    return shlex.quote(str(value))
