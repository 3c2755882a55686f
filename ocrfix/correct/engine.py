"""The corrector: structural repairs, then each word against the lexicon and the
error model, then real-word errors caught by agreement with the neighbours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocrfix.config import CorrectConfig
from ocrfix.correct import context, structural
from ocrfix.correct.candidates import cheap_edits, generate, score
from ocrfix.correct.collection import CollectionLexicon, build_collection_lexicon
from ocrfix.correct.error_model import ErrorModel, load_error_model
from ocrfix.correct.structural import Edit
from ocrfix.correct.tokens import Token, apply_case, case_shape, word_tokens
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold
from ocrfix.lexicon.sources import ABBREVIATION
from ocrfix.model import Correction

SENTENCE_END = ".!?:;"
ABBREVIATION_MAX_LEN = 4  # an unknown word this short followed by '.' is taken for an abbreviation
NAME_MAX_COST = 0.65
UPPER_MAX_COST = 0.65
REAL_WORD_MAX_COST = 0.3
REAL_WORD_MARGIN = 1.0
CONTEXT_WEIGHT = 2.0


@dataclass(frozen=True)
class CorrectionResult:
    text: str
    corrections: tuple[Correction, ...]


@lru_cache(maxsize=8)
def _model_from(path: str, mtime: float) -> ErrorModel:
    return load_error_model(path)


def default_error_model(lexicon: Lexicon) -> ErrorModel:
    """The confusion table next to the lexicon's curated files."""
    path = Path(lexicon.source_dir) / "confusions.tsv"
    if not path.exists():
        return ErrorModel({})
    return _model_from(str(path), path.stat().st_mtime)


class _Vocabulary:
    """Lexicon plus collection, as one look-up."""

    def __init__(self, lexicon: Lexicon, collection: CollectionLexicon) -> None:
        self.lexicon = lexicon
        self.collection = collection

    def known(self, key: str) -> bool:
        return key in self.lexicon or key in self.collection

    def zipf(self, key: str) -> float:
        return max(self.lexicon.zipf(key), self.collection.zipf(key))


def _acceptable_score(word: str) -> float:
    return min(2.5, 0.8 + 0.1 * len(word))


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    if text[i] in SENTENCE_END or text[i] in "-–—)":
        return True
    return text[i].isdigit()


