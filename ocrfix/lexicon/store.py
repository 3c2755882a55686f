"""The compiled lexicon: all word forms with a frequency and flags per form, plus a
small overlay of curated and user entries.

Layout of the cache directory (``$OCRFIX_CACHE_DIR``, else
``$XDG_CACHE_HOME/ocrfix``, else ``~/.cache/ocrfix``)::

    base-<key>/words.marisa   folded forms of the dictionary and frequency list
    base-<key>/info.npy       uint8 [n, 2]: zipf * 20, flags (indexed by trie id)
    base-<key>/grams.json     which letters occur between which neighbours (see letter_grams)
    base-<key>/forms-info.dawg the forms again as a DAWG, each with its zipf * 20 and flags, and
                              reversed-forms.dawg the reversed forms: the look-ups candidate search
                              makes by the thousand (is it a form, its frequency, does a form begin
                              or end so), about three times faster than the trie and info.npy
                              (compiled with them; derived from them on first load for a base
                              compiled before they existed, see _derived_forms; such a base also
                              holds reversed.marisa, which nothing reads any more). A load reads
                              these, grams.json and the manifest only: the trie and info.npy
                              are read to derive what is missing or damaged
    base-<key>/manifest.json  versions the key was made from, and how many forms it holds
    overlay-<key>.json        curated entries with their inflections

The base key hashes the versions of the source dictionaries, the overlay key the
word lists (the curated ones in ``ocrfix/data/lexicons/`` and the user's in
:func:`user_lexicon_dir`), so editing either rebuilds only the small overlay.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import platformdirs

from ocrfix.config import CorrectConfig
from ocrfix.errors import BadInputError, MissingDependencyError
from ocrfix.fileio import atomic_write_json
from ocrfix.fingerprint import value_digest
from ocrfix.lexicon import grams as gram_tables
from ocrfix.lexicon import sources
from ocrfix.lexicon.normalize import fold

BUILD_FORMAT = 2  # bump when the compiled layout or its content rules change
OVERLAY_FORMAT = 3  # bump when the rules that inflect curated entries change (rebuilds only the overlay)
ZIPF_SCALE = 20.0
MEMO_LIMIT = 500_000  # entries a look-up memo may hold before it starts over


def default_lexicon_dir() -> Path:
    """The curated lexicons shipped inside the package (``ocrfix/data/lexicons/``)."""
    return Path(str(resources.files("ocrfix") / "data" / "lexicons"))


def lexicon_dir_of(config: CorrectConfig) -> Path:
    """The curated lexicons: ``[correct] lexicon_dir``, else the ones shipped with ocrfix."""
    path = Path(config.lexicon_dir) if config.lexicon_dir else default_lexicon_dir()
    if not path.is_dir():
        if config.lexicon_dir:
            raise MissingDependencyError(f"lexicon directory {path} does not exist",
                                         "set [correct] lexicon_dir to a folder of word lists, or remove it")
        raise MissingDependencyError(f"the curated lexicons are missing from the installed package ({path})",
                                     "reinstall ocrfix from a complete wheel or checkout (pip install --force-reinstall ocrfix)")
    return path


def user_lexicon_dir() -> Path:
    """Where ``ocrfix lexicon add`` writes a user's words: ``$OCRFIX_DATA_DIR/lexicons``,
    else ``lexicons/`` in the user data folder (``~/.local/share/ocrfix`` on Linux).
    Never a file of the package or the repository."""
    base = os.environ.get("OCRFIX_DATA_DIR") or platformdirs.user_data_dir("ocrfix", appauthor=False)
    return Path(base) / "lexicons"


def lexicon_dirs(config: CorrectConfig) -> tuple[Path, Path]:
    """The folders whose word lists make the curated overlay: the curated lexicons, then
    the user's additions (which may not exist yet)."""
    return lexicon_dir_of(config), user_lexicon_dir()


def curated_key(config: CorrectConfig) -> str:
    """A hash of everything the curated overlay is made from (curated and user word lists)."""
    return sources.curated_hash(lexicon_dirs(config))


