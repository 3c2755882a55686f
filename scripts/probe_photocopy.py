"""Which of OCRmyPDF's preparations reads augraphy's photocopies better? One step at a time, development part.

OCRmyPDF (``--deskew --clean --tesseract-thresholding sauvola``) read the two
test-part photocopies (``photocopy2``) at ~4% CER where plain Tesseract read
~40%. This probe takes the development part's photocopies from the recognition
benchmark's cache and reads each with plain Tesseract (``--psm 3``) after one
preparation at a time: none, Tesseract's Sauvola thresholding
(``-c thresholding_method=2``, what ``--tesseract-thresholding sauvola``
passes), unpaper with OCRmyPDF's ``--clean`` arguments (its noise, blur and
mask filters), both, OCRmyPDF itself, and a 3x3 / 5x5 median filter (salt and
pepper removal) for comparison. CER as the benchmark scores it.

    .venv/bin/python scripts/probe_photocopy.py --cache out/bench-recognition/cache [--ocrmypdf]

Needs the items made once by ``scripts/bench_recognition.py`` into the cache,
``unpaper`` (Debian) and, for ``--ocrmypdf``, OCRmyPDF (``.[bench]``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recbench import report  # noqa: E402
from recbench.sources import AUGRAPHY_GENERATION, augraphy_items  # noqa: E402

# OCRmyPDF's arguments for unpaper under --clean (ocrmypdf/_exec/unpaper.py, 17.x)
UNPAPER_CLEAN = (
    "--layout", "none", "--mask-scan-size", "100", "--no-border-align", "--no-mask-center",
    "--no-grayfilter", "--no-blackfilter", "--no-deskew",
)  # fmt: skip
SAUVOLA = ("-c", "thresholding_method=2")
PROFILE = "photocopy2"


def tesseract(image: Path, extra: tuple[str, ...] = ()) -> str:
    command = ["tesseract", str(image), "stdout", "-l", "rus", "--psm", "3", "--dpi", "300", *extra]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def unpaper(grey: np.ndarray, work: Path) -> Path:
    source, cleaned, out = work / "in.pgm", work / "out.pgm", work / "unpaper.png"
    cv2.imwrite(str(source), grey)
    subprocess.run(["unpaper", "--dpi", "300", *UNPAPER_CLEAN, str(source), str(cleaned)], capture_output=True, check=True)
    cv2.imwrite(str(out), cv2.imread(str(cleaned), cv2.IMREAD_GRAYSCALE))
    return out


def ocrmypdf(image: Path, work: Path) -> str:
    sidecar = work / "ocrmypdf.txt"
    command = [
        sys.executable, "-m", "ocrmypdf", "-q", "-l", "rus", "--deskew", "--clean", "--tesseract-thresholding", "sauvola",
        "--output-type", "pdf", "--jobs", "1", "--image-dpi", "300", "--sidecar", str(sidecar), str(image), str(work / "o.pdf"),
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, check=True)
    return sidecar.read_text(encoding="utf-8").replace("\f", "\n")


def readings(image: Path, work: Path, with_ocrmypdf: bool) -> dict[str, str]:
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    cleaned = unpaper(grey, work)
    texts = {
        "plain": tesseract(image),
        "sauvola": tesseract(image, SAUVOLA),
        "unpaper": tesseract(cleaned),
        "unpaper+sauvola": tesseract(cleaned, SAUVOLA),
    }
    for size in (3, 5):
        path = work / f"median{size}.png"
        cv2.imwrite(str(path), cv2.medianBlur(grey, size))
        texts[f"median {size}"] = tesseract(path)
    if with_ocrmypdf:
        texts["OCRmyPDF"] = ocrmypdf(image, work)
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="the recognition benchmark's --cache")
    parser.add_argument("--ocrmypdf", action="store_true", help="also OCRmyPDF's whole command")
    args = parser.parse_args(argv)
    if not (args.cache / f"augraphy-{AUGRAPHY_GENERATION}").is_dir():
        parser.error(f"no augraphy items under {args.cache}: run scripts/bench_recognition.py --cache {args.cache} first")
    items = [i for i in augraphy_items(args.cache, part="dev") if i.profile == PROFILE]
    rows = []
    for item in items:
        with tempfile.TemporaryDirectory() as tmp:
            texts = readings(item.image, Path(tmp), args.ocrmypdf)
        rows.append((item.name, {name: report.cer(item.truth, text)[0] for name, text in texts.items()}))
        print(item.name, " ".join(f"{k}={100 * v:.1f}%" for k, v in rows[-1][1].items()), file=sys.stderr, flush=True)
    columns = list(rows[0][1]) if rows else []
    print("| item | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, cers in rows:
        print(f"| {name} | " + " | ".join(f"{100 * cers[c]:.1f}" for c in columns) + " |")
    if rows:
        means = [sum(cers[c] for _, cers in rows) / len(rows) for c in columns]
        print("| **mean** | " + " | ".join(f"{100 * m:.1f}" for m in means) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
