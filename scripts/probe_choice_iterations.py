"""What Tesseract's per-character alternatives cost, by the beam search's iterations (development part).

    .venv/bin/python scripts/probe_choice_iterations.py --sources augraphy,ehri --limit augraphy=50,ehri=28 \
        --ehri PATH/ehri-dataset --cache CACHE --every 6 [--iterations 5,3,2,1]

ocrfix asks Tesseract for each character's alternatives (``lstm_choice_mode=2``); Tesseract finds
them by running its beam search again ``lstm_choice_iterations`` times (5 by default), each time
without the characters found before. Every ``--every``-th item of the recognition benchmark is
prepared as ``ocrfix ocr`` prepares it, and its prepared page read in the page's mode once per
iteration count and once without alternatives, each run's CPU seconds measured (its child's).
Printed per page and in total: the seconds, whether the words read differ from the default's, and
how many characters' alternatives differ from the default's among those the corrector weighs
(probability 0.15 or more, ``correct.page``) and those the reconciliation weighs (0.01 or more).
Instrumentation only: ocrfix is not changed.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import add_item_arguments, build_items, dev_probe_args, item_config  # noqa: E402
from cpu_clock import children_cpu_seconds  # noqa: E402

from ocrfix import ocr, preprocess, recognition  # noqa: E402
from ocrfix.config import Config  # noqa: E402
from ocrfix.correct import page as correct_page  # noqa: E402
from ocrfix.model import Page  # noqa: E402
from ocrfix.ocr import tesseract  # noqa: E402
from ocrfix.reconcile import evidence as reconcile_evidence  # noqa: E402

THRESHOLDS = (correct_page.ALTERNATIVE_MIN_PROBABILITY, reconcile_evidence.ALTERNATIVE_MIN_PROBABILITY)  # the corrector's, the reconciliation's
OFF = "off"


def read(image, config: Config, iterations: str) -> tuple[float, Page]:
    """The page read with ``iterations`` (or without alternatives: OFF) and its Tesseract CPU seconds."""
    saved = tesseract.HOCR_VARIABLES
    if iterations != OFF:
        tesseract.HOCR_VARIABLES = saved + (("lstm_choice_iterations", iterations),)
    try:
        start = children_cpu_seconds()
        page = ocr.recognize(image, replace(config.ocr, char_alternatives=iterations != OFF))
        return children_cpu_seconds() - start, page
    finally:
        tesseract.HOCR_VARIABLES = saved


def differing(reference: Page, page: Page, threshold: float) -> int:
    """Characters whose alternatives at ``threshold`` or more differ between two readings of the same words."""

    def kept(choice) -> list[tuple[str, float]]:
        return sorted((text, round(p, 3)) for text, p in choice.choices if p >= threshold)

    return sum(kept(a) != kept(b) for x, y in zip(reference.words, page.words)
               for a, b in zip(x.alternatives, y.alternatives))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser, part="dev", sources="augraphy,ehri")
    parser.add_argument("--every", type=int, default=1, help="every N-th item only")
    parser.add_argument("--iterations", default="5,3,2,1", help="the counts tried, the default (5) first")
    args = dev_probe_args(parser)
    counts = [*args.iterations.split(","), OFF]
    totals = {count: [0.0, 0, 0, 0] for count in counts}  # seconds, pages read other words, characters differing at each threshold
    characters = 0
    for item in build_items(args)[:: args.every]:
        config = item_config(item)
        config = replace(config, ocr=replace(config.ocr, invert_lines=False))
        loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
        _, prepared, kind = recognition._prepared(loaded, config, None)
        if prepared.empty:
            continue
        config = replace(config, ocr=replace(config.ocr, psm=recognition.page_mode(kind, config.ocr.psm)))
        readings = {count: read(prepared.image, config, count) for count in counts}
        reference = readings[counts[0]][1]
        characters += sum(len(word.text) for word in reference.words)
        cells = []
        for count, (seconds, page) in readings.items():
            other_words = [w.text for w in page.words] != [w.text for w in reference.words]
            found = [differing(reference, page, t) for t in THRESHOLDS] if count != OFF else [0, 0]
            total = totals[count]
            total[0] += seconds
            total[1] += other_words
            total[2] += found[0]
            total[3] += found[1]
            cells.append(f"{count}: {seconds:.2f} s{' (other words)' if other_words else ''} {found[0]}/{found[1]}")
        print(f"{item.name}: " + "; ".join(cells), file=sys.stderr)
    print(
        f"{characters} characters read; per iteration count: CPU s, pages read with other words, characters whose "
        f"alternatives differ from {counts[0]} iterations' (p >= {THRESHOLDS[0]} / p >= {THRESHOLDS[1]})"
    )
    for count, (seconds, other, high, low) in totals.items():
        print(f"{count}: {seconds:.1f} s, {other}, {high} / {low}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
