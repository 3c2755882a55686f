"""Read one page of an archive file into a uint8 array.

Raster formats go through Pillow; PDF pages are rendered by :mod:`pdf` in a
child process with a time limit (``PreprocessConfig.pdf_timeout_seconds``). The
file's first bytes decide the format, never its name. Every failure becomes a
:class:`~ocrfix.errors.BadInputError` with a one-line message; images larger
than ``PreprocessConfig.max_pixels`` are refused from their header, before
any pixel is decoded. Pillow's own guard (``Image.MAX_IMAGE_PIXELS``, which
refuses above twice its value) is switched off while the header is read and
set to ``max_pixels`` while frames are decoded, so ``max_pixels`` is the one
real limit: raising it for a trusted file does let the file through.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError
from ocrfix.preprocess import pdf

# Pillow formats an archive may send; anything else is refused as "not an image".
RASTER_FORMATS = frozenset({"PNG", "JPEG", "TIFF", "BMP", "GIF", "WEBP", "JPEG2000", "PPM"})


@dataclass(frozen=True)
class LoadedImage:
    """One page as pixels: uint8, 2-D gray or 3-D RGB."""

    pixels: np.ndarray
    dpi: float | None
    source: str
    page_index: int = 0


def count_pages(path: Path, *, config: PreprocessConfig | None = None) -> int:
    """The number of pages (TIFF/GIF frames, PDF pages) in ``path``."""
    path = Path(path)
    if _is_pdf(path):
        config = config or PreprocessConfig()
        return pdf.count_pages(path, timeout_seconds=config.pdf_timeout_seconds, max_pages=config.max_pdf_pages,
                               memory_mb=config.pdf_memory_mb)
    with _open_raster(path, config or PreprocessConfig()) as image:
        return int(getattr(image, "n_frames", 1))


def load_page(path: Path, index: int = 0, *, config: PreprocessConfig | None = None) -> LoadedImage:
    """Page ``index`` (0-based) of ``path`` as gray or RGB uint8 pixels."""
    path = Path(path)
    config = config or PreprocessConfig()
    if index < 0:
        raise BadInputError(f"{path}: page index {index} is negative")
    if _is_pdf(path):
        pixels = pdf.render_page(
            path,
            index,
            dpi=config.pdf_dpi,
            max_pixels=config.max_pixels,
            timeout_seconds=config.pdf_timeout_seconds,
            max_pages=config.max_pdf_pages,
            memory_mb=config.pdf_memory_mb,
        )
        return LoadedImage(pixels=pixels, dpi=float(config.pdf_dpi), source=str(path), page_index=index)
    with _open_raster(path, config) as image, _pillow_limit(config.max_pixels):
        frames = int(getattr(image, "n_frames", 1))
        if index >= frames:
            raise BadInputError(f"{path}: page {index + 1} requested, but the file has {frames} page(s)")
        try:
            if index:
                image.seek(index)
                _check_size(path, image.size, config.max_pixels)
            pixels = _decode(image)
        except BadInputError:
            raise
        except Image.DecompressionBombError as exc:  # a frame (GIF) larger than the header said
            raise BadInputError(
                f"{path}: refused, page {index + 1} is over max_pixels={config.max_pixels} ({_first_line(exc)})",
                hint="raise preprocess.max_pixels only for trusted files",
            ) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise BadInputError(f"{path}: corrupt or truncated image ({_first_line(exc)})") from exc
        dpi = _dpi(image)
    return LoadedImage(pixels=pixels, dpi=dpi, source=str(path), page_index=index)


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError as exc:
        raise BadInputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({_first_line(exc)})") from exc
    if not head:
        raise BadInputError(f"{path}: empty file (0 bytes)")
    return b"%PDF-" in head


@contextmanager
def _pillow_limit(pixels: int | None) -> Iterator[None]:
    """Pillow's decompression-bomb limit set to ``pixels`` (None: off) for the block."""
    before = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = pixels
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = before


def _open_raster(path: Path, config: PreprocessConfig) -> Image.Image:
    try:
        with warnings.catch_warnings(), _pillow_limit(None):
            # The size limit is ours (max_pixels, checked below from the same header).
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadInputError(
            f"{path}: refused, the header claims an enormous image (possible decompression bomb)",
            hint="raise preprocess.max_pixels only for trusted files",
        ) from exc
    except UnidentifiedImageError as exc:
        raise BadInputError(f"{path}: not an image file (or an unsupported format)") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise BadInputError(f"{path}: corrupt image header ({_first_line(exc)})") from exc
    if image.format not in RASTER_FORMATS:
        image.close()
        raise BadInputError(f"{path}: unsupported image format {image.format}")
    try:
        _check_size(path, image.size, config.max_pixels)
    except BadInputError:
        image.close()
        raise
    return image


def _check_size(path: Path, size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise BadInputError(f"{path}: image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise BadInputError(
            f"{path}: refused, {width}x{height} image exceeds max_pixels={max_pixels} (possible decompression bomb)",
            hint="raise preprocess.max_pixels only for trusted files",
        )


def _decode(image: Image.Image) -> np.ndarray:
    """Decode the current frame to uint8 gray or RGB, upright per EXIF."""
    ImageOps.exif_transpose(image, in_place=True)  # loads the frame; no copy when it is upright already
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _deep_gray_to_uint8(np.asarray(image))
    if mode == "P":
        image = image.convert("RGBA") if "transparency" in image.info else image.convert("RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return _flatten_alpha(image)
    if mode in ("1", "L"):
        return np.ascontiguousarray(np.asarray(image if mode == "L" else image.convert("L"), dtype=np.uint8))
    if mode != "RGB":  # CMYK, YCbCr, LAB, HSV ...
        image = image.convert("RGB")
    rgb = np.asarray(image, dtype=np.uint8)
    return _gray_if_neutral(rgb)


def _deep_gray_to_uint8(values: np.ndarray) -> np.ndarray:
    """16/32-bit or float gray to uint8, keeping the bit depth actually used."""
    values = values.astype(np.float64)
    if values.size == 0:
        return values.astype(np.uint8)
    top = float(values.max())
    low = float(values.min())
    if low < 0 or top <= 1.0:  # float data in 0..1 or signed: stretch its range
        span = (top - low) or 1.0
        scaled = (values - low) / span * 255.0
    else:
        bits = max(8, int(np.ceil(np.log2(top + 1))))  # 12-bit scans in 16-bit files stay bright
        scaled = values / (2.0**bits - 1) * 255.0
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _flatten_alpha(image: Image.Image) -> np.ndarray:
    """Composite over white paper: transparent pixels are background."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.float32)
    alpha = rgba[..., 3:4] / 255.0
    rgb = rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)
    return _gray_if_neutral(np.clip(np.rint(rgb), 0, 255).astype(np.uint8))


def _gray_if_neutral(rgb: np.ndarray) -> np.ndarray:
    """An RGB image whose channels are equal is returned as 2-D gray."""
    if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
        return np.ascontiguousarray(rgb[..., 0])
    return np.ascontiguousarray(rgb)


def _dpi(image: Image.Image) -> float | None:
    value = image.info.get("dpi")
    if not value:
        return None
    try:
        dpi = float(value[0] if isinstance(value, tuple) else value)
    except (TypeError, ValueError):
        return None
    return dpi if 30.0 <= dpi <= 4800.0 else None  # "1 dpi" and similar headers mean "unknown"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
