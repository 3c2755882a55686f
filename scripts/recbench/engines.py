"""The readers compared, each run as its user runs it, on the original image.

- ``tesseract_psmN``: ``tesseract IMAGE stdout -l LANG --psm N`` (one OpenMP thread);
- ``ocrfix``: ``ocrfix [--config C] ocr IMAGE --format json`` through ``ocrfix.cli.main`` in this
  process (the command a user types, without the interpreter's start-up); the text is
  the page's plain text, and a ``quality`` field is picked up when ocrfix writes one,
  with the page's status ("ok", "empty", "doubtful") from its ``recognition`` step;
- ``ocrmypdf``: ``ocrmypdf -l LANG --deskew --clean --tesseract-thresholding sauvola
  --output-type pdf --jobs 1 --sidecar TEXT IMAGE OUT.pdf`` (``--image-dpi`` only
  for images without a resolution); its text is the sidecar.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpu_clock import cpu_seconds

if TYPE_CHECKING:
    from ocrfix.model import Page

TIMEOUT_SECONDS = 600
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Reading:
    text: str
    seconds: float
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    cpu_seconds: float | None = None  # CPU time of the reader (this process and its children): on a shared machine
    # it varies far less with the load than the wall-clock ``seconds``


def tesseract(image: Path, language: str, psm: int) -> Reading:
    command = ["tesseract", str(image), "stdout", "-l", language, "--psm", str(psm)]
    return _run(command, lambda done: done.stdout)


def ocrmypdf(image: Path, language: str, workdir: Path, dpi: int) -> Reading:
    sidecar, pdf = workdir / "ocrmypdf.txt", workdir / "ocrmypdf.pdf"
    command = [
        sys.executable, "-m", "ocrmypdf", "-l", language, "--deskew", "--clean",
        "--tesseract-thresholding", "sauvola", "--output-type", "pdf", "--jobs", "1",
        "--image-dpi", str(dpi), "--sidecar", str(sidecar), str(image), str(pdf),
    ]  # fmt: skip
    return _run(command, lambda done: sidecar.read_text(encoding="utf-8").replace("\f", "\n"))


OCRFIX_JSON = "ocrfix.json"  # ocrfix's page JSON, in the item's work folder


def ocrfix(image: Path, language: str, workdir: Path) -> Reading:
    from ocrfix.cli import main
    from ocrfix.ocr import page_from_json, to_text

    out = workdir / OCRFIX_JSON
    argv = []
    if language != "rus":
        config = workdir / "ocrfix.toml"
        config.write_text(f'[ocr]\nlanguages = "{language}"\n', encoding="utf-8")
        argv = ["--config", str(config)]
    argv += ["ocr", str(image), "--format", "json", "-o", str(out)]
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if code != 0 or not out.is_file():
        return Reading("", seconds, f"ocrfix ocr exit {code}", {"exit_code": code}, cpu)
    data = json.loads(out.read_text(encoding="utf-8"))
    page = page_from_json(data)
    text = to_text(page)
    extra = {"exit_code": code, "quality": quality_of(data), **verdict_of(page)}
    return Reading(text, seconds, None, extra, cpu)


VERDICT_KEYS = ("status", "reason", "chosen", "tried", "estimated_cer", "missed_lines", "missed_lines_kept", "noise_lines",
                "line_merge", "page_merge")


def verdict_of(page: Page) -> dict[str, Any]:
    """ocrfix's verdict on the page from its ``recognition`` step (:func:`ocrfix.recognition.verdict_of`),
    cut to what the benchmark reports: the status ("ok", "empty" or "doubtful") and its reason, the
    reading chosen and every reading tried with its estimate, the lines read again (how many, and how
    many of them were kept) or dropped (how many), and for a single text line its readings' merge (each
    word's reading, every stretch weighed), and for a page read more than once the lines weighed against
    its other readings (page_merge); empty when the page has no such step."""
    from ocrfix.recognition import verdict_of as recognition_verdict

    settings = recognition_verdict(page)
    if settings is None:
        return {}
    found = {key: settings[key] for key in VERDICT_KEYS if key in settings}
    if isinstance(found.get("missed_lines"), list):
        found["missed_lines_kept"] = sum(1 for line in found["missed_lines"] if line.get("kept"))
    for key in ("missed_lines", "noise_lines"):
        if isinstance(found.get(key), list):
            found[key] = len(found[key])
    return found


def quality_of(data: Any) -> float | None:
    """ocrfix's own estimate of the page's quality, when its page JSON carries one.

    The first ``quality`` key found outside the text blocks, breadth first (top level,
    then e.g. a step's record): a number, or a dict holding one under score/estimate/value.
    """
    queue = [data]
    while queue:
        node = queue.pop(0)
        if isinstance(node, list):
            queue.extend(node)
        if not isinstance(node, dict):
            continue
        if "quality" in node:
            found = _number(node["quality"])
            if found is not None:
                return found
        queue.extend(v for k, v in node.items() if k != "blocks" and isinstance(v, dict | list))
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, dict):
        for key in ("score", "estimate", "value", "quality"):
            if key in value:
                return _number(value[key])
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _run(command: list[str], read) -> Reading:
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=_ENV, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return Reading("", time.perf_counter() - start, f"timeout after {TIMEOUT_SECONDS} s")
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return Reading("", seconds, f"exit {done.returncode}: {last[:160]}", cpu_seconds=cpu)
    try:
        return Reading(read(done), seconds, cpu_seconds=cpu)
    except OSError as exc:
        return Reading("", seconds, f"no output: {exc}", cpu_seconds=cpu)
