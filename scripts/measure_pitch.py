"""What the word boxes of the development pages say of their typewriter cells (ocrfix/correct/pitch.py).

The post-correction corpus keeps each page's OCR text, confidences and alternatives, not its word
boxes; this types and damages the development part's texts again as ``make_correct_corpus.py`` did
(the corpus's own seed, and fresh seeds of ``probe_fresh_damage.py``: by default 3 and 4; never its
held-out 1 and 2, since these figures set the spacing repairs' constants), reads
them with Tesseract as ``ocrfix run`` does, and keeps each page model with its boxes under
``--cache`` (``<name>.<seed>.page.json``; Tesseract runs once a page). Only development texts
(``bench_correct.part_of``) are read. It prints:

- the lines' pitches, and the pages' spread (pitch.spread: how far the words' boxes stray from their
  lines' pitches, against pitch.MAX_PAGE_SPREAD, above which a page is taken for a proportional font's);
- the spare cells (pitch.spare_cells against the word's line's other words) of the words of two or
  more characters read as the truth has them, those ending in a period or comma apart (how well
  a word's box counts its characters: the tolerance the spacing repairs allow);
- every glued number and sign or abbreviation number-spacing looks at (structural.number_spacing):
  its spare cells, whether the truth has the space, and whether the corrector, given the boxes,
  puts it back.

    .venv/bin/python scripts/measure_pitch.py [--seeds 0 3 4] [--texts NAME ...] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from statistics import median, quantiles

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

import bench_correct  # noqa: E402
import make_correct_corpus  # noqa: E402
import probe_fresh_damage  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import pitch as cells_of  # noqa: E402
from ocrfix.correct import structural  # noqa: E402
from ocrfix.correct.page import _page_layout  # noqa: E402
from ocrfix.correct.pitch import Cells  # noqa: E402
from ocrfix.lexicon import load_lexicon  # noqa: E402
from ocrfix.lexicon.store import cache_root  # noqa: E402
from ocrfix.model import Page  # noqa: E402
from ocrfix.ocr.page_json import page_from_json, to_json  # noqa: E402

TOLERANCE = structural.SPACE_CELLS_TOLERANCE
DEV_SEEDS = (3, 4)  # fresh seeds read by default: development ones (probe_fresh_damage.HELD_OUT are not)


def boxed_page(path: Path, shift: int, cache: Path) -> tuple[Page, str]:
    """The page model, with its boxes, and the truth (what was typed) of the text ``path`` typed with
    seed offset ``shift`` (0: the corpus's own page), read once and cached."""
    kept, truth = cache / f"{path.stem}.{shift}.page.json", cache / f"{path.stem}.{shift}.gt.txt"
    if not (kept.exists() and truth.exists()):
        seed, level, font = probe_fresh_damage.fresh_settings("texts", path, shift)
        scratch = cache / f".{path.stem}.{shift}.{os.getpid()}.png"  # two runs at once must not share the image
        rendered, page, _ = make_correct_corpus.typed_and_read(path.read_text(encoding="utf-8"), seed, level, font,
                                                               scratch)
        # each file whole or absent (a page counts as cached once both exist): an interrupted run leaves no half
        probe_fresh_damage.write_whole(truth, rendered.text)
        probe_fresh_damage.write_whole(kept, json.dumps(to_json(page), ensure_ascii=False))
        print(f"read {path.stem}.{shift}: {level} damage, {font}", file=sys.stderr)
    return page_from_json(json.loads(kept.read_text("utf-8"))), truth.read_text("utf-8")


def _quartiles(values: list[float]) -> str:
    if len(values) < 4:
        return "too few"
    q = quantiles(values, n=20)
    return (f"{len(values)} words: 5% {q[0]:+.2f}, 25% {q[4]:+.2f}, median {median(values):+.2f}, "
            f"75% {q[14]:+.2f}, 95% {q[18]:+.2f}; beyond the tolerance ({TOLERANCE}): "
            f"{sum(abs(v) > TOLERANCE for v in values)}, read as a lost space (> {1 - TOLERANCE:.2f}): "
            f"{sum(v > 1 - TOLERANCE for v in values)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, *DEV_SEEDS],
                        help="0: the corpus's pages; 3, 4, ...: fresh (not 1 or 2: probe_fresh_damage.py's held-out seeds)")
    parser.add_argument("--cache", type=Path, default=cache_root() / "pitch-pages")
    parser.add_argument("--texts", nargs="*", help="only these development texts (default: all of them)")
    args = parser.parse_args()
    if refusal := probe_fresh_damage.held_out_refusal([s for s in args.seeds if s != 0]):
        parser.error(refusal)  # the figures set the spacing repairs' constants: nothing held out may set them
    args.cache.mkdir(parents=True, exist_ok=True)
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    spreads, pitches, plain, marked, glued = [], [], [], [], []
    for shift in args.seeds:
        items, page_cells = [], []  # (each item's Cells, in order)
        for path in probe_fresh_damage.dev_texts("texts"):
            if args.texts and path.stem not in args.texts:
                continue
            page, truth = boxed_page(path, shift, args.cache)
            items.append((f"{path.stem}.{shift}", page.text, truth, page))  # (page.text: as page.py lays it out)
            true_words = set(truth.split())
            spans = _page_layout(page)[1]
            cells = Cells([line.words for line in page.lines], spans)
            page_cells.append(cells)
            k = 0
            spreads.append(cells_of.spread([line.words for line in page.lines]))
            pitches += [p for line in page.lines if (p := cells_of.line_pitch(line.words)) is not None]
            for line in page.lines:
                for word in line.words:
                    start, end = spans[k][-2:]
                    k += 1
                    found = cells.word(start, end)
                    spare = found[1] if found else None
                    if spare is None or len(word.text) < 2:
                        continue
                    if word.text in true_words:
                        (marked if word.text[-1] in ".," else plain).append(spare)
        results = bench_correct.ocrfix_correct(items, lexicon, config)  # as the benchmark, with the boxes
        made = {(name, c.original, c.replacement): right for _, right, name, c in
                bench_correct.judge_corrections(results, items) if (c.generator or "").startswith("number-spacing")}
        for (name, text, truth, _), cells in zip(items, page_cells):
            flat = f" {' '.join(truth.split())} "
            for edit in structural.glued_numbers(text):
                word = cells.word(edit.start, edit.end)
                read = text[edit.start:edit.end]
                put = made.get((name, read, edit.replacement))
                glued.append((name, read, edit.replacement, word[1] if word else None,
                              f" {edit.replacement}" in flat or f"{edit.replacement} " in flat,
                              "left" if put is None else "put back, right" if put else "put back, wrong"))
    print(f"## line pitches (px a cell): {len(pitches)} lines, median {median(pitches):.2f}, "
          f"5% {quantiles(pitches, n=20)[0]:.2f}, 95% {quantiles(pitches, n=20)[18]:.2f}")
    print(f"pages' spread (cells): {len(spreads)} pages, median {median(spreads):.3f}, max {max(spreads):.3f}; "
          f"above {cells_of.MAX_PAGE_SPREAD}: {sum(s > cells_of.MAX_PAGE_SPREAD for s in spreads)}")
    print("## spare cells of words read right (2+ characters)")
    print(f"ending in a letter, digit or other mark: {_quartiles(plain)}")
    print(f"ending in a period or comma:             {_quartiles(marked)}")
    print("## glued numbers number-spacing looks at")
    for name, read, spaced, spare, typed, put in glued:
        shown = "no pitch" if spare is None else f"{spare:+.2f}"
        print(f"{name}: {read!r} -> {spaced!r}: spare cells {shown}; truth {'spaced' if typed else 'glued'}; "
              f"{put}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
