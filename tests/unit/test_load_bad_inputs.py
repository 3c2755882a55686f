"""Every bad file is refused with a BadInputError and a one-line message, quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError, ExitCode
from ocrfix.preprocess import count_pages, load_page

BAD = Path(__file__).resolve().parents[1] / "data" / "bad_inputs"

CASES = [
    ("zero-bytes.png", "empty file"),
    ("text-file.png", "not an image"),
    ("truncated.png", "truncated"),
    ("truncated.jpg", "truncated"),
    ("bomb.png", "decompression bomb"),
    ("broken.pdf", "not a readable PDF"),
    ("huge-page.pdf", "absurd page size"),
    ("random-bytes.tif", "not an image"),
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("name", "expected"), CASES)
def test_bad_file_is_refused_with_a_one_line_message(name: str, expected: str) -> None:
    path = BAD / name
    assert path.exists(), f"test data {path} missing"
    with pytest.raises(BadInputError) as caught:
        load_page(path, config=PreprocessConfig())
    error = caught.value
    assert error.exit_code == ExitCode.BAD_INPUT
    assert expected in error.message
    assert str(path) in error.message
    assert "\n" not in error.one_line()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", ["zero-bytes.png", "text-file.png", "bomb.png", "broken.pdf"])
def test_counting_pages_of_a_bad_file_is_refused_too(name: str) -> None:
    with pytest.raises(BadInputError):
        count_pages(BAD / name)


def test_missing_file() -> None:
    with pytest.raises(BadInputError, match="no such file"):
        load_page(BAD / "does-not-exist.png")


def test_bomb_is_refused_under_our_own_limit_too(tmp_path: Path) -> None:
    """Below Pillow's own guard, max_pixels decides, from the header alone."""
    from PIL import Image

    path = tmp_path / "wide.png"
    Image.new("L", (4000, 3000), 255).save(path)
    with pytest.raises(BadInputError, match="exceeds max_pixels=1000000"):
        load_page(path, config=PreprocessConfig(max_pixels=1_000_000))


def _two_page_pdf(path: Path) -> Path:
    from PIL import Image

    first = Image.new("L", (100, 200), 255)
    first.save(path, save_all=True, append_images=[Image.new("L", (100, 200), 0)], resolution=72.0)
    return path


@pytest.mark.timeout(20)
def test_huge_pdf_page_is_refused_from_its_size_not_rendered() -> None:
    """A 333-byte PDF whose page claims 200x200 inches (60000x60000 pixels at 300 dpi)."""
    path = BAD / "huge-page.pdf"
    assert count_pages(path) == 1  # counting is harmless; rendering is what is refused
    with pytest.raises(BadInputError, match=r"60000x60000 pixels, over max_pixels=120000000") as caught:
        load_page(path, config=PreprocessConfig())
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    assert "max_pixels" in (caught.value.hint or "")


@pytest.mark.timeout(20)
def test_pdf_rendering_that_overruns_its_time_is_stopped(tmp_path: Path) -> None:
    """The renderer runs in a child process that is killed when its time is up."""
    path = _two_page_pdf(tmp_path / "two.pdf")
    with pytest.raises(BadInputError, match=r"rendering page 1 took longer than 0.001 s") as caught:
        load_page(path, config=PreprocessConfig(pdf_timeout_seconds=0.001))
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    with pytest.raises(BadInputError, match="counting its pages took longer"):
        count_pages(path, config=PreprocessConfig(pdf_timeout_seconds=0.001))


@pytest.mark.timeout(20)
def test_pdf_with_more_pages_than_allowed_is_refused(tmp_path: Path) -> None:
    path = _two_page_pdf(tmp_path / "two.pdf")
    config = PreprocessConfig(max_pdf_pages=1)
    with pytest.raises(BadInputError, match="claims 2 pages, over max_pdf_pages=1"):
        count_pages(path, config=config)
    with pytest.raises(BadInputError, match="claims 2 pages"):
        load_page(path, config=config)


@pytest.mark.timeout(30)
def test_pdf_page_needing_more_memory_than_allowed_is_refused() -> None:
    """The renderer's process has a memory cap: a page allowed by its size (max_pixels raised)
    but needing more memory than pdf_memory_mb fails as bad input, not by starving the machine."""
    path = BAD / "huge-page.pdf"  # 200x200 inches: 20000x20000 gray pixels (400 MB) at 100 dpi
    config = PreprocessConfig(pdf_dpi=100, max_pixels=500_000_000, pdf_memory_mb=400)
    with pytest.raises(BadInputError, match="pdf_memory_mb") as caught:
        load_page(path, config=config)
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    assert count_pages(path, config=config) == 1  # the cap leaves ordinary work alone
