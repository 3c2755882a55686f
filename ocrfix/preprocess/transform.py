"""The geometric steps preprocessing takes, as :class:`~ocrfix.geometry.GeometricStep` maps.

Each function describes exactly what one pixel-moving operation does (crop,
``numpy.rot90``, ``cv2.warpAffine``, ``cv2.resize``), in pixel-edge
coordinates (see :mod:`ocrfix.geometry`); :mod:`ocrfix.preprocess` records one
per operation, in order, so boxes on the processed page map back onto the scan.
"""

from __future__ import annotations

from typing import Any

from ocrfix.geometry import Affine, GeometricStep


def crop(left: int, top: int, width: int, height: int) -> GeometricStep:
    """Keep the ``width`` × ``height`` region whose top left corner is (left, top)."""
    return GeometricStep("crop", Affine(c=-float(left), f=-float(top)), int(width), int(height))


def quarter_turn(turns: int, width: int, height: int) -> GeometricStep:
    """``turns`` counter-clockwise quarter turns of a ``width`` × ``height`` image (as ``numpy.rot90``)."""
    turns %= 4
    w, h = float(width), float(height)
    matrix = (
        Affine(),
        Affine(0, 1, 0, -1, 0, w),  # (x, y) -> (y, W - x)
        Affine(-1, 0, w, 0, -1, h),  # (x, y) -> (W - x, H - y)
        Affine(0, -1, h, 1, 0, 0),  # (x, y) -> (H - y, x)
    )[turns]
    size = (width, height) if turns % 2 == 0 else (height, width)
    return GeometricStep(f"quarter_turn_{turns}", matrix, int(size[0]), int(size[1]))


def warp(name: str, cv_matrix: Any, width: int, height: int) -> GeometricStep:
    """An OpenCV ``warpAffine`` matrix (pixel centres, source → destination) into a ``width`` × ``height`` image."""
    (a, b, c), (d, e, f) = ((float(v) for v in row) for row in cv_matrix)
    centred = Affine(a, b, c, d, e, f)
    # edge coordinates: shift by half a pixel into the centre frame, map, shift back
    matrix = Affine(c=-0.5, f=-0.5).then(centred).then(Affine(c=0.5, f=0.5))
    return GeometricStep(name, matrix, int(width), int(height))


def resize(in_width: int, in_height: int, out_width: int, out_height: int) -> GeometricStep:
    """``cv2.resize`` from one size to another (OpenCV aligns pixel edges, so edges scale exactly)."""
    return GeometricStep(
        "resize", Affine(a=out_width / in_width, e=out_height / in_height), int(out_width), int(out_height)
    )
