"""Typewriter-like pages from our own texts, drawn with Pillow at 300 dpi (A4).

Each character is placed on a fixed pitch (monospace fonts) with a small seeded
jitter of baseline and ink, as a typewriter strikes it. The ground truth is the
text exactly as laid out (line by line).
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4_PX = (2480, 3508)  # 210 x 297 mm at 300 dpi
LEFT_PX, TOP_PX, RIGHT_PX = 300, 280, 180
FONT_PX = 46  # about 11 pt: pica type
LINE_PITCH_PX = 75  # one and a half spacing

# name -> file; Debian fonts-urw-base35, fonts-freefont-ttf, fonts-liberation
FONTS = {
    "nimbus": "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf",
    "freemono": "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    "liberation": "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
}


@dataclass(frozen=True)
class TypedPage:
    image: np.ndarray  # grey, uint8, white paper
    truth: str


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters; blank lines kept; lines already short kept as typed."""
    lines: list[str] = []
    for raw in text.strip("\n").split("\n"):
        if len(raw) <= width:
            lines.append(raw.rstrip())
        else:
            lines.extend(textwrap.wrap(raw, width, break_long_words=False, break_on_hyphens=False))
    return lines


def type_page(text: str, font_name: str, seed: int) -> TypedPage:
    font = ImageFont.truetype(FONTS[font_name], FONT_PX)
    pitch = font.getlength("М")
    width = int((A4_PX[0] - LEFT_PX - RIGHT_PX) // pitch)
    lines = wrap(text, width)
    rng = random.Random(seed)
    page = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(page)
    line_drift = 0.0
    for row, line in enumerate(lines):
        y = TOP_PX + row * LINE_PITCH_PX
        line_drift = 0.6 * line_drift + rng.uniform(-1.5, 1.5)  # the platen does not advance perfectly
        for col, char in enumerate(line):
            if char == " ":
                continue
            x = LEFT_PX + col * pitch + rng.uniform(-1.2, 1.2)
            ink = int(max(0, min(90, rng.gauss(35, 14))))  # uneven strike
            draw.text((x, y + line_drift + rng.uniform(-1.5, 1.5)), char, font=font, fill=ink)
    return TypedPage(np.asarray(page), "\n".join(lines) + "\n")


def read_texts(folder: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