def cache_root() -> Path:
    if os.environ.get("OCRFIX_CACHE_DIR"):
        return Path(os.environ["OCRFIX_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ocrfix"


def base_key() -> str:
    return value_digest({"format": BUILD_FORMAT, **sources.dictionary_versions()})


@dataclass(frozen=True)
class OverlayEntry:
    zipf: float
    flags: int
    canonical: str  # the curated spelling (its casing is meaningful for abbreviations)


@dataclass
class Lexicon:
    """Word forms with frequencies and kinds. Look-ups take folded keys (see :func:`fold`)."""

    forms: object  # dawg.IntCompletionDAWG of the compiled forms -> zipf * 20 | flags << 8: look-ups and prefixes
    reversed_forms: object  # dawg.CompletionDAWG of the forms spelt backwards: suffixes
    size: int  # how many forms ``forms`` holds (the base's manifest says)
    overlay: dict[str, OverlayEntry]
    source_dir: Path
    base_dir: Path
    version: str = ""  # what it was built from: the compiled base's key and the curated word lists' hash
    _memos: dict = field(default_factory=dict, repr=False)  # name -> what a user derived (see memo)
    _overlay_prefixes: set = field(default_factory=set, repr=False)
    _overlay_suffixes: set = field(default_factory=set, repr=False)
    grams: gram_tables.Grams = field(default_factory=lambda: ({}, {}), repr=False)  # empty: no pruning

    def __post_init__(self) -> None:
        for key in self.overlay:
            for i in range(len(key) + 1):
                self._overlay_prefixes.add(key[:i])
                self._overlay_suffixes.add(key[i:])
        self._forms_get = self.forms.get
        if self.grams[0] and self.overlay:
            self.grams = gram_tables.merged(self.grams, gram_tables.letter_grams(self.overlay))
        self._letter_masks = gram_tables.letter_masks(self.grams) if self.grams[0] else None

    def __len__(self) -> int:
        return self.size + sum(1 for k in self.overlay if k not in self.forms)

    def __contains__(self, key: str) -> bool:
        return key in self.overlay or key in self.forms

    def has_prefix(self, prefix: str) -> bool:
        """Whether some form starts with ``prefix`` (folded). (Not remembered: a look-up in the
        forms' DAWG costs about what a memo would; a batch's Vocabulary remembers its own.)"""
        return prefix in self._overlay_prefixes or self.forms.has_keys_with_prefix(prefix)

    @property
    def overlay_prefixes(self) -> set[str]:
        """Every start of a curated form (has_prefix asks these before the DAWG)."""
        return self._overlay_prefixes

    def has_suffix(self, suffix: str) -> bool:
        """Whether some form ends with ``suffix`` (folded)."""
        return suffix in self._overlay_suffixes or self.reversed_forms.has_keys_with_prefix(suffix[::-1])

    def letters(self, before: str, after: str) -> str:
        """Letters some form has between these neighbours (two characters each side,
        padded with ^ and $; see :mod:`ocrfix.lexicon.grams`), in ALPHABET's order. Without
        the tables, every letter of the alphabet."""
        return gram_tables.mask_letters(self.letter_mask(before, after))

    def letter_mask(self, before: str, after: str) -> int:
        """:meth:`letters` as a mask of the alphabet's letters (see grams.letter_masks)."""
        if self._letter_masks is None:
            return gram_tables.ALL_LETTERS
        return gram_tables.mask_between(self._letter_masks, before, after)

    def memo(self, name: str) -> dict:
        """A memo for what a user of the lexicon derives from it (the corrector's candidates,
        a vocabulary's caches), one per ``name``, kept until :meth:`forget` (started over when
        it holds more than MEMO_LIMIT entries). What else an entry depends on belongs in its key."""
        memo = self._memos.get(name)
        if memo is None or len(memo) > MEMO_LIMIT:
            memo = self._memos[name] = {}
        return memo

    def forget(self) -> None:
        """Drop what this process remembered about words (candidates, prefixes): a cold start."""
        self._memos.clear()

    def knows(self, word: str) -> bool:
        return fold(word) in self

    def knows_as_written(self, word: str) -> bool:
        """Whether the lexicon knows ``word`` in its case: in small letters, in capitals or with a
        capital first by its folded form (:meth:`knows`); in another mix of cases only in a curated
        spelling (ТуркВО, СибВО). Tesseract mixing cases inside a word (несмотРЯ, заПасных) read
        letters wrong, whatever the word."""
        if word.islower() or word.isupper() or word[1:].islower():
            return self.knows(word)
        return self.canonical(fold(word)) == word

    def zipf(self, key: str) -> float:
        """Zipf frequency of a folded form (0.0 when unknown)."""
        entry = self.overlay.get(key)
        packed = self._forms_get(key)
        base = (packed & 0xFF) / ZIPF_SCALE if packed is not None else 0.0
        return max(base, entry.zipf) if entry else base

    def flags(self, key: str) -> int:
        entry = self.overlay.get(key)
        packed = self._forms_get(key)
        value = packed >> 8 if packed is not None else 0
        return value | (entry.flags if entry else 0)

    def lookup(self, key: str) -> tuple[float, int] | None:
        """(zipf, flags) of a folded form, or None when unknown: one look-up for both."""
        entry = self.overlay.get(key)
        packed = self._forms_get(key)
        if packed is None:
            return (entry.zipf, entry.flags) if entry else None
        zipf = (packed & 0xFF) / ZIPF_SCALE
        flags = packed >> 8
        return (max(zipf, entry.zipf), flags | entry.flags) if entry else (zipf, flags)

    def canonical(self, key: str) -> str | None:
        """The curated spelling of a form (e.g. 'НКИД' for 'нкид'), if curated."""
        entry = self.overlay.get(key)
        return entry.canonical if entry else None

    def is_abbreviation(self, key: str) -> bool:
        return bool(self.flags(key) & sources.ABBREVIATION)


# --- building -------------------------------------------------------------------


BUILD_STEPS = ("frequency list", "dictionary forms", "word trie", "frequencies and kinds", "letter tables",
               "look-up DAWGs")
StepReport = Callable[[int, str], None]  # (index of the step starting, its name); len(BUILD_STEPS) when done
Report = Callable[[str], None]  # a line saying what the lexicon is doing (the CLI prints it on stderr)


def build_base(target: Path, on_step: StepReport | None = None) -> None:
    """Compile the dictionary and the frequency list into ``target`` (atomically);
    ``on_step`` hears each of :data:`BUILD_STEPS` start."""
    import marisa_trie

    step = on_step or (lambda index, name: None)
    started = time.perf_counter()
    step(0, BUILD_STEPS[0])
    zipf = sources.frequency_zipf()
    step(1, BUILD_STEPS[1])
    morph_keys = {fold(form) for form in sources.iter_morph_forms()}
    keys = morph_keys | set(zipf)
    step(2, BUILD_STEPS[2])
    trie = marisa_trie.Trie(keys)
    step(3, BUILD_STEPS[3])
    info = np.zeros((len(trie), 2), dtype=np.uint8)
    for key in keys:
        index = trie[key]
        flags = 0
        value = sources.UNLISTED_FORM_ZIPF
        if key in morph_keys:
            flags |= sources.MORPH
        if key in zipf:
            flags |= sources.FREQUENT
            value = max(zipf[key], value)
        info[index, 0] = min(255, int(round(value * ZIPF_SCALE)))
        info[index, 1] = flags
    step(4, BUILD_STEPS[4])
    grams = gram_tables.letter_grams(keys)
    step(5, BUILD_STEPS[5])
    del keys, morph_keys, zipf
    forms = _forms_dawgs(trie, info)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        trie.save(str(staging / "words.marisa"))
        np.save(staging / "info.npy", info)
        _save_forms(staging, forms)
        _write_grams(staging / GRAMS_FILE, grams)
        manifest = {
            "format": BUILD_FORMAT,
            "versions": sources.dictionary_versions(),
            "forms": len(trie),
            "build_seconds": round(time.perf_counter() - started, 1),
        }
        atomic_write_json(staging / "manifest.json", manifest)
        try:
            os.rename(staging, target)  # atomic; fails if another process won the race
        except OSError:
            if not (target / "manifest.json").exists():
                raise
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    step(len(BUILD_STEPS), "done")


def build_overlay(lexicon_dirs: Sequence[Path], extra: Iterable[sources.CuratedEntry] = ()) -> dict[str, OverlayEntry]:
    """Curated entries (of every word list in these folders) and all their inflected forms."""
    import pymorphy3

    analyzer = pymorphy3.MorphAnalyzer(path=str(sources.morph_dictionary_dir()))
    overlay: dict[str, OverlayEntry] = {}
    for entry in [*sources.read_curated(lexicon_dirs), *extra]:
        flags, inflects = sources.CURATED_KINDS.get(entry.kind, sources.CURATED_KINDS["institutions"])
        zipf = sources.CURATED_ABBREVIATION_ZIPF if flags & sources.ABBREVIATION else sources.CURATED_ZIPF
        forms = sources.inflect(entry.surface, analyzer, entry.kind) if inflects else [entry.surface.split("~")[0].strip()]
        for form in forms:
            key = fold(form)
            old = overlay.get(key)
            if old is not None:
                flags_merged = old.flags | flags
                overlay[key] = OverlayEntry(max(old.zipf, zipf), flags_merged, old.canonical)
            else:
                overlay[key] = OverlayEntry(zipf, flags, form)
    return overlay


GRAMS_FILE = "grams.json"


def _write_grams(path: Path, tables: gram_tables.Grams) -> None:
    path.write_text(json.dumps({"left": tables[0], "right": tables[1]}, ensure_ascii=False), encoding="utf-8")


def _read_grams(base_dir: Path) -> gram_tables.Grams | None:
    """The letter tables of the base forms, or None when missing or damaged."""
    try:
        raw = json.loads((base_dir / GRAMS_FILE).read_text(encoding="utf-8"))
        return raw["left"], raw["right"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _derived_grams(base_dir: Path, trie) -> gram_tables.Grams:
    """The letter tables of the base forms, computed from the trie (a few seconds) when
    :func:`_read_grams` found none (a base compiled before they existed, or damaged), and
    kept in ``base_dir`` for the next load."""
    tables = gram_tables.letter_grams(trie.iterkeys())
    try:
        atomic_write_json(base_dir / GRAMS_FILE, {"left": tables[0], "right": tables[1]})
    except OSError:
        pass  # a read-only cache: the tables are simply rebuilt next time
    return tables


FORMS_FILE = "forms-info.dawg"
REVERSED_FORMS_FILE = "reversed-forms.dawg"


def _dawg():
    """The ``dawg`` module (package dawg2) the look-up tables are read and compiled with."""
    try:
        import dawg
    except ImportError as exc:
        raise MissingDependencyError(f"cannot load the lexicon's look-up tables: {exc}", "pip install dawg2") from exc
    return dawg


def _read_forms(base_dir: Path) -> tuple[object, object] | None:
    """The forms with their zipf * 20 | flags << 8, and the forms spelt backwards, as DAWGs
    (look-ups and prefixes), read from ``base_dir``; None when missing (a base compiled before
    they existed) or damaged."""
    dawg = _dawg()
    try:
        return (dawg.IntCompletionDAWG().load(str(base_dir / FORMS_FILE)),
                dawg.CompletionDAWG().load(str(base_dir / REVERSED_FORMS_FILE)))
    except (OSError, ValueError, dawg.Error):
        return None


def _derived_forms(base_dir: Path, trie, info: np.ndarray) -> tuple[object, object]:
    """The DAWGs of :func:`_read_forms` when it found none (a base compiled before they existed,
    or damaged): derived from ``trie`` and its ``info`` (about 9 s and 1 GB) and kept in
    ``base_dir`` for the next load."""
    built = _forms_dawgs(trie, info)
    try:
        _save_forms(base_dir, built)
    except OSError:
        pass  # a read-only cache: derived again next time
    return built


def _forms_dawgs(trie, info: np.ndarray) -> tuple[object, object]:
    """The two DAWGs of :func:`_read_forms`, made from the trie and the info table."""
    dawg = _dawg()
    zipf, flags = info[:, 0].tobytes(), info[:, 1].tobytes()
    items = [(key, zipf[index] | flags[index] << 8) for key, index in trie.iteritems()]
    return dawg.IntCompletionDAWG(items), dawg.CompletionDAWG(key[::-1] for key, _ in items)


def _save_forms(directory: Path, built: tuple[object, object]) -> None:
    """Write the two DAWGs into ``directory``, each atomically (a reader finds a whole file or none)."""
    for name, forms in zip((FORMS_FILE, REVERSED_FORMS_FILE), built):
        fd, staging = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
        os.close(fd)
        try:
            forms.save(staging)
            os.chmod(staging, 0o644)
            os.replace(staging, directory / name)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise


def _overlay_path(lexicon_dirs: Sequence[Path]) -> Path:
    return cache_root() / f"overlay-{OVERLAY_FORMAT}-{sources.curated_hash(lexicon_dirs)}.json"


def _load_overlay(lexicon_dirs: Sequence[Path], rebuild: bool = False,
                  report: Report | None = None) -> dict[str, OverlayEntry]:
    path = _overlay_path(lexicon_dirs)
    if path.exists() and not rebuild:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return {k: OverlayEntry(v[0], v[1], v[2]) for k, v in raw.items()}
        except (OSError, ValueError, IndexError, TypeError):
            pass  # a damaged cache file is rebuilt
    started = time.perf_counter()
    overlay = build_overlay(lexicon_dirs)
    if report is not None:
        report(f"curated and user word lists inflected in {time.perf_counter() - started:.2f} s")
    atomic_write_json(path, {k: [v.zipf, v.flags, v.canonical] for k, v in overlay.items()})
    return overlay


def ensure_base(rebuild: bool = False, *, report: Report | None = None, on_step: StepReport | None = None) -> Path:
    """The directory of the compiled base lexicon, built first if missing (about a
    minute, once per dictionary version): ``report`` hears that it starts and how long
    it took, ``on_step`` each step."""
    target = cache_root() / f"base-{base_key()}"
    if rebuild and target.exists():
        shutil.rmtree(target, ignore_errors=True)
    if not (target / "manifest.json").exists():
        say = report or (lambda message: None)
        say(f"building the lexicon, once (a minute or more on an idle machine, 1.2 GB of memory; kept in {target.parent}) ...")
        started = time.perf_counter()
        try:
            build_base(target, on_step)
        except ImportError as exc:
            raise MissingDependencyError(f"cannot build the lexicon: {exc}", "pip install ocrfix's dependencies again") from exc
        say(f"lexicon built in {time.perf_counter() - started:.0f} s")
    return target


def load_lexicon(config: CorrectConfig, *, rebuild: bool = False, report: Report | None = None,
                 on_step: StepReport | None = None) -> Lexicon:
    """The lexicon for these settings: built once into the cache (``report`` and
    ``on_step`` hear about a build), then loaded."""
    dirs = lexicon_dirs(config)
    base_dir = ensure_base(rebuild, report=report, on_step=on_step)
    forms, grams = _read_forms(base_dir), _read_grams(base_dir)
    try:
        size = int(json.loads((base_dir / "manifest.json").read_text(encoding="utf-8"))["forms"])
    except (OSError, ValueError, KeyError, TypeError):
        size = None
    if forms is None or grams is None or size is None:
        # what the look-ups read is missing (a base compiled before it existed) or damaged: made
        # again from the trie and its table of frequencies and kinds (read, not memory-mapped)
        import marisa_trie

        trie = marisa_trie.Trie()
        try:
            trie.load(str(base_dir / "words.marisa"))
            info = np.load(base_dir / "info.npy")
        except (OSError, ValueError) as exc:
            if rebuild:
                raise BadInputError(f"compiled lexicon in {base_dir} is unreadable: {exc}") from exc
            return load_lexicon(config, rebuild=True, report=report, on_step=on_step)
        if info.shape != (len(trie), 2):
            if rebuild:
                raise BadInputError(f"compiled lexicon in {base_dir} is inconsistent")
            return load_lexicon(config, rebuild=True, report=report, on_step=on_step)
        forms = forms if forms is not None else _derived_forms(base_dir, trie, info)
        grams = grams if grams is not None else _derived_grams(base_dir, trie)
        size = len(trie)
    overlay = _load_overlay(dirs, rebuild=rebuild, report=report)
    return Lexicon(forms=forms[0], reversed_forms=forms[1], size=size, overlay=overlay, source_dir=dirs[0],
                   version=f"{base_dir.name}/{sources.curated_hash(dirs)}", base_dir=base_dir, grams=grams)