class _Corrector:
    def __init__(self, text: str, lexicon: Lexicon, config: CorrectConfig, collection: CollectionLexicon,
                 model: ErrorModel) -> None:
        self.text = text
        self.lexicon = lexicon
        self.config = config
        self.model = model
        self.vocab = _Vocabulary(lexicon, collection)
        self.tokens = word_tokens(text)
        self.edits: list[Edit] = []
        self.taken: list[tuple[int, int]] = []

    # -- bookkeeping --
    def _free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.taken)

    def _add(self, edit: Edit | None) -> bool:
        if edit is None or not self._free(edit.start, edit.end):
            return False
        if edit.replacement == self.text[edit.start:edit.end]:
            return False
        if not self.model.allows(self.text[edit.start:edit.end], edit.replacement):
            return False
        self.edits.append(edit)
        self.taken.append((edit.start, edit.end))
        return True

    def _protect(self, start: int, end: int) -> None:
        self.taken.append((start, end))

    # -- passes --
    def run(self, confidences: dict[int, float] | None = None, pre_edits: Iterable[Edit] = ()) -> list[Edit]:
        for edit in pre_edits:
            self._add(edit)
        for edit in structural.roman_dates(self.text):
            self._add(edit)
        self._protect_tokens(confidences or {})
        self._line_hyphens()
        for i, token in enumerate(self.tokens):
            if not self._free(token.start, token.end):
                continue
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if nxt is not None and self._free(nxt.start, nxt.end):
                if self._add(structural.split_word_join(token, nxt, self.text, self.vocab.known, self.vocab.zipf)):
                    continue
            if "-" in token.text and self._add(structural.inline_hyphen_join(token, self.vocab.known)):
                continue
            self._add(self._word(token, i))
        if self.config.real_word_errors:
            self._real_words()
        return sorted(self.edits, key=lambda e: e.start)

    def _protect_tokens(self, confidences: dict[int, float]) -> None:
        text = self.text
        for token in self.tokens:
            before = text[token.start - 1] if token.start else ""
            before2 = text[token.start - 2] if token.start > 1 else ""
            after = text[token.end] if token.end < len(text) else ""
            key = fold(token.text)
            if before == "-" and before2.isdigit():  # 36-й, 4-го
                self._protect(token.start, token.end)
            elif after.isdigit() or before.isdigit():  # identifiers: 255/л, 7а, №12б
                self._protect(token.start, token.end)
            elif after == "." and len(key) <= ABBREVIATION_MAX_LEN and key not in self.lexicon and case_shape(token.text) == "lower":
                self._protect(token.start, token.end)  # бывш., тыс., с.г.
            elif len(key) <= 2 and not structural.latin_lookalikes(token.text):
                self._protect(token.start, token.end)
            elif confidences.get(token.index, 0.0) >= self.config.protect_confidence:
                self._protect(token.start, token.end)

    def _line_hyphens(self) -> None:
        """'командо-' / 'вания': kept as printed unless configured to join; never 'corrected' apart."""
        text = self.text
        for token, nxt in zip(self.tokens, self.tokens[1:]):
            if text[token.end:token.end + 1] != "-":
                continue
            gap = text[token.end + 1:nxt.start]
            if "\n" not in gap or gap.strip():
                continue
            joined = token.text + nxt.text
            if not (self.vocab.known(fold(joined)) or case_shape(token.text) == "title"):
                continue
            if self.config.join_line_hyphens and self.vocab.known(fold(joined)):
                self._add(Edit(token.start, nxt.end, joined + "\n" * gap.count("\n"), 0.1,
                               "word hyphenated across lines joined"))
            else:
                self._protect(token.start, nxt.end)

    def _neighbours(self, index: int) -> tuple[str | None, str | None]:
        prev = fold(self.tokens[index - 1].text) if index > 0 else None
        nxt = fold(self.tokens[index + 1].text) if index + 1 < len(self.tokens) else None
        return prev, nxt

    def _word(self, token: Token, index: int) -> Edit | None:
        word = token.text
        lookalikes = structural.latin_lookalikes(word)
        if lookalikes is not None:
            return self._latin(token, lookalikes)
        key = fold(word)
        shape = case_shape(word)
        if shape == "mixed":
            canonical = self.lexicon.canonical(key)
            if canonical and self.lexicon.is_abbreviation(key):
                return Edit(token.start, token.end, canonical, 0.2, "case slip in an abbreviation")
            return None
        if self.vocab.known(key) or not key.replace("-", "").isalpha():
            return None
        if "-" in key:
            return None  # hyphenated unknowns: names and compounds are left alone
        if shape == "upper":
            max_cost, mode = UPPER_MAX_COST, "upper"
        elif shape == "title" and not _sentence_start(self.text, token.start):
            max_cost, mode = NAME_MAX_COST, "name"
        else:
            max_cost, mode = self.config.max_cost, "word"
        found = self._candidates(key, max_cost)
        if mode == "upper":
            found = {k: c for k, c in found.items() if self.lexicon.is_abbreviation(k) or len(k) >= 5}
        return self._choose(token, index, key, found, reason_prefix={
            "upper": "abbreviation", "name": "name or place", "word": "non-word"}[mode])

    def _candidates(self, key: str, max_cost: float) -> dict[str, float]:
        memo = self.lexicon._memo
        memo_key = (key, max_cost, id(self.vocab.collection), id(self.model))
        found = memo.get(memo_key)
        if found is None:
            found = generate(key, self.vocab.known, self.model, max_cost=max_cost, zipf=self.vocab.zipf)
            if len(memo) > 200_000:
                memo.clear()
            memo[memo_key] = found
        return found

    def _choose(self, token: Token, index: int, key: str, found: dict[str, float], reason_prefix: str) -> Edit | None:
        if not found:
            return None
        ranked = sorted(((score(c, self.vocab.zipf(k)), k, c) for k, c in found.items()))[:6]
        if len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CONTEXT_WEIGHT and self.config.use_context:
            prev, nxt = self._neighbours(index)
            ranked = sorted((s - CONTEXT_WEIGHT * context.agreement(k, prev, nxt), k, c) for s, k, c in ranked)
        best_score, best, cost = ranked[0]
        if best_score > _acceptable_score(key):
            return None
        replacement = self._spell(token.text, best)
        return Edit(token.start, token.end, replacement, cost,
                    f"{reason_prefix}: OCR confusion (edit cost {cost:.2f})",
                    tuple((self._spell(token.text, k), round(s, 3)) for s, k, c in ranked))

    def _spell(self, template: str, key: str) -> str:
        canonical = self.lexicon.canonical(key)
        if canonical and self.lexicon.is_abbreviation(key):
            return canonical
        surface = self.vocab.collection.surfaces.get(key)
        if surface and case_shape(template) != "upper":
            return apply_case(template, surface) if case_shape(surface) == "lower" else surface
        return apply_case(template, key)

    def _latin(self, token: Token, readings: list[str]) -> Edit | None:
        known = [r for r in readings if self.vocab.known(fold(r))]
        if known:
            best = min(known, key=lambda r: (not self.lexicon.is_abbreviation(fold(r)), -self.vocab.zipf(fold(r))))
            return Edit(token.start, token.end, self._spell(token.text, fold(best)) if self.lexicon.is_abbreviation(fold(best)) else best,
                        0.2, "Latin look-alike letters in a Russian word", tuple((r, 0.0) for r in known[:5]))
        if len(token.text) == 1 and self._line_is_cyrillic(token):
            return Edit(token.start, token.end, readings[0], 0.3, "Latin look-alike initial in a Russian line")
        best = None
        for reading in readings[:8]:
            found = self._candidates(fold(reading), 1.0)
            for k, c in found.items():
                s = score(c, self.vocab.zipf(k))
                if best is None or s < best[0]:
                    best = (s, k, c)
        if best is None or best[0] > _acceptable_score(token.text):
            return None
        return Edit(token.start, token.end, apply_case(token.text, best[1]), 0.2 + best[2],
                    "Latin look-alike letters in a Russian word, then an OCR confusion")

    def _line_is_cyrillic(self, token: Token) -> bool:
        line_start = self.text.rfind("\n", 0, token.start) + 1
        line_end = self.text.find("\n", token.end)
        line = self.text[line_start:line_end if line_end != -1 else len(self.text)]
        return sum(1 for c in line if "\u0400" <= c <= "\u04ff") + sum(
            1 for c in line if c.isascii() and c.isalpha()) > 0 and any(
            structural.latin_lookalikes(w) for w in line.split() if len(w) > 1)

    def _real_words(self) -> None:
        """Known words that another known word, one cheap confusion or one ending away,
        fits better among the neighbours (бить -> быть before a short participle)."""
        for i, token in enumerate(self.tokens):
            word = token.text
            if len(word) < 3 or case_shape(word) != "lower" or "-" in word or not self._free(token.start, token.end):
                continue
            key = fold(word)
            if key not in self.lexicon:
                continue
            variants = {v: c for v, c in cheap_edits(key, self.model).items() if c <= REAL_WORD_MAX_COST and v in self.lexicon}
            for v in context.inflection_variants(key) if key[-2:] in _ADJECTIVE_ENDINGS else ():
                variants.setdefault(v, 0.5)
            if not variants:
                continue
            prev, nxt = self._neighbours(i)
            base = context.agreement(key, prev, nxt)
            own = self.lexicon.zipf(key)
            best = None
            for v, cost in variants.items():
                gain = context.agreement(v, prev, nxt) - base
                if gain < 1:
                    continue
                margin = CONTEXT_WEIGHT * gain + (self.lexicon.zipf(v) - own) - 3.0 * cost
                if margin >= REAL_WORD_MARGIN and (best is None or margin > best[0]):
                    best = (margin, v, cost)
            if best:
                self._add(Edit(token.start, token.end, best[1], best[2],
                               f"real-word error: '{best[1]}' agrees with the neighbours (margin {best[0]:.2f})",
                               ((best[1], round(-best[0], 3)), (word, 0.0))))


