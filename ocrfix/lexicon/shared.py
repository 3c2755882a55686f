"""The lexicon each process loads once (the CLI, a batch's parent, every worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ocrfix.config import CorrectConfig

if TYPE_CHECKING:
    from ocrfix.lexicon.store import Lexicon

_loaded: dict[CorrectConfig, Lexicon] = {}


def get_lexicon(config: CorrectConfig, report: Callable[[str], None] | None = None) -> Lexicon:
    """The lexicon for these settings, loaded once per process (``report`` hears about
    a first-time build: what it does and how long it took)."""
    from ocrfix.lexicon.store import load_lexicon

    if config not in _loaded:
        _loaded[config] = load_lexicon(config, report=report)
    return _loaded[config]
