"""Where the corrector's remaining error lies: every character error left after correction,
attributed to one cause.

Corrects a part of a benchmark set with ``scripts/bench_correct.py``'s ``ocrfix_correct`` (one
collection lexicon over the part's pages, each page as its page model), recording every
candidate the registry's generators proposed and scored. It then aligns the corrected
text with the truth character by character (both normalised as the benchmark does) and
sorts each character edit, grouped by the truth's word (whitespace token) it falls in, into:

- letters: the lower-cased letters differ; these are sorted by why the corrector left them:
  ``proposed, scored out`` (the truth was a candidate or a weighed reading of the word, and
  scoring preferred another reading or the printed word; the margin is listed with ``-v``),
  ``not proposed: protected`` (Tesseract read the word at ``protect_confidence`` or more),
  ``not proposed: printed a known word`` (a real-word error), ``not proposed: short word``
  (two letters or fewer, never searched), ``not proposed: search missed`` (an unknown word
  whose truth the search did not reach; ``-v`` names the edit it needs and what the error
  model charges for it), ``truth not in the lexicon`` (names, abbreviations, forms no list
  holds), ``OCR lost`` (the truth's letters missing or garbled beyond three edits a word:
  a lost line or garbage, nothing a corrector can restore);
- digits: the numbers differ;
- case: the same letters in another case;
- spacing: a word split or two words merged (one error per space);
- punctuation: the rest (marks, quotes, brackets).

``lexicon-fixable`` sums the letter edits of the five ``proposed`` and ``not proposed`` rows
(words the lexicon or the collection knows, printed within three edits a word): what a
lexicon corrector could fix in principle. Spacing, case and punctuation are left out of it.

    .venv/bin/python scripts/probe_residual.py --part dev [--sets typed other] [-v]
    .venv/bin/python scripts/probe_residual.py --fresh 1 2 [--sets typed other] [-v]

``--fresh`` reads probe_fresh_damage.py's pages (the development texts damaged again with those
seeds; each seed's pages corrected as one part, as that probe does, not all seeds together).

Development part by default: the test part is for the README's figures only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_correct  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import engine  # noqa: E402
from ocrfix.correct.engine import default_error_model  # noqa: E402
from ocrfix.lexicon import fold, load_lexicon  # noqa: E402

WORD = regex.compile(r"\p{L}+")
LETTER_CAUSES = ("proposed, scored out", "not proposed: protected", "not proposed: printed a known word",
                 "not proposed: short word", "not proposed: search missed", "truth not in the lexicon", "OCR lost")
CAUSES = LETTER_CAUSES + ("digits", "case", "spacing", "punctuation")


@dataclass
class Run:
    """What the corrector saw and proposed for one page."""

    text: str = ""
    candidates: list = field(default_factory=list)  # every scored candidate, made or not
    made: list = field(default_factory=list)
    confidences: dict = field(default_factory=dict)
    tokens: list = field(default_factory=list)
    collection: object = None  # the collection lexicon it corrected with (the part's)


def corrected_with_candidates(items, lexicon, config) -> list[tuple[str, Run]]:
    """Each item's corrected text (bench_correct.ocrfix_correct's) and what its corrector proposed."""
    runs: list[Run] = []
    original = engine._Corrector.run

    def recording(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        runs.append(Run(self.text, list(self.candidates) + list(self.decided), made, dict(self.confidences),
                        list(self.tokens), self.collection))
        return made

    engine._Corrector.run = recording
    try:
        results = bench_correct.ocrfix_correct(items, lexicon, config)
    finally:
        engine._Corrector.run = original
    if len(runs) != len(items):
        raise SystemExit(f"{len(items)} pages corrected in {len(runs)} pieces; the probe reads one a page")
    return [(result.text, run) for result, run in zip(results, runs)]


def _edit_needed(seen: str, intended: str, model) -> str:
    parts = []
    for op in Levenshtein.editops(seen, intended):
        a = seen[op.src_pos] if op.tag != "insert" else ""
        b = intended[op.dest_pos] if op.tag != "delete" else ""
        parts.append(f"{a or '∅'}→{b or '∅'} {model.cost(a, b):.2f}")
    return ", ".join(parts)


def _token_index(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """For each character of ``text``, the index of the whitespace token it belongs to (a space:
    the token after it), and the tokens' spans."""
    spans = [(m.start(), m.end()) for m in regex.finditer(r"\S+", text)]
    index, k = [], 0
    for i in range(len(text) + 1):
        while k < len(spans) - 1 and i >= spans[k][1] + (1 if i < len(text) and text[i].isspace() else 0):
            k += 1
        index.append(k)
    return index, spans


def _positions(src: str, dst: str) -> list[int]:
    """For each position of ``dst`` (and its end), the position of ``src`` it aligns with."""
    out = list(range(len(dst) + 1))
    for op in Levenshtein.opcodes(src, dst):
        for j in range(op.dest_start, op.dest_end + 1):
            if op.tag in ("equal", "replace"):
                out[j] = min(op.src_end, op.src_start + (j - op.dest_start))
            else:
                out[j] = op.src_start if j < op.dest_end else op.src_end
    return out


