"""How fast the review is on a finished batch: building a page's items, saving a
decision through the application, regenerating the cleaned transcriptions.

    .venv/bin/python scripts/bench_review.py OUTDIR [--repeat 5]

Works on a copy of OUTDIR (its decisions are not touched). Prints one line per
measurement; the machine is shared, so compare runs made together.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

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
