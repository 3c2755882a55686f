"""Per-character alternatives from Tesseract's hOCR (``lstm_choice_mode=2``).

With ``hocr_char_boxes=1`` and ``lstm_choice_mode=2`` every word's hOCR span
holds, for each recognised character, an ``ocrx_cinfo`` span (the character,
``x_bboxes`` and ``x_conf``) followed by an ``lstm_choices`` span whose
children are the LSTM's best readings of that position with ``x_confs``
(0-100). This module turns them into :class:`~ocrfix.model.CharChoice`
tuples with probabilities in 0..1, best first, and hands them to the words
parsed from TSV in the same run.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from ocrfix.errors import OcrError
from ocrfix.model import BBox, Block, CharChoice, Word

_BBOX = re.compile(r"\bbbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_FLOAT_PROPERTY = r"\b{name}\s+(-?[\d.]+(?:e-?\d+)?)"
_FLOAT_PROPERTIES = {name: re.compile(_FLOAT_PROPERTY.format(name=name)) for name in ("x_conf", "x_confs")}


@dataclass(frozen=True, slots=True)
class HocrWord:
    """One ``ocrx_word``: its text and box (to match the TSV word) and its character choices."""

    text: str
    bbox: BBox | None
    choices: tuple[CharChoice, ...]


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _float_property(title: str, name: str) -> float | None:
    match = _FLOAT_PROPERTIES[name].search(title)  # compiled once: the hOCR has thousands of titles
    return float(match.group(1)) if match else None


def _bbox(title: str) -> BBox | None:
    match = _BBOX.search(title)
    return BBox(*(int(v) for v in match.groups())) if match else None


def _text(element: ET.Element) -> str:
    return unicodedata.normalize("NFC", "".join(element.itertext()))


def parse_hocr_words(hocr: str) -> tuple[HocrWord, ...]:
    """Every word of a Tesseract hOCR document with its per-character choices."""
    try:
        root = ET.fromstring(hocr)
    except ET.ParseError as exc:
        raise OcrError(f"Tesseract wrote hOCR that is not well-formed XML: {exc}") from exc
    words = []
    for element in root.iter():
        if "ocrx_word" in _classes(element):
            words.append(_parse_word(element))
    return tuple(words)


def _parse_word(word: ET.Element) -> HocrWord:
    choices: list[CharChoice] = []
    children = list(word)
    characters = []
    for index, child in enumerate(children):
        title = child.get("title", "")
        if "ocrx_cinfo" not in _classes(child) or "x_bboxes" not in title:
            continue
        following = children[index + 1] if index + 1 < len(children) else None
        character = _text(child)
        characters.append(character)
        if following is not None and following.get("id", "").startswith("lstm_choices"):
            readings = []
            for choice in following:
                confidence = _float_property(choice.get("title", ""), "x_confs")
                readings.append((_text(choice), (confidence or 0.0) / 100.0))
            readings.sort(key=lambda reading: -reading[1])
            choices.append(CharChoice(tuple(readings)))
        else:
            confidence = _float_property(title, "x_conf")
            choices.append(CharChoice(((character, (confidence or 0.0) / 100.0),)))
    text = "".join(characters) if characters else _text(word).strip()
    return HocrWord(text=text.strip(), bbox=_bbox(word.get("title", "")), choices=tuple(choices))


def attach_choices(blocks: tuple[Block, ...], hocr_words: tuple[HocrWord, ...]) -> tuple[Block, ...]:
    """Give each TSV word the choices of the hOCR word with the same box and text.

    Both come from one Tesseract run, so they describe the same words; a word
    that finds no partner (which should not happen) keeps no alternatives.
    """
    pending: dict[tuple[BBox | None, str], list[tuple[CharChoice, ...]]] = {}
    for hocr_word in hocr_words:
        pending.setdefault((hocr_word.bbox, hocr_word.text), []).append(hocr_word.choices)

    def with_choices(word: Word) -> Word:
        queue = pending.get((word.bbox, word.text))
        if not queue:
            return word
        return replace(word, alternatives=queue.pop(0))

    return tuple(
        replace(block, lines=tuple(replace(line, words=tuple(with_choices(w) for w in line.words)) for line in block.lines))
        for block in blocks
    )
