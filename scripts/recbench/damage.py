"""Named damage profiles for typed pages, built from augraphy's augmentations.

Each profile is a function of (page, rng seed) -> (image, dpi). Seeds make every
page reproducible (augraphy draws from Python's and NumPy's global generators,
so both are seeded before each profile). The profiles are written here once,
before any tuning, and are not adjusted to make ocrfix look good or bad.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import cv2
import numpy as np

PAGE_DPI = 300


def _aug():
    import augraphy  # imported late: only the augraphy source needs it

    return augraphy


def _bgr(gray: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray


def _apply(image: np.ndarray, augmentations: list) -> np.ndarray:
    for augmentation in augmentations:
        result = augmentation(image, force=True)
        image = result[0] if isinstance(result, tuple) else result
    return image


def clean(page: np.ndarray) -> tuple[np.ndarray, int]:
    return page, PAGE_DPI


def faded_carbon(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A carbon copy: pale, blurred, uneven ink with strike gaps, on thin greyish paper."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.InkBleed(intensity_range=(0.5, 0.7), kernel_size=(5, 5), severity=(0.4, 0.5)),
        a.Letterpress(n_samples=(400, 700), n_clusters=(500, 800), std_range=(1500, 3000), value_range=(170, 230)),
        a.LowInkRandomLines(count_range=(8, 14), use_consistent_lines=False),
        a.Gamma(gamma_range=(1.6, 1.9)),
        a.NoiseTexturize(sigma_range=(3, 6), turbulence_range=(2, 4)),
    ])
    return image, PAGE_DPI


def photocopy2(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A photocopy of a photocopy: toner noise at the edges, drum streaks, contrast pushed twice."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.BadPhotoCopy(noise_type=-1, noise_iteration=(1, 2), noise_value=(40, 110), noise_sparsity=(0.3, 0.6)),
        a.DirtyDrum(line_width_range=(1, 2), line_concentration=0.03, noise_intensity=0.2),
        a.BadPhotoCopy(noise_type=-1, noise_iteration=(1, 2), noise_value=(40, 110), noise_sparsity=(0.3, 0.6)),
        a.Brightness(brightness_range=(0.9, 1.1)),
    ])
    return image, PAGE_DPI


def bleed_through(page: np.ndarray) -> tuple[np.ndarray, int]:
    """The other side of thin paper shows through."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.BleedThrough(intensity_range=(0.3, 0.5), color_range=(0, 200), ksize=(17, 17), sigmaX=1, alpha=0.25,
                       offsets=(20, 40)),
        a.NoiseTexturize(sigma_range=(2, 4), turbulence_range=(2, 3)),
    ])
    return image, PAGE_DPI


def stains_folds(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A page folded in three, with water or tea stains."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.Folding(fold_count=2, fold_noise=0.01, fold_angle_range=(-3, 3), gradient_width=(0.1, 0.2),
                  gradient_height=(0.01, 0.02)),
        a.Stains(stains_type="random", stains_blend_method="darken", stains_blend_alpha=0.3),
    ])
    return image, PAGE_DPI


def phone_capture(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A phone photograph: the page on a dark desk, slight perspective, a shadow, uneven light, JPEG."""
    a = _aug()
    image = _bgr(page)
    w = image.shape[1]
    pad = int(0.05 * w)
    image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(62, 58, 55))
    hh, ww = image.shape[:2]
    jitter = 0.02 * w
    src = np.float32([[0, 0], [ww, 0], [ww, hh], [0, hh]])
    dst = src + np.float32([[random.uniform(0, jitter), random.uniform(0, jitter)] for _ in range(4)]) * np.float32(
        [[1, 1], [-1, 1], [-1, -1], [1, -1]]
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    image = cv2.warpPerspective(image, matrix, (ww, hh), borderMode=cv2.BORDER_CONSTANT, borderValue=(62, 58, 55))
    image = _apply(image, [
        a.ShadowCast(shadow_side="random", shadow_vertices_range=(2, 3), shadow_width_range=(0.5, 0.8),
                     shadow_height_range=(0.5, 0.8), shadow_opacity_range=(0.4, 0.6), shadow_iterations_range=(1, 1),
                     shadow_blur_kernel_range=(151, 301)),
        a.LightingGradient(max_brightness=255, min_brightness=100, mode="gaussian", transparency=0.5),
        a.SubtleNoise(subtle_range=12),
        a.Jpeg(quality_range=(60, 75)),
    ])
    return image, PAGE_DPI


def low_res_jpeg(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A 120 dpi scan saved as a strongly compressed JPEG."""
    a = _aug()
    scale = 0.4
    image = _apply(_bgr(page), [a.Geometric(scale=(scale, scale)), a.Jpeg(quality_range=(20, 30))])
    return image, round(PAGE_DPI * scale)


def over_inked(page: np.ndarray) -> tuple[np.ndarray, int]:
    """A fresh ribbon: ink spreads, counters fill in, the strikes smear."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.InkBleed(intensity_range=(0.8, 0.95), kernel_size=(7, 7), severity=(0.6, 0.8)),
        a.InkMottling(ink_mottling_alpha_range=(0.2, 0.3)),
        a.InkShifter(text_shift_scale_range=(18, 24), text_shift_factor_range=(1, 2), text_fade_range=(0, 1),
                     noise_type="random"),
    ])
    # heavier strokes: a dilation of the ink by one pixel (a minimum filter on the grey page)
    image = cv2.erode(image, np.ones((3, 3), np.uint8))
    return image, PAGE_DPI


def tinted_gradient(page: np.ndarray) -> tuple[np.ndarray, int]:
    """Yellowed or grey paper under light that falls off towards one side (the side is drawn per page)."""
    a = _aug()
    image = _apply(_bgr(page), [
        a.ColorPaper(hue_range=(20, 40), saturation_range=(30, 70)),
        a.NoiseTexturize(sigma_range=(3, 6), turbulence_range=(2, 4)),
        a.LightingGradient(light_position=None, direction=None, max_brightness=255, min_brightness=60,
                           mode="linear_static", linear_decay_rate=0.5, transparency=0.45),
    ])
    return image, PAGE_DPI


def skewed(page: np.ndarray) -> tuple[np.ndarray, int]:
    """Fed crooked into the scanner: rotated 2 to 5 degrees either way (augraphy turns by whole degrees), white fill."""
    a = _aug()
    angle = random.choice((-5, -4, -3, -2, 2, 3, 4, 5))
    image = _apply(_bgr(page), [a.Geometric(rotate_range=(angle, angle)), a.SubtleNoise(subtle_range=6)])
    return image, PAGE_DPI


PROFILES: dict[str, Callable[[np.ndarray], tuple[np.ndarray, int]]] = {
    "clean": clean,
    "faded_carbon": faded_carbon,
    "photocopy2": photocopy2,
    "bleed_through": bleed_through,
    "stains_folds": stains_folds,
    "phone_capture": phone_capture,
    "low_res_jpeg": low_res_jpeg,
    "over_inked": over_inked,
    "tinted_gradient": tinted_gradient,
    "skewed": skewed,
}


def damage(page: np.ndarray, profile: str, seed: int) -> tuple[np.ndarray, int]:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    return PROFILES[profile](page)
