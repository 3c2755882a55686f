"""Recognition on material nobody here made or tuned on (issue #13): ocrfix against plain Tesseract and OCRmyPDF.

    .venv/bin/python scripts/bench_recognition.py --part dev|test [--sources augraphy,ehri,vyl]
        [--ehri PATH] [--vyl PATH] [--vyl-resolutions 150,600] [--cache DIR] [--out DIR] [--limit N] [--jobs 2]
        [--no-ocrmypdf] [--resume]
        [--reuse EARLIER_OUT] [--keep-pages]

Three sources, each reported on its own:

- ``augraphy``: pages typed (Pillow, 300 dpi, A4) from our own texts in
  ``scripts/bench_data/recognition_texts/`` in three monospace fonts, each page
  undamaged (``clean``) and under nine damage profiles built from augraphy's
  augmentations (``scripts/recbench/damage.py``); made once into ``--cache``.
- ``ehri``: real typescripts of 1936-1958 with ALTO ground truth, read with the
  matching Tesseract language (``--ehri``: the FloChiff/ehri-dataset checkout, its
  data/ folder, or a bare git mirror of it).
- ``vyl``: real Cyrillic newspaper print of 1939 (``--vyl``: the
  nikopartanen/vyl-tujod-ocr checkout or bare mirror), as line images
  (``vyl-lines``) and as pages stacked from runs of lines (``vyl-pages``), read
  with ``rus``; Komi letters are folded (``bench_data/komi_fold.tsv``) in truth and OCR.
  With ``--vyl-resolutions 150,600`` also the same line images resampled from
  their 400 dpi (``vyl-lines-rescaled``, a profile per resolution).

For more development signal (never for the test part): ``--augraphy-reseeds N``
draws each damaged development page again under N other seeds of its profile
(items ``NAME~sK``), ``--augraphy-profiles`` keeps some profiles only, and
``--vyl-lines N`` samples more line images (before the split) than the default.

Every source is split into a development part (~40%) and a test part by a hash
of the item's group (one typed page, one archive document, one run of lines;
``recbench/items.py``), fixed before any tuning: tune on ``--part dev``, report ``--part test``.

Per item, in one run: CER (``ocrfix.align``, NFC grapheme clusters; whitespace
runs and line-end hyphens normalised, so layout costs nothing) and seconds of
``tesseract --psm 3``, ``tesseract --psm N`` (the psm ocrfix uses; lines also
``--psm 7``), ``ocrfix ocr``, and OCRmyPDF (``--deskew --clean
--tesseract-thresholding sauvola``; pages only); ocrfix's own quality estimate
when its page JSON has one, and its Spearman rank correlation with the true CER (also of its
estimated CER, ``estimated_cer``, when its verdict records one);
ocrfix's status per item ("ok", "empty", "doubtful"), and per source how many items it
flagged, how many of the items it reads worse than plain Tesseract it flagged and how
many it did not ("silently worse"), how many good items it flagged, and the CER of
flagged and unflagged items.

``--reuse`` takes plain Tesseract's and OCRmyPDF's readings from an earlier run
of the same part (they do not depend on ocrfix's code) and runs only ocrfix; their
seconds then come from that run. ``--keep-pages`` keeps ocrfix's page JSON of each
item in ``OUT/pages/`` (what ``scripts/fit_page_error.py`` fits the self-check on).

Writes ``items.jsonl``, ``items.csv``, ``summary.json`` and ``summary.md`` into ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from recbench import damage, engines, report, sources, vyl
from recbench.items import DEV_SHARE_PERCENT, Item

from ocrfix.config import Config

OCRFIX_PSM = Config().ocr.psm
SOURCES = ("augraphy", "ehri", "vyl")
VYL_LINES = sources.VYL_LINES  # line images sampled (before the split) by default


def engine_names(kind: str, with_ocrmypdf: bool) -> list[str]:
    names = ["tesseract_psm3"]
    if OCRFIX_PSM != 3:
        names.append(f"tesseract_psm{OCRFIX_PSM}")
    if kind == "line":
        names.append("tesseract_psm7")
    names.append("ocrfix")
    if kind == "page" and with_ocrmypdf:
        names.append("ocrmypdf")
    return names


def page_file(folder: Path, name: str) -> Path:
    """Where ``--keep-pages`` keeps the page JSON of item ``name`` (its path's slashes made dashes)."""
    return folder / (name.replace("/", "--") + ".json")


def image_dpi(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi")
    return round(float(dpi[0])) if dpi and float(dpi[0]) > 1 else 300


def run_item(item: Item, with_ocrmypdf: bool, reused: dict | None = None, keep_pages: Path | None = None) -> dict:
    """Every engine on one item; a module-level function so the pool's workers can run it.

    ``reused``: an earlier run's row for this item, whose readings by engines that do not
    depend on ocrfix's code (plain Tesseract, OCRmyPDF) are taken instead of read again.
    ``keep_pages``: a folder to keep ocrfix's page JSON in (``page_file``), for study and for
    fitting the self-check's error model (``scripts/fit_page_error.py``).
    """
    fold_table = vyl.load_fold(sources.KOMI_FOLD) if item.source.startswith("vyl") else None
    row: dict = {
        "name": item.name, "source": item.source, "profile": item.profile, "part": item.part, "kind": item.kind,
        "language": item.language, "image": str(item.image), "cer": {}, "cer_strict": {}, "seconds": {},
        "errors": {}, "texts": {}, "quality": None, "cpu_seconds": {},
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-rec-") as tmp:
        workdir = Path(tmp)
        for engine in engine_names(item.kind, with_ocrmypdf):
            if reused and engine != "ocrfix" and engine in reused["texts"]:
                text = reused["texts"][engine]
                row["cer"][engine], row["cer_strict"][engine] = report.cer(item.truth, text)
                row["seconds"][engine] = reused["seconds"][engine]
                if engine in reused.get("cpu_seconds", {}):
                    row["cpu_seconds"][engine] = reused["cpu_seconds"][engine]
                row["texts"][engine] = text
                if engine in reused["errors"]:
                    row["errors"][engine] = reused["errors"][engine]
                continue
            if engine.startswith("tesseract_psm"):
                reading = engines.tesseract(item.image, item.language, int(engine.removeprefix("tesseract_psm")))
            elif engine == "ocrfix":
                reading = engines.ocrfix(item.image, item.language, workdir)
                row["quality"] = reading.extra.get("quality")
                row["ocrfix_exit_code"] = reading.extra.get("exit_code")
                row["ocrfix_status"] = reading.extra.get("status")  # None: ocrfix failed, or wrote no verdict
                row["ocrfix_verdict"] = {k: v for k, v in reading.extra.items() if k in engines.VERDICT_KEYS}
                if keep_pages is not None and (workdir / engines.OCRFIX_JSON).is_file():
                    shutil.copyfile(workdir / engines.OCRFIX_JSON, page_file(keep_pages, item.name))
            else:
                reading = engines.ocrmypdf(item.image, item.language, workdir, image_dpi(item.image))
            text = vyl.fold(reading.text, fold_table) if fold_table else reading.text
            row["cer"][engine], row["cer_strict"][engine] = report.cer(item.truth, text)
            row["seconds"][engine] = round(reading.seconds, 3)
            if reading.cpu_seconds is not None:
                row["cpu_seconds"][engine] = round(reading.cpu_seconds, 3)
            row["texts"][engine] = text
            if reading.error:
                row["errors"][engine] = reading.error
    return row


def build_items(args: argparse.Namespace) -> list[Item]:
    items: list[Item] = []
    cache = args.cache
    for source in args.sources:
        if source == "augraphy":
            found = sources.augraphy_items(cache, part=args.part, reseeds=args.augraphy_reseeds,
                                           profiles=args.augraphy_profiles)  # fmt: skip
        elif source == "ehri":
            if not args.ehri:
                print("ehri: no --ehri path given, source skipped", file=sys.stderr)
                continue
            found = sources.ehri_items(args.ehri, cache)
        else:
            if not args.vyl:
                print("vyl: no --vyl path given, source skipped", file=sys.stderr)
                continue
            found = sources.vyl_items(args.vyl, cache, lines=args.vyl_lines, resolutions=args.vyl_resolutions)
        chosen = [i for i in found if i.part == args.part]
        for sub in sorted({i.source for i in chosen}):
            items.extend(limited([i for i in chosen if i.source == sub], args.limit.get(sub, args.limit.get("*"))))
    return items


def limited(items: list[Item], limit: int | None) -> list[Item]:
    """At most ``limit`` items, taken in turn from each profile (the first of each, then the second...)."""
    if not limit or limit >= len(items):
        return items
    by_profile: dict[str, list[Item]] = {}
    for item in items:
        by_profile.setdefault(item.profile, []).append(item)
    chosen: list[Item] = []
    for rank in range(max(len(v) for v in by_profile.values())):
        chosen.extend(v[rank] for v in by_profile.values() if rank < len(v))
    return chosen[:limit]


def provenance() -> dict:
    def out(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
        except OSError:
            return ""

    import ocrfix

    return {
        "ocrfix": ocrfix.__version__,
        "ocrfix_commit": out(["git", "-C", str(Path(ocrfix.__file__).parent), "rev-parse", "--short", "HEAD"]),
        "tesseract": (out(["tesseract", "--version"]).splitlines() or ["?"])[0],
        "ocrmypdf": out([sys.executable, "-m", "ocrmypdf", "--version"]),
        "python": platform.python_version(),
        "ocrfix_psm": OCRFIX_PSM,
        "dev_share_percent": DEV_SHARE_PERCENT,
    }


def load_reused(folder: Path) -> dict[str, dict]:
    """The rows of an earlier run, after checking it used the same Tesseract (its readings are reused)."""
    earlier = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["provenance"]["tesseract"]
    now = provenance()["tesseract"]
    if earlier != now:
        sys.exit(f"--reuse {folder}: it ran {earlier!r}, this machine has {now!r}; run every engine again")
    rows = [json.loads(line) for line in (folder / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    return {row["name"]: row for row in rows}


def write_outputs(out: Path, rows: list[dict], args: argparse.Namespace, seconds: float) -> str:
    rows = sorted(rows, key=lambda r: r["name"])
    all_engines = ["tesseract_psm3", f"tesseract_psm{OCRFIX_PSM}", "tesseract_psm7", "ocrfix", "ocrmypdf"]
    all_engines = list(dict.fromkeys(e for e in all_engines if any(e in r["cer"] for r in rows)))
    plain = [e for e in all_engines if e.startswith("tesseract_psm")]
    records = report.summarise(rows, all_engines, plain)
    times = report.time_ratios(rows)
    table = report.markdown(records, all_engines) + "\n" + report.time_markdown(times)
    flags = report.doubt_markdown(records)
    table += ("\n" + flags) if flags else ""
    with (out / "items.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "source", "profile", "part", "kind", "language", "quality", "status"]
                        + [f"cer_{e}" for e in all_engines] + [f"seconds_{e}" for e in all_engines] + ["errors"])
        for r in rows:
            writer.writerow([r["name"], r["source"], r["profile"], r["part"], r["kind"], r["language"], r["quality"],
                             r.get("ocrfix_status") or ""]
                            + [_fmt(r["cer"].get(e)) for e in all_engines]
                            + [r["seconds"].get(e, "") for e in all_engines]
                            + ["; ".join(f"{k}: {v}" for k, v in r["errors"].items())])  # fmt: skip
    summary = {
        "command": " ".join(sys.argv),
        "reused_readings_from": str(args.reuse) if args.reuse else None,
        "part": args.part,
        "wall_seconds": round(seconds, 1),
        "provenance": provenance(),
        "plain_tesseract": plain,
        "worse_margin": report.WORSE_MARGIN,
        "summary": records,
        "time_ratios": times,
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "summary.md").write_text(table, encoding="utf-8")
    return table


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.5f}"


def parse_limit(text: str) -> dict[str, int]:
    """'20' -> every source 20; 'augraphy=20,ehri=10' -> per source (others unlimited)."""
    if "=" not in text:
        return {"*": int(text)}
    pairs = (part.split("=", 1) for part in text.split(",") if part.strip())
    return {name.strip(): int(value) for name, value in pairs}


def parse_resolutions(text: str) -> tuple[int, ...]:
    """'150,600' -> (150, 600): the dpi the vyl line images are also resampled to."""
    return tuple(int(v) for v in text.split(",") if v.strip())


def add_item_arguments(parser: argparse.ArgumentParser, *, part: str | None = None, sources: str = ",".join(SOURCES)) -> None:
    """The arguments that choose the items, which :func:`build_items` reads (also scripts/probe_reading_choice.py's):
    ``part`` is --part's default (None: it must be given), ``sources`` --sources'; check them with :func:`checked_sources`."""
    parser.add_argument("--part", choices=("dev", "test"), default=part, required=part is None,
                        help="tune on dev, report test" + (f" (default {part})" if part else ""))  # fmt: skip
    parser.add_argument("--sources", default=sources, help=f"comma-separated: augraphy, ehri, vyl (default {sources})")
    parser.add_argument("--ehri", type=Path, help="FloChiff/ehri-dataset: checkout, its data/ or a bare mirror")
    parser.add_argument("--vyl", type=Path, help="nikopartanen/vyl-tujod-ocr: checkout or a bare mirror")
    parser.add_argument("--cache", type=Path, default=REPO / "out" / "bench-recognition" / "cache",
                        help="where generated and extracted images are kept (made once)")  # fmt: skip
    parser.add_argument("--limit", type=parse_limit, default={},
                        help="N: at most N items per source (vyl-pages and vyl-lines apart), in turn from each"
                        " profile; or per source: augraphy=20,ehri=10,vyl-pages=5,vyl-lines=60")  # fmt: skip
    parser.add_argument("--vyl-resolutions", type=parse_resolutions,
                        default=(), help="also the vyl line images resampled to these dpi (e.g. 150,600; source"
                        " vyl-lines-rescaled, one profile per resolution)")  # fmt: skip
    parser.add_argument("--augraphy-profiles", type=parse_names, default=None,
                        help="only these augraphy damage profiles (e.g. photocopy2,clean)")  # fmt: skip
    parser.add_argument("--augraphy-reseeds", type=int, default=0,
                        help="dev only: each damaged augraphy page also drawn with this many other seeds (items NAME~sK)")
    parser.add_argument("--vyl-lines", type=int, default=VYL_LINES,
                        help=f"dev only: the vyl line images sampled before the split (default {VYL_LINES};"
                        " a larger sample holds the default one)")  # fmt: skip


def parse_names(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def checked_sources(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--sources as a list, an unknown source refused by ``parser`` (which exits with its usage); the
    options that draw more items refused for the test part (a fixed set since the split was written)."""
    args.sources = list(parse_names(args.sources))
    unknown = set(args.sources) - set(SOURCES)
    if unknown:
        parser.error(f"unknown source(s): {', '.join(sorted(unknown))}")
    if args.part == "test" and (args.augraphy_reseeds or args.vyl_lines != VYL_LINES):
        parser.error("--augraphy-reseeds and --vyl-lines draw more development items; the test part is fixed")
    unknown = set(args.augraphy_profiles or ()) - set(damage.PROFILES)
    if unknown:
        parser.error(f"unknown augraphy profile(s): {', '.join(sorted(unknown))}")


def dev_probe_args(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> argparse.Namespace:
    """A probe's arguments (``argv``, or the command line's), parsed and checked as :func:`checked_sources`
    checks them; a probe studies the development part only, so another part is refused."""
    args = parser.parse_args(argv)
    checked_sources(parser, args)
    if args.part != "dev":
        parser.error("this probe studies the development part only")
    return args


def item_config(item: Item) -> Config:
    """ocrfix's default settings, reading ``item``'s language with Tesseract."""
    config = Config()
    return replace(config, ocr=replace(config.ocr, languages=item.language))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_item_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="results folder (default out/bench-recognition/PART)")
    parser.add_argument("--jobs", type=int, default=1, help="items read at once (each engine uses one thread)")
    parser.add_argument("--no-ocrmypdf", action="store_true", help="skip OCRmyPDF (the slowest column)")
    parser.add_argument("--resume", action="store_true", help="keep the items already in OUT/items.jsonl")
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        help="an earlier run's folder: take its plain Tesseract and OCRmyPDF readings (same Tesseract), run only ocrfix",
    )
    parser.add_argument("--keep-pages", action="store_true", help="keep ocrfix's page JSON of each item in OUT/pages/")
    args = parser.parse_args(argv)
    checked_sources(parser, args)
    args.out = args.out or REPO / "out" / "bench-recognition" / args.part
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with_ocrmypdf = not args.no_ocrmypdf
    if with_ocrmypdf and subprocess.run([sys.executable, "-m", "ocrmypdf", "--version"], capture_output=True, check=False).returncode:
        print("ocrmypdf is not installed (pip install -e '.[bench]'): OCRmyPDF column skipped", file=sys.stderr)
        with_ocrmypdf = False
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    items = build_items(args)
    journal = args.out / "items.jsonl"
    done: dict[str, dict] = {}
    if args.resume and journal.is_file():
        for line in journal.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["name"]] = row
    elif journal.exists():
        journal.unlink()
    reused = load_reused(args.reuse) if args.reuse else {}
    keep_pages = args.out / "pages" if args.keep_pages else None
    if keep_pages is not None:
        keep_pages.mkdir(exist_ok=True)
    todo = [i for i in items if i.name not in done]
    print(f"{len(items)} {args.part} items ({len(done)} already done), {args.jobs} at once", file=sys.stderr)
    rows = [done[i.name] for i in items if i.name in done]
    with journal.open("a", encoding="utf-8") as handle, ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_item, item, with_ocrmypdf, reused.get(item.name), keep_pages) for item in todo]
        for count, future in enumerate(futures, 1):
            row = future.result()
            rows.append(row)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            cers = " ".join(f"{e}={100 * c:.1f}%" for e, c in row["cer"].items())
            print(f"[{count}/{len(todo)}] {row['name']}: {cers}", file=sys.stderr)
    table = write_outputs(args.out, rows, args, time.perf_counter() - start)
    print(table)
    print(f"per item: {args.out / 'items.csv'}; summary: {args.out / 'summary.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
