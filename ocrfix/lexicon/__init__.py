"""The Russian lexicon: every inflected form of the morphological dictionary with
word frequencies, curated domain lexicons, compiled once into a fast on-disk form."""

from ocrfix.lexicon.normalize import fold
from ocrfix.lexicon.store import Lexicon, cache_root, default_lexicon_dir, load_lexicon

__all__ = ["Lexicon", "cache_root", "default_lexicon_dir", "fold", "load_lexicon"]