def _char_kind(char: str, other: str | None) -> str:
    """What an edit of ``char`` (the truth's, or the output's when the truth has none) is
    about; ``other`` is the character it was read as (None for an insertion or deletion)."""
    if other is not None and char.lower() == other.lower() and char != other:
        return "case"
    if char.isspace() or (other or "").isspace():
        return "spacing"
    if char.isalpha() or (other or "").isalpha() and not char.isdigit():
        return "letters"
    if char.isdigit() or (other or "").isdigit():
        return "digits"
    return "punctuation"


def attribute(name: str, before: str, after: str, truth: str, run: Run, lexicon, model, config,
              totals: Counter, details: list) -> int:
    """Add each error character of one page to ``totals`` by cause; return the page's character errors.

    The corrected text is aligned with the truth character by character; each edit is about
    letters, digits, case, spacing or punctuation; the letter edits are grouped by the truth's
    word and sorted by why the corrector left that word (:func:`_letter_cause`)."""
    normal = bench_correct.normalise
    b_text, a_text, t_text = normal(before), normal(after), normal(truth)
    t_index, t_spans = _token_index(t_text)
    b_index, _ = _token_index(b_text)
    bt = b_text.split()
    t_to_b = _positions(b_text, t_text)  # to find the words the OCR printed for a truth word
    t_to_a = _positions(a_text, t_text)
    spans = [(m.start(), m.end()) for m in regex.finditer(r"\S+", run.text)]
    same_tokens = [run.text[a:b] for a, b in spans] == bt
    word_conf = {t.start: run.confidences.get(t.index) for t in run.tokens}

    def known(word: str) -> bool:
        return fold(word) in lexicon or fold(word) in run.collection

    letter_errors: Counter = Counter()  # truth token -> its letter edits
    other_errors: Counter = Counter()  # (kind, truth token) -> edits of the other kinds
    for op in Levenshtein.editops(a_text, t_text):
        if op.tag == "delete":
            kind = _char_kind(a_text[op.src_pos], None)
        elif op.tag == "insert":
            kind = _char_kind(t_text[op.dest_pos], None)
        else:
            kind = _char_kind(t_text[op.dest_pos], a_text[op.src_pos])
        if kind == "letters":
            letter_errors[t_index[min(op.dest_pos, len(t_text))]] += 1
        else:
            totals[kind] += 1
            other_errors[(kind, t_index[min(op.dest_pos, len(t_text))])] += 1
    for (kind, k), count in sorted(other_errors.items()):
        lo, hi = max(0, t_spans[k][0] - 12), min(len(t_text), t_spans[k][1] + 12)
        details.append((name, kind, "", a_text[t_to_a[lo]:t_to_a[hi]], t_text[lo:hi], f"{count}"))
    for k, count in sorted(letter_errors.items()):
        t_tok = t_text[t_spans[k][0]:t_spans[k][1]] if t_spans else ""
        lo, hi = t_to_b[t_spans[k][0]], t_to_b[t_spans[k][1]]
        k1, k2 = b_index[lo], b_index[max(lo, hi - 1)] + 1
        if lo == hi:  # the OCR printed nothing for this word
            k1 = k2 = b_index[lo]
        o_toks = bt[k1:k2]
        a_tok = a_text[t_to_a[t_spans[k][0]]:t_to_a[t_spans[k][1]]]
        t_words = WORD.findall(t_tok)
        o_letters = bench_correct._letters("".join(o_toks)).lower()
        if not o_letters or Levenshtein.distance(o_letters, bench_correct._letters(t_tok).lower()) > 3 * max(1, len(t_words)):
            cause, why = "OCR lost", ""
        elif not all(known(w) for w in t_words):
            cause, why = "truth not in the lexicon", ""
        else:
            cause, why = _letter_cause(o_toks, [t_tok], k1, k2, spans, same_tokens, run, word_conf, lexicon,
                                       model, config)
            totals["lexicon-fixable"] += count
        totals[cause] += count
        details.append((name, cause, " ".join(o_toks), a_tok, t_tok, f"{count} letter(s) {why}"))
    return Levenshtein.distance(a_text, t_text)


