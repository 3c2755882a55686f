"""The benchmarks' CPU clocks (scripts/cpu_clock.py) count a child's CPU time once it has finished."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from cpu_clock import children_cpu_seconds, cpu_seconds  # noqa: E402


def test_a_finished_child_s_cpu_time_is_counted_by_both_clocks() -> None:
    children, both = children_cpu_seconds(), cpu_seconds()
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(2_000_000))"], check=True)
    spent_by_children, spent_by_both = children_cpu_seconds() - children, cpu_seconds() - both
    assert spent_by_children > 0.05  # the child's loop (and its interpreter's start) is counted
    assert spent_by_both >= spent_by_children  # and this process's own time comes on top
    assert cpu_seconds() - children_cpu_seconds() > 0  # this process has used CPU itself
