"""Checks for JSON read from files and requests: each value's type, length and count.

JSON from outside (``decisions.json``, a collection memory, a review request) is
never trusted to have the shape its writer meant: ``"false"`` is a string, not
false, and a dictionary is not a reading. Each function returns the value when it
fits and raises :class:`Invalid` naming where it is (``decisions.d3.text``) when
it does not; callers turn that into their own typed error with the file's name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any


class Invalid(ValueError):
    """A value that does not fit its schema; the message names where it is."""


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def obj(value: Any, where: str, *, max_items: int | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where} must be an object, not {_kind(value)}")
    if max_items is not None and len(value) > max_items:
        raise Invalid(f"{where} has {len(value):,} entries, more than the {max_items:,} allowed")
    return value


def array(value: Any, where: str, *, max_items: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(f"{where} must be a list, not {_kind(value)}")
    if max_items is not None and len(value) > max_items:
        raise Invalid(f"{where} has {len(value):,} items, more than the {max_items:,} allowed")
    return value


def string(value: Any, where: str, *, max_length: int, nfc: bool = True) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{where} must be a string, not {_kind(value)}")
    if len(value) > max_length:
        raise Invalid(f"{where} is {len(value):,} characters long, more than the {max_length:,} allowed")
    return unicodedata.normalize("NFC", value) if nfc else value


def optional_string(value: Any, where: str, *, max_length: int) -> str | None:
    return None if value is None else string(value, where, max_length=max_length)


def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{where} must be true or false, not {_kind(value)}")
    return value


def number(value: Any, where: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise Invalid(f"{where} must be a number between {low:g} and {high:g}, not {value!r:.40}")
    return float(value)


def optional_number(value: Any, where: str, *, low: float, high: float) -> float | None:
    return None if value is None else number(value, where, low=low, high=high)


def choice(value: Any, where: str, options: Iterable[str]) -> str:
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise Invalid(f"{where} must be one of {', '.join(options)}, not {value!r:.40}")
    return value


def only_keys(value: dict[str, Any], where: str, allowed: Iterable[str]) -> None:
    """Refuse keys outside ``allowed`` (a misspelt field would otherwise be ignored)."""
    extra = sorted(set(value) - set(allowed))
    if extra:
        raise Invalid(f"{where} has unknown field(s): {', '.join(map(str, extra))[:200]}")
