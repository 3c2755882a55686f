"""Two measurements of the review side of ocrfix.

Speed on a finished batch: building a page's items, saving a decision through
the application, regenerating the cleaned transcriptions::

    .venv/bin/python scripts/bench_review.py OUTDIR [--repeat 5]

Works on a copy of OUTDIR (its decisions are not touched). Prints one line per
measurement; the machine is shared, so compare runs made together.

Duplicates are one witness: each sample page's CER against its ground truth
when it is run alone, and in a batch that also holds a copy of it (the same
scan saved as a PDF, as archives send JPEG and PDF copies of one document)::

    .venv/bin/python scripts/bench_review.py --duplicates [SCANS] [--with-published]

SCANS (default scans/sample) holds <page>.jpg|png with <page>.gt.txt. Without
--with-published the published transcriptions are left out, so that the
collection lexicon alone decides (reconciling with a transcription hides it).
The pages are split by a stable hash of their names (3 in 10 to dev); the
near-duplicate threshold was chosen on page1 and its copy only, so page1 is
dev and the pages the hash puts in test are the test. The CER must be the same
alone and with the copy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


TUNED_ON = ("page1",)  # the near-duplicate threshold was chosen on this page and its copy: dev whatever its hash


def split_of(name: str) -> str:
    """dev or test, fixed by a stable hash of the page's name (and the page the threshold was chosen on)."""
    if name in TUNED_ON:
        return "dev"
    return "dev" if int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 10 < 3 else "test"


def run_cer(folder: Path, out: Path, page_id: str) -> float:
    result = subprocess.run(
        [sys.executable, "-m", "ocrfix", "run", str(folder), "-o", str(out), "--jobs", "2"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"ocrfix run {folder} failed: {result.stderr.strip()[-500:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return next(p for p in summary["pages"] if p["page_id"] == page_id)["cer_ground_truth"]


def duplicates(scans: Path, with_published: bool) -> int:
    from PIL import Image

    images = sorted(p for p in scans.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif", ".tiff")
                    and p.with_name(p.stem + ".gt.txt").is_file())
    if not images:
        raise SystemExit(f"no page with a ground truth (<page>.gt.txt) in {scans}")
    print("| page | part | CER alone | CER with its copy in the batch | same |")
    print("|---|---|---:|---:|---|")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for image in images:
            page = image.stem
            alone, pair = Path(scratch, page, "alone"), Path(scratch, page, "pair")
            for folder in (alone, pair):
                folder.mkdir(parents=True)
                shutil.copy(image, folder / image.name)
                shutil.copy(image.with_name(page + ".gt.txt"), folder)
                published = image.with_name(page + ".published.txt")
                if with_published and published.is_file():
                    shutil.copy(published, folder)
            with Image.open(image) as loaded:
                loaded.convert("RGB").save(pair / f"{page}-copy.pdf", resolution=300)
            if with_published and image.with_name(page + ".published.txt").is_file():
                shutil.copy(image.with_name(page + ".published.txt"), pair / f"{page}-copy.published.txt")
            one = run_cer(alone, Path(scratch, page, "out-alone"), page)
            two = run_cer(pair, Path(scratch, page, "out-pair"), page)
            rows.append((page, split_of(page), one, two))
            print(f"| {page} | {split_of(page)} | {one:.2%} | {two:.2%} | {'yes' if one == two else 'NO'} |", flush=True)
    for part in ("dev", "test"):
        chosen = [r for r in rows if r[1] == part]
        if chosen:
            same = sum(1 for r in chosen if r[2] == r[3])
            print(f"{part}: {same}/{len(chosen)} page(s) read the same alone and with their copy")
    return 0 if all(r[2] == r[3] for r in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, nargs="?", help="a finished batch (the speed measurements)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--duplicates", nargs="?", const=Path("scans/sample"), type=Path, metavar="SCANS",
                        help="measure each page's CER alone and beside a copy of itself")
    parser.add_argument("--with-published", action="store_true", help="(--duplicates) keep the published transcriptions")
    args = parser.parse_args()
    if args.duplicates is not None:
        return duplicates(args.duplicates, args.with_published)
    if args.out_dir is None:
        parser.error("give OUTDIR (a finished batch) or --duplicates")

    from ocrfix.regenerate import regenerate
    from ocrfix.review import create_app
    from ocrfix.review.batch import list_pages, load_page_review

    with tempfile.TemporaryDirectory() as scratch:
        batch = Path(scratch) / "batch"
        shutil.copytree(args.out_dir, batch)
        for decisions in batch.glob("*/decisions.json"):
            decisions.unlink()
        pages = list_pages(batch)
        reviews = [load_page_review(p) for p in pages]
        words = sum(len(r.layout.words) for r in reviews)
        items = sum(len(r.items) for r in reviews)
        load = timed(lambda: [load_page_review(p) for p in pages], args.repeat)
        print(f"pages {len(pages)}, words {words}, items {items}")
        print(f"items of every page: {load * 1000:.1f} ms ({load / len(pages) * 1000:.1f} ms a page)")

        client = create_app(batch, token="bench").test_client()
        client.get("/?token=bench")
        page_id = pages[0].page_id
        item_id = reviews[0].items[0].item_id if reviews[0].items else None
        client.get(f"/api/pages/{page_id}")  # warm the cache
        api = timed(lambda: client.get(f"/api/pages/{page_id}"), args.repeat)
        print(f"GET /api/pages/{page_id} (cached): {api * 1000:.1f} ms")
        if item_id:
            body = {"item_id": item_id, "action": "accept"}
            save = timed(
                lambda: client.post(f"/api/pages/{page_id}/decisions", json=body, headers={"X-Ocrfix-Token": "bench"}),
                args.repeat,
            )
            print(f"POST a decision (write decisions.json, reload the page, batch progress): {save * 1000:.1f} ms")
        clean = Path(scratch) / "clean"
        regen = timed(lambda: regenerate(batch, clean, policy="all"), max(1, args.repeat // 2))
        print(f"regenerate (text, ALTO, PAGE, hOCR, provenance): {regen * 1000:.0f} ms ({regen / len(pages) * 1000:.0f} ms a page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
