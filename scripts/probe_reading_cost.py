"""Where ocrfix's CPU time goes on each page, against plain Tesseract's (development part).

    .venv/bin/python scripts/probe_reading_cost.py --sources augraphy,ehri --limit augraphy=50,ehri=28 \
        --ehri PATH/ehri-dataset --cache CACHE --out FILE.jsonl [--alternatives] [--stages]

Each item of the recognition benchmark is read by plain Tesseract (``--psm 3``, as the
benchmark runs it) and recognised as ``ocrfix ocr`` does
(:func:`ocrfix.recognition.recognize_loaded`, the lexicon loaded once). Every Tesseract
run ocrfix makes is timed apart (its child's CPU seconds) and put down to its role: the
first reading, a fallback reading (another preparation, read because the first was
doubtful) or the line check (lines the reading left out, read again); the rest of the
page's CPU seconds is ocrfix's own work (loading, preprocessing, the self-check, the
merges). With ``--alternatives`` each of ocrfix's runs that asked for per-character
alternatives (``lstm_choice_mode=2``) is run once more without them, right after, so the
two say what the alternatives cost. With ``--stages`` ocrfix's own work is split by stage
(STAGES: loading, the shaping and its steps, the tone steps, each Tesseract run's outputs
parsed, the line check's bands, the self-check, the merges), each stage's own CPU seconds
(``time.process_time``, its Tesseract runs apart; a stage inside another counts in both),
and the totals given apart for the pages read once and those read again. One line of JSON
per item and the totals by role. Instrumentation only: the readings and decisions are ocrfix's own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
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
# ocrfix's own work by stage (--stages): module and function, timed wherever ocrfix calls them
# (quality.estimate_words is the self-check of a line's words too, for the line check, the weak lines and
# the page merge, which do not go through quality.estimate; a page's estimate counts in both)
STAGES = (
    ("ocrfix.preprocess.load", "load_page"), ("ocrfix.preprocess", "shape"), ("ocrfix.preprocess", "finish"),
    ("ocrfix.preprocess.gray", "dark_share_of_centre"), ("ocrfix.preprocess.page", "find_paper"),
    ("ocrfix.preprocess.illumination", "flatten"), ("ocrfix.preprocess.dither", "descreen"),
    ("ocrfix.preprocess.noise", "toner_dust"), ("ocrfix.preprocess.deskew", "estimate_skew"),
    ("ocrfix.preprocess.orientation", "is_upside_down"), ("ocrfix.preprocess.scale", "estimate_x_height"),
    ("ocrfix.preprocess.scale", "line_core_height"), ("ocrfix.preprocess.strokes", "stroke_width"),
    ("ocrfix.preprocess.stains", "lift"), ("ocrfix.preprocess.unbend", "measure"), ("ocrfix.preprocess.noise", "paper_noise"),
    ("ocrfix.ocr.recognize", "recognize"), ("ocrfix.ocr.hocr", "parse_hocr_words"),
    ("ocrfix.preprocess.lines", "text_line_bands"), ("ocrfix.ocr.quality", "estimate"),
    ("ocrfix.ocr.quality", "estimate_words"), ("ocrfix.ocr.quality", "weakest_word"),
    ("ocrfix.page_merge", "merge"), ("ocrfix.weak_lines", "regions"), ("ocrfix.recognition", "_kind"),
)  # fmt: skip


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


@contextmanager
def timed_stages(seconds: dict[str, float]) -> Iterator[None]:
    """Each of STAGES, wherever a module of ocrfix holds it (imported by name too), adds its own CPU
    seconds (its Tesseract runs apart) to ``seconds`` under ``module.function``."""
    import importlib

    patched: list[tuple[object, str, object]] = []
    for module_name, function in STAGES:
        original = getattr(importlib.import_module(module_name), function)
        label = f"{module_name.rsplit('.', 1)[-1]}.{function}"

        def timed(*args, _original=original, _label=label, **kwargs):
            start = time.process_time()  # this process's own CPU: its Tesseract children are not in it
            try:
                return _original(*args, **kwargs)
            finally:
                seconds[_label] = seconds.get(_label, 0.0) + time.process_time() - start

        for name, module in list(sys.modules.items()):
            if name == "ocrfix" or name.startswith("ocrfix."):
                for attribute, value in list(vars(module).items()):
                    if value is original:
                        patched.append((module, attribute, value))
                        setattr(module, attribute, timed)
    try:
        yield
    finally:
        for module, attribute, value in reversed(patched):
            setattr(module, attribute, value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser, part="dev", sources="augraphy,ehri")
    parser.add_argument("--out", type=Path, required=True, help="the JSON lines file written")
    parser.add_argument("--alternatives", action="store_true", help="run each of ocrfix's runs again without alternatives")
    parser.add_argument("--stages", action="store_true", help="split ocrfix's own work by stage (STAGES)")
    args = dev_probe_args(parser)
    totals: dict[str, list[float]] = {}
    by_stage: dict[str, dict[str, float]] = {"read once": {}, "read again": {}}  # summed stage seconds, and pages
    with args.out.open("w", encoding="utf-8") as handle:
        for item in build_items(args):
            config = item_config(item)
            knows = word_check(config)
            plain = engines.tesseract(item.image, item.language, 3).cpu_seconds or 0.0
            runs: list[dict] = []
            stages: dict[str, float] = {}
            start = cpu_seconds()
            with timed_runs(runs, args.alternatives), (timed_stages(stages) if args.stages else nullcontext()):
                loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
                result = recognition.recognize_loaded(loaded, config, knows=knows)
            total = cpu_seconds() - start - sum(r.get("cpu_without_alternatives", 0.0) for r in runs)
            readings = sum(1 for r in runs if r["role"] != "line check")
            row = {"name": item.name, "plain": round(plain, 3), "cpu": round(total, 3),
                   "own": round(total - sum(r["cpu"] for r in runs), 3), "readings": readings, "runs": runs,
                   "chosen": (recognition.verdict_of(result.page) or {}).get("chosen")}  # fmt: skip
            if args.stages:
                row["stages"] = {label: round(value, 4) for label, value in stages.items()}
                group = by_stage["read once" if readings == 1 else "read again"]
                for label, value in [("pages", 1.0), ("own", row["own"]), *stages.items()]:
                    group[label] = group.get(label, 0.0) + value
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
    for group, summed in by_stage.items():
        pages = summed.pop("pages", 0.0)
        if pages:
            print(f"{group}, {pages:.0f} pages, ocrfix's own CPU s per page by stage:")
            for label, value in sorted(summed.items(), key=lambda kv: -kv[1]):
                print(f"  {label}: {value / pages:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
