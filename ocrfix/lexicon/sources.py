"""Where the lexicon's words come from: the morphological dictionary, the word
frequency list, and the curated files under ``ocrfix/data/lexicons/``."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ocrfix.errors import BadInputError, MissingDependencyError
from ocrfix.lexicon.normalize import fold

# Bit flags stored per word form.
MORPH = 1  # a form of the morphological dictionary
FREQUENT = 2  # listed by the frequency list
DOMAIN = 4  # from a curated lexicon
ABBREVIATION = 8
NAME = 16
PLACE = 32
PERIOD = 64
INSTITUTION = 128
VERIFIED = MORPH | DOMAIN  # a form some dictionary or curated list has, not only the web frequency list


def web_only(flags: int) -> bool:
    """A lexicon entry's ``flags`` say only the web frequency list knows the form (no dictionary, no
    curated list): such a list is full of typos, and of surnames and places in some of their forms.
    The one test of it: the vocabulary's weak words and lowered frequency, the collection's web
    forms, the corrector's weakly known words all ask it."""
    return not flags & VERIFIED

# Curated file name (without .txt) -> the flags its entries get, and whether they inflect.
CURATED_KINDS: dict[str, tuple[int, bool]] = {
    "abbreviations": (DOMAIN | ABBREVIATION, False),
    "institutions": (DOMAIN | INSTITUTION, True),
    "names": (DOMAIN | NAME, True),
    "places": (DOMAIN | PLACE, True),
    "period": (DOMAIN | PERIOD, True),
}

# Zipf values (log10 of frequency per billion words) given to forms with no listed frequency.
UNLISTED_FORM_ZIPF = 0.8
CURATED_ZIPF = 3.0
CURATED_ABBREVIATION_ZIPF = 3.5


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def dictionary_versions() -> dict[str, str]:
    """What the compiled base lexicon depends on; a change means a rebuild."""
    return {
        "pymorphy3-dicts-ru": package_version("pymorphy3-dicts-ru"),
        "wordfreq": package_version("wordfreq"),
        "marisa-trie": package_version("marisa-trie"),
    }


def morph_dictionary_dir() -> Path:
    try:
        import pymorphy3_dicts_ru
    except ImportError as exc:
        raise MissingDependencyError(
            "the Russian morphological dictionary is not installed", "pip install pymorphy3-dicts-ru"
        ) from exc
    return Path(pymorphy3_dicts_ru.get_path())


def iter_morph_forms() -> Iterator[str]:
    """Every word form of the morphological dictionary (with repeats), as stored (ё kept)."""
    words_file = morph_dictionary_dir() / "words.dawg"
    try:
        import dawg  # the C reader: all 5 million keys in about two seconds

        yield from dawg.BytesDAWG().load(str(words_file)).iterkeys()
        return
    except ImportError:
        pass
    import pymorphy3  # pure-Python fallback, about a minute

    analyzer = pymorphy3.MorphAnalyzer(path=str(words_file.parent))
    yield from analyzer.dictionary.words.iterkeys()


def frequency_zipf() -> dict[str, float]:
    """Folded word -> Zipf frequency from wordfreq's large Russian list."""
    try:
        import wordfreq
    except ImportError as exc:
        raise MissingDependencyError("wordfreq is not installed", "pip install wordfreq") from exc
    zipf: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("ru", wordlist="large").items():
        if freq <= 0 or not any(ch.isalpha() for ch in word):
            continue
        key = fold(word)
        value = math.log10(freq) + 9.0
        if value > zipf.get(key, -1.0):
            zipf[key] = value
    return zipf


# a lexicon folder's error model is the first of these it has (correct.error_model): the table
# learned from the corpus (scripts/learn_error_model.py), else the hand-made one, its prior
CONFUSION_TABLES = ("confusions.learned.tsv", "confusions.tsv")


@dataclass(frozen=True)
class CuratedEntry:
    surface: str  # as written in the file (canonical casing)
    kind: str  # file stem: names, places, abbreviations, ...


def curated_files(lexicon_dirs: Sequence[Path]) -> list[Path]:
    """The word lists (``*.txt``) of these folders, folder by folder, each sorted by name;
    a folder that does not exist has none."""
    return [p for d in lexicon_dirs for p in sorted(Path(d).glob("*.txt")) if p.is_file()]


