"""The page model as JSON, and back again without loss."""

from __future__ import annotations

import unicodedata
from typing import Any

from ocrfix.errors import BadInputError
from ocrfix.geometry import PageOrigin
from ocrfix.model import BBox, Block, CharChoice, Line, Page, Step, with_ids
from ocrfix.model import Word as ModelWord
from ocrfix.ocr.provenance import ocrfix_version, step_dict

FORMAT_NAME = "ocrfix-page"
FORMAT_VERSION = 2  # 2: lines and words carry ids; version 1 pages are read and given ids
READABLE_VERSIONS = (1, 2)


def to_json(page: Page) -> dict[str, Any]:
    """A JSON-ready dict holding everything in the page (text, boxes, confidences, alternatives, steps)."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "written_by": f"ocrfix {ocrfix_version()}",
        "source": page.source,
        "width": page.width,
        "height": page.height,
        "steps": [step_dict(s) for s in page.steps],
        "origin": None if page.origin is None else page.origin.to_dict(),
        "blocks": [
            {
                "bbox": _box_out(block.bbox),
                "lines": [
                    {"id": line.id, "bbox": _box_out(line.bbox), "words": [_word_out(w) for w in line.words]} for line in block.lines
                ],
            }
            for block in page.blocks
        ],
    }


def _box_out(box: BBox | None) -> list[int] | None:
    return None if box is None else box.as_list()


def _word_out(word: ModelWord) -> dict[str, Any]:
    data: dict[str, Any] = {"id": word.id, "text": word.text, "bbox": _box_out(word.bbox), "confidence": word.confidence}
    if word.original is not None:
        data["original"] = word.original
    if word.source is not None:
        data["source"] = word.source
    if word.rejected is not None:
        data["rejected"] = word.rejected
    if word.alternatives:
        data["alternatives"] = [[[text, p] for text, p in choice.choices] for choice in word.alternatives]
    return data


def page_from_json(data: dict[str, Any]) -> Page:
    """The inverse of :func:`to_json`; malformed data is a :class:`BadInputError`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise BadInputError(f"not an {FORMAT_NAME} JSON document")
    if data.get("format_version") not in READABLE_VERSIONS:
        raise BadInputError(f"unsupported {FORMAT_NAME} format_version {data.get('format_version')!r}")
    try:
        page = Page(
            blocks=tuple(
                Block(
                    tuple(
                        Line(tuple(_word_in(w) for w in line["words"]), _box_in(line.get("bbox")), _id_in(line.get("id")))
                        for line in block["lines"]
                    ),
                    _box_in(block.get("bbox")),
                )
                for block in data["blocks"]
            ),
            width=int(data.get("width", 0)),
            height=int(data.get("height", 0)),
            source=str(data.get("source", "")),
            steps=tuple(Step(str(s["name"]), str(s["version"]), dict(s.get("settings", {}))) for s in data.get("steps", [])),
            origin=None if data.get("origin") is None else PageOrigin.from_dict(data["origin"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"malformed {FORMAT_NAME} JSON: {type(exc).__name__}: {exc}") from exc
    ids = [line.id for line in page.lines if line.id] + [w.id for w in page.words if w.id]
    if len(ids) != len(set(ids)):
        raise BadInputError(f"malformed {FORMAT_NAME} JSON: a line or word id occurs twice")
    return with_ids(page)  # a version 1 page, or one written by hand, gets its ids here


def _id_in(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"an id must be a string, got {type(value).__name__}")
    return value


def _nfc(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    return unicodedata.normalize("NFC", text)


def _box_in(value: Any) -> BBox | None:
    if value is None:
        return None
    left, top, right, bottom = (int(v) for v in value)
    return BBox(left, top, right, bottom)


def _word_in(data: dict[str, Any]) -> ModelWord:
    confidence = data.get("confidence")
    original = data.get("original")
    return ModelWord(
        text=_nfc(data["text"]),
        bbox=_box_in(data.get("bbox")),
        confidence=None if confidence is None else float(confidence),
        alternatives=tuple(
            CharChoice(tuple((_nfc(text), float(p)) for text, p in choice)) for choice in data.get("alternatives", [])
        ),
        original=None if original is None else _nfc(original),
        id=_id_in(data.get("id")),
        source=None if data.get("source") is None else str(data["source"]),
        rejected=None if data.get("rejected") is None else _nfc(data["rejected"]),
    )
