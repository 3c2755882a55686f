"""The page transform: each geometric step's map agrees with what the step does to the pixels,
and preprocessing records the steps so that a mark in the processed page maps back onto the scan."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from PIL import Image
from test_preprocess import typed_page

from ocrfix import geometry
from ocrfix.config import PreprocessConfig
from ocrfix.preprocess import deskew, preprocess
from ocrfix.preprocess import transform as steps


def marked(height: int = 900, width: int = 700) -> np.ndarray:
    image = np.full((height, width), 255, np.uint8)
    image[300:340, 200:260] = 0  # centre (230, 320)
    return image


def ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(image < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def centre_back(transform: geometry.PageTransform, box: tuple[int, int, int, int]) -> tuple[float, float]:
    return transform.backward().apply((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def test_affine_composition_and_inverse():
    first = geometry.Affine(2, 0, 5, 0, 3, -1)
    second = geometry.Affine(0, -1, 10, 1, 0, 0)
    both = first.then(second)
    x, y = 7.0, 11.0
    assert both.apply(x, y) == pytest.approx(second.apply(*first.apply(x, y)))
    assert both.inverse().apply(*both.apply(x, y)) == pytest.approx((x, y))
    with pytest.raises(ValueError):
        geometry.Affine(1, 2, 0, 2, 4, 0).inverse()


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
@pytest.mark.parametrize("degrees", [0.0, 4.5, -9.0])
@pytest.mark.parametrize("scale", [1.0, 1.7, 0.6])
def test_each_step_maps_the_mark_back_to_where_it_was(turns, degrees, scale):
    image = marked()
    transform = geometry.PageTransform.identity(image.shape[1], image.shape[0])
    transform = transform.then(steps.crop(50, 80, 600, 780))
    work = image[80:860, 50:650]
    transform = transform.then(steps.quarter_turn(turns, work.shape[1], work.shape[0]))
    work = deskew.quarter_turn(work, turns)
    if degrees:
        transform = transform.then(deskew.rotate_step(work.shape, degrees))
        work = deskew.rotate(work, degrees)
    if scale != 1.0:
        transform = transform.then(deskew.rotate_step(work.shape, 0.0, scale))
        work = deskew.rotate(work, 0.0, scale)
    assert (transform.width, transform.height) == (work.shape[1], work.shape[0])
    box = ink_box(work)
    assert centre_back(transform, box) == pytest.approx((230.0, 320.0), abs=1.0)
    left, top, right, bottom = transform.box_to_original(*box)
    # the box around a rotated mark's box holds the mark, and not much more
    assert left <= 201 and top <= 301 and right >= 259 and bottom >= 339
    assert right - left <= 60 * (1 + 2 * math.sin(math.radians(abs(degrees)))) + 8


def test_boxes_are_clipped_to_the_original_and_round_trip_through_json():
    transform = geometry.PageTransform.identity(100, 50).then(steps.crop(10, 5, 80, 40))
    assert transform.box_to_original(-20, -20, 200, 200) == (0, 0, 100, 50)
    assert transform.box_to_original(0, 0, 10, 10) == (10, 5, 20, 15)
    origin = geometry.PageOrigin(transform, page_number=3, dpi=300.0)
    again = geometry.PageOrigin.from_dict(origin.to_dict())
    assert again == origin
    assert geometry.PageTransform.identity(10, 20).is_identity
    assert not transform.is_identity


def test_a_box_of_the_original_is_mapped_into_the_processed_frame_and_clipped_to_it():
    """The way back of box_to_original (another reading's words into the frame of the reading kept)."""
    transform = geometry.PageTransform.identity(100, 50).then(steps.crop(10, 5, 80, 40)).then(steps.resize(80, 40, 160, 80))
    assert transform.box_from_original(10, 5, 20, 15) == (0, 0, 20, 20)
    assert transform.box_from_original(0, 0, 100, 50) == (0, 0, 160, 80)
    assert transform.box_to_original(*transform.box_from_original(30, 20, 50, 30)) == (30, 20, 50, 30)


def test_polygon_of_a_rotated_box_keeps_its_slant():
    transform = geometry.PageTransform.identity(400, 400).then(deskew.rotate_step((400, 400), 10.0))
    polygon = transform.polygon_to_original(100, 100, 300, 130)
    (x0, y0), (x1, y1) = polygon[0], polygon[1]
    # the processed page was turned 10 degrees counter-clockwise, so the top edge descends to the right in the original
    assert math.degrees(math.atan2(y1 - y0, x1 - x0)) == pytest.approx(10.0, abs=0.5)


def test_preprocess_records_crop_rotation_and_scale_and_maps_the_words_back():
    """A typed page set on a dark bed, skewed and small: the processed page's ink maps back onto the scan's ink."""
    page = typed_page(font_px=18)
    paper = np.full((page.shape[0] + 160, page.shape[1] + 160), 235, np.uint8)
    paper[80:-80, 80:-80] = np.minimum(page, 235)
    turned = np.asarray(Image.fromarray(paper).rotate(3.0, expand=True, fillcolor=235, resample=Image.BICUBIC))
    scan = np.full((turned.shape[0] + 240, turned.shape[1] + 300), 30, np.uint8)  # the scanner bed
    scan[100 : 100 + turned.shape[0], 170 : 170 + turned.shape[1]] = turned
    result = preprocess(scan, PreprocessConfig())
    names = [s.name for s in result.transform.steps]
    assert names[0] == "crop" and "rotate" in names and "resize" in names, names
    assert (result.transform.original_width, result.transform.original_height) == (scan.shape[1], scan.shape[0])
    assert (result.transform.width, result.transform.height) == (result.image.shape[1], result.image.shape[0])
    # every ink pixel of the processed page lands on, or within a pixel and a half of, ink of the scan
    scan_ink = (scan < 160).astype(np.uint8)
    distance = cv2.distanceTransform(1 - scan_ink, cv2.DIST_L2, 3)
    ys, xs = np.nonzero(result.image == 0)
    back = result.transform.backward()
    mapped = [back.apply(x + 0.5, y + 0.5) for x, y in zip(xs[::10], ys[::10])]
    distances = np.array([distance[int(oy), int(ox)] for ox, oy in mapped])
    assert np.percentile(distances, 99) <= 1.5
    # and a transform that forgot the crop would not
    wrong = result.transform.steps[1:]
    forgot = geometry.PageTransform(scan.shape[1], scan.shape[0], wrong).backward()
    missed = np.array([distance[int(oy), int(ox)] for ox, oy in (forgot.apply(x + 0.5, y + 0.5) for x, y in zip(xs[::10], ys[::10]))])
    assert np.percentile(missed, 50) > 3


def test_pages_without_geometry_steps_have_an_identity_transform():
    image = typed_page(font_px=30)
    result = preprocess(image, PreprocessConfig(crop_borders=False, deskew=False, detect_orientation=False, rescale=False))
    assert result.transform.is_identity
    assert (result.transform.original_width, result.transform.original_height) == (image.shape[1], image.shape[0])


def test_page_json_keeps_the_origin_and_reads_pages_without_one():
    from ocrfix.model import BBox, Block, Line, Page, Word
    from ocrfix.ocr import page_from_json, to_json
    from ocrfix.ocr.frame import original_frame

    transform = geometry.PageTransform.identity(1000, 800).then(steps.crop(100, 50, 600, 500))
    page = Page((Block((Line((Word("слово", BBox(10, 20, 60, 40)),)),)),), 600, 500, "delo.pdf",
                origin=geometry.PageOrigin(transform, page_number=4, dpi=300.0))
    again = page_from_json(to_json(page))
    assert again.origin == page.origin
    frame = original_frame(again)
    assert (frame.width, frame.height, frame.page_number) == (1000, 800, 4)
    assert frame.box(again.words[0].bbox) == BBox(110, 70, 160, 90)
    data = to_json(page)
    del data["origin"]  # a page.json written before origins were recorded
    old = page_from_json(data)
    assert old.origin is None
    assert original_frame(old).box(old.words[0].bbox) == BBox(10, 20, 60, 40)
