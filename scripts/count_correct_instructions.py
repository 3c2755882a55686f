"""The corrector's work against an earlier revision, counted in machine instructions.

    .venv/bin/python scripts/count_correct_instructions.py BASE_REV [--part dev|test]

On the shared machine CPU times of a few percent apart are within the noise (other
benchmarks run beside them); the instructions a run executes barely depend on the load. For
each side (BASE_REV's ``ocrfix``, taken from git as scripts/compare_correct_speed.py takes it,
and this checkout's) this runs the corrector under valgrind's cachegrind (no cache
simulation) over every set of the part (typed-new, development only, included, as
compare_correct_speed.py includes it), as scripts/bench_correct.py times it (one batch a
set, the lexicon's memos and the analyser's cache emptied before each), once and then four
times in a fresh process, and prints the instructions of one cold run: the difference over
three (what loading and the first run's imports execute falls out). Needs valgrind and
setarch (util-linux); about a minute a side. It does not compare outputs: run
compare_correct_speed.py for that.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from compare_correct_speed import base_ocrfix, load_side

REPO = Path(__file__).resolve().parent.parent


def _runs(root: str, part: str, rounds: int) -> None:
    """Correct every set of ``part`` ``rounds`` times with the ``ocrfix`` found under ``root``
    (loaded as compare_correct_speed.py loads a side)."""
    bench_correct, config, lexicon, context, _ = load_side(Path(root))
    sets = bench_correct.load_sets(with_scans=False, new_text=True)
    chosen = [bench_correct.in_part(name, items, part) for name, items in sets.items()]
    for _ in range(rounds):
        for items in chosen:
            lexicon.forget()
            context.forget()
            bench_correct.ocrfix_correct(items, lexicon, config)


def _instructions(root: str, part: str, rounds: int) -> int:
    command = ["setarch", "-R", "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--run", root, "--part", part, "--rounds", str(rounds)]
    # (one BLAS and OpenMP thread: numpy's idle pool threads otherwise spin under valgrind for a
    # varying count of instructions, about 1.5% of a cold run's between two runs of the same code)
    environment = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"valgrind failed: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", nargs="?", help="the git revision to compare against")
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # (inside valgrind: the ocrfix root to run)
    parser.add_argument("--rounds", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        _runs(args.run, args.part, args.rounds)
        return 0
    if not args.base:
        parser.error("name the revision to compare against")
    with base_ocrfix(args.base) as base:
        per_run = {}
        for name, root in (("base", str(base)), ("this", str(REPO))):
            per_run[name] = (_instructions(root, args.part, 4) - _instructions(root, args.part, 1)) // 3
            print(f"  {name}: {per_run[name]:,} instructions a cold run of the {args.part} part")
    print(f"  this / base: {per_run['this'] / per_run['base']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
