"""The corrector's speed against an earlier revision, in one process on the same text.

    .venv/bin/python scripts/compare_correct_speed.py BASE_REV [--part dev|test] [--rounds 9] [--sets typed ...]

BASE_REV's ``ocrfix`` package is taken from git (``git archive``) into a temporary
directory and imported beside this checkout's, so both run in this process, in turns
(one cold run of each, then again: a change in the shared machine's load falls on both
alike), each part of each set corrected as scripts/bench_correct.py times it (one batch,
its collection lexicon counted inside the timed run; the lexicon's memos and the
morphological analyser's cache emptied before each). Each side's modules are put back
in ``sys.modules`` for its turn, so what it imports or reads lazily (its priors,
calibration and tables, found by ``importlib.resources.files("ocrfix")``) comes from its
own revision, not from this checkout. Prints both CPU times (best of ``--rounds``), the
ratio, and whether every correction and corrected text agree (a speed change must change
no output; else on how many pages they differ); exits 1 when they do not.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def base_ocrfix(revision: str) -> Iterator[Path]:
    """A temporary directory holding ``revision``'s ``ocrfix`` package, taken from git (``git archive``)
    (also scripts/count_correct_instructions.py's base)."""
    with tempfile.TemporaryDirectory(prefix="ocrfix-base-") as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "ocrfix"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp)


def _ours(name: str) -> bool:
    """A module one side has its own copy of."""
    return name == "ocrfix" or name.startswith("ocrfix.") or name in ("bench_correct", "corpus_pages")


def _switch(modules: dict[str, ModuleType]) -> None:
    """Make ``modules`` (one side's) the ones an ``import`` or a data file look-up finds."""
    for name in [m for m in sys.modules if _ours(m)]:
        del sys.modules[name]
    sys.modules.update(modules)


def load_side(root: Path):
    """bench_correct and ocrfix, imported from ``root``'s ocrfix (bench_correct from this checkout)."""
    _switch({})
    sys.path[:0] = [str(root), str(REPO / "scripts")]
    import ocrfix.config
    import ocrfix.correct
    import ocrfix.lexicon
    import ocrfix.ocr  # noqa: F401

    # after ocrfix: bench_correct puts this checkout first on the path when imported
    bench_correct = importlib.import_module("bench_correct")
    del sys.path[:2]
    if not Path(ocrfix.__file__).resolve().is_relative_to(root.resolve()):
        raise SystemExit(f"ocrfix was imported from {ocrfix.__file__}, not {root}")
    config = ocrfix.config.CorrectConfig()
    lexicon = ocrfix.lexicon.load_lexicon(config)
    from ocrfix.correct import context

    context.analyzer()
    modules = {name: module for name, module in sys.modules.items() if _ours(name)}
    return bench_correct, config, lexicon, context, modules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the git revision to compare against")
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--sets", nargs="*", default=["typed", "typed-new", "published", "other", "other-clean"])
    args = parser.parse_args()
    with base_ocrfix(args.base) as base:
        runs = {"base": load_side(base), "this": load_side(REPO)}
        bench = runs["this"][0]
        sets = bench.load_sets(with_scans=False, new_text=True)
        chosen = {name: bench.in_part(name, pages, args.part) for name, pages in sets.items() if name in args.sets}
        words = sum(len(bench.WORD.findall(p[1])) for items in chosen.values() for p in items)
        best = {name: float("inf") for name in runs}
        outputs: dict[str, list] = {}
        for _ in range(args.rounds):
            for name, (bench_module, config, lexicon, context, modules) in runs.items():
                _switch(modules)
                seconds, out = 0.0, []
                for items in chosen.values():
                    lexicon.forget()
                    context.forget()
                    started = time.process_time()
                    results = bench_module.ocrfix_correct(items, lexicon, config)
                    seconds += time.process_time() - started
                    out += [(r.text, [repr(c) for c in r.corrections]) for r in results]
                modules.update({n: m for n, m in sys.modules.items() if _ours(n)})  # what the run imported
                best[name] = min(best[name], seconds)
                outputs[name] = out
    pairs = list(zip(outputs["base"], outputs["this"], strict=True))
    differ = sum(a != b for a, b in pairs)
    texts_differ = sum(a[0] != b[0] for a, b in pairs)
    same = differ == 0
    print(f"{args.part} part of {', '.join(chosen)}: {words:,} words; best of {args.rounds} cold runs each, in turns")
    for name, seconds in best.items():
        print(f"  {name}: {seconds * 1000:.0f} ms CPU, {words / seconds:,.0f} words/s")
    print(f"  base / this: {best['base'] / best['this']:.3f}x; outputs "
          + ("the same" if same else f"DIFFER on {differ} of {len(pairs)} pages ({texts_differ} in the corrected text)"))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
