"""Where a page's pixels came from: the geometric map from the original image to the processed page.

Preprocessing crops, turns, deskews and rescales a scan, so the word boxes
Tesseract gives are in the frame of the processed ``page.png``. Each of those
steps is an affine map; :class:`PageTransform` keeps them in order (original →
processed) and maps boxes back (processed → original), so every export can be
placed on the scan the archive holds.

A page whose lines a fold bent is put straight last (:mod:`ocrfix.preprocess.unbend`):
each column of the processed page moved up or down, which no affine map does.
:class:`ColumnShifts` keeps those shifts, and a box of the processed page is
moved back by them (its top by the least shift under it, its bottom by the
most) before the affine steps are undone.

Coordinates are continuous pixel-edge coordinates: pixel ``i`` spans
``[i, i + 1]``, so a box (left, top, right, bottom) with exclusive right and
bottom is the rectangle between its edges. The steps themselves are made by
:mod:`ocrfix.preprocess.transform` (part of the recognition code's fingerprint).

This module depends on nothing else in ocrfix (the page model imports it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Affine:
    """``x' = a x + b y + c``, ``y' = d x + e y + f``."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 0.0
    e: float = 1.0
    f: float = 0.0

    def apply(self, x: float, y: float) -> Point:
        return (self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f)

    def then(self, other: Affine) -> Affine:
        """This map followed by ``other``."""
        return Affine(
            other.a * self.a + other.b * self.d,
            other.a * self.b + other.b * self.e,
            other.a * self.c + other.b * self.f + other.c,
            other.d * self.a + other.e * self.d,
            other.d * self.b + other.e * self.e,
            other.d * self.c + other.e * self.f + other.f,
        )

    def inverse(self) -> Affine:
        determinant = self.a * self.e - self.b * self.d
        if abs(determinant) < 1e-12:
            raise ValueError("a degenerate affine map has no inverse")
        a, b, d, e = self.e / determinant, -self.b / determinant, -self.d / determinant, self.a / determinant
        return Affine(a, b, -(a * self.c + b * self.f), d, e, -(d * self.c + e * self.f))

    def as_list(self) -> list[float]:
        return [_clean(v) for v in (self.a, self.b, self.c, self.d, self.e, self.f)]

    @classmethod
    def from_list(cls, values: Any) -> Affine:
        numbers = [float(v) for v in values]
        if len(numbers) != 6 or not all(math.isfinite(v) for v in numbers):
            raise ValueError(f"an affine map needs six finite numbers, got {values!r}")
        return cls(*numbers)


@dataclass(frozen=True, slots=True)
class GeometricStep:
    """One preprocessing step that moved pixels: its name, its map, and the size of the image it made."""

    name: str
    matrix: Affine  # from the step's input frame to its output frame
    width: int
    height: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "matrix": self.matrix.as_list(), "width": self.width, "height": self.height}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GeometricStep:
        return cls(str(data["name"]), Affine.from_list(data["matrix"]), int(data["width"]), int(data["height"]))


