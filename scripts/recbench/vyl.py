"""Real Cyrillic print: Выль туйӧд (1939) newspaper lines (nikopartanen/vyl-tujod-ocr, public domain).

Only the 1939_09 set, in the Cyrillic Komi orthography (the other sets are in
Molodcov and Latin scripts). Lines are used alone, and stacked into pages:
consecutive lines of one newspaper page (a run of line numbers without a gap
of more than one) make one article-like column; each run is cut into pages of
at most ``LINES_PER_PAGE`` lines. Komi letters are folded (komi_fold.tsv)
in the ground truth and in every OCR output before scoring with ``rus``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from recbench import mirror

SET = "data/1939_09"
LINES_PER_PAGE = 24
MIN_LINES_PER_PAGE = 8
SCAN_DPI = 400  # the line images' resolution
MARGIN_PX = 160  # (at 400 dpi)
LINE_GAP_PX = 6
_LINE_NAME = re.compile(r"_(?P<page>\d{4})-(?P<seq>\d{4})-line_(?P<block>\d+)_(?P<number>\d+)$")


@dataclass(frozen=True)
class ScannedLine:
    stem: str
    image: Path
    truth: str
    page: str  # the newspaper page
    number: int  # the line's number on that page


def load_fold(path: Path) -> dict[str, str]:
    table = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            letter, replacement, *_ = row.split("\t")
            table[letter] = replacement
    return table


def fold(text: str, table: dict[str, str]) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(table.get(c, c) for c in text)


def line_folder(path: Path, cache: Path) -> Path:
    """The 1939_09 folder: under ``path``, or extracted from a bare git mirror into ``cache``."""
    path = Path(path)
    if mirror.is_bare_repository(path):
        return mirror.extract(path, [SET], cache / "vyl-extracted") / SET
    return path / SET if (path / SET).is_dir() else path


def scanned_lines(folder: Path) -> list[ScannedLine]:
    lines = []
    for truth in sorted(folder.rglob("*.gt.txt")):
        stem = truth.name[: -len(".gt.txt")]
        image = truth.with_name(stem + ".tif")
        match = _LINE_NAME.search(stem)
        if not image.is_file() or not match:
            continue
        text = unicodedata.normalize("NFC", truth.read_text(encoding="utf-8")).strip()
        if text:
            lines.append(ScannedLine(stem, image, text, match["page"], int(match["number"])))
    return lines


def runs(lines: list[ScannedLine]) -> list[list[ScannedLine]]:
    """Consecutive lines of one newspaper page, cut into page-sized runs."""
    by_page: dict[str, list[ScannedLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    found: list[list[ScannedLine]] = []
    for page in sorted(by_page):
        current: list[ScannedLine] = []
        for line in sorted(by_page[page], key=lambda ln: ln.number):
            if current and (line.number - current[-1].number > 2 or len(current) >= LINES_PER_PAGE):
                found.append(current)
                current = []
            current.append(line)
        if current:
            found.append(current)
    return found


def run_name(run: list[ScannedLine]) -> str:
    first = run[0]
    return f"p{first.page}-l{first.number:03d}-{run[-1].number:03d}"


def assemble(run: list[ScannedLine]) -> Image.Image:
    """The lines stacked on paper of their own tone, left-aligned, with margins, at 400 dpi."""
    images = [np.asarray(Image.open(line.image).convert("L")) for line in run]
    paper = int(np.median(np.concatenate([np.concatenate([im[0], im[-1], im[:, 0], im[:, -1]]) for im in images])))
    width = max(im.shape[1] for im in images) + 2 * MARGIN_PX
    height = sum(im.shape[0] for im in images) + LINE_GAP_PX * (len(images) - 1) + 2 * MARGIN_PX
    page = np.full((height, width), paper, np.uint8)
    y = MARGIN_PX
    for im in images:
        page[y : y + im.shape[0], MARGIN_PX : MARGIN_PX + im.shape[1]] = im
        y += im.shape[0] + LINE_GAP_PX
    return Image.fromarray(page)


def resampled(image: Path, dpi: int) -> Image.Image:
    """A line image as if scanned at ``dpi`` instead of SCAN_DPI (Lanczos resampling)."""
    with Image.open(image) as scan:
        size = (max(1, round(scan.width * dpi / SCAN_DPI)), max(1, round(scan.height * dpi / SCAN_DPI)))
        return scan.convert("L").resize(size, Image.Resampling.LANCZOS)
