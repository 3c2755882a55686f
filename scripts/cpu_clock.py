"""The benchmarks' CPU clocks: on a shared machine CPU time varies far less with the load than the wall clock.

Not imported by ocrfix; a benchmark puts scripts/ on sys.path and imports this as it does its siblings.
"""

from __future__ import annotations

import resource
import time


def children_cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by finished child processes (and theirs, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children."""
    return time.process_time() + children_cpu_seconds()
