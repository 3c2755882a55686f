"""What every output records about how it was made, and stable element ids."""

from __future__ import annotations

import json
from typing import Any

from ocrfix.model import BBox, Page, Step, enclosing


def ocrfix_version() -> str:
    from ocrfix import __version__

    return __version__


def step_dict(step: Step) -> dict[str, Any]:
    return {"name": step.name, "version": step.version, "settings": step.settings}


def steps_json(page: Page) -> str:
    """The page's steps as compact JSON, for a metadata attribute or element."""
    return json.dumps([step_dict(s) for s in page.steps], ensure_ascii=False, sort_keys=True, default=str)


def settings_json(step: Step) -> str:
    return json.dumps(step.settings, ensure_ascii=False, sort_keys=True, default=str)


def engine_description(page: Page) -> str:
    """``tesseract 5.3.0; ocrfix 0.1.0``: the OCR engine that read the page and the writer."""
    engines = [f"{s.name} {s.version}" for s in page.steps if s.name == "tesseract"]
    return "; ".join([*engines, f"ocrfix {ocrfix_version()}"])


def block_id(b: int) -> str:
    return f"block_{b + 1}"


def line_id(b: int, li: int) -> str:
    return f"line_{b + 1}_{li + 1}"


def word_id(b: int, li: int, w: int) -> str:
    return f"word_{b + 1}_{li + 1}_{w + 1}"


def page_box(page: Page) -> BBox:
    """The whole page, or the union of the text when the size is unknown."""
    if page.width > 0 and page.height > 0:
        return BBox(0, 0, page.width, page.height)
    return enclosing([BBox(0, 0, 0, 0), *(w.bbox for w in page.words)]) or BBox(0, 0, 0, 0)
