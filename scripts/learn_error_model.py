"""Learn the OCR error model from the development part of the post-correction corpus.

    .venv/bin/python scripts/learn_error_model.py [-o ocrfix/data/lexicons/confusions.learned.tsv]
                                                  [--memory MEMORY.json] [--k 50] [--min-count 3]
                                                  [--fresh-seeds 3 4 5 6 7 8 | --from-misreadings]

It aligns each development page's OCR with its truth (``scripts/bench_correct.py``
decides which pages are development: never a test page), word by word and then
letter by letter within the words that differ, and counts what the OCR printed
for what was typed: substitutions (и for ы), insertions and deletions (a letter
invented or dropped), multi-character confusions (ш for ги, н for ы...), and, as
statistics in the file's header, splits and merges of words and case slips. A
collection memory (``--memory``) adds the corrections reviewers accepted or typed.

``--fresh-seeds`` adds the development texts typed, damaged and read again with
those seed offsets (``scripts/probe_fresh_damage.py``'s pages: made once, about 45 s
of CPU a seed, and kept in its cache, ``--cache``): more of the same kind of evidence,
never a test text. The offsets that probe measures on by default (1 and 2) are held
out and refused. The words those pages misread are recorded in
``scans/correct/fresh-misreadings.tsv`` (``--misreadings``), all the learner needs of
them; ``--from-misreadings`` learns from that file instead of the pages (the same
table, without Tesseract: what the tests check).

The probability of reading ``seen`` for a typed ``intended`` in a word the OCR
misread is smoothed toward the hand-made table (``confusions.tsv``, the prior),
add-k style:

    p = (n(seen, intended) + k * p_prior) / (n(intended in misread words) + k)

Only misread words count as the chances: the corrector asks the channel about words
it already doubts, so the letters of words read right would only dilute it (counted
over every letter, the costs of the prior's confusions rose to 0.6 to 0.9, above the
0.5 at which an edit is a listed confusion, and the corrector did worse with them).
Costs are on the scale the corrector ranks with (``candidates.score``: 3 x cost
against log10 frequency), so a cost c stands for a probability of 10**(-3c) and the
cost written is ``-log10(p) / 3`` (1.0 = an arbitrary edit, 1 reading in 1,000),
clipped to [0.05, 1.0]. Every prior pair is written, its cost lowered where the
evidence makes it likelier, never raised: the corrector's rules and thresholds were
set with the prior's costs, and an unseen confusion is no evidence against it on a
few hundred misread words (raising them lost seven cases of
``tests/data/correct_cases.tsv`` and raised the development part's published CER
1.88% -> 2.00%). A new pair is written when it is a substitution (a character or a
few read for others) seen at least ``--min-count`` times; a dropped or invented
character stays the prior's list, since the search tries one at every position of
a word (a dropped з learned at 0.49 turned ``оявление`` into ``заявление``). The
output depends only on the corpus, the recorded misreadings, the prior and the
options.
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

from ocrfix.correct.error_model import DEFAULT_COST, MIN_COST, ErrorModel, load_error_model  # noqa: E402
from ocrfix.lexicon.normalize import fold  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
MISREADINGS = REPO / "scans" / "correct" / "fresh-misreadings.tsv"
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
    events["case"] += sum(1 for seen, intended in pairs if case_slip(seen, intended))
    return pairs, +events


def case_slip(seen: str, intended: str) -> bool:
    s, t = seen.strip(EDGE), intended.strip(EDGE)
    return s != t and s.lower() == t.lower()


def letter_counts(pairs: list[tuple[str, str]]) -> tuple[Counter, Counter]:
    """(confusions (seen, intended) -> n, typed letters -> n) over near-miss word pairs, folded:
    the words the OCR misread, by at most half their letters (three at most)."""
    confusions: Counter = Counter()
    typed: Counter = Counter()
    for seen, intended in pairs:
        s, t = fold(seen.strip(EDGE)), fold(intended.strip(EDGE))
        if not t.replace("-", "").isalpha():
            continue
        if s == t or Levenshtein.distance(s, t) > max(1, min(3, len(t) // 2)):
            continue
        typed.update(t)
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


def fresh_misreadings(seeds: list[int], cache: Path | None = None) -> list[tuple[str, str, str]]:
    """(page, OCR word, true word) of every word the development texts' fresh pages of these
    seed offsets read otherwise than typed (the pages made by probe_fresh_damage.py, or read
    from its cache). Held-out offsets are refused (ValueError), whoever calls."""
    import probe_fresh_damage

    if refusal := probe_fresh_damage.held_out_refusal(seeds):
        raise ValueError(refusal)
    return [(name, seen, intended) for shift in seeds
            for name, ocr, truth, _page in probe_fresh_damage.fresh_pages("typed", shift, cache)
            for seen, intended in word_pairs(ocr, truth)[0] if seen != intended]


def write_misreadings(path: Path, seeds: list[int], rows: list[tuple[str, str, str]]) -> None:
    lines = ["# Words misread on fresh damage of the post-correction corpus's development texts: made by",
             "# scripts/learn_error_model.py --fresh-seeds (probe_fresh_damage.py's pages), do not edit by hand.",
             "seeds\t" + " ".join(map(str, seeds)),
             "page\tseen\tintended",
             *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_misreadings(path: Path) -> tuple[list[int], list[tuple[str, str, str]]]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [int(s) for s in rows[0][1].split()], [(page, seen, intended) for page, seen, intended in rows[2:]]


def learn(pairs: list[tuple[str, str]], prior: ErrorModel, k: float,
          min_count: int) -> tuple[dict[tuple[str, str], float], Counter, Counter]:
    confusions, typed = letter_counts(pairs)
    costs: dict[tuple[str, str], float] = {}
    new = {(seen, intended) for (seen, intended), n in confusions.items() if n >= min_count and seen and intended}
    for pair in sorted(set(prior.pairs) | new):
        seen, intended = pair
        prior_p = 10 ** (-SCALE * prior.pairs.get(pair, DEFAULT_COST))
        # how often the intended text was there to be misread: its letters, or its first letter
        # for a dropped or multi-letter one
        total = typed.get(intended, 0) if len(intended) == 1 else typed.get(intended[:1], 0) if intended else sum(
            typed.values())
        n = confusions.get(pair, 0)
        p = (n + k * prior_p) / (max(total, n) + k)
        cost = round(min(DEFAULT_COST, max(MIN_COST, -math.log10(p) / SCALE)), 3)
        costs[pair] = min(cost, prior.pairs[pair]) if pair in prior.pairs else cost
    return costs, confusions, typed


def main() -> int:
    import probe_fresh_damage
    from bench_correct import in_part, load_sets

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=LEXICONS / "confusions.learned.tsv")
    parser.add_argument("--prior", type=Path, default=LEXICONS / "confusions.tsv")
    parser.add_argument("--memory", type=Path, help="a collection memory whose accepted corrections count too")
    parser.add_argument("--k", type=float, default=50.0, help="add-k smoothing toward the prior")
    parser.add_argument("--min-count", type=int, default=3, help="times a pair the prior lacks must be seen")
    parser.add_argument("--fresh-seeds", nargs="*", type=int, default=[],
                        help="also the development texts damaged again with these seed offsets (not 1, 2: held out)")
    parser.add_argument("--cache", type=Path, help="where probe_fresh_damage.py keeps its pages (default: its own)")
    parser.add_argument("--misreadings", type=Path, default=MISREADINGS,
                        help="where the fresh pages' misread words are recorded (--fresh-seeds) or read (--from-misreadings)")
    parser.add_argument("--from-misreadings", action="store_true",
                        help="the fresh pages' misread words from --misreadings, not the pages")
    args = parser.parse_args()
    if args.from_misreadings and args.fresh_seeds:
        parser.error("--from-misreadings reads the seeds the file was made with: give no --fresh-seeds")
    if args.from_misreadings:
        args.fresh_seeds, fresh = read_misreadings(args.misreadings)
    if refusal := probe_fresh_damage.held_out_refusal(args.fresh_seeds):  # before any page is read (a recorded file's seeds too)
        parser.error(refusal)

    sets = load_sets(with_scans=False)
    pages = [(f"{name}/{p[0]}", p[1], p[2]) for name, items in sets.items() if name in ("typed", "published")
             for p in in_part(name, items, "dev")]
    if args.fresh_seeds and not args.from_misreadings:
        fresh = fresh_misreadings(args.fresh_seeds, args.cache)
        write_misreadings(args.misreadings, args.fresh_seeds, fresh)
    pairs: list[tuple[str, str]] = []
    events: Counter = Counter()
    for _name, ocr, truth in pages:
        aligned, found = word_pairs(ocr, truth)
        pairs += aligned
        events.update(found)
    if args.fresh_seeds:
        pairs += [(seen, intended) for _page, seen, intended in fresh]
        events["case"] += sum(1 for _page, seen, intended in fresh if case_slip(seen, intended))
    pairs += memory_pairs(args.memory) if args.memory else []
    prior_model = load_error_model(args.prior)
    costs, confusions, typed = learn(pairs, prior_model, args.k, args.min_count)
    prior = prior_model.pairs
    fresh_pages = sorted({page for page, _, _ in fresh}) if args.fresh_seeds else []
    command = (f"scripts/learn_error_model.py --k {args.k:g} --min-count {args.min_count}"
               + (" --fresh-seeds " + " ".join(map(str, args.fresh_seeds)) if args.fresh_seeds else "")
               + (f" --memory {args.memory.name}" if args.memory else ""))
    lines = [
        f"# Learned OCR confusions: made by `.venv/bin/python {command}`, do not edit by hand.",
        f"# From the development part of the post-correction corpus ({len(pages)} pages: "
        + ", ".join(name for name, _, _ in pages) + ")"
        + (f" and its typed texts damaged again with seed offsets {' '.join(map(str, args.fresh_seeds))} "
           f"(probe_fresh_damage.py's pages; {len(fresh_pages)} with a misread word, recorded in "
           f"{args.misreadings.relative_to(REPO) if args.misreadings.is_relative_to(REPO) else args.misreadings})"
           if args.fresh_seeds else "")
        + (f" and the memory {args.memory.name}" if args.memory else "") + ".",
        f"# Prior: {args.prior.name}; add-k smoothing, k = {args.k:g}; new pairs seen at least {args.min_count} times.",
        f"# Letters of misread words: {sum(typed.values())}; confusions counted: {sum(confusions.values())}.",
        "# Word events of the corpus pages, the fresh pages' case slips too (not letter confusions, not in the table): "
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
