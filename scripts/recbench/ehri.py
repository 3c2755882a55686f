"""Real typescripts: the EHRI dataset (FloChiff/ehri-dataset, CC-BY 4.0), pages with ALTO ground truth.

The ground truth is the ALTO's String CONTENT, the strings of a line joined by
spaces and the lines (in file order) by line breaks. Handwritten additions
were not transcribed by the dataset's authors, so no engine can reach 0%.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from recbench import mirror

# the dataset's folders -> Tesseract language (Debian tesseract-ocr-<code>)
LANGUAGES = {"czech": "ces", "danish": "dan", "english": "eng", "german": "deu", "slovak": "slk"}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def alto_text(xml: bytes | str) -> str:
    """The text of an ALTO document: one line per TextLine, its Strings joined by a space, NFC."""
    root = ET.fromstring(xml)
    lines = []
    for element in root.iter():
        if _local(element.tag) != "TextLine":
            continue
        strings = [s.get("CONTENT", "") for s in element if _local(s.tag) == "String"]
        line = " ".join(s.strip() for s in strings if s.strip())
        if line:
            lines.append(line)
    return unicodedata.normalize("NFC", "\n".join(lines) + ("\n" if lines else ""))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def document_of(stem: str) -> str:
    """Pages of one document share a group: 'EHRI-BF-19380311b_CZ_03' -> 'EHRI-BF-19380311b_CZ'."""
    head, _, tail = stem.rpartition("_")
    return head if tail.isdigit() and head else stem


def data_folder(path: Path, cache: Path) -> Path:
    """The dataset's data/ folder: ``path`` itself, its data/, or extracted from a bare git mirror into ``cache``."""
    path = Path(path)
    if mirror.is_bare_repository(path):
        return mirror.extract(path, [f"data/{name}" for name in LANGUAGES], cache / "ehri-extracted") / "data"
    if (path / "data").is_dir():
        return path / "data"
    return path


def pages(data: Path) -> list[tuple[str, str, Path, Path]]:
    """(language folder, stem, image, alto) for every page with both files."""
    found = []
    for folder, _ in sorted(LANGUAGES.items()):
        for xml in sorted((data / folder).glob("*.xml")):
            images = [xml.with_suffix(s) for s in IMAGE_SUFFIXES if xml.with_suffix(s).is_file()]
            if images:
                found.append((folder, xml.stem, images[0], xml))
    return found
