"""PDF pages rendered to pixels (and searchable PDFs assembled), in a child process with a time limit.

pypdfium2 runs PDFium, a C library that a hostile PDF can keep busy without
end; a thread cannot stop it. Every call therefore runs
:mod:`ocrfix.preprocess.pdf_child` (the only code that imports pypdfium2) as a
separate process that is killed when ``timeout_seconds`` pass and may use at
most ``memory_mb`` of memory (address space). Before rendering, the child
refuses PDFs with more than ``max_pages`` pages and pages whose rendering would
exceed ``max_pixels``; starting it costs about 0.1 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from ocrfix.errors import BadInputError

CHILD = Path(__file__).with_name("pdf_child.py")
REFUSED = 3  # the child's exit status for a refused file (pdf_child.REFUSED)
HINT = "raise preprocess.pdf_timeout_seconds, pdf_memory_mb, max_pixels or max_pdf_pages only for trusted files"
MEMORY_VARIABLE = "OCRFIX_PDF_MEMORY_BYTES"  # read by pdf_child before it imports pypdfium2


def count_pages(path: Path, *, timeout_seconds: float = 60.0, max_pages: int = 10_000, memory_mb: int = 2048) -> int:
    """The number of pages in the PDF at ``path``."""
    output = _run_child(path, ["count", str(path), str(int(max_pages))], timeout_seconds, memory_mb,
                        "counting its pages")
    try:
        return int(output.strip())
    except ValueError as exc:
        raise BadInputError(f"{path}: the PDF renderer gave no page count") from exc


def render_page(
    path: Path,
    index: int,
    *,
    dpi: float,
    max_pixels: int,
    timeout_seconds: float = 60.0,
    max_pages: int = 10_000,
    memory_mb: int = 2048,
) -> np.ndarray:
    """Page ``index`` (0-based) rendered in grayscale at ``dpi`` as uint8."""
    arguments = ["render", str(path), str(int(index)), repr(float(dpi)), str(int(max_pixels)), str(int(max_pages))]
    output = _run_child(path, arguments, timeout_seconds, memory_mb, f"rendering page {index + 1}")
    header, _, body = output.partition(b"\n")
    try:
        height, width = (int(value) for value in header.split())
    except ValueError as exc:
        raise BadInputError(f"{path}: the PDF renderer returned no image for page {index + 1}") from exc
    if height <= 0 or width <= 0 or len(body) != height * width:
        raise BadInputError(f"{path}: the PDF renderer returned a damaged image for page {index + 1}")
    return np.frombuffer(body, np.uint8).reshape(height, width).copy()


def overlay_pages(
    path: Path,
    indexes: list[int],
    layer: bytes,
    out_path: Path,
    *,
    timeout_seconds: float = 60.0,
    max_pages: int = 10_000,
    memory_mb: int = 2048,
) -> None:
    """Write to ``out_path`` the pages ``indexes`` (0-based) of the PDF at ``path``, each with the page of the
    same place in the PDF ``layer`` drawn over it (a page as shown: its /Rotate applied)."""
    import tempfile

    out_path = Path(out_path)
    with tempfile.TemporaryDirectory(prefix=".ocrfix-pdf-", dir=out_path.parent) as work:
        layer_path, written = Path(work) / "layer.pdf", Path(work) / "out.pdf"
        layer_path.write_bytes(layer)
        arguments = ["overlay", str(path), ",".join(str(int(i)) for i in indexes), str(layer_path), str(written),
                     str(int(max_pages))]
        _run_child(path, arguments, timeout_seconds, memory_mb, "adding the text layer to its pages")
        if not written.is_file():
            raise BadInputError(f"{path}: the PDF writer made no file")
        os.replace(written, out_path)


def _run_child(path: Path, arguments: list[str], timeout_seconds: float, memory_mb: int, doing: str) -> bytes:
    command = [sys.executable, "-I", str(CHILD), *arguments]
    # one BLAS thread: numpy's thread buffers would otherwise eat into the memory limit
    env = {**os.environ, MEMORY_VARIABLE: str(int(memory_mb) * 1024 * 1024), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=max(0.001, float(timeout_seconds)), check=False,
                              env=env)
    except subprocess.TimeoutExpired as exc:
        raise BadInputError(
            f"{path}: refused, {doing} took longer than {timeout_seconds:g} s (a hostile or broken PDF?)", hint=HINT
        ) from exc
    except OSError as exc:
        raise BadInputError(f"{path}: cannot start the PDF renderer ({exc})") from exc
    message = _last_line(done.stderr)
    if done.returncode == REFUSED:
        return_hint = HINT if message.startswith("refused") else None
        raise BadInputError(f"{path}: {message}", hint=return_hint)
    if done.returncode < 0:  # killed by a signal: PDFium crashed, or ran out of the memory it may use
        raise BadInputError(
            f"{path}: the PDF renderer died while {doing} (a damaged PDF, or one that needs more than "
            f"pdf_memory_mb={memory_mb})", hint=HINT)
    if done.returncode != 0:  # the renderer's own error: not the user's to read (run with -v to see it)
        raise BadInputError(f"{path}: the PDF renderer failed while {doing} (a damaged PDF?)")
    return done.stdout


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return " ".join(lines[-1].split()) if lines else "no message"
