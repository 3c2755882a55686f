"""The Jinja2 environment for the HTML reports: autoescaping on, templates from the package."""

from __future__ import annotations

import base64
import hashlib
import math
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

TEMPLATES = Path(__file__).resolve().parent / "templates"


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value * 100:.2f} %"


def estimated_cer_text(cer: float) -> str:
    """A page's estimated character error rate as the batch index and the review app's page list show it."""
    return f"estimated CER {100 * cer:.1f}%"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template: OCR text may hold markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


@lru_cache(maxsize=4)
def inline_script(name: str) -> tuple[markupsafe.Markup, str]:
    """The script ``templates/name`` as trusted markup, and its CSP source (``sha256-...``).

    The reports allow only this exact script to run (Content-Security-Policy),
    so even markup that got past escaping could not execute.
    """
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</" in source:
        raise ValueError(f"{name} must not contain '</' (it is inlined in a <script> element)")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return markupsafe.Markup(source), f"sha256-{digest}"
