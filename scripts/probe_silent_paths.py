"""The paths by which ocrfix's reading of a page can end worse than plain Tesseract's without a flag (development part).

    .venv/bin/python scripts/probe_silent_paths.py --sources augraphy,ehri --limit augraphy=50,ehri=28 \
        --ehri PATH/ehri-dataset --cache CACHE --plain EARLIER_RUN [--plain ANOTHER_RUN] --out FILE.jsonl

Each page item of the recognition benchmark is recognised as ``ocrfix ocr`` does
(:func:`ocrfix.recognition.recognize_loaded`), and each stage that changes the text after a reading
was chosen is recorded apart, with its CER: every reading as read, the reading chosen (as read),
after the line check (lines read again or dropped, put back in rows), after the page merge (lines
mended from the other readings), and what was given out. A page the preprocessing unbent is also
recognised with unbending off. Plain Tesseract's CER (the better of ``--psm 3`` and ``--psm 4``) is
taken from the earlier benchmark runs given with ``--plain`` (their ``items.jsonl``), or read here
for an item none of them holds (a page drawn again with ``--augraphy-reseeds``). One line of
JSON per item; instrumentation only: the readings and decisions are ocrfix's own.

    .venv/bin/python scripts/probe_silent_paths.py --summary FILE.jsonl [FILE.jsonl ...]

prints, per path (the page merge, the line check, unbending, a first reading standing alone), the
pages it changed, those it made worse and those of them left unflagged, with by how much; and the pages
worse than plain Tesseract or above 10% CER given out unflagged. A page drawn again is counted once
(an item without ``~`` in a file of pages drawn again is also in the development part's file).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import add_item_arguments, build_items, dev_probe_args, item_config  # noqa: E402
from recbench import engines, report  # noqa: E402

from ocrfix import preprocess, recognition  # noqa: E402
from ocrfix.ocr import to_text  # noqa: E402
from ocrfix.pipeline import word_check  # noqa: E402


def _cer(truth: str, page) -> float:
    return round(100 * report.cer(truth, to_text(page))[0], 2)


@contextmanager
def staged(truth: str, stages: dict):
    """Record the CER of each reading read, of the reading checked against its lines, and of the page merge."""
    saved = recognition._read, recognition._with_lines_checked, recognition._mended_lines

    def read(name, *args, **kwargs):
        reading = saved[0](name, *args, **kwargs)
        stages.setdefault("readings", {})[name] = _cer(truth, reading.page)
        return reading

    def checked(reading, *args):
        out = saved[1](reading, *args)
        stages["chosen"], stages["chosen_cer"] = reading.name, _cer(truth, reading.page)
        stages["checked_cer"] = _cer(truth, out[0].page)
        return out

    def mended(best, *args):
        out = saved[2](best, *args)
        stages["merged_cer"] = _cer(truth, out.page)
        return out

    recognition._read, recognition._with_lines_checked, recognition._mended_lines = read, checked, mended
    try:
        yield
    finally:
        recognition._read, recognition._with_lines_checked, recognition._mended_lines = saved


def plain_cers(runs: list[Path]) -> dict[str, float]:
    """Plain Tesseract's CER (%) per item name: the better of psm 3 and psm 4, from earlier runs' items."""
    found: dict[str, float] = {}
    for run in runs:
        for line in (run / "items.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            best = report.plain_best(row, ["tesseract_psm3", "tesseract_psm4"])
            if best is not None:
                found[row["name"]] = round(100 * best, 2)
    return found


def summary(paths: list[Path]) -> list[str]:
    """The lines :func:`main` prints for ``--summary`` (see the module's description)."""
    rows: dict[str, dict] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows.setdefault(row["name"], row)
    paths_changed = {
        "page merge": [(r["checked_cer"], r["merged_cer"], r) for r in rows.values()
                       if r.get("merged_cer") is not None and r["merged_cer"] != r["checked_cer"]],
        "line check": [(r["chosen_cer"], r["checked_cer"], r) for r in rows.values()
                       if r.get("checked_cer") is not None and r["checked_cer"] != r["chosen_cer"]],
        "unbending (against unbending off)": [(r["unbend_off_cer"], r["cer"], r) for r in rows.values() if r["unbent"]],
        "a first reading standing alone (against plain)": [(r["plain"], r["cer"], r) for r in rows.values()
                                                           if len(r.get("readings", {})) == 1 and r["plain"] is not None],
    }  # fmt: skip
    lines = [f"{len(rows)} pages"]
    for name, changes in paths_changed.items():
        worse = [(after - before, r) for before, after, r in changes if after > before]
        silent = [f"{d:.2f}" for d, r in worse if r["status"] == "ok"]
        flagged = [f"{d:.2f}" for d, r in worse if r["status"] != "ok"]
        lines.append(f"{name}: {len(changes)} changed, {len(worse)} worse, unflagged by {silent or '-'}, flagged by {flagged or '-'}")
    bad = [r["name"] for r in rows.values() if r["plain"] is not None and (r["cer"] > r["plain"] + 0.5 or r["cer"] > 10)]
    silent_bad = [name for name in bad if rows[name]["status"] == "ok"]
    lines.append(f"worse than plain by more than 0.5 points or above 10% CER: {len(bad)}, unflagged: {silent_bad or 0}")
    return lines


def main() -> int:
    if sys.argv[1:2] == ["--summary"]:
        print("\n".join(summary([Path(a) for a in sys.argv[2:]])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="--summary FILE.jsonl [FILE.jsonl ...] (the first argument): print what "
                                     "earlier runs' files show, per path, instead of reading anything")  # fmt: skip
    add_item_arguments(parser, part="dev", sources="augraphy,ehri")
    parser.add_argument("--plain", type=Path, action="append", default=[], help="an earlier benchmark run's folder")
    parser.add_argument("--out", type=Path, required=True, help="the JSON lines file written")
    args = dev_probe_args(parser)
    plain = plain_cers(args.plain)
    with args.out.open("w", encoding="utf-8") as handle:
        for item in build_items(args):
            if item.kind != "page":
                continue
            config = item_config(item)
            knows = word_check(config)
            stages: dict = {}
            with staged(item.truth, stages):
                loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
                result = recognition.recognize_loaded(loaded, config, knows=knows)
            verdict = recognition.verdict_of(result.page) or {}
            unbent = any(s.name == "preprocess.unbend" and s.settings.get("bent") for s in result.page.steps)
            if item.name not in plain:  # drawn again (--augraphy-reseeds): read plainly here
                texts = [engines.tesseract(item.image, item.language, psm).text for psm in (3, 4)]
                plain[item.name] = min(round(100 * report.cer(item.truth, text)[0], 2) for text in texts)
            row = {"name": item.name, "plain": plain.get(item.name), "cer": _cer(item.truth, result.page),
                   "status": result.status, "reason": result.reason, "estimated_cer": verdict.get("estimated_cer"),
                   "unbent": unbent, **stages}  # fmt: skip
            if unbent:
                flat = replace(config, preprocess=replace(config.preprocess, unbend=False))
                loaded = preprocess.load_page(item.image, 0, config=flat.preprocess)
                unflat = recognition.recognize_loaded(loaded, flat, knows=knows)
                row["unbend_off_cer"], row["unbend_off_status"] = _cer(item.truth, unflat.page), unflat.status
            row["merge_taken"] = recognition._stretches_taken(verdict.get("page_merge") or [], verdict.get("chosen"))
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
