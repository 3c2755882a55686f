"""Benchmark: batch throughput of ``ocrfix run`` against OCRmyPDF, and the cost of a rerun.

Renders the preprocessing benchmark's degraded pages (``bench_preprocess.standard_cases``:
typewritten Russian, three damage levels, several fonts, skews up to +-5 degrees,
dark borders), writes each with its ground truth as ``<stem>.gt.txt``, and in
one run measures:

- ``ocrfix run DIR -o OUT --jobs 1`` and ``--jobs 2`` (the whole chain:
  preprocessing, OCR, correction, reports), wall-clock from the command's start
  to its end, as pages per minute;
- OCRmyPDF on the same pages with 2 parallel jobs, each page run as a user would
  (``ocrmypdf -l rus --deskew --tesseract-thresholding sauvola --force-ocr
  --jobs 1 --sidecar``; the page made into a PDF by img2pdf at 300 dpi beforehand,
  not timed);
- a rerun of the finished ``--jobs 2`` batch (every page skipped).

Targets (issue 7): ocrfix with 2 jobs takes at most 2/3 of OCRmyPDF's time;
the rerun takes under 5% of the first run's time. The machine may be shared:
compare the ratios, which are measured in the same run, not absolute speeds.

Run: ``.venv/bin/python scripts/bench_batch.py [--pages 12] [--json out.json]``.
Needs tesseract with ``rus``; the OCRmyPDF part needs ``pip install -e .[bench]``
and Debian's ``ghostscript`` (skipped with a note when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

import bench_preprocess  # noqa: E402  (the same degraded pages as the preprocessing benchmark)
import typewriter  # noqa: E402
from cpu_clock import children_cpu_seconds  # noqa: E402

OCRMYPDF_TIMEOUT = 900
OCRFIX_TIMEOUT = 7200


@dataclass
class Measure:
    label: str
    pages: int
    seconds: float
    failed: int = 0
    mean_cer: float | None = None  # vs the ground truth
    cpu_seconds: float | None = None  # user + system time of the command and its children
    note: str = ""

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds if self.seconds else float("nan")


def render_pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    images = []
    for case in bench_preprocess.standard_cases(count):
        page = bench_preprocess.render(case)
        image = folder / f"{case.name}.png"
        image.write_bytes(typewriter.encode_image(page.damaged))
        (folder / f"{case.name}.gt.txt").write_text(page.text, encoding="utf-8")
        images.append(image)
    return images


def run_ocrfix(label: str, pages: Path, out: Path, jobs: int, count: int) -> Measure:
    command = [sys.executable, "-m", "ocrfix", "run", str(pages), "-o", str(out), "--jobs", str(jobs)]
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=OCRFIX_TIMEOUT)
    seconds = time.perf_counter() - started
    cpu = children_cpu_seconds() - cpu_before
    if done.returncode not in (0, 6):
        raise SystemExit(f"{label}: ocrfix exited {done.returncode}: {done.stderr.strip()[-500:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return Measure(label, count, seconds, summary["failed"], summary["mean_cer_ground_truth"], cpu)


def make_pdfs(images: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for image in images:
        pdf = folder / f"{image.stem}.pdf"
        subprocess.run(
            [sys.executable, "-m", "img2pdf", "--imgsize", "300dpi", "-o", str(pdf), str(image)],
            check=True,
            capture_output=True,
        )
        pdfs.append(pdf)
    return pdfs


def ocrmypdf_page(pdf: Path, folder: Path) -> tuple[str | None, str]:
    sidecar = folder / f"{pdf.stem}.txt"
    command = [
        sys.executable, "-m", "ocrmypdf", "-l", "rus", "--deskew", "--tesseract-thresholding", "sauvola",
        "--force-ocr", "--jobs", "1", "--sidecar", str(sidecar), str(pdf), str(folder / f"{pdf.stem}.ocr.pdf"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=OCRMYPDF_TIMEOUT, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode or not sidecar.exists():
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        return None, f"{pdf.stem}: exit {done.returncode}: {last[:100]}"
    return sidecar.read_text(encoding="utf-8"), ""


def run_ocrmypdf(images: list[Path], work: Path, parallel: int) -> Measure:
    pdfs = make_pdfs(images, work / "pdf")
    out = work / "ocrmypdf"
    out.mkdir()
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        results = list(pool.map(lambda pdf: ocrmypdf_page(pdf, out), pdfs))
    seconds = time.perf_counter() - started
    cpu = children_cpu_seconds() - cpu_before
    cers = [
        bench_preprocess.cer(text or "", ground_truth_of(image).read_text(encoding="utf-8"))
        for (text, _), image in zip(results, images)
    ]
    notes = [note for _, note in results if note]
    return Measure(
        f"OCRmyPDF, {parallel} parallel jobs",
        len(images),
        seconds,
        failed=len(notes),
        mean_cer=sum(cers) / len(cers),
        cpu_seconds=cpu,
        note="; ".join(notes),
    )


def ground_truth_of(image: Path) -> Path:
    return image.with_name(image.stem + ".gt.txt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="degraded pages (spread over three damage levels)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    parser.add_argument("--keep", type=Path, default=None, help="keep pages and outputs in this folder")
    parser.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF comparison")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        work = args.keep or Path(tmp)
        if args.keep:
            shutil.rmtree(work, ignore_errors=True)
        pages = work / "pages"
        images = render_pages(pages, args.pages)
        print(f"{len(images)} degraded pages rendered in {pages}", file=sys.stderr)

        load_before = os.getloadavg()[0]
        measures = [
            run_ocrfix("ocrfix run --jobs 1", pages, work / "out-jobs1", 1, len(images)),
            run_ocrfix("ocrfix run --jobs 2", pages, work / "out-jobs2", 2, len(images)),
        ]
        rerun = run_ocrfix("ocrfix run --jobs 2, rerun (all finished)", pages, work / "out-jobs2", 2, len(images))
        measures.append(rerun)
        ocrmypdf_missing = args.no_ocrmypdf or shutil.which("gs") is None or _missing_module("ocrmypdf", "img2pdf")
        if not ocrmypdf_missing:
            measures.append(run_ocrmypdf([pages / f"{i.stem}.png" for i in images], work, parallel=2))

        print(f"\n## Batch throughput, {len(images)} degraded pages ({os.cpu_count()} cores, shared machine)")
        header = f"{'run':<42} {'seconds':>8} {'CPU s':>7} {'pages/min':>9} {'failed':>6} {'mean CER vs truth':>17}"
        print(header)
        print("-" * len(header))
        for m in measures:
            cer = "-" if m.mean_cer is None else f"{100 * m.mean_cer:.2f}%"
            cpu_text = "-" if m.cpu_seconds is None else f"{m.cpu_seconds:.1f}"
            print(f"{m.label:<42} {m.seconds:8.1f} {cpu_text:>7} {m.pages_per_minute:9.2f} {m.failed:6d} {cer:>17}")
            if m.note:
                print(f"    {m.note}")

        jobs1, jobs2 = measures[0], measures[1]
        figures = {
            "pages": len(images),
            "measures": [asdict(m) | {"pages_per_minute": m.pages_per_minute} for m in measures],
            "speedup_jobs2_vs_jobs1": jobs1.seconds / jobs2.seconds,
            "rerun_share_of_first_run": rerun.seconds / jobs2.seconds,
        }
        print(f"\nspeed-up of --jobs 2 over --jobs 1: {figures['speedup_jobs2_vs_jobs1']:.2f}x"
              f" (load average before the runs: {load_before:.1f} on {os.cpu_count()} cores)")
        share = figures["rerun_share_of_first_run"]
        print(f"rerun of the finished batch: {100 * share:.1f}% of the first run's time (target < 5%): {_verdict(share < 0.05)}")
        if ocrmypdf_missing:
            print("OCRmyPDF comparison skipped (needs ocrmypdf, img2pdf and ghostscript)")
        else:
            ocrmypdf = measures[-1]
            ratio = jobs2.seconds / ocrmypdf.seconds
            figures["ocrfix_jobs2_time_over_ocrmypdf"] = ratio
            print(f"ocrfix --jobs 2 time / OCRmyPDF (2 parallel) time: {ratio:.2f} (target <= 0.67): {_verdict(ratio <= 2 / 3)}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _missing_module(*names: str) -> bool:
    import importlib.util

    return any(importlib.util.find_spec(name) is None for name in names)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
