"""Shared fixtures: the lexicon, small real typed images, the headless browser, and skips for missing binaries."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
SAMPLE = REPO / "scans" / "sample"
FONT = Path("/usr/share/fonts/truetype/freefont/FreeMono.ttf")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No first-run work and no background connections: the machine has no network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def private_user_data(tmp_path_factory):
    """The user's own lexicon additions (``ocrfix lexicon add``) go to a folder of this
    test session, so a developer's words change no test and tests add none to theirs."""
    import os

    previous = os.environ.get("OCRFIX_DATA_DIR")
    os.environ["OCRFIX_DATA_DIR"] = str(tmp_path_factory.mktemp("user-data"))
    yield
    if previous is None:
        os.environ.pop("OCRFIX_DATA_DIR", None)
    else:
        os.environ["OCRFIX_DATA_DIR"] = previous


@pytest.fixture(scope="module")
def lexicon():
    """The compiled lexicon as the corrector loads it with the default settings (built once into the
    shared cache), loaded once for each test module that asks for it."""
    from ocrfix.config import CorrectConfig
    from ocrfix.lexicon import load_lexicon

    return load_lexicon(CorrectConfig())


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


HAVE_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAVE_TESSERACT, reason="tesseract binary not found on PATH")

# A short typed passage in the style of the collection, with its exact text.
TYPED_LINES = (
    "Выписки посланы: т.т. Литвинову,",
    "Ворошилову, Ежову, Берзину.",
    "Сосредоточить на границе полки РККА.",
)


def interruptible() -> None:
    """For ``Popen(preexec_fn=...)`` of a server a test stops with SIGINT, as a user stops it with
    Ctrl-C: a suite started in the background (``make test &``, nohup) hands its children SIGINT
    ignored, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def render_typed_lines(lines=TYPED_LINES, path: Path | None = None, *, font_px: int = 44, skew: float = 0.0):
    """Render lines in a typewriter font on white (a clean small 'scan'); save as PNG if path is given."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip(f"font {FONT} missing (Debian package fonts-freefont-ttf)")
    font = ImageFont.truetype(str(FONT), font_px)
    pitch = int(font_px * 1.6)
    width = int(max(len(line) for line in lines) * font_px * 0.62) + 160
    image = Image.new("L", (width, pitch * len(lines) + 160), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 80 + i * pitch), line, font=font, fill=0)
    if skew:
        image = image.rotate(skew, expand=True, fillcolor=255, resample=Image.BICUBIC)
    if path is not None:
        image.save(path, dpi=(300, 300))
    return image


def words_of(text: str):
    """``text`` as the corrector's rules are handed it (``ocrfix.correct.sentences.Words``): its word
    tokens and their folded keys, nothing blanked."""
    from ocrfix.correct.sentences import Words
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.lexicon.normalize import fold

    tokens = word_tokens(text)
    return Words(text, text, tokens, [fold(t.text) for t in tokens])


@pytest.fixture
def typed_png(tmp_path: Path) -> Path:
    path = tmp_path / "typed.png"
    render_typed_lines(path=path)
    return path