_ADJECTIVE_ENDINGS = {"ым", "ом", "ой", "ий", "ый", "ая", "ое", "ые", "их", "ых", "ую", "юю", "ем", "им", "го", "му", "ми"}


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, tuple[Correction, ...]]:
    out: list[str] = []
    corrections: list[Correction] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < pos:
            continue
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        corrections.append(Correction(
            original=text[edit.start:edit.end], replacement=edit.replacement, start=edit.start, end=edit.end,
            line=_line_of(text, edit.start), score=edit.cost, reason=edit.reason, candidates=edit.candidates))
        pos = edit.end
    out.append(text[pos:])
    return "".join(out), tuple(corrections)


def reviewed_fixes(text: str, fixes: Mapping[str, str]) -> list[Edit]:
    """Edits for the words a reviewer corrected before: the same reading gets the same fix.

    A word matches a fix exactly, or folded (case, ё) with the fix written in the word's case.
    """
    if not fixes:
        return []
    folded = {fold(seen): intended for seen, intended in fixes.items()}
    edits = []
    for token in word_tokens(text):
        intended = fixes.get(token.text)
        if intended is None and fold(token.text) in folded:
            intended = apply_case(token.text, folded[fold(token.text)])
        if intended is not None and intended != token.text:
            edits.append(Edit(token.start, token.end, intended, 0.0, "collection memory: a reviewer made this fix",
                              ((intended, 0.0),)))
    return edits


def correct_text(text: str, lexicon: Lexicon, config: CorrectConfig, *, collection: CollectionLexicon | None = None,
                 error_model: ErrorModel | None = None, forbidden: Iterable[tuple[str, str]] = (),
                 confidences: dict[int, float] | None = None, pre_edits: Iterable[Edit] = (),
                 fixes: Mapping[str, str] | None = None) -> CorrectionResult:
    """Correct OCR text. ``collection`` is the batch lexicon (built from this text alone
    when not given); ``error_model`` overrides the confusion table next to the lexicon;
    ``forbidden`` lists (original, replacement) word pairs never to make;
    ``confidences`` maps word-token index to OCR confidence (protected at or above
    ``config.protect_confidence``); ``pre_edits`` are edits decided elsewhere (OCR alternatives);
    ``fixes`` maps OCR readings to the words reviewers corrected them to (the collection
    memory), made wherever the same reading comes up, before anything else."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    if not config.enabled or not text.strip():
        return CorrectionResult(text, ())
    model = error_model or default_error_model(lexicon)
    forbidden = tuple(forbidden)
    if forbidden:
        model = model.with_forbidden(forbidden)
    if collection is None:
        collection = build_collection_lexicon([text], lexicon, error_model=model)
    pre_edits = [*reviewed_fixes(text, fixes or {}), *pre_edits]
    edits = _Corrector(text, lexicon, config, collection, model).run(confidences, pre_edits)
    corrected, corrections = apply_edits(text, edits)
    return CorrectionResult(corrected, corrections)
