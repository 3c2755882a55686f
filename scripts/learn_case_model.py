"""Learn the case channel (``ocrfix/correct/case_model.py``) from the development part.

    .venv/bin/python scripts/learn_case_model.py [-o ocrfix/data/lexicons/case_model.tsv]

For every development page of the post-correction corpus (typed, published, other and the sample
scans read by Tesseract;
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
from ocrfix.correct import case_slips, sentences, structural  # noqa: E402
from ocrfix.correct.case_model import place, readings, word_class  # noqa: E402
from ocrfix.correct.page import _alternative_readings_by_token, _page_layout, _word_tokens  # noqa: E402
from ocrfix.correct.sentences import Words  # noqa: E402
from ocrfix.correct.tokens import case_shape, word_tokens  # noqa: E402
from ocrfix.lexicon import fold, load_lexicon  # noqa: E402

LEXICONS = REPO / "ocrfix" / "data" / "lexicons"
SETS = ("typed", "published", "other", "scans")


def page_reading(item) -> tuple[str, dict[int, tuple[str, ...]], set[int]]:
    """The text a corpus item is corrected as, with what ``correct_page`` gives the corrector: the
    readings Tesseract's alternatives spell (word-token index -> spellings) and the tokens it was sure
    of (read at ``protect_confidence`` or more: the corrector leaves them alone); a text without a page
    model as it is, with neither."""
    page = item[3] if len(item) > 3 else None
    if page is None:
        return item[1], {}, set()
    text, spans = _page_layout(page)
    tokens = _word_tokens(word_tokens(text), spans)
    sure: set[int] = set()
    index = 0
    for word, found in zip(page.words, tokens):
        if len(found) == 1 and word.confidence is not None and word.confidence >= CorrectConfig().protect_confidence:
            sure.add(index)
        index += len(found)
    return text, _alternative_readings_by_token(page, tokens, page.words), sure


def count(ocr: str, truth: str, lexicon, alternatives=None, sure=frozenset()) -> tuple[Counter, Counter]:
    """(key -> words typed in the key's shape, key -> words printed so there) for one page."""
    right: Counter = Counter()
    total: Counter = Counter()
    alternatives = alternatives or {}
    tokens, truth_tokens = word_tokens(ocr), word_tokens(truth)
    keys, truth_keys = [fold(t.text) for t in tokens], [fold(t.text) for t in truth_tokens]
    plain = sentences.blank(ocr, ((e.start, e.end) for e in structural.specks(ocr)))
    words = Words(ocr, plain, tokens, keys)
    capitalising = case_slips.capitalised_function_words(words) >= case_slips.DELIBERATE_CAPITALS
    for op in Levenshtein.opcodes(keys, truth_keys):
        if op.tag != "equal":
            continue
        for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
            if i in sure or len(keys[i]) < 2 or not tokens[i].text.replace("-", "").isalpha():
                continue
            cls = word_class(words, i, lexicon)
            context = place(words, i, lexicon, capitalising) if cls else None
            if context is None:
                continue
            typed = case_shape(truth_tokens[j].text)
            for model_key, _ in readings(tokens[i].text, context, cls, alternatives.get(i, ())):
                total[model_key] += 1
                right[model_key] += typed == model_key[3]
    return right, total


def main() -> int:
    from bench_correct import load_sets, part_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=LEXICONS / "case_model.tsv")
    args = parser.parse_args()
    lexicon = load_lexicon(CorrectConfig())
    sets = load_sets(with_scans=True)
    pages = [(f"{name}/{p[0]}", p) for name in SETS for p in sets[name] if part_of(p[0]) == "dev"]
    right: Counter = Counter()
    total: Counter = Counter()
    for _name, item in pages:
        text, alternatives, sure = page_reading(item)
        r, t = count(text, item[2], lexicon, alternatives, sure)
        right.update(r)
        total.update(t)
    lines = [
        "# The case channel: made by scripts/learn_case_model.py, do not edit by hand; read by ocrfix/correct/case_model.py.",
        f"# From the development part of the post-correction corpus ({len(pages)} pages: "
        + ", ".join(name for name, _ in pages) + ").",
        "# For a word the OCR printed in one shape (and was not sure of), at a place of the text (context), of a",
        "# class: how many such words were typed in the other shape (typed_so) among all so printed there",
        "# (printed_so); letters: what the letters the change flips say (offered: Tesseract offered the other case",
        "# of each; lookalike: capital and small forms differ only in size; other).",
        "context\tclass\tprinted\ttyped\tletters\ttyped_so\tprinted_so",
    ]
    for key in sorted(total):
        lines.append("\t".join(key) + f"\t{right[key]}\t{total[key]}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(total)} keys from {len(pages)} pages -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
