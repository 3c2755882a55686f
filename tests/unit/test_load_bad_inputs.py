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
