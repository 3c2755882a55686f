"""Do the exports lie on the scan? Word boxes of ALTO and of the searchable PDF against the original images.

    .venv/bin/python scripts/bench_exports.py [INPUT...] [--work DIR]

Runs ``ocrfix run INPUT -o WORK/out`` (default input: ``scans/sample``) and
``ocrfix regenerate WORK/out -o WORK/clean --pdf --policy all``, then, word by
word:

1. **ALTO boxes on the scan**: the original image cut at the word's ALTO box
   (original frame) is compared with ``page.png`` cut at the word's box in
   ``page.json`` (the word Tesseract read): Pearson correlation of the two
   crops, both resized to 96x24. For contrast, the same for the page.png box
   laid on the original unmapped (what the exports carried before they were
   mapped back). Reported: median correlation and the share of words above 0.5.
2. **PDF text layer**: ``pdftotext -bbox`` of each document's PDF; per ALTO
   word, the nearest word of the same text on the same page: how many are
   found, and the larger of the distances of their left and right edges
   (pixels of the original, at the page's dpi): median and 95th percentile.

Nothing is tuned on these figures; they measure the coordinate bookkeeping.
Needs ``pdftotext`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
from lxml import etree
from PIL import Image, ImageOps

REPO = Path(__file__).resolve().parents[1]
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CROP = (96, 24)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=[str(REPO / "scans" / "sample")])
    parser.add_argument("--work", type=Path, default=None, help="keep the batch and its exports here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-exports-"))
    out, clean = work / "out", work / "clean"
    for command in (["run", *args.inputs, "-o", str(out)], ["regenerate", str(out), "-o", str(clean), "--pdf", "--policy", "all"]):
        done = subprocess.run([sys.executable, "-m", "ocrfix", *command], capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
    index = json.loads((clean / "documents" / "documents.json").read_text(encoding="utf-8"))
    mapped, unmapped, found, total, distances = [], [], 0, 0, []
    for document in index["documents"]:
        pdf = clean / "documents" / f"{document['name']}.pdf"
        for number, page in enumerate(document["pages"], start=1):
            page_json = json.loads((out / page["page_id"] / "page.json").read_text(encoding="utf-8"))
            origin = page_json.get("origin") or {}
            dpi = origin.get("dpi") or 300.0
            boxes = [w["bbox"] for b in page_json["blocks"] for line in b["lines"] for w in line["words"]]
            words = _alto_words(clean / f"{page['page_id']}.alto.xml")
            if len(words) != len(boxes):
                raise SystemExit(f"{page['page_id']}: {len(words)} ALTO words, {len(boxes)} in page.json")
            original = _original(Path(page["image"]), page["page_number"], dpi)
            processed = cv2.imread(str(out / page["page_id"] / "page.png"), cv2.IMREAD_GRAYSCALE)
            for box, (_, *alto_box) in zip(boxes, words):
                reference = _crop(processed, box)
                if box is None or reference is None:
                    continue
                mapped.append(_correlation(reference, _crop(original, alto_box)))
                unmapped.append(_correlation(reference, _crop(original, box)))
            pdf_words = _pdf_words(pdf, number, dpi)
            for text, left, _, right, _ in words:
                total += 1
                same = [w for w in pdf_words if w[0] == text]
                if same:
                    nearest = min(same, key=lambda w: abs(w[1] - left) + abs(w[3] - right))
                    found += 1
                    distances.append(max(abs(nearest[1] - left), abs(nearest[3] - right)))
    mapped_a, unmapped_a = np.array(mapped), np.array(unmapped)
    print(f"{len(mapped_a)} words on {sum(len(d['pages']) for d in index['documents'])} pages")
    print(f"ALTO box on the scan vs the word read: median correlation {np.median(mapped_a):.3f}, "
          f"{(mapped_a > 0.5).mean():.1%} above 0.5")
    print(f"page.png box laid on the scan unmapped: median correlation {np.median(unmapped_a):.3f}, "
          f"{(unmapped_a > 0.5).mean():.1%} above 0.5")
    print(f"PDF text layer: {found}/{total} words found by pdftotext; edge distance to the ALTO box "
          f"median {np.median(distances):.1f} px, 95th percentile {np.percentile(distances, 95):.1f} px")
    print(f"(batch and exports in {work})")
    return 0


def _alto_words(path: Path) -> list[tuple[str, int, int, int, int]]:
    words = []
    for string in etree.parse(str(path)).iter(f"{ALTO}String"):
        left, top, width, height = (int(string.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        words.append((string.get("CONTENT"), left, top, left + width, top + height))
    return words


def _original(path: Path, page_number: int, dpi: float) -> np.ndarray:
    if path.suffix.lower() == ".pdf":
        from ocrfix.config import PreprocessConfig
        from ocrfix.preprocess import load_page

        return load_page(path, page_number - 1, config=PreprocessConfig(pdf_dpi=dpi)).pixels
    with Image.open(path) as image:
        image.seek(page_number - 1)
        return np.asarray(ImageOps.exif_transpose(image).convert("L"))


def _crop(image: np.ndarray, box) -> np.ndarray | None:
    left, top, right, bottom = (int(v) for v in box)
    region = image[max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)]
    if region.size == 0:
        return None
    resized = cv2.resize(region, CROP, interpolation=cv2.INTER_AREA).astype(np.float64)
    return (resized - resized.mean()) / (resized.std() + 1e-6)


def _correlation(a: np.ndarray, b: np.ndarray | None) -> float:
    return 0.0 if b is None else float((a * b).mean())


def _pdf_words(pdf: Path, number: int, dpi: float) -> list[tuple[str, float, float, float, float]]:
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    scale = dpi / 72.0
    return [(w.text, *(float(w.get(k)) * scale for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in etree.fromstring(xml.encode()).iter(f"{XHTML}word")]


if __name__ == "__main__":
    sys.exit(main())
