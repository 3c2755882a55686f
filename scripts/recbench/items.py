"""One benchmark item (an image and its ground truth), and the fixed development/test split."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# Written before anyone tuned on these sources (issue #13). Never change it:
# a changed split would let tuning leak into the test part.
DEV_SHARE_PERCENT = 40
SPLIT_SALT = "ocrfix-recognition-bench-v1"


@dataclass(frozen=True)
class Item:
    name: str  # unique and stable, e.g. "augraphy/protokol-nimbus/photocopy2"
    source: str  # "augraphy", "ehri", "vyl-pages", "vyl-lines"
    group: str  # items of one group fall in the same part (one typed page, one document, one run of lines)
    profile: str  # damage profile, language or kind: what the summary groups by inside a source
    language: str  # Tesseract language code
    image: Path
    truth: str
    kind: str = "page"  # "page" or "line"

    @property
    def part(self) -> str:
        return part_of(self.group)


def split_number(group: str) -> int:
    """0..99 from a hash of the group's name: the same on every machine and Python run."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def part_of(group: str) -> str:
    return "dev" if split_number(group) < DEV_SHARE_PERCENT else "test"


def sample(names: list[str], count: int | None, salt: str) -> list[str]:
    """A stable sample of ``count`` names (all when None): the first by a hash order, returned sorted."""
    if count is None or count >= len(names):
        return sorted(names)
    order = sorted(names, key=lambda n: hashlib.sha256(f"{salt}:{n}".encode()).hexdigest())
    return sorted(order[:count])