def _letter_cause(o_toks, t_toks, k1, k2, spans, same_tokens, run: Run, word_conf, lexicon, model, config):
    """Why a block whose truth the lexicon knows was left wrong (see the module's docstring)."""
    t_key = fold("".join(w for t in t_toks for w in WORD.findall(t)))
    o_key = fold("".join(w for t in o_toks for w in WORD.findall(t)))
    if same_tokens and k1 < k2:
        lo, hi = spans[k1][0], spans[k2 - 1][1]
        near = [c for c in run.candidates if c.start < hi and lo < c.end]
        for c in near:
            pieces = run.text[lo:c.start] + c.replacement + run.text[c.end:hi]
            if fold("".join(WORD.findall(pieces))) == t_key:
                made = c in run.made
                return "proposed, scored out", (f"{c.kind} {c.replacement!r} log-odds {c.score:+.2f}"
                                                f"{' (made, overlapped)' if made else ''}")
            for reading, value in c.alternatives:
                if fold("".join(WORD.findall(run.text[lo:c.start] + reading + run.text[c.end:hi]))) == t_key:
                    best = c.alternatives[0][1] if c.alternatives else value
                    return "proposed, scored out", (f"{c.kind} weighed {reading!r} at {value:.2f} against "
                                                    f"{c.replacement!r} at {best:.2f}")
        confs = [word_conf.get(start) for start, _ in spans[k1:k2]]
        if any(c is not None and c >= config.protect_confidence for c in confs):
            return "not proposed: protected", f"confidence {max(c for c in confs if c is not None):.0f}"
    words = [w for t in o_toks for w in WORD.findall(t)]
    if words and all(fold(w) in lexicon for w in words):
        return "not proposed: printed a known word", ""
    if words and max(len(w) for w in words) <= 2:
        return "not proposed: short word", ""
    return "not proposed: search missed", _edit_needed(o_key, t_key, model)


def _fresh_batches(set_name: str, seeds: list[int], cache: Path | None) -> list[list]:
    """probe_fresh_damage.py's pages of a set, one list a seed (rendered and read once, then cached)."""
    import probe_fresh_damage

    return [probe_fresh_damage.fresh_pages(set_name, seed, cache) for seed in seeds]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    parser.add_argument("--sets", nargs="*", default=["typed"], help="typed, typed-new, published, other (default: typed)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every block with its cause")
    parser.add_argument("--fresh", nargs="+", type=int, metavar="SEED",
                        help="the development texts damaged again with these seed offsets "
                             "(probe_fresh_damage.py's pages, typed or other) instead of the corpus's pages")
    parser.add_argument("--cache", type=Path, help="where --fresh keeps its pages (probe_fresh_damage.py's default)")
    args = parser.parse_args()
    if args.fresh and args.part != "dev":
        parser.error("--fresh damages the development texts only")
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    model = default_error_model(lexicon)
    sets = {} if args.fresh else bench_correct.load_sets(with_scans=False, new_text=True)
    for set_name in args.sets:
        if args.fresh:  # each seed's pages one batch, as probe_fresh_damage.py corrects them
            batches = _fresh_batches(set_name, args.fresh, args.cache)
        else:
            batches = [bench_correct.in_part(set_name, sets[set_name], args.part)]
        items = [item for batch in batches for item in batch]
        totals: Counter = Counter()
        details: list = []
        errors = before_errors = chars = 0
        corrected = [c for batch in batches for c in corrected_with_candidates(batch, lexicon, config)]
        for item, (after, run) in zip(items, corrected):
            errors += attribute(item[0], item[1], after, item[2], run, lexicon, model, config,
                                totals, details)
            truth = bench_correct.normalise(item[2])
            before_errors += Levenshtein.distance(bench_correct.normalise(item[1]), truth)
            chars += len(truth) + 1
        attributed = sum(totals[c] for c in CAUSES)
        part = f"fresh damage, seeds {', '.join(map(str, args.fresh))}" if args.fresh else args.part
        print(f"## {set_name}/{part}: {len(items)} pages, {chars:,} characters; CER before "
              f"{before_errors / chars:.2%}, after {errors / chars:.2%} ({errors} character errors; "
              f"{attributed} attributed by block)")
        print("| cause | character errors | share of the errors left | CER points |\n|---|---|---|---|")
        for cause in CAUSES:
            print(f"| {cause} | {totals[cause]} | {totals[cause] / max(1, attributed):.0%} | "
                  f"{totals[cause] / chars:.2%} |")
        fixable = totals["lexicon-fixable"]
        print(f"\nlexicon-fixable (the letters of the proposed and not proposed rows): {fixable} "
              f"({fixable / max(1, attributed):.0%} of the errors left, {fixable / chars:.2%} CER points); "
              f"fixing all of it would leave {(errors - fixable) / chars:.2%} "
              f"(a cut of {1 - (errors - fixable) / chars / (before_errors / chars):.0%})\n")
        if args.verbose:
            by_cause = defaultdict(list)
            for row in details:
                by_cause[row[1]].append(row)
            for cause, rows in by_cause.items():
                print(f"### {cause}")
                for name, _, o, a, t, why in rows:
                    if o:
                        print(f"- {name}: OCR {o!r} -> {a!r}, truth {t!r}  {why}")
                    else:  # an edit of another kind: the output and the truth around the word it is in
                        print(f"- {name}: {why} in {a!r}, truth {t!r}")
                print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
