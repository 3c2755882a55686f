"""The corrector on fresh damage of the development texts: how its repairs carry over to new noise.

The post-correction corpus (``scans/correct/``) holds one damaged, OCR'd page of each text, and the
corrector's repairs are tuned on the development part's pages: a repair may fit those pages'
particular misreadings rather than the kind of error. This probe types and damages the development
part's texts again with other seeds (``scripts/typewriter.py`` with ``make_correct_corpus.py``'s
font and layout; a typed text's damage level drawn again, light or medium; the other genres light),
reads them with Tesseract after ocrfix's preprocessing as ``ocrfix run`` does, and corrects each
seed's pages of a set as the benchmark corrects a part (one collection lexicon over them, each page
as its page model with Tesseract's confidences and alternatives). Only development texts
(``bench_correct.part_of``) are ever rendered: the test part stays unseen.

The pages are kept as the corpus keeps its own (``<name>.<seed>.ocr.txt``, ``.gt.txt``,
``.conf.tsv``) under ``--cache`` (default: ``fresh-damage/`` in ocrfix's cache directory), so a
second run, at another revision say, corrects the same pages without Tesseract (about 45 s of CPU
a seed). It prints, per set, what ``bench_correct.py`` prints (CER before and after, changes made
right, correct words broken, lexicon-fixable errors fixed, the share right among changes given
confidence 0.9 or more) and with ``-v`` every broken word and every confident change that was wrong.

    .venv/bin/python scripts/probe_fresh_damage.py [--seeds 1 2] [--sets typed other] [-v]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

import bench_correct  # noqa: E402
import corpus_pages  # noqa: E402
import make_correct_corpus  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.lexicon import load_lexicon  # noqa: E402
from ocrfix.lexicon.store import cache_root  # noqa: E402

GROUPS = {"typed": "texts", "other": "other"}  # set -> the corpus folder of its texts
SEED_STEP = 7919  # a seed's offset from the corpus page's own seed, per --seeds value
HELD_OUT = (1, 2)  # the offsets this probe measures on: nothing may learn from them (held_out_refusal)


def held_out_refusal(seeds: list[int]) -> str:
    """Why these seed offsets may not be learned or fitted from (learn_error_model.py,
    calibrate_confidence.py); "" when they may: offsets of 1 or more, none of :data:`HELD_OUT`."""
    if set(seeds) & set(HELD_OUT) or any(s <= 0 for s in seeds):
        return f"fresh seeds are offsets of 1 or more, and not {' or '.join(map(str, HELD_OUT))}: held out for probe_fresh_damage.py"
    return ""


def dev_texts(group: str) -> list[Path]:
    """The development texts of ``group`` (``bench_correct.part_of``): the only texts typed again here."""
    return [p for p in make_correct_corpus.texts(group) if bench_correct.part_of(p.stem) == "dev"]


def fresh_settings(group: str, path: Path, seed_shift: int) -> tuple[int, str, str]:
    """(seed, damage level, font) of ``path`` typed with seed offset ``seed_shift`` (0: the corpus's page)."""
    chosen = make_correct_corpus.settings(group, path.stem)
    if not seed_shift:
        return chosen["seed"], chosen["damage"], chosen["font"]
    seed = (chosen["seed"] + SEED_STEP * seed_shift) % 1_000_000
    level = chosen["damage"] if group != "texts" else ("light", "medium")[(chosen["seed"] + seed_shift) % 2]
    return seed, level, chosen["font"]


def write_whole(path: Path, text: str) -> None:
    """Write ``path`` under a scratch name and rename it, so a probe running at the same time never reads it half
    written (measure_pitch.py's cache too)."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(text, encoding="utf-8", newline="\n")
    os.replace(scratch, path)


def fresh_page(group: str, path: Path, seed_shift: int, cache: Path) -> tuple[str, str, str, object]:
    """(name, OCR text, truth, page model) of ``path`` typed with another seed: read from the
    cache, or rendered, damaged and read by Tesseract once and cached."""
    name = f"{path.stem}.{seed_shift}"
    ocr_path, gt_path = cache / f"{name}.ocr.txt", cache / f"{name}.gt.txt"
    if not (ocr_path.exists() and gt_path.exists() and ocr_path.with_name(f"{name}{corpus_pages.SUFFIX}").exists()):
        seed, level, font = fresh_settings(group, path, seed_shift)
        scratch = cache / f".{name}.{os.getpid()}.png"  # two probes at once must not share the image
        rendered, page, ocr = make_correct_corpus.typed_and_read(path.read_text(encoding="utf-8"), seed, level,
                                                                 font, scratch)
        # the page model's file last: a page counts as cached once it exists, so the others must be whole by then
        write_whole(gt_path, rendered.text)
        write_whole(ocr_path, ocr)
        write_whole(ocr_path.with_name(f"{name}{corpus_pages.SUFFIX}"), corpus_pages.to_tsv(page))
        print(f"{group}/{name}: {level} damage, {len(rendered.text.split())} words", file=sys.stderr)
    ocr = ocr_path.read_text("utf-8")
    return (name, ocr, gt_path.read_text("utf-8"), corpus_pages.load_page(ocr_path, ocr))


def default_cache() -> Path:
    return cache_root() / "fresh-damage"


def fresh_pages(set_name: str, seed_shift: int, cache: Path | None = None) -> list[tuple[str, str, str, object]]:
    """The pages of every development text of ``set_name`` typed with seed offset ``seed_shift``, kept under
    ``cache`` (made if missing; default :func:`default_cache`)."""
    group = GROUPS[set_name]
    cache = cache or default_cache()
    cache.mkdir(parents=True, exist_ok=True)
    return [fresh_page(group, path, seed_shift, cache) for path in dev_texts(group)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", nargs="*", type=int, default=list(HELD_OUT), help="seed offsets (1, 2, ...; 0 is the corpus's own)")
    parser.add_argument("--sets", nargs="*", default=list(GROUPS), choices=list(GROUPS))
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("-v", "--verbose", action="store_true", help="list broken words and confident wrong changes")
    args = parser.parse_args()
    if any(s <= 0 for s in args.seeds):
        parser.error("seeds are offsets of 1 or more (0 is the corpus's own pages: bench_correct.py)")
    config = CorrectConfig()
    lexicon = load_lexicon(config)
    for set_name in args.sets:
        bench_correct.BROKEN_LOG.clear()
        totals = dict.fromkeys(("before", "after", "chars", "words", "changes", "right", "broken", "fixable", "fixed"), 0.0)
        judged = []
        pages = 0
        for shift in args.seeds:
            items = fresh_pages(set_name, shift, args.cache)
            results = bench_correct.ocrfix_correct(items, lexicon, config)
            judged += bench_correct.judge_corrections(results, items)
            for item, result in zip(items, results):
                s = bench_correct.score("ocrfix", item[1], result.text, item[2], 1.0, lexicon)
                chars = len(bench_correct.normalise(item[2]))
                for key, value in (("before", s.cer_before * chars), ("after", s.cer_after * chars), ("chars", chars),
                                   ("words", s.words), ("changes", s.corrections), ("right", s.right),
                                   ("broken", s.broken), ("fixable", s.fixable_errors), ("fixed", s.fixable_fixed)):
                    totals[key] += value
                pages += 1
        cal = bench_correct.calibration(judged)
        t = totals
        cut = 1 - t["after"] / t["before"] if t["before"] else 0.0
        print(f"## {set_name}, fresh damage of the development texts (seeds {', '.join(map(str, args.seeds))}): "
              f"{pages} pages, {int(t['words']):,} words")
        print(f"CER {t['before'] / t['chars']:.2%} -> {t['after'] / t['chars']:.2%} ({cut:+.0%}); right "
              f"{int(t['right'])} / {int(t['changes'])} changes; broken {int(t['broken'])} "
              f"({1000 * t['broken'] / max(1, t['words']):.2f} per 1,000); fixable fixed {int(t['fixed'])} / "
              f"{int(t['fixable'])}; confidence >= 0.9 right {cal['confident_right']} / {cal['confident']}")
        if args.verbose:
            for name, src, dst in bench_correct.BROKEN_LOG:
                print(f"- broken: {name}: {src!r} -> {dst!r}")
            for confidence, right, name, c in judged:
                if confidence >= bench_correct.CONFIDENT and not right:
                    print(f"- confident, wrong: {name}: {c.original!r} -> {c.replacement!r} ({confidence:.2f}, {c.reason})")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
