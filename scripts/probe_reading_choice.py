"""Every reading ocrfix could choose between, on the development part of the recognition benchmark, with its true CER.

    .venv/bin/python scripts/probe_reading_choice.py --part dev --sources vyl,augraphy,ehri \
        [--vyl-resolutions 150,600] [--ehri PATH] [--vyl PATH] [--cache DIR] [--limit ...] --out FILE.jsonl

For each item: the image as loaded and the preprocessed image (and, for a page, the
fallback preparations), each read as :mod:`ocrfix.recognition` reads it, with the
reading's words (text, confidence, the per-character probabilities Tesseract gives),
its quality estimate and its true CER. One line of JSON per item; the decision rule
between readings is then studied offline, without reading anything again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import add_item_arguments, build_items, dev_probe_args, item_config
from recbench import report, sources, vyl

from ocrfix import preprocess, recognition
from ocrfix.config import Config
from ocrfix.ocr import to_text
from ocrfix.pipeline import word_check


def readings_of(item, config: Config) -> dict:
    loaded = preprocess.load_page(item.image, 0, config=config.preprocess)
    knows = word_check(config)
    kind, order, read = recognition.preparations_of(loaded, config, knows=knows)
    fold_table = vyl.load_fold(sources.KOMI_FOLD) if item.source.startswith("vyl") else None
    out = {"name": item.name, "source": item.source, "profile": item.profile, "kind": kind, "readings": []}
    if not order:
        out["empty"] = True
        names = ["original"]
    else:
        out["order"] = list(order)
        names = list(order)
        if kind != "page":  # the referees a line could be given
            names = [*names, *(n for n in ("grey", "binarised") if n not in names)]
    for name in names:
        reading = read(name)
        if reading is None:
            continue
        page, quality = reading
        text = to_text(page)
        if fold_table:
            text = vyl.fold(text, fold_table)
        words = [
            {"text": w.text, "conf": w.confidence, "alts": [list(c.choices[:2]) for c in w.alternatives]}
            for w in page.words
        ]
        out["readings"].append(
            {"name": name, "cer": report.cer(item.truth, text)[0], "quality": quality.to_dict(),
             "words": words, "text": text}
        )  # fmt: skip
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser, part="dev", sources="vyl")  # the items as the recognition benchmark chooses them
    parser.add_argument("--out", type=Path, required=True, help="the JSON lines file written (items already in it are skipped)")
    return dev_probe_args(parser, argv)


def main() -> int:
    args = parse_args()
    items = build_items(args)
    done = set()
    if args.out.is_file():
        done = {json.loads(line)["name"] for line in args.out.read_text(encoding="utf-8").splitlines()}
    with args.out.open("a", encoding="utf-8") as handle:
        for count, item in enumerate(items, 1):
            if item.name in done:
                continue
            config = item_config(item)
            row = readings_of(item, config)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            cers = " ".join(f"{r['name']}={100 * r['cer']:.1f}" for r in row["readings"])
            print(f"[{count}/{len(items)}] {item.name}: {cers}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
