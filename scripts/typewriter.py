"""Synthetic typewritten Russian pages with known ground truth.

A small library for the sample-scan generator and the benchmarks
(``scripts/make_sample_scans.py``, ``scripts/bench_preprocess.py``,
``scripts/bench_ocr.py``).  Scripts import it as ``import typewriter`` (the
``scripts/`` directory is on ``sys.path`` when a script there runs).

Two stages, each deterministic from a ``numpy.random.Generator``:

1. :func:`type_page` strikes the characters of some lines onto white paper on
   a fixed pitch, the way a 1930s typewriter does: each key lands a little
   higher or lower, is pressed harder or softer, and some type bars are worn
   so their letters print broken.  The result is the *clean* page: a
   grayscale image, unrotated, no scanner in sight.
2. :func:`scan_page` puts that sheet on a scanner: yellowed paper, uneven
   lighting, a skewed placement on a dark bed, blur, noise, specks and JPEG
   compression, as much as a :class:`ScanDamage` asks for.

:func:`render_page` does both from a seed and returns a :class:`RenderedPage`
with the clean image, the damaged image, the ground-truth lines (NFC, exactly
the characters drawn) and the true skew angle.

Images are numpy ``uint8`` arrays: ``(H, W)`` grayscale, or ``(H, W, 3)``
RGB when the damage yellows the paper.  Angles are in degrees, positive =
the page content is rotated counter-clockwise as the image is viewed, so
deskewing means rotating by ``-skew_degrees``.

Fonts come from Debian packages: ``fonts-freefont-ttf`` (FreeMono, the most
typewriter-like), ``fonts-liberation`` (Liberation Mono), ``fonts-dejavu-core``
(DejaVu Sans Mono), ``fonts-urw-base35`` (Nimbus Mono PS).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

MM_PER_INCH = 25.4

# name -> (Debian package, file names looked up under the font directories)
FONTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "freemono": ("fonts-freefont-ttf", ("freefont/FreeMono.ttf",)),
    "freemono-bold": ("fonts-freefont-ttf", ("freefont/FreeMonoBold.ttf",)),
    "liberation-mono": ("fonts-liberation", ("liberation/LiberationMono-Regular.ttf",)),
    "dejavu-sans-mono": ("fonts-dejavu-core", ("dejavu/DejaVuSansMono.ttf",)),
    "nimbus-mono": ("fonts-urw-base35", ("urw-base35/NimbusMonoPS-Regular.otf",)),
}
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts/opentype"),
    Path("/usr/local/share/fonts"),
)


class FontMissingError(FileNotFoundError):
    """A font file is not installed; the message names the Debian package."""


class LayoutError(ValueError):
    """The text does not fit the page, or the font cannot draw a character."""


def find_font(name: str) -> Path:
    """The file of a known monospace font, or :class:`FontMissingError`."""
    if name not in FONTS:
        raise FontMissingError(f"unknown font {name!r}; known: {', '.join(sorted(FONTS))}")
    package, relative_paths = FONTS[name]
    for directory in FONT_DIRS:
        for relative in relative_paths:
            candidate = directory / relative
            if candidate.is_file():
                return candidate
    raise FontMissingError(f"font {name!r} not found; install the Debian package {package}")


def available_fonts() -> tuple[str, ...]:
    """Names of the known fonts that are installed on this machine."""
    found = []
    for name in FONTS:
        try:
            find_font(name)
        except FontMissingError:
            continue
        found.append(name)
    return tuple(found)


# --------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class PageLayout:
    """Paper and typewriter geometry.

    ``chars_per_inch`` 10 is pica, 12 is elite; ``lines_per_inch`` 6 is single
    spacing, 4 is one-and-a-half, 3 is double.  Blank lines advance the platen
    by ``blank_line_fraction`` of a line (typists often used a half turn).
    """

    paper_mm: tuple[float, float] = (210.0, 297.0)  # width, height
    dpi: int = 300
    margins_mm: tuple[float, float, float, float] = (25.0, 20.0, 15.0, 15.0)  # left, top, right, bottom
    chars_per_inch: float = 10.0
    lines_per_inch: float = 4.0
    blank_line_fraction: float = 1.0
    paragraph_indent: int = 0  # characters; leading spaces of a line are typed as indentation

    def px(self, mm: float) -> int:
        return int(round(mm * self.dpi / MM_PER_INCH))

    @property
    def size_px(self) -> tuple[int, int]:
        """(width, height) of the sheet in pixels."""
        return self.px(self.paper_mm[0]), self.px(self.paper_mm[1])

    @property
    def pitch_px(self) -> float:
        return self.dpi / self.chars_per_inch

    @property
    def line_px(self) -> float:
        return self.dpi / self.lines_per_inch

    @property
    def chars_per_line(self) -> int:
        left, _, right, _ = self.margins_mm
        usable = self.px(self.paper_mm[0] - left - right)
        return int(usable // self.pitch_px)


@dataclass(frozen=True)
class TypingStyle:
    """How the typewriter and its typist behave.

    ``pressure_sd`` spreads the darkness of each strike around 1;
    ``broken_glyph_rate`` is the share of strikes printed with part of the
    letter missing; ``ink_spread_px`` thickens thin digital strokes towards
    the weight of a real type bar; ``ribbon_texture`` mottles the ink.
    """

    font: str = "freemono"
    glyph_scale: float = 1.0  # glyph em relative to the one that fills the pitch
    baseline_jitter_px: float = 1.2
    horizontal_jitter_px: float = 0.8
    pressure_sd: float = 0.12
    min_pressure: float = 0.45
    broken_glyph_rate: float = 0.03
    ink_spread_px: int = 2
    ribbon_texture: float = 0.25
    ink_level: float = 0.92  # darkness of a full strike (1 = black)

    @classmethod
    def ideal(cls, font: str = "freemono") -> TypingStyle:
        """A perfect machine: no jitter, even pressure, nothing broken."""
        return cls(
            font=font,
            baseline_jitter_px=0.0,
            horizontal_jitter_px=0.0,
            pressure_sd=0.0,
            broken_glyph_rate=0.0,
            ribbon_texture=0.0,
            ink_level=1.0,
        )


@dataclass(frozen=True)
class ScanDamage:
    """What scanning and age do to the sheet.  All zero = a perfect scan.

    ``max_skew_degrees``: the placement angle is drawn uniformly from
    ``[-max, +max]`` unless ``skew_degrees`` fixes it.
    ``paper_tint``: RGB of aged paper in [0, 1]; ``None`` gives grayscale output.
    ``lighting``: depth of the smooth brightness variation (0..1).
    ``blur_sigma``: Gaussian blur in pixels.  ``noise_sigma``: sensor noise in
    grey levels (0..255).  ``speck_density``: dark specks per megapixel.
    ``jpeg_quality``: re-encode through JPEG at this quality (``None``: never).
    ``border_px``: width of dark scanner bed around the sheet.
    """

    max_skew_degrees: float = 0.0
    skew_degrees: float | None = None
    paper_tint: tuple[float, float, float] | None = None
    paper_grain: float = 0.0
    lighting: float = 0.0
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    speck_density: float = 0.0
    ink_fade: float = 0.0  # lightens the ink as a whole (0..1)
    jpeg_quality: int | None = None
    border_px: int = 0
    bed_level: float = 0.12  # brightness of the scanner bed (0 = black)

    def with_skew(self, degrees: float) -> ScanDamage:
        """A copy that applies exactly this skew."""
        return replace(self, skew_degrees=float(degrees))


YELLOWED = (0.95, 0.90, 0.76)

DAMAGE_LEVELS: dict[str, ScanDamage] = {
    "none": ScanDamage(),
    "light": ScanDamage(
        max_skew_degrees=1.0,
        paper_grain=0.015,
        lighting=0.08,
        blur_sigma=0.6,
        noise_sigma=4.0,
        speck_density=15.0,
        jpeg_quality=90,
        border_px=40,
    ),
    "medium": ScanDamage(
        max_skew_degrees=2.5,
        paper_tint=YELLOWED,
        paper_grain=0.03,
        lighting=0.18,
        blur_sigma=0.9,
        noise_sigma=7.0,
        speck_density=60.0,
        ink_fade=0.1,
        jpeg_quality=80,
        border_px=70,
    ),
    "heavy": ScanDamage(
        max_skew_degrees=4.0,
        paper_tint=(0.92, 0.85, 0.66),
        paper_grain=0.05,
        lighting=0.32,
        blur_sigma=1.3,
        noise_sigma=12.0,
        speck_density=200.0,
        ink_fade=0.25,
        jpeg_quality=55,
        border_px=110,
    ),
}


def damage_preset(level: str, **overrides: object) -> ScanDamage:
    """The named damage level (``none``, ``light``, ``medium``, ``heavy``),
    with some fields replaced, e.g. ``damage_preset("medium", max_skew_degrees=8)``."""
    try:
        base = DAMAGE_LEVELS[level]
    except KeyError:
        raise ValueError(f"unknown damage level {level!r}; known: {', '.join(DAMAGE_LEVELS)}") from None
    return replace(base, **overrides)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class TypedPage:
    """A typed sheet before scanning."""

    image: np.ndarray  # (H, W) uint8, 255 = paper
    lines: tuple[str, ...]  # what was typed on each line, NFC; "" for a blank line
    line_boxes: tuple[tuple[int, int, int, int], ...]  # (x0, y0, x1, y1) per line; empty box for blank lines


@dataclass(frozen=True)
class ScannedPage:
    image: np.ndarray  # (H, W) or (H, W, 3) uint8
    skew_degrees: float  # applied rotation, counter-clockwise positive
    sheet_to_scan: tuple[tuple[float, float, float], tuple[float, float, float]]  # 2x3 affine, clean (x, y) -> scan


@dataclass(frozen=True)
class RenderedPage:
    clean: np.ndarray
    damaged: np.ndarray
    lines: tuple[str, ...]
    line_boxes: tuple[tuple[int, int, int, int], ...]  # in the clean image
    skew_degrees: float
    sheet_to_scan: tuple[tuple[float, float, float], tuple[float, float, float]]  # maps clean (x, y) to damaged
    seed: int
    damage: ScanDamage
    style: TypingStyle
    layout: PageLayout = field(default_factory=PageLayout)

    @property
    def text(self) -> str:
        """The ground truth: the typed lines (spaces between words collapsed to
        one, blank lines kept) joined by newlines, with a final newline."""
        return "\n".join(self.lines) + "\n"


# --------------------------------------------------------------------------
# Text layout


def layout_lines(text: str, chars_per_line: int) -> tuple[str, ...]:
    """Break each line of ``text`` into typewriter lines of at most
    ``chars_per_line`` characters, at spaces (a word longer than a line is cut).

    Leading spaces (indentation) are kept on the first line of a paragraph,
    runs of inner spaces are kept, trailing spaces dropped; blank lines stay.
    The result is NFC.
    """
    if chars_per_line < 1:
        raise LayoutError("a line must hold at least one character")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    result: list[str] = []
    for paragraph in text.rstrip("\n").split("\n"):
        paragraph = paragraph.rstrip()
        if not paragraph:
            result.append("")
            continue
        current = ""
        for index, (spaces, word) in enumerate(re.findall(r"( *)(\S+)", paragraph)):
            # the indentation of a paragraph is typed; a space at a line break is not
            joined = current + spaces + word if (current or index == 0) else word
            if len(joined) <= chars_per_line:
                current = joined
                continue
            if current:
                result.append(current)
            while len(word) > chars_per_line:
                result.append(word[:chars_per_line])
                word = word[chars_per_line:]
            current = word
        if current:
            result.append(current)
    return tuple(result)


# --------------------------------------------------------------------------
# Typing


@dataclass(frozen=True)
class _Glyph:
    coverage: np.ndarray  # float32 in [0, 1]
    left: int  # offset of the array's column 0 from the cell's left edge
    top: int  # offset of the array's row 0 from the baseline (negative = above)


@lru_cache(maxsize=16)
def _font(font_name: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(find_font(font_name)), size_px)


def _font_size_for_pitch(font_name: str, pitch_px: float, glyph_scale: float) -> int:
    probe = _font(font_name, 100)
    advance_per_px = probe.getlength("М") / 100.0
    return max(6, int(round(pitch_px / advance_per_px * glyph_scale)))


@lru_cache(maxsize=4096)
def _glyph(font_name: str, size_px: int, char: str, spread_px: int) -> _Glyph:
    font = _font(font_name, size_px)
    pad = size_px // 2 + spread_px + 2
    canvas_w = int(font.getlength(char)) + 2 * pad + size_px // 2
    canvas_h = 2 * size_px + 2 * pad
    baseline = size_px + pad
    image = Image.new("L", (canvas_w, canvas_h), 0)
    ImageDraw.Draw(image).text((pad, baseline), char, font=font, fill=255, anchor="ls")
    coverage = np.asarray(image, dtype=np.float32) / 255.0
    if spread_px > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (spread_px + 1, spread_px + 1))
        coverage = cv2.dilate(coverage, kernel)
    rows = np.flatnonzero(coverage.max(axis=1) > 0.02)
    cols = np.flatnonzero(coverage.max(axis=0) > 0.02)
    if rows.size == 0:
        return _Glyph(np.zeros((0, 0), np.float32), 0, 0)
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return _Glyph(np.ascontiguousarray(coverage[r0:r1, c0:c1]), int(c0 - pad), int(r0 - baseline))


@lru_cache(maxsize=16)
def _missing_glyph_signature(font_name: str, size_px: int) -> bytes:
    return _glyph(font_name, size_px, "\U0010fffd", 0).coverage.tobytes()


def check_drawable(text: str, font_name: str) -> None:
    """Raise :class:`LayoutError` naming the characters the font cannot draw."""
    size = 48
    missing = sorted(
        {
            ch
            for ch in text
            if not ch.isspace() and _glyph(font_name, size, ch, 0).coverage.tobytes() == _missing_glyph_signature(font_name, size)
        }
    )
    if missing:
        names = ", ".join(f"{c!r} ({unicodedata.name(c, '?')})" for c in missing)
        raise LayoutError(f"font {font_name!r} cannot draw: {names}")


def _break_glyph(coverage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Part of a worn or unevenly striking type bar fails to print."""
    h, w = coverage.shape
    if h < 3 or w < 3:
        return coverage
    kind = rng.integers(3)
    if kind == 0:  # one side of the letter strikes faintly
        angle = rng.uniform(0, 2 * np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ramp = (xx - w / 2) * np.cos(angle) + (yy - h / 2) * np.sin(angle)
        ramp /= max(np.abs(ramp).max(), 1.0)
        factor = np.clip(0.5 + 1.4 * ramp, 0.05, 1.0)
        return coverage * factor
    mask = np.ones((h, w), np.float32)
    if kind == 1:  # a gap across the strokes
        thickness = int(rng.integers(2, max(3, h // 6) + 1))
        if rng.random() < 0.5:
            y = int(rng.integers(0, max(1, h - thickness)))
            mask[y : y + thickness, :] = 0.0
        else:
            x = int(rng.integers(0, max(1, w - thickness)))
            mask[:, x : x + thickness] = 0.0
    else:  # a worn spot
        cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
        axes = (int(rng.integers(2, max(3, w // 3) + 1)), int(rng.integers(2, max(3, h // 4) + 1)))
        cv2.ellipse(mask, (cx, cy), axes, float(rng.uniform(0, 180)), 0, 360, 0.0, -1)
    return coverage * mask


def type_page(
    lines: tuple[str, ...] | list[str],
    rng: np.random.Generator,
    style: TypingStyle = TypingStyle(),
    layout: PageLayout = PageLayout(),
) -> TypedPage:
    """Strike already laid-out ``lines`` (see :func:`layout_lines`) onto a sheet.

    Raises :class:`LayoutError` when a line is too long, the lines do not fit
    the sheet, or the font lacks a character.
    """
    lines = tuple(unicodedata.normalize("NFC", line.rstrip()) for line in lines)
    check_drawable("".join(lines), style.font)
    width, height = layout.size_px
    left_mm, top_mm, _, bottom_mm = layout.margins_mm
    left, top, bottom = layout.px(left_mm), layout.px(top_mm), height - layout.px(bottom_mm)
    pitch, line_px = layout.pitch_px, layout.line_px
    too_long = [line for line in lines if len(line) > layout.chars_per_line]
    if too_long:
        raise LayoutError(f"line longer than {layout.chars_per_line} characters: {too_long[0]!r}")

    size_px = _font_size_for_pitch(style.font, pitch, style.glyph_scale)
    ascent = int(round(size_px * 0.8))
    advances = [line_px if line.strip() else line_px * layout.blank_line_fraction for line in lines]
    needed = top + ascent + sum(advances[:-1]) + int(size_px * 0.3) if lines else top
    if needed > bottom:
        raise LayoutError(
            f"{len(lines)} lines need {needed - top} px but the sheet has {bottom - top} px between its margins"
        )

    ink = np.zeros((height, width), np.float32)
    line_boxes: list[tuple[int, int, int, int]] = []
    baseline = top + ascent
    for line, advance in zip(lines, advances):
        box = [width, height, 0, 0]
        for column, char in enumerate(line):
            if char == " ":
                continue
            glyph = _glyph(style.font, size_px, char, style.ink_spread_px)
            if glyph.coverage.size == 0:
                continue
            coverage = glyph.coverage
            pressure = 1.0 + style.pressure_sd * rng.standard_normal() if style.pressure_sd else 1.0
            pressure = min(max(pressure, style.min_pressure), 1.3)
            if style.broken_glyph_rate and rng.random() < style.broken_glyph_rate:
                coverage = _break_glyph(coverage, rng)
            coverage = coverage * pressure if pressure <= 1.0 else np.minimum(coverage * pressure, 1.0)
            dy = rng.normal(0.0, style.baseline_jitter_px) if style.baseline_jitter_px else 0.0
            dx = rng.normal(0.0, style.horizontal_jitter_px) if style.horizontal_jitter_px else 0.0
            x0 = int(round(left + column * pitch + glyph.left + dx))
            y0 = int(round(baseline + glyph.top + dy))
            h, w = coverage.shape
            xa, ya = max(x0, 0), max(y0, 0)
            xb, yb = min(x0 + w, width), min(y0 + h, height)
            if xa >= xb or ya >= yb:
                continue
            patch = coverage[ya - y0 : yb - y0, xa - x0 : xb - x0]
            region = ink[ya:yb, xa:xb]
            np.maximum(region, patch, out=region)
            box = [min(box[0], xa), min(box[1], ya), max(box[2], xb), max(box[3], yb)]
        line_boxes.append(tuple(box) if line.strip() else (0, 0, 0, 0))  # type: ignore[arg-type]
        baseline += advance

    if style.ribbon_texture:
        grain = rng.standard_normal((height // 2 + 1, width // 2 + 1)).astype(np.float32)
        grain = cv2.GaussianBlur(grain, (0, 0), 1.0)
        grain = cv2.resize(grain, (width, height), interpolation=cv2.INTER_LINEAR)
        grain /= max(float(grain.std()), 1e-6)
        ink *= np.clip(1.0 - style.ribbon_texture * 0.5 * (1.0 + grain), 0.2, 1.0)
    paper = 1.0 - style.ink_level * np.clip(ink, 0.0, 1.0)
    image = np.clip(paper * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return TypedPage(image=image, lines=lines, line_boxes=tuple(line_boxes))


# --------------------------------------------------------------------------
# Scanning


def _smooth_field(rng: np.random.Generator, height: int, width: int, cells: int) -> np.ndarray:
    """A smooth random field in about [-1, 1] (bicubic upsampling of a coarse grid)."""
    coarse = rng.uniform(-1.0, 1.0, size=(cells, cells)).astype(np.float32)
    return cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC).clip(-1.0, 1.0)


def _draw_skew(damage: ScanDamage, rng: np.random.Generator) -> float:
    if damage.skew_degrees is not None:
        return float(damage.skew_degrees)
    if damage.max_skew_degrees <= 0:
        return 0.0
    return float(round(rng.uniform(-damage.max_skew_degrees, damage.max_skew_degrees), 3))


def scan_page(clean: np.ndarray, damage: ScanDamage, rng: np.random.Generator) -> ScannedPage:
    """Scan a clean grayscale sheet with the given damage."""
    if clean.ndim != 2 or clean.dtype != np.uint8:
        raise ValueError("scan_page expects a 2-D uint8 grayscale sheet")
    skew = _draw_skew(damage, rng)
    height, width = clean.shape
    darkness = 1.0 - clean.astype(np.float32) / 255.0  # ink coverage
    if damage.ink_fade:
        darkness *= 1.0 - damage.ink_fade
    paper = np.ones((height, width), np.float32)
    if damage.paper_grain:
        grain = cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), 1.5)
        blotches = _smooth_field(rng, height, width, 9)
        paper += damage.paper_grain * (grain / max(float(grain.std()), 1e-6) * 0.5 + blotches)
    sheet = paper * (1.0 - darkness)  # reflectance, 1 = white paper

    # Place the sheet, rotated, on the dark scanner bed, which is large
    # enough for the whole rotated sheet plus ``border_px`` on every side.
    border = damage.border_px
    cos, sin = abs(np.cos(np.deg2rad(skew))), abs(np.sin(np.deg2rad(skew)))
    rotated_w = int(np.ceil(width * cos + height * sin)) if skew else width
    rotated_h = int(np.ceil(height * cos + width * sin)) if skew else height
    out_h, out_w = rotated_h + 2 * border, rotated_w + 2 * border
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), skew, 1.0)
    matrix[0, 2] += (out_w - width) / 2.0
    matrix[1, 2] += (out_h - height) / 2.0
    image = cv2.warpAffine(sheet, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    on_sheet = cv2.warpAffine(np.ones((height, width), np.float32), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    if border or skew:
        spread = 0.3 * min(damage.bed_level, 1.0 - damage.bed_level)
        bed = damage.bed_level + spread * _smooth_field(rng, out_h, out_w, 5)
        image = image + bed * (1.0 - on_sheet)  # the warp with a 0 border is already sheet x coverage

    if damage.lighting:
        light = 1.0 - damage.lighting * 0.5 * (1.0 + _smooth_field(rng, out_h, out_w, 4))
        gradient = np.linspace(0.0, 1.0, out_w, dtype=np.float32)[None, :]
        if rng.random() < 0.5:
            gradient = gradient[:, ::-1]
        image *= light * (1.0 - damage.lighting * 0.4 * gradient)
    if damage.blur_sigma:
        image = cv2.GaussianBlur(image, (0, 0), damage.blur_sigma)
    image *= 255.0
    if damage.noise_sigma:
        image += rng.normal(0.0, damage.noise_sigma, size=(out_h, out_w)).astype(np.float32)
    if damage.speck_density:
        _add_specks(image, damage.speck_density, rng)
    if damage.paper_tint:
        # The sheet reflects its tint; the bed stays neutral.  Channels are
        # scaled after the grey-level work, which is what scanning a tinted
        # sheet amounts to for these (channel-independent) effects.
        tint = np.asarray(damage.paper_tint, np.float32)
        image = image[..., None] * (on_sheet[..., None] * (tint - 1.0) + 1.0)
    result = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    if damage.jpeg_quality is not None:
        result = jpeg_roundtrip(result, damage.jpeg_quality)
    affine = tuple(tuple(float(v) for v in row) for row in matrix)
    return ScannedPage(image=result, skew_degrees=skew, sheet_to_scan=affine)  # type: ignore[arg-type]


def _add_specks(image: np.ndarray, density_per_mpx: float, rng: np.random.Generator) -> None:
    """Dust and paper flaws: small dark blots, a few light ones, drawn in place."""
    h, w = image.shape[:2]
    count = int(rng.poisson(density_per_mpx * h * w / 1e6))
    for _ in range(count):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        radius = float(rng.choice([1, 1, 1, 2, 2, 3, 4]))
        axes = (max(1, int(radius * rng.uniform(0.6, 1.6))), max(1, int(radius * rng.uniform(0.6, 1.6))))
        value = float(rng.uniform(20, 110)) if rng.random() < 0.85 else float(rng.uniform(200, 255))
        cv2.ellipse(image, (cx, cy), axes, float(rng.uniform(0, 180)), 0, 360, value, -1, lineType=cv2.LINE_AA)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """Compress and decompress through JPEG (deterministic for a given libjpeg)."""
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else image
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    flag = cv2.IMREAD_COLOR if image.ndim == 3 else cv2.IMREAD_GRAYSCALE
    decoded = cv2.imdecode(encoded, flag)
    return cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB) if image.ndim == 3 else decoded


# --------------------------------------------------------------------------
# Whole pages


def render_page(
    text: str,
    seed: int,
    damage: ScanDamage | str = "medium",
    style: TypingStyle = TypingStyle(),
    layout: PageLayout = PageLayout(),
) -> RenderedPage:
    """Lay out, type and scan ``text``; everything follows from ``seed``.

    ``text`` lines longer than the typewriter line are wrapped at spaces;
    the returned ``lines`` are what was typed on each line.
    """
    scan_damage = damage_preset(damage) if isinstance(damage, str) else damage
    rng = np.random.default_rng(seed)
    typing_rng, scanning_rng = rng.spawn(2)
    lines = layout_lines(text, layout.chars_per_line)
    typed = type_page(lines, typing_rng, style, layout)
    scanned = scan_page(typed.image, scan_damage, scanning_rng)
    return RenderedPage(
        clean=typed.image,
        damaged=scanned.image,
        lines=tuple(" ".join(line.split()) for line in typed.lines),
        line_boxes=typed.line_boxes,
        skew_degrees=scanned.skew_degrees,
        sheet_to_scan=scanned.sheet_to_scan,
        seed=seed,
        damage=scan_damage,
        style=style,
        layout=layout,
    )


def encode_image(image: np.ndarray, suffix: str = ".png", jpeg_quality: int = 90, dpi: int = 300) -> bytes:
    """Encode as PNG or JPEG bytes with the resolution recorded (Pillow, deterministic)."""
    mode = "RGB" if image.ndim == 3 else "L"
    pil = Image.fromarray(image, mode=mode)
    from io import BytesIO

    buffer = BytesIO()
    if suffix.lower() in (".jpg", ".jpeg"):
        pil.save(buffer, format="JPEG", quality=jpeg_quality, dpi=(dpi, dpi), optimize=False)
    elif suffix.lower() == ".png":
        pil.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=True)
    else:
        raise ValueError(f"unsupported image suffix {suffix!r}")
    return buffer.getvalue()
