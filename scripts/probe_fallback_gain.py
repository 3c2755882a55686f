"""What each fallback reading costs and wins, on the pages ocrfix reads again (development part).

    .venv/bin/python scripts/probe_fallback_gain.py --sources augraphy,ehri --limit augraphy=50,ehri=28 \
        --ehri PATH/ehri-dataset --cache CACHE --out FILE.jsonl

Each item of the recognition benchmark is recognised as ``ocrfix ocr`` does
(:func:`ocrfix.recognition.recognize_loaded`, the lexicon loaded once), the CPU
seconds of each preparation's reading measured apart (this process and its
Tesseract children). An item read more than once is then recognised again with
its first reading made to stand alone (the fallbacks off: no other preparation
read, no line mended from one; the line check as for any page read once), so
the two CERs say what the fallbacks won. One line of JSON per item read again:
CER and CPU seconds read once and with the fallbacks, each reading's seconds,
the reading kept, and the readings that gave the kept page words (the one
kept whole, those page_merge took stretches from); a reading in neither won
nothing. Instrumentation only: the readings and decisions are ocrfix's own.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import add_item_arguments, build_items, dev_probe_args, item_config  # noqa: E402
from cpu_clock import cpu_seconds  # noqa: E402
from recbench import report  # noqa: E402

from ocrfix import preprocess, recognition  # noqa: E402
from ocrfix.config import Config  # noqa: E402
from ocrfix.ocr import to_text  # noqa: E402
from ocrfix.pipeline import word_check  # noqa: E402


@contextmanager
def timed_readings(times: list[tuple[str, float]]):
    """Each preparation read (recognition._reading) appends its name and CPU seconds to ``times``."""
    reading = recognition._reading

    def timed(name, *args, **kwargs):
        start = cpu_seconds()
        result = reading(name, *args, **kwargs)
        times.append((name, round(cpu_seconds() - start, 2)))
        return result

    recognition._reading = timed
    try:
        yield
    finally:
        recognition._reading = reading


@contextmanager
def first_reading_alone():
    """Every page's first reading stands alone: nothing to mend, the thinning not checked."""
    saved = recognition._nothing_to_mend, recognition._read_thinned
    recognition._nothing_to_mend = lambda quality, kind: True
    recognition._read_thinned = lambda prepared, reading: False
    try:
        yield
    finally:
        recognition._nothing_to_mend, recognition._read_thinned = saved


def recognised(item, config: Config, knows) -> tuple[float, float, list[tuple[str, float]], dict]:
    """CER (%), CPU seconds, each reading's seconds and the verdict of ``item`` recognised as ocrfix does."""
    times: list[tuple[str, float]] = []
    start = cpu_seconds()
    with timed_readings(times):
        loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
        result = recognition.recognize_loaded(loaded, config, knows=knows)
    seconds = round(cpu_seconds() - start, 2)
    cer = round(100 * report.cer(item.truth, to_text(result.page))[0], 2)
    return cer, seconds, times, recognition.verdict_of(result.page) or {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser, part="dev", sources="augraphy,ehri")
    parser.add_argument("--out", type=Path, required=True, help="the JSON lines file written")
    args = dev_probe_args(parser)
    totals = {"once": [0.0, 0.0], "again": [0.0, 0.0]}
    with args.out.open("w", encoding="utf-8") as handle:
        for item in build_items(args):
            config = item_config(item)
            knows = word_check(config)
            cer, seconds, times, verdict = recognised(item, config, knows)
            if len(times) < 2:
                continue
            with first_reading_alone():
                once_cer, once_seconds, _, _ = recognised(item, config, knows)
            chosen = verdict.get("chosen")
            merged = {s["kept"] for line in verdict.get("page_merge") or [] for s in line["stretches"]}
            row = {"name": item.name, "cer_once": once_cer, "cer": cer, "cpu_once": once_seconds, "cpu": seconds,
                   "readings": times, "chosen": chosen, "gave_words": sorted({chosen, *merged}),
                   "status": verdict.get("status")}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            totals["once"][0] += once_cer
            totals["once"][1] += once_seconds
            totals["again"][0] += cer
            totals["again"][1] += seconds
            idle = [f"{name} {s:.2f}s" for name, s in times[1:] if name not in row["gave_words"]]
            print(f"{item.name}: CER {once_cer:.2f} -> {cer:.2f}, CPU {once_seconds:.2f} -> {seconds:.2f} s"
                  f"{'; won nothing: ' + ', '.join(idle) if idle else ''}", file=sys.stderr)  # fmt: skip
    for name, (cer, seconds) in totals.items():
        print(f"{'read once' if name == 'once' else 'with fallbacks'}: CER sum {cer:.2f}, CPU {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
