"""Speed of the metrics and alignments on a page-sized text (target: error_rates well under 50 ms).

    .venv/bin/python scripts/bench_align.py

Uses the seed document (published transcription vs gold reading), cut to
3,000 characters, and prints the median of several runs for each function.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ocrfix.align import align, confusions, error_rates, pivot_alignment

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TARGET_MS = 50.0


def median_ms(function, repeats: int = 15) -> float:
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    published = (DATA / "seed_published.txt").read_text(encoding="utf-8")[:3000]
    gold = (DATA / "seed_gold.txt").read_text(encoding="utf-8")[:3000]
    cases = {
        "error_rates": lambda: error_rates(published, gold),
        "align char": lambda: align(published, gold),
        "align word": lambda: align(published, gold, level="word"),
        "confusions": lambda: confusions(published, gold),
        "three-way (pivot + 2)": lambda: pivot_alignment(gold, [published, published]),
    }
    print(f"page of {len(published)} / {len(gold)} characters")
    results = {name: median_ms(fn) for name, fn in cases.items()}
    for name, ms in results.items():
        print(f"{name:24s} {ms:8.2f} ms")
    ok = results["error_rates"] < TARGET_MS
    print(f"error_rates {'meets' if ok else 'MISSES'} the {TARGET_MS:.0f} ms target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