@dataclass(frozen=True, slots=True)
class ColumnShifts:
    """The last step of a page whose lines were put straight: the processed page's pixel at (x, y)
    came from (x, y + shift(x)) of the page before it; ``shifts`` per strip of ``strip`` pixels,
    linear between the strips' middles."""

    strip: int
    shifts: tuple[float, ...]

    def at(self, x: float) -> float:
        """The shift at column ``x``."""
        if not self.shifts:
            return 0.0
        position = x / self.strip - 0.5
        if position <= 0:
            return float(self.shifts[0])
        if position >= len(self.shifts) - 1:
            return float(self.shifts[-1])
        low = int(position)
        return float(self.shifts[low] + (position - low) * (self.shifts[low + 1] - self.shifts[low]))

    def span(self, left: float, right: float) -> tuple[float, float]:
        """The least and the most shift over the columns ``left``..``right``."""
        inside = [i for i in range(len(self.shifts)) if left <= (i + 0.5) * self.strip <= right]
        values = [self.at(left), self.at(right), *(float(self.shifts[i]) for i in inside)]
        return min(values), max(values)

    def to_dict(self) -> dict[str, Any]:
        return {"strip": self.strip, "shifts": [_clean(v) for v in self.shifts]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnShifts:
        strip, shifts = int(data["strip"]), tuple(float(v) for v in data["shifts"])
        if strip <= 0 or not all(math.isfinite(v) for v in shifts):
            raise ValueError(f"column shifts need a positive strip and finite shifts, got {data!r}")
        return cls(strip, shifts)


@dataclass(frozen=True, slots=True)
class PageTransform:
    """The original image's size and the geometric steps that made the processed page from it."""

    original_width: int
    original_height: int
    steps: tuple[GeometricStep, ...] = ()
    bend: ColumnShifts | None = None  # the processed page's columns moved last (lines bent by a fold put straight)

    @classmethod
    def identity(cls, width: int, height: int) -> PageTransform:
        return cls(int(width), int(height))

    @property
    def width(self) -> int:
        """Width of the processed page."""
        return self.steps[-1].width if self.steps else self.original_width

    @property
    def height(self) -> int:
        return self.steps[-1].height if self.steps else self.original_height

    @property
    def is_identity(self) -> bool:
        return (
            self.bend is None
            and self.forward() == Affine()
            and (self.width, self.height) == (self.original_width, self.original_height)
        )

    def then(self, step: GeometricStep) -> PageTransform:
        if self.bend is not None:
            raise ValueError("the column shifts are the last step: nothing moves pixels after them")
        return PageTransform(self.original_width, self.original_height, self.steps + (step,))

    def bent(self, bend: ColumnShifts) -> PageTransform:
        """This transform followed by moving the processed page's columns (the last step)."""
        return PageTransform(self.original_width, self.original_height, self.steps, bend)

    def forward(self) -> Affine:
        """Original → processed."""
        result = Affine()
        for step in self.steps:
            result = result.then(step.matrix)
        return result

    def backward(self) -> Affine:
        """Processed → original."""
        return self.forward().inverse()

    def corners_to_original(self, left: float, top: float, right: float, bottom: float) -> tuple[Point, ...]:
        """The four corners of a processed-frame box in the original frame (clockwise from top left, unclipped)."""
        back = self.backward()
        if self.bend is not None:  # the box before the columns were moved: every pixel it held lies within
            least, most = self.bend.span(left, right)
            top, bottom = top + least, bottom + most
        return tuple(back.apply(x, y) for x, y in ((left, top), (right, top), (right, bottom), (left, bottom)))

    def box_to_original(self, left: float, top: float, right: float, bottom: float) -> tuple[int, int, int, int]:
        """The axis-aligned box around a processed-frame box's mapped corners, whole pixels, inside the original."""
        corners = self.corners_to_original(left, top, right, bottom)
        return _whole_box([p[0] for p in corners], [p[1] for p in corners], self.original_width, self.original_height)

    def box_from_original(self, left: float, top: float, right: float, bottom: float) -> tuple[int, int, int, int]:
        """The axis-aligned box around an original-frame box's corners mapped into the processed frame, whole
        pixels, inside the processed page."""
        forward = self.forward()
        corners = [forward.apply(x, y) for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        if self.bend is not None:  # the columns moved last: every pixel of the box lies within its shifts
            least, most = self.bend.span(min(xs), max(xs))
            ys = [min(ys) - most, max(ys) - least]
        return _whole_box(xs, ys, self.width, self.height)

    def polygon_to_original(self, left: float, top: float, right: float, bottom: float) -> tuple[tuple[int, int], ...]:
        """The mapped corners, rounded and inside the original image (a rotated box stays a rotated quadrilateral)."""
        return tuple(
            (_clip(round(x), self.original_width), _clip(round(y), self.original_height))
            for x, y in self.corners_to_original(left, top, right, bottom)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "original_width": self.original_width,
            "original_height": self.original_height,
            "steps": [s.to_dict() for s in self.steps],
            **({"bend": self.bend.to_dict()} if self.bend is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageTransform:
        return cls(
            int(data["original_width"]),
            int(data["original_height"]),
            tuple(GeometricStep.from_dict(s) for s in data.get("steps", [])),
            ColumnShifts.from_dict(data["bend"]) if data.get("bend") is not None else None,
        )


@dataclass(frozen=True, slots=True)
class PageOrigin:
    """The original image a page was read from: which page of its file, and how to map boxes back onto it."""

    transform: PageTransform
    page_number: int = 1  # 1-based page of a multi-page file (PDF, TIFF)
    dpi: float | None = None  # of the original image (a PDF page: the resolution it was rendered at)

    @property
    def width(self) -> int:
        return self.transform.original_width

    @property
    def height(self) -> int:
        return self.transform.original_height

    def to_dict(self) -> dict[str, Any]:
        return {"page_number": self.page_number, "dpi": self.dpi, **self.transform.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageOrigin:
        dpi = data.get("dpi")
        page_number = int(data.get("page_number", 1))
        if page_number < 1:
            raise ValueError(f"page_number must be at least 1, got {page_number}")
        return cls(PageTransform.from_dict(data), page_number, None if dpi is None else float(dpi))


def _whole_box(xs: Sequence[float], ys: Sequence[float], width: int, height: int) -> tuple[int, int, int, int]:
    """The whole-pixel box around the points (``xs``, ``ys``), inside a ``width`` x ``height`` page."""
    left, top = _clip(math.floor(min(xs) + 1e-6), width), _clip(math.floor(min(ys) + 1e-6), height)
    right, bottom = _clip(math.ceil(max(xs) - 1e-6), width), _clip(math.ceil(max(ys) - 1e-6), height)
    return left, top, max(left, right), max(top, bottom)


def _clip(value: int, limit: int) -> int:
    return min(max(int(value), 0), int(limit))


def _clean(value: float) -> float:
    rounded = round(float(value), 9)
    return 0.0 if rounded == 0 else rounded
