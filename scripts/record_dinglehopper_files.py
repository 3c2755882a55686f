"""Record what dinglehopper's command line says about pairs of text FILES.

``scripts/record_dinglehopper.py`` records its Python API on strings; this records its
command line on files, which reads them its own way (each line stripped, a file's
final newline no character; see ocrfix/align/text_files.py).
``tests/unit/test_align_text_files.py`` checks that ``ocrfix diff`` prints the same
counts. Run it in the throwaway virtualenv of record_dinglehopper.py:

    /tmp/dinglehopper-venv/bin/python scripts/record_dinglehopper_files.py

It writes ``tests/data/dinglehopper_files.json``: each pair's two files (their bytes,
as text) and dinglehopper's CER, WER and their reference lengths from the JSON report
of ``dinglehopper --plain-encoding utf-8 GT OCR``. It does not import ocrfix.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scans" / "sample"
OUTPUT = ROOT / "tests" / "data" / "dinglehopper_files.json"

HAND_MADE = [
    ("both end in a newline", "Выписки посланы\nт.т. Литвинову\n", "Выписки посланы\nт.т. Литвинобу\n"),
    ("only the reference ends in a newline", "Ворошилову, Ежову\n", "Ворошилову, Ежову"),
    ("only the hypothesis ends in a newline", "Ворошилову, Ежову", "Ворошилову, Ежову\n"),
    ("a blank last line", "полки РККА\n\n", "полки РККА\n"),
    ("spaces at the ends of lines", "  Сосредоточить \nна границе\n", "Сосредоточить\n на границе  \n"),
    ("CRLF line ends", "строка\r\nстрока\r\n", "строка\nстрока\n"),
    ("em dash and en dash", "1938 — 1939 гг.\n", "1938 – 1939 гг.\n"),
    ("a ligature", "ﬁnal\n", "final\n"),
    ("an empty file", "", "текст\n"),
    ("a file of one newline", "\n", ""),
    ("a tab inside a line", "ЦК\tВКП(б)\n", "ЦК ВКП(б)\n"),
]


def file_pairs() -> list[tuple[str, str, str]]:
    result = list(HAND_MADE)
    for number in (1, 2, 4):
        gt = (SAMPLE / f"page{number}.gt.txt").read_text(encoding="utf-8")
        published = (SAMPLE / f"page{number}.published.txt").read_text(encoding="utf-8")
        result.append((f"sample page{number}: published vs ground truth", gt, published))
    return result


def record(name: str, reference: str, hypothesis: str, work: Path) -> dict[str, object]:
    gt, ocr = work / "gt.txt", work / "ocr.txt"
    gt.write_bytes(reference.encode("utf-8"))
    ocr.write_bytes(hypothesis.encode("utf-8"))
    subprocess.run(
        [str(Path(sys.executable).parent / "dinglehopper"), "--plain-encoding", "utf-8", str(gt), str(ocr), "report"],
        cwd=work, check=True, capture_output=True,
    )
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    return {
        "name": name,
        "reference": reference,
        "hypothesis": hypothesis,
        "cer": report["cer"],
        "n_characters": report["n_characters"],
        "wer": report["wer"],
        "n_words": report["n_words"],
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pairs = [record(*pair, Path(tmp)) for pair in file_pairs()]
    data = {
        "produced_by": "scripts/record_dinglehopper_files.py (see its docstring for the exact commands)",
        "versions": {name: version(name) for name in ("dinglehopper", "uniseg", "rapidfuzz", "multimethod")},
        "python": sys.version.split()[0],
        "pairs": pairs,
    }
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pairs)} file pairs written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
