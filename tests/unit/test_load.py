"""Loading pages from every format an archive sends: real files written in the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError, ExitCode
from ocrfix.preprocess import LoadedImage, count_pages, load_page


def gradient(height: int = 60, width: int = 90) -> np.ndarray:
    """A gray test pattern whose rows differ, so transposes and flips are visible."""
    rows = np.linspace(0, 255, height, dtype=np.float64)[:, None]
    cols = np.linspace(0, 60, width, dtype=np.float64)[None, :]
    return np.clip(rows * 0.7 + cols, 0, 255).astype(np.uint8)


def test_png_gray_keeps_pixels_and_dpi(tmp_path: Path) -> None:
    pixels = gradient()
    path = tmp_path / "page.png"
    Image.fromarray(pixels).save(path, dpi=(300, 300))
    loaded = load_page(path, config=PreprocessConfig())
    assert isinstance(loaded, LoadedImage)
    assert loaded.pixels.dtype == np.uint8 and loaded.pixels.shape == pixels.shape
    assert np.array_equal(loaded.pixels, pixels)
    assert loaded.dpi == pytest.approx(300, abs=0.5)
    assert loaded.source == str(path) and loaded.page_index == 0


def test_rgb_stays_rgb_and_neutral_rgb_becomes_gray(tmp_path: Path) -> None:
    colour = np.zeros((20, 30, 3), np.uint8)
    colour[..., 0] = 200
    colour[..., 2] = 40
    Image.fromarray(colour).save(tmp_path / "colour.png")
    neutral = np.repeat(gradient(20, 30)[..., None], 3, axis=2)
    Image.fromarray(neutral).save(tmp_path / "neutral.png")
    assert load_page(tmp_path / "colour.png").pixels.shape == (20, 30, 3)
    assert load_page(tmp_path / "neutral.png").pixels.shape == (20, 30)


def test_alpha_is_composited_on_white_paper(tmp_path: Path) -> None:
    rgba = np.zeros((10, 10, 4), np.uint8)  # black, fully transparent ...
    rgba[:5, :, 3] = 255  # ... except the top half, which is opaque black
    Image.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    pixels = load_page(tmp_path / "alpha.png").pixels
    assert pixels.ndim == 2
    assert (pixels[:5] == 0).all() and (pixels[5:] == 255).all()


def test_palette_image(tmp_path: Path) -> None:
    image = Image.fromarray(gradient()).convert("P")
    image.save(tmp_path / "palette.png")
    pixels = load_page(tmp_path / "palette.png").pixels
    assert pixels.shape[:2] == (60, 90)
    assert int(pixels[0].mean()) < int(pixels[-1].mean())


def test_sixteen_bit_gray_is_scaled_by_its_bit_depth(tmp_path: Path) -> None:
    full = (gradient().astype(np.uint16) * 257).astype(np.uint16)  # 16-bit range
    Image.fromarray(full).save(tmp_path / "deep.tif")
    loaded = load_page(tmp_path / "deep.tif").pixels
    assert loaded.dtype == np.uint8
    assert np.abs(loaded.astype(int) - gradient().astype(int)).max() <= 1
    twelve = (gradient().astype(np.uint16) * 16).astype(np.uint16)  # a 12-bit scanner in a 16-bit file
    Image.fromarray(twelve).save(tmp_path / "twelve.png")
    assert np.abs(load_page(tmp_path / "twelve.png").pixels.astype(int) - gradient().astype(int)).max() <= 1


def test_cmyk_tiff_becomes_rgb(tmp_path: Path) -> None:
    cmyk = np.zeros((12, 16, 4), np.uint8)
    cmyk[..., 3] = 255  # pure black ink
    cmyk[6:, :, 3] = 0  # bottom half: no ink, white paper
    Image.fromarray(cmyk, "CMYK").save(tmp_path / "cmyk.tif")
    pixels = load_page(tmp_path / "cmyk.tif").pixels
    assert pixels[:6].max() < 10 and pixels[6:].min() > 245


def test_multipage_tiff_counts_and_loads_each_page(tmp_path: Path) -> None:
    pages = [Image.fromarray(np.full((30, 40), value, np.uint8)) for value in (10, 120, 240)]
    path = tmp_path / "multi.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    assert count_pages(path) == 3
    assert [int(load_page(path, i).pixels[0, 0]) for i in range(3)] == [10, 120, 240]
    with pytest.raises(BadInputError, match="page 4 requested, but the file has 3"):
        load_page(path, 3)


def test_exif_orientation_is_honoured(tmp_path: Path) -> None:
    pixels = np.full((40, 100), 255, np.uint8)
    pixels[:, :10] = 0  # a dark stripe on the left of a landscape image
    image = Image.fromarray(pixels)
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    image.save(tmp_path / "rotated.jpg", exif=exif, quality=95)
    loaded = load_page(tmp_path / "rotated.jpg").pixels
    assert loaded.shape == (100, 40)  # shown upright: portrait
    assert loaded[:10].mean() < 60 and loaded[-10:].mean() > 200  # the stripe is now on top


def test_pdf_pages_render_at_the_configured_dpi(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    first = Image.fromarray(np.full((200, 100), 255, np.uint8))
    second = Image.fromarray(np.zeros((200, 100), np.uint8))
    first.save(path, save_all=True, append_images=[second], resolution=72.0)  # 100x200 pt pages
    assert count_pages(path) == 2
    loaded = load_page(path, 1, config=PreprocessConfig(pdf_dpi=144))
    assert loaded.pixels.shape == (400, 200)
    assert loaded.dpi == 144 and loaded.page_index == 1
    assert loaded.pixels.mean() < 10
    with pytest.raises(BadInputError, match="page 3 requested"):
        load_page(path, 2)


def test_pdf_page_over_the_pixel_limit_is_refused_before_rendering(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    Image.fromarray(np.full((200, 100), 255, np.uint8)).save(path, resolution=72.0)
    with pytest.raises(BadInputError, match="max_pixels"):
        load_page(path, config=PreprocessConfig(pdf_dpi=7200, max_pixels=1_000_000))


def test_image_over_max_pixels_is_refused(tmp_path: Path) -> None:
    Image.fromarray(gradient()).save(tmp_path / "page.png")
    with pytest.raises(BadInputError, match="decompression bomb") as caught:
        load_page(tmp_path / "page.png", config=PreprocessConfig(max_pixels=1000))
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def test_negative_page_index_is_refused(tmp_path: Path) -> None:
    Image.fromarray(gradient()).save(tmp_path / "page.png")
    with pytest.raises(BadInputError, match="negative"):
        load_page(tmp_path / "page.png", -1)


def test_format_is_read_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "really-a-png.jpg"
    Image.fromarray(gradient()).save(path, format="PNG")
    assert load_page(path).pixels.shape == (60, 90)