def curated_hash(lexicon_dirs: Sequence[Path]) -> str:
    """What the curated overlay is made from: every word list of these folders and the
    first folder's confusion tables (the hand-made one and the one learned from it)."""
    digest = hashlib.sha256()
    for index, lexicon_dir in enumerate(lexicon_dirs):
        for path in curated_files([lexicon_dir]):
            digest.update(f"{index}/{path.name}\0".encode())
            digest.update(path.read_bytes() + b"\0")
    for name in reversed(CONFUSION_TABLES):  # the hand-made one first, as before there was a learned one
        confusions = Path(lexicon_dirs[0]) / name
        if confusions.exists():
            digest.update(confusions.read_bytes())
    return digest.hexdigest()[:16]


def read_curated(lexicon_dirs: Sequence[Path]) -> list[CuratedEntry]:
    """All entries of the word lists of these folders (the curated ones, then the user's);
    unknown file names count as 'institutions'."""
    entries: list[CuratedEntry] = []
    for path in curated_files(lexicon_dirs):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInputError(f"cannot read lexicon file {path}: {exc}") from exc
        kind = path.stem if path.stem in CURATED_KINDS else "institutions"
        for raw in text.splitlines():
            entry = raw.split("#", 1)[0].strip()
            if entry:
                entries.append(CuratedEntry(unicodedata.normalize("NFC", entry), kind))
    return entries


def inflect_like(surface: str, model: str, analyzer) -> list[str]:
    """Forms of ``surface`` made on the pattern of the dictionary word ``model``
    (an entry written 'дубань ~ конь' inflects as конь: дубаня, дубаню, ...)."""
    parses = [p for p in analyzer.parse(model) if fold(p.word) == fold(model)]
    if not parses:
        return [surface]
    forms = [f.word for f in parses[0].lexeme]
    stem = forms[0]
    for form in forms[1:]:
        while not form.startswith(stem):
            stem = stem[:-1]
    cut = len(model) - len(stem)
    base = surface[: len(surface) - cut] if cut else surface
    out = {surface}
    for form in forms:
        word = base + form[len(stem):]
        out.add(word[:1].upper() + word[1:] if surface[:1].isupper() else word)
    return sorted(out)


# Surname endings and a dictionary surname that inflects the same way, for names
# the analyser does not recognise (Стомоняков is not in any dictionary).
VOWELS = "аеёиоуыэюяй"
SURNAME_MODELS = (("ов", "Иванов"), ("ев", "Медведев"), ("ёв", "Королёв"), ("ин", "Пушкин"), ("ын", "Птицын"))


def inflect(surface: str, analyzer, kind: str = "") -> list[str]:
    """All forms of a curated lemma, predicted by the morphological analyser.

    An entry 'word ~ model' inflects like the dictionary word ``model``.
    Hyphenated names inflect on their last part (Ма-Ху-шань -> Ма-Ху-шаня).
    Only a noun or adjective parse whose normal form is the entry itself is used,
    so a word that is already an inflected form is kept as it is; a surname that
    has no such parse inflects like a dictionary surname with its ending.
    """
    if "~" in surface:
        word, _, model = (part.strip() for part in surface.partition("~"))
        return inflect_like(word, model, analyzer)
    head, sep, last = surface.rpartition("-")
    target = last if sep else surface
    if not target or not target[0].isalpha():
        return [surface]
    proper = {"Surn", "Name", "Geox", "Orgn"}
    candidates = [p for p in analyzer.parse(target)
                  if p.tag.POS in {"NOUN", "ADJF"} and fold(p.normal_form) == fold(target)]
    if kind in {"names", "places"}:
        candidates.sort(key=lambda p: not (proper & set(p.tag.grammemes)))
    if not candidates:
        if kind == "names" and sep and target[-1:] not in VOWELS:
            # a Chinese name's last syllable declines as a noun: Ма-Чжу-ин, Ма-Чжу-ина, Ма-Чжу-ином
            return sorted({f"{head}{sep}{f}" for f in inflect_like(target, "стол", analyzer)} | {surface})
        if kind == "names" and target[:1].isupper():
            for ending, model in SURNAME_MODELS:
                if target.endswith(ending):
                    forms = inflect_like(target, model, analyzer)
                    return sorted({f"{head}{sep}{f}" if sep else f for f in forms} | {surface})
        return [surface]
    forms = {surface}
    for form in candidates[0].lexeme:
        word = form.word
        if target[:1].isupper():
            word = word[:1].upper() + word[1:]
        forms.add(f"{head}{sep}{word}" if sep else word)
    return sorted(forms)
