"""Where ocrfix's CPU time goes on each page, against plain Tesseract's (development part).

    .venv/bin/python scripts/probe_reading_cost.py --sources augraphy,ehri --limit augraphy=50,ehri=28 \
        --ehri PATH/ehri-dataset --cache CACHE --out FILE.jsonl [--alternatives]

Each item of the recognition benchmark is read by plain Tesseract (``--psm 3``, as the
benchmark runs it) and recognised as ``ocrfix ocr`` does
(:func:`ocrfix.recognition.recognize_loaded`, the lexicon loaded once). Every Tesseract
run ocrfix makes is timed apart (its child's CPU seconds) and put down to its role: the
first reading, a fallback reading (another preparation, read because the first was
doubtful) or the line check (lines the reading left out, read again); the rest of the
page's CPU seconds is ocrfix's own work (loading, preprocessing, the self-check, the
merges). With ``--alternatives`` each of ocrfix's runs that asked for per-character
alternatives (``lstm_choice_mode=2``) is run once more without them, right after, so the
two say what the alternatives cost. One line of JSON per item and the totals by role.
Instrumentation only: the readings and decisions are ocrfix's own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import add_item_arguments, build_items, dev_probe_args, item_config  # noqa: E402
from cpu_clock import children_cpu_seconds, cpu_seconds  # noqa: E402
from recbench import engines  # noqa: E402

from ocrfix import line_check, preprocess, recognition  # noqa: E402
from ocrfix.pipeline import word_check  # noqa: E402

RUNNER = sys.modules["ocrfix.ocr.recognize"]  # (the package exports its function ``recognize`` under the same name)


@contextmanager
def timed_runs(runs: list[dict], alternatives: bool) -> Iterator[None]:
    """Each Tesseract run ocrfix makes appends its role and CPU seconds to ``runs`` (and, with
    ``alternatives``, the CPU seconds of the same run without per-character alternatives)."""
    role = ["first"]
    run, reading, fill = RUNNER.run_tesseract, recognition._reading, line_check.fill_missed_lines

    def timed_run(image_path, work_dir, config, info, *, source=""):
        start = children_cpu_seconds()
        output = run(image_path, work_dir, config, info, source=source)
        row = {"role": role[-1], "psm": config.psm, "cpu": round(children_cpu_seconds() - start, 3)}
        if alternatives and config.char_alternatives:
            start = children_cpu_seconds()
            run(image_path, work_dir, replace(config, char_alternatives=False), info, source=source)
            row["cpu_without_alternatives"] = round(children_cpu_seconds() - start, 3)
        runs.append(row)
        return output

    def named_reading(name, *args, **kwargs):
        role.append("first" if not any(r["role"] in ("first", "fallback") for r in runs) else "fallback")
        try:
            return reading(name, *args, **kwargs)
        finally:
            role.pop()

    def line_checked(*args, **kwargs):
        role.append("line check")
        try:
            return fill(*args, **kwargs)
        finally:
            role.pop()

    RUNNER.run_tesseract, recognition._reading, line_check.fill_missed_lines = timed_run, named_reading, line_checked
    try:
        yield
    finally:
        RUNNER.run_tesseract, recognition._reading, line_check.fill_missed_lines = run, reading, fill


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser, part="dev", sources="augraphy,ehri")
    parser.add_argument("--out", type=Path, required=True, help="the JSON lines file written")
    parser.add_argument("--alternatives", action="store_true", help="run each of ocrfix's runs again without alternatives")
    args = dev_probe_args(parser)
    totals: dict[str, list[float]] = {}
    with args.out.open("w", encoding="utf-8") as handle:
        for item in build_items(args):
            config = item_config(item)
            knows = word_check(config)
            plain = engines.tesseract(item.image, item.language, 3).cpu_seconds or 0.0
            runs: list[dict] = []
            start = cpu_seconds()
            with timed_runs(runs, args.alternatives):
                loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
                result = recognition.recognize_loaded(loaded, config, knows=knows)
            total = cpu_seconds() - start - sum(r.get("cpu_without_alternatives", 0.0) for r in runs)
            readings = sum(1 for r in runs if r["role"] != "line check")
            row = {"name": item.name, "plain": round(plain, 3), "cpu": round(total, 3),
                   "own": round(total - sum(r["cpu"] for r in runs), 3), "readings": readings, "runs": runs,
                   "chosen": (recognition.verdict_of(result.page) or {}).get("chosen")}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            for key, value in [("plain", plain), ("own", row["own"])] + [(r["role"], r["cpu"]) for r in runs]:
                totals.setdefault(key, [0.0, 0.0])[0] += value
            for r in runs:
                totals[r["role"]][1] += r.get("cpu_without_alternatives", r["cpu"])
            print(f"{item.name}: plain {plain:.2f} s, ocrfix {total:.2f} s ({readings} reading(s))", file=sys.stderr)
    for key, (seconds, without) in totals.items():
        extra = f" ({without:.1f} without alternatives)" if args.alternatives and key not in ("plain", "own") else ""
        print(f"{key}: {seconds:.1f} CPU s{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
