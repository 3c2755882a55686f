"""Learn the case channel (``ocrfix/correct/case_model.py``) from the development part.

    .venv/bin/python scripts/learn_case_model.py [-o ocrfix/data/lexicons/case_model.tsv]

For every development page of the post-correction corpus (typed, published and other;
``scripts/bench_correct.py`` decides which pages are development: never a test page) it aligns
the OCR's word tokens with the truth's, and for each word the lexicon knows that both spell with
the same letters, notes where it stands in the OCR text (``case_model.case_context``, the specks
blanked as the corrector blanks them), its class, the shape the OCR printed and the shape that
was typed. For each other shape the word might have been typed in, it counts the words so
printed there and how many of them were typed in that shape. The output depends only on the
corpus and the lexicon.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import sentences, structural  # noqa: E402
from ocrfix.correct import case_slips
from ocrfix.correct.case_model import place, readings, word_class  # noqa: E402
from ocrfix.correct.sentences import Words  # noqa: E402
from ocrfix.correct.tokens import case_shape, word_tokens  # noqa: E402
from ocrfix.lexicon import fold, load_lexicon  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
SETS = ("typed", "published", "other")


def count(ocr: str, truth: str, lexicon) -> tuple[Counter, Counter]:
    """(key -> words typed in the key's shape, key -> words printed so there) for one page."""
    right: Counter = Counter()
    total: Counter = Counter()
    tokens, truth_tokens = word_tokens(ocr), word_tokens(truth)
    keys, truth_keys = [fold(t.text) for t in tokens], [fold(t.text) for t in truth_tokens]
    plain = sentences.blank(ocr, ((e.start, e.end) for e in structural.specks(ocr)))
    words = Words(ocr, plain, tokens, keys)
    capitalising = case_slips.capitalised_function_words(words) >= case_slips.DELIBERATE_CAPITALS
    for op in Levenshtein.opcodes(keys, truth_keys):
        if op.tag != "equal":
            continue
        for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
            key = keys[i]
            if key not in lexicon or len(key) < 2 or not tokens[i].text.replace("-", "").isalpha():
                continue
            cls = word_class(words, i, lexicon)
            context = place(words, i, lexicon, capitalising) if cls else None
            if context is None:
                continue
            typed = case_shape(truth_tokens[j].text)
            for model_key, _ in readings(tokens[i].text, context, cls):
                total[model_key] += 1
                right[model_key] += typed == model_key[3]
    return right, total


def main() -> int:
    from bench_correct import load_sets, part_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=LEXICONS / "case_model.tsv")
    args = parser.parse_args()
    lexicon = load_lexicon(CorrectConfig())
    sets = load_sets(with_scans=False)
    pages = [(f"{name}/{p[0]}", p[1], p[2]) for name in SETS for p in sets[name] if part_of(p[0]) == "dev"]
    right: Counter = Counter()
    total: Counter = Counter()
    for _name, ocr, truth in pages:
        r, t = count(ocr, truth, lexicon)
        right.update(r)
        total.update(t)
    lines = [
        "# The case channel: made by scripts/learn_case_model.py, do not edit by hand; read by ocrfix/correct/case_model.py.",
        f"# From the development part of the post-correction corpus ({len(pages)} pages: "
        + ", ".join(name for name, _, _ in pages) + ").",
        "# For a known word the OCR printed in one shape, at a place of the text (context), of a class: how many",
        "# such words were typed in the other shape (typed_so) among all so printed there (printed_so); lookalike:",
        "# every letter the change flips has capital and small forms that differ only in size.",
        "context\tclass\tprinted\ttyped\tlookalike\ttyped_so\tprinted_so",
    ]
    for key in sorted(total):
        context, cls, printed, typed, lookalike = key
        lines.append(f"{context}\t{cls}\t{printed}\t{typed}\t{'yes' if lookalike else 'no'}\t{right[key]}\t{total[key]}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(total)} keys from {len(pages)} pages -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
