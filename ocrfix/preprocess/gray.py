"""Colour to gray, and the check for negative (white-on-black) scans."""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess import illumination
from ocrfix.preprocess.util import shrink_to

DARKER_THAN_PAPER = 0.75  # after flattening, a pixel below this share of white is darker than its paper


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """uint8 gray from gray or RGB pixels (the ITU-R 601 luma OpenCV uses)."""
    if pixels.ndim == 2:
        return np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        code = cv2.COLOR_RGB2GRAY if pixels.shape[2] == 3 else cv2.COLOR_RGBA2GRAY
        return cv2.cvtColor(np.ascontiguousarray(pixels, dtype=np.uint8), code)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        return np.ascontiguousarray(pixels[..., 0], dtype=np.uint8)
    raise ValueError(f"expected a gray or RGB image, got an array of shape {pixels.shape}")


def channel_mean(image: np.ndarray) -> np.ndarray:
    """The mean of a colour image's channels rounded down to uint8, in integers: what
    ``image.mean(axis=2).astype(np.uint8)`` gives, a tenth of its time on an RGB page
    (unweighted, unlike :func:`to_gray`'s luma)."""
    if image.shape[2] != 3:
        return (image.sum(axis=2, dtype=np.uint32) // image.shape[2]).astype(np.uint8)
    total = image[..., 0].astype(np.uint16) + image[..., 1] + image[..., 2]
    return (total // 3).astype(np.uint8)


def dark_share_of_centre(gray: np.ndarray) -> float:
    """Share of the page centre that stays dark once the lighting is flattened.

    The background (:func:`ocrfix.preprocess.illumination.flatten`'s: a grey closing wider than
    any letter, on the reduced copy) is what the page looks like without dark marks on it. Dividing by it brings lit and shaded
    paper alike to white, so only what is darker than the paper around it
    stays dark: on a positive page that is the ink, a minority of the centre
    (dense typing covers under 30%); on a negative the closing fills the dark
    paper between the light strokes up to their level, so the paper itself
    stays dark, the majority. A lighting gradient, a lamp on one side or a
    curved sheet therefore cannot pass for a negative, as it could when one
    threshold split the raw page. The centre is used because dark
    scanner-bed borders would otherwise count as "dark paper".
    """
    small = shrink_to(gray, 600)
    height, width = small.shape
    centre_box = (slice(height // 4, height - height // 4), slice(width // 4, width - width // 4))
    centre = small[centre_box]
    if centre.size == 0 or int(centre.max()) - int(centre.min()) < 16:
        return 0.0
    flat = illumination.flatten(small, letter_px=min(height, width) / 25, reduction=1)[centre_box]
    return float(np.count_nonzero(flat < DARKER_THAN_PAPER * 255)) / flat.size
