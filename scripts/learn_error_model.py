"""Learn the OCR error model from the development part of the post-correction corpus.

    .venv/bin/python scripts/learn_error_model.py [-o ocrfix/data/lexicons/confusions.learned.tsv]
                                                  [--memory MEMORY.json] [--k 20]

It aligns each development page's OCR with its truth (``scripts/bench_correct.py``
decides which pages are development: never a test page), word by word and then
letter by letter within the words that differ, and counts what the OCR printed
for what was typed: substitutions (и for ы), insertions and deletions (a letter
invented or dropped), multi-character confusions (ш for ги, н for ы...), and, as
statistics in the file's header, splits and merges of words and case slips. A
collection memory (``--memory``) adds the corrections reviewers accepted or typed.

The probability of reading ``seen`` for a typed ``intended`` is smoothed toward
the hand-made table (``confusions.tsv``, the prior), add-k style:

    p = (n(seen, intended) + k * p_prior) / (n(intended) + k)

Costs are on the scale the corrector ranks with (``candidates.score``: 3 x cost
against log10 frequency), so a cost c stands for a probability of 10**(-3c) and the
cost written is ``-log10(p) / 3`` (1.0 = an arbitrary edit, 1 reading in 1,000),
clipped to [0.05, 1.0]. Every prior pair is
written (its cost moved by the evidence), and a new pair when it was seen at
least ``--min-count`` times. The output depends only on the corpus, the prior
and the options.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from ocrfix.correct.error_model import DEFAULT_COST, MIN_COST, load_error_model  # noqa: E402
from ocrfix.lexicon.normalize import fold  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
EDGE = ".,;:!?()[]«»\"'/<>#-–—*_"
SCALE = 3.0  # candidates.score: alpha = 3 (a cost c is worth 3c in log10 frequency)
MAX_CHUNK = 3  # a multi-character confusion is at most this long on either side


def word_pairs(ocr: str, truth: str) -> tuple[list[tuple[str, str]], Counter]:
    """(OCR word, true word) for the words aligned one to one, and counts of the
    word-level events (splits, merges, case slips, words read right)."""
    a, b = ocr.split(), truth.split()
    pairs: list[tuple[str, str]] = []
    events: Counter = Counter()
    for op in Levenshtein.opcodes(a, b):
        src, dst = a[op.src_start:op.src_end], b[op.dest_start:op.dest_end]
        if op.tag == "equal":
            pairs.extend(zip(src, dst))
        elif op.tag == "replace" and len(src) == len(dst):
            pairs.extend(zip(src, dst))
        elif op.tag == "replace" and "".join(src) == "".join(dst):
            events["split" if len(src) > len(dst) else "merge"] += 1
        elif op.tag == "replace":
            events["unaligned"] += 1
    for seen, intended in pairs:
        s, t = seen.strip(EDGE), intended.strip(EDGE)
        if s != t and s.lower() == t.lower():
            events["case"] += 1
    return pairs, events


def letter_counts(pairs: list[tuple[str, str]]) -> tuple[Counter, Counter]:
    """(confusions (seen, intended) -> n, typed letters -> n) over near-miss word pairs, folded."""
    confusions: Counter = Counter()
    typed: Counter = Counter()
    for seen, intended in pairs:
        s, t = fold(seen.strip(EDGE)), fold(intended.strip(EDGE))
        if not t.replace("-", "").isalpha():
            continue
        typed.update(t)
        if s == t or Levenshtein.distance(s, t) > max(1, min(3, len(t) // 2)):
            continue
        for op in Levenshtein.opcodes(s, t):
            if op.tag == "equal":
                continue
            chunk = (s[op.src_start:op.src_end], t[op.dest_start:op.dest_end])
            if len(chunk[0]) == len(chunk[1]) > 1:  # letter by letter, not one long confusion
                for x, y in zip(*chunk):
                    confusions[(x, y)] += 1
            elif max(len(chunk[0]), len(chunk[1])) <= MAX_CHUNK:
                confusions[chunk] += 1
    return confusions, typed


def memory_pairs(path: Path) -> list[tuple[str, str]]:
    """(OCR word, corrected word) of the corrections reviewers accepted or typed, with their counts."""
    from ocrfix.memory import load_memory

    memory = load_memory(path)
    return [pair for pair, n in (memory.accepted + memory.typed).items() for _ in range(n)]


def learn(pages: list[tuple[str, str, str]], prior_path: Path, k: float, min_count: int,
          extra: list[tuple[str, str]] = ()) -> tuple[dict[tuple[str, str], float], Counter, Counter, Counter]:
    prior = load_error_model(prior_path)
    all_pairs: list[tuple[str, str]] = []
    events: Counter = Counter()
    for _name, ocr, truth in pages:
        pairs, found = word_pairs(ocr, truth)
        all_pairs.extend(pairs)
        events.update(found)
    all_pairs.extend(extra)
    confusions, typed = letter_counts(all_pairs)
    costs: dict[tuple[str, str], float] = {}
    for pair in sorted(set(prior.pairs) | {p for p, n in confusions.items() if n >= min_count}):
        seen, intended = pair
        prior_p = 10 ** (-SCALE * prior.pairs.get(pair, DEFAULT_COST))
        # how often the intended text was there to be misread: its letters, or its first letter
        # for a dropped or multi-letter one
        total = typed.get(intended, 0) if len(intended) == 1 else typed.get(intended[:1], 0) if intended else sum(
            typed.values())
        n = confusions.get(pair, 0)
        p = (n + k * prior_p) / (max(total, n) + k)
        costs[pair] = round(min(DEFAULT_COST, max(MIN_COST, -math.log10(p) / SCALE)), 3)
    return costs, confusions, typed, events


def main() -> int:
    from bench_correct import load_sets, part_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=LEXICONS / "confusions.learned.tsv")
    parser.add_argument("--prior", type=Path, default=LEXICONS / "confusions.tsv")
    parser.add_argument("--memory", type=Path, help="a collection memory whose accepted corrections count too")
    parser.add_argument("--k", type=float, default=20.0, help="add-k smoothing toward the prior")
    parser.add_argument("--min-count", type=int, default=2, help="times a pair the prior lacks must be seen")
    args = parser.parse_args()

    sets = load_sets(with_scans=False)
    pages = [(f"{name}/{p[0]}", p[1], p[2]) for name, items in sets.items() if name in ("typed", "published")
             for p in items if part_of(p[0]) == "dev"]
    extra = memory_pairs(args.memory) if args.memory else []
    costs, confusions, typed, events = learn(pages, args.prior, args.k, args.min_count, extra)
    prior = load_error_model(args.prior).pairs
    lines = [
        "# Learned OCR confusions: made by scripts/learn_error_model.py, do not edit by hand.",
        f"# From the development part of the post-correction corpus ({len(pages)} pages: "
        + ", ".join(name for name, _, _ in pages) + ")"
        + (f" and the memory {args.memory.name}" if args.memory else "") + ".",
        f"# Prior: {args.prior.name}; add-k smoothing, k = {args.k:g}; new pairs seen at least {args.min_count} times.",
        f"# Letters aligned: {sum(typed.values())}; confusions counted: {sum(confusions.values())}.",
        "# Word events (not letter confusions, not in the table): "
        + json.dumps(dict(sorted(events.items())), ensure_ascii=False) + ".",
        "seen\tintended\tcost\tnote",
    ]
    for (seen, intended), cost in sorted(costs.items(), key=lambda item: (item[1], item[0])):
        n = confusions.get((seen, intended), 0)
        was = prior.get((seen, intended))
        note = f"seen {n} times" + (f"; prior {was:g}" if was is not None else "; not in the prior")
        lines.append(f"{seen}\t{intended}\t{cost:g}\t{note}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(costs)} pairs ({sum(1 for p in costs if p not in prior)} new) -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
