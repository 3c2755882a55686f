"""Benchmark the Tesseract stage: CER per page segmentation mode, and throughput.

    .venv/bin/python scripts/bench_ocr.py [--rounds 2] [--json bench_ocr.json]

Pages, two sets made from the sample documents in ``scans/sample``:

- ``scan``: the damaged sample scans, cleaned by ``ocrfix.preprocess`` (as the
  pipeline does), against their ``.gt.txt``;
- ``clean``: the same texts typed again by ``scripts/typewriter.py`` with the
  manifest's seed, font and layout but no scanner damage, so OCR quality can
  be told apart from preprocessing quality.

Reports:

1. CER (dinglehopper's definition, ``ocrfix.align.error_rates``; also the
   layout-insensitive one) of Tesseract page segmentation modes 3, 4 and 6;
2. pages per minute with 1 and 2 worker processes (``ProcessPoolExecutor``
   over pages, one Tesseract thread each), in interleaved rounds; the target is
   2 workers >= 1.7x one worker;
3. for context, one page with Tesseract's default OpenMP threading against
   ``OMP_THREAD_LIMIT=1``, and the cost of the per-character alternatives.

Timings are noisy on a shared machine: each comparison is measured in the
same run, in alternating order, and reported as ratios with every round shown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from cpu_clock import children_cpu_seconds  # noqa: E402

from ocrfix.align import error_rates  # noqa: E402
from ocrfix.config import Config, OcrConfig  # noqa: E402
from ocrfix.ocr import recognize, to_text  # noqa: E402


@dataclass(frozen=True)
class BenchPage:
    name: str
    image: np.ndarray
    truth: str


def load_scans(sample_dir: Path, config: Config) -> list[BenchPage]:
    from ocrfix import preprocess

    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for entry in manifest["pages"]:
        loaded = preprocess.load_page(sample_dir / entry["image"], 0, config=config.preprocess)
        prepared = preprocess.preprocess(loaded, config.preprocess)
        truth = (sample_dir / entry["ground_truth"]).read_text(encoding="utf-8")
        pages.append(BenchPage(f"scan/{entry['stem']}", prepared.image, truth))
    return pages


def render_clean(sample_dir: Path, texts_dir: Path) -> list[BenchPage]:
    import typewriter

    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for entry in manifest["pages"]:
        text = (texts_dir / f"{entry['stem']}.txt").read_text(encoding="utf-8")
        layout = typewriter.PageLayout(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in entry["layout"].items()}
        )
        rendered = typewriter.render_page(
            text, entry["seed"], damage="none", style=typewriter.TypingStyle(font=entry["font"]), layout=layout
        )
        pages.append(BenchPage(f"clean/{entry['stem']}", rendered.clean, rendered.text))
    return pages


def ocr_page(image: np.ndarray, config: OcrConfig) -> tuple[str, float]:
    """The worker: OCR one page, return its text and the seconds it took."""
    started = time.perf_counter()
    text = to_text(recognize(image, config))
    return text, time.perf_counter() - started


def _ocr_job(job: tuple[np.ndarray, OcrConfig]) -> tuple[str, float]:
    return ocr_page(*job)


def quality(pages: list[BenchPage], variants: dict[str, OcrConfig]) -> dict:
    """CER of every page under every OCR variant (OCR spread over 2 workers)."""
    results: dict = {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for label, config in variants.items():
            texts = list(pool.map(_ocr_job, [(p.image, config) for p in pages]))
            rows = {}
            edits = length = li_edits = li_length = 0
            for page, (text, seconds) in zip(pages, texts):
                strict = error_rates(page.truth, text)
                loose = error_rates(page.truth, text, layout_insensitive=True)
                rows[page.name] = {"cer": strict.cer, "cer_layout_insensitive": loose.cer, "seconds": seconds}
                edits, length = edits + strict.char_edits, length + strict.char_ref_len
                li_edits, li_length = li_edits + loose.char_edits, li_length + loose.char_ref_len
            results[label] = {"pages": rows, "cer": edits / length, "cer_layout_insensitive": li_edits / li_length}
    return results


def throughput(pages: list[BenchPage], config: OcrConfig, rounds: int, copies: int) -> dict:
    """Pages per minute with 1 and 2 worker processes, alternating the order each round."""
    jobs = [(p.image, config) for p in pages] * copies
    per_workers: dict[int, list[float]] = {1: [], 2: []}
    cores_used: dict[int, list[float]] = {1: [], 2: []}
    cpu_per_page: dict[int, list[float]] = {1: [], 2: []}
    ratios = []
    for round_number in range(rounds):
        order = (1, 2) if round_number % 2 == 0 else (2, 1)
        measured = {}
        cores = {}
        for workers in order:
            started, cpu_before = time.perf_counter(), children_cpu_seconds()
            with ProcessPoolExecutor(max_workers=workers) as pool:
                list(pool.map(_ocr_job, jobs))
            elapsed = time.perf_counter() - started
            cpu = children_cpu_seconds() - cpu_before
            cores[workers] = cpu / elapsed  # how much CPU the OCR actually got on the shared machine
            cpu_per_page[workers].append(cpu / len(jobs))
            measured[workers] = len(jobs) / elapsed * 60
            per_workers[workers].append(measured[workers])
            cores_used[workers].append(cores[workers])
        ratios.append(measured[2] / measured[1])
        print(
            f"  round {round_number + 1}: 1 worker {measured[1]:.1f} pages/min ({cores[1]:.2f} cores busy),"
            f" 2 workers {measured[2]:.1f} pages/min ({cores[2]:.2f} cores busy), ratio {ratios[-1]:.2f};"
            f" load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return {
        "jobs_per_round": len(jobs),
        "pages_per_minute": {str(k): v for k, v in per_workers.items()},
        "cores_busy": {str(k): v for k, v in cores_used.items()},
        "cpu_seconds_per_page": {str(k): v for k, v in cpu_per_page.items()},
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
    }


def single_page_timings(page: BenchPage, base: OcrConfig, repeats: int) -> dict:
    """One page: Tesseract's OpenMP default vs one thread; alternatives on vs off."""
    variants = {
        "omp_default": replace(base, omp_thread_limit=0),
        "omp_1_thread": replace(base, omp_thread_limit=1),
        "no_char_alternatives": replace(base, omp_thread_limit=1, char_alternatives=False),
    }
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    for repeat in range(repeats):
        names = list(variants) if repeat % 2 == 0 else list(reversed(variants))
        for name in names:
            started = time.perf_counter()
            recognize(page.image, variants[name])
            seconds[name].append(time.perf_counter() - started)
    return {name: {"runs": runs, "median": statistics.median(runs)} for name, runs in seconds.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample-dir", type=Path, default=REPO / "scans" / "sample")
    parser.add_argument("--texts-dir", type=Path, default=REPO / "scans" / "texts")
    parser.add_argument("--psm", type=int, nargs="+", default=[3, 4, 6], help="segmentation modes to compare")
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds (each runs 1 and 2 workers)")
    parser.add_argument("--copies", type=int, default=2, help="each round OCRs every scan this many times")
    parser.add_argument("--parts", default="quality,speed", help="comma-separated: quality, speed")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    config = Config()
    base = config.ocr
    started = time.perf_counter()
    scans = load_scans(args.sample_dir, config)
    clean = render_clean(args.sample_dir, args.texts_dir)
    print(f"prepared {len(scans)} scans and {len(clean)} clean renders in {time.perf_counter() - started:.1f} s")

    report: dict = {"default": {"psm": base.psm, "blocks": base.blocks}, "load_average_at_start": os.getloadavg()}
    variants = {f"psm {m} {b}": replace(base, psm=m, blocks=b) for m in args.psm for b in ("gaps", "tesseract")}
    parts = set(args.parts.split(","))
    for label, pages in (("scan", scans), ("clean", clean)) if "quality" in parts else ():
        print(f"\nCER on {label} pages (dinglehopper's CER; blocks split at line gaps or at Tesseract's paragraphs):")
        results = quality(pages, variants)
        report[f"quality_{label}"] = results
        print("  " + "page".ljust(14) + "".join(name.rjust(17) for name in variants))
        for page in pages:
            print("  " + page.name.ljust(14) + "".join(f"{results[v]['pages'][page.name]['cer']:.4f}".rjust(17) for v in variants))
        print("  " + "all".ljust(14) + "".join(f"{results[v]['cer']:.4f}".rjust(17) for v in variants))
        print(
            "  " + "all, layout-".ljust(14) + "".join(f"{results[v]['cer_layout_insensitive']:.4f}".rjust(17) for v in variants)
        )
        print("  " + "  insensitive")

    if "speed" in parts:
        print(f"\nThroughput on the {len(scans)} scans x {args.copies} (psm {base.psm}, OMP_THREAD_LIMIT=1 per Tesseract):")
        report["throughput"] = throughput(scans, base, args.rounds, args.copies)
        tp = report["throughput"]
        print(
            f"  median ratio 2 workers / 1 worker: {tp['median_ratio']:.2f} (target >= 1.70);"
            f" rounds {', '.join(f'{r:.2f}' for r in tp['ratios'])}"
        )
        cpu1, cpu2 = (statistics.median(tp["cpu_seconds_per_page"][k]) for k in ("1", "2"))
        print(
            f"  CPU seconds per page: 1 worker {cpu1:.2f}, 2 workers {cpu2:.2f}: with two idle cores, 2 workers"
            f" would run {2 * cpu1 / cpu2:.2f}x one worker's throughput"
        )

        print(f"\nOne page ({scans[0].name}), seconds per run:")
        report["single_page"] = single_page_timings(scans[0], base, repeats=2)
        for name, timing in report["single_page"].items():
            print(f"  {name:22s} median {timing['median']:.2f} s  runs {', '.join(f'{s:.2f}' for s in timing['runs'])}")
        single = report["single_page"]
        print(f"  OpenMP default / one thread: {single['omp_default']['median'] / single['omp_1_thread']['median']:.2f}x the time")
        print(
            f"  character alternatives cost: {single['omp_1_thread']['median'] / single['no_char_alternatives']['median']:.2f}x the time"
        )

    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
