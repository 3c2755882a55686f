"""Correcting a recognised :class:`Page`: words keep their boxes, corrected words
get ``original`` set, OCR confidences protect sure words and per-character
alternatives offer readings of unsure ones."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from functools import lru_cache
from itertools import product

from ocrfix.config import CorrectConfig
from ocrfix.correct.collection import CollectionLexicon, build_collection_lexicon
from ocrfix.correct.engine import correct_text
from ocrfix.correct.error_model import default_error_model
from ocrfix.correct.pitch import Cells
from ocrfix.correct.tokens import Token, word_tokens
from ocrfix.fingerprint import value_digest
from ocrfix.lexicon import Lexicon
from ocrfix.model import Correction, Page, Step, Word, copied

ALTERNATIVE_MIN_PROBABILITY = 0.15
MAX_READINGS = 32
STEP_NAME = "correct"
STEP_VERSION = "10"  # 2: the step is recorded, with the lexicon, collection, error-model and memory hashes;
# 3: with the candidate generators that ran (registry.py), by name and version;
# 4: with the hash of the scoring's learned priors and confidence calibration (scoring.py, confidence.py);
# 5: the OCR's word confidence is an evidence term of the score (its weight in the priors' hash);
# 6: so are the letters a reading adds or drops at a word's edge (the edge weight in the hash)
# 7: two corrections in one page word both reach it, and an insertion joins the word it follows
# 8: an insertion inside a word reaches it; corrections with one start come back in their order
# 9: a word with marks around its letters ('(попок)') offers the readings of its letters' alternatives
# 10: a word holding a digit or an inner period offers every character's alternatives (a date's: '4.Х:.37')


def _scoring_digest(priors, calibration) -> str:
    """The hash of the repair priors and the confidence calibration (a few dozen numbers),
    remembered by their values (hashing them costs about 20 microseconds a page)."""
    return _digest_of((tuple(sorted(priors.kinds.items())), priors.evidence_weight, priors.rival_weight,
                       priors.ocr_weight, priors.edge_weight, tuple(calibration.bounds),
                       tuple(calibration.probabilities)))


@lru_cache(maxsize=8)
def _digest_of(values: tuple) -> str:
    return value_digest(list(values))  # (JSON writes a tuple as a list)


@lru_cache(maxsize=8)
def _config_settings(config: CorrectConfig) -> tuple[tuple[str, object], ...]:
    """The settings of the correct stage's Step that come from its config (the config is a frozen value)."""
    return tuple((k, v) for k, v in asdict(config).items() if k not in ("memory", "lexicon_dir"))


def correct_step(lexicon: Lexicon, config: CorrectConfig, collection: CollectionLexicon | None, options: dict) -> Step:
    """What the correct stage ran with: its settings and the hashes of the lexicon, the
    collection lexicon, the error model and the reviewers' memory it was given, and the
    candidate generators that ran, in their order, as 'name@version', and the hash of the
    repair priors and the confidence calibration that scored their candidates."""
    from ocrfix.correct import registry, scoring
    from ocrfix.correct.confidence import shipped_calibration

    model = options.get("error_model") or default_error_model(lexicon)
    priors, calibration = options.get("priors"), options.get("calibration")  # (what correct_text scores with)
    priors = scoring.shipped_priors() if priors is None else priors
    calibration = shipped_calibration() if calibration is None else calibration
    memory = None
    if options.get("fixes") or options.get("forbidden"):
        memory = value_digest({"fixes": sorted((options.get("fixes") or {}).items()),
                          "forbidden": sorted(map(list, options.get("forbidden") or ()))})
    settings = dict(_config_settings(config))
    settings.update({
        "lexicon": lexicon.version,
        "collection": collection.digest if collection is not None else None,  # (_digest of its sorted counts)
        "error_model": model.signature,
        "memory": memory,
        "generators": [g.label for g in registry.running(options.get("off", ()))],
        "scoring": _scoring_digest(priors, calibration),
    })
    if options.get("floor") is not None:  # a score floor other than scoring.resolve's own (the calibration's)
        settings["floor"] = options["floor"]
    return Step(STEP_NAME, STEP_VERSION, settings)


def _page_layout(page: Page) -> tuple[str, list[tuple[int, int, int, int, int]]]:
    """The page text (as Page.text) and, per word, (block, line, word, start, end)."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int, int]] = []
    pos = 0
    for b, block in enumerate(page.blocks):
        if b:
            parts.append("\n")
            pos += 1
        for li, line in enumerate(block.lines):
            for wi, word in enumerate(line.words):
                if wi:
                    parts.append(" ")
                    pos += 1
                spans.append((b, li, wi, pos, pos + len(word.text)))
                parts.append(word.text)
                pos += len(word.text)
            parts.append("\n")
            pos += 1
    return "".join(parts), spans


def _alternative_readings(word: Word) -> list[str]:
    if not word.alternatives or len(word.alternatives) != len(word.text):
        return []
    options = []
    offered = False  # some letter has another character offered (most words have none: no reading)
    for ch, choice in zip(word.text, word.alternatives):
        alts = [c for c, p in choice.choices if p >= ALTERNATIVE_MIN_PROBABILITY and len(c) == 1 and c != ch]
        if alts:
            offered = True
            options.append(list(dict.fromkeys([ch, *alts]))[:3])
        else:
            options.append((ch,))
    if not offered:
        return []
    readings = []
    for combo in product(*options):
        readings.append("".join(combo))
        if len(readings) >= MAX_READINGS:
            break
    return readings[1:]


class _Readings(Mapping[int, tuple[str, ...]]):
    """Word-token index -> other readings the OCR's character alternatives allow (only the
    words that have some), each made when first asked for: the corrector asks only of the
    words it searches, a few in a hundred, so most are never made. ``sources`` maps the index
    of each token that is a page word of its own, with alternatives, to that word and the
    token's letters."""

    def __init__(self, sources: dict[int, tuple[Word, str]]) -> None:
        self._sources = sources
        self._made: dict[int, tuple[str, ...]] = {}

    def get(self, index: int, default=None):
        """The readings of token ``index``, or ``default`` when it has none (as Mapping.get,
        without raising and catching a KeyError for every word that has none)."""
        made = self._made.get(index)
        if made is None:
            source = self._sources.get(index)
            if source is None:
                return default
            made = self._made[index] = tuple(_alternative_readings(_letters_of(*source)))
        return made or default

    def __getitem__(self, index: int) -> tuple[str, ...]:
        made = self.get(index)
        if made is None:
            raise KeyError(index)
        return made

    def __iter__(self) -> Iterator[int]:
        return (index for index in self._sources if self.get(index))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _alternative_readings_by_token(page: Page, tokens: list[list[Token]] | None = None,
                                   words: tuple[Word, ...] | None = None) -> Mapping[int, tuple[str, ...]]:
    """Word-token index -> other readings the OCR's character alternatives allow (a
    :class:`_Readings`: each made when asked for). ``tokens``: each page word's word tokens
    (:func:`_word_tokens`), and ``words`` the page's words, when already found."""
    sources: dict[int, tuple[Word, str]] = {}
    token_index = 0
    if words is None:
        words = page.words
    if tokens is None:
        text, spans = _page_layout(page)
        tokens = _word_tokens(word_tokens(text), spans)
    for word, found in zip(words, tokens):
        if len(found) == 1 and word.alternatives:
            sources[token_index] = (word, found[0].text)
        token_index += len(found)
    return _Readings(sources)


def _offered_marks(words: tuple[Word, ...], spans) -> dict[int, str]:
    """Offset in the page text of each mark (no letter or digit) Tesseract offered other characters for
    (at ALTERNATIVE_MIN_PROBABILITY or more) -> those characters; in a word holding a digit or a period
    before its end (a date or a piece of one: '4.Х:.37', 'Э.МТТТ.'), of each of its characters."""
    marks = {}
    for word, span in zip(words, spans):
        if word.text.isalpha() or len(word.alternatives) != len(word.text):
            continue  # (most words are letters only: no mark to look at)
        figure = any(ch.isdigit() or ch == "." for ch in word.text[:-1])
        if word.text.isalnum() and not figure:
            continue
        for i, (ch, choice) in enumerate(zip(word.text, word.alternatives)):
            if figure or not ch.isalnum():
                offered = "".join(c for c, p in choice.choices if p >= ALTERNATIVE_MIN_PROBABILITY and c != ch
                                  and len(c) == 1)
                if offered:
                    marks[span[3] + i] = offered
    return marks


def _letters_of(word: Word, letters: str) -> Word:
    """The word's one run of letters with their alternatives ('(попок)' -> 'попок'): the marks
    around it have their own, which no reading of the letters needs."""
    if letters == word.text or len(word.alternatives) != len(word.text):
        return word
    at = word.text.find(letters)
    return copied(word, text=letters, alternatives=word.alternatives[at:at + len(letters)])


def _word_tokens(tokens: list[Token], spans) -> list[list[Token]]:
    """Each page word's word tokens, from the page text's (``tokens``, tokens.word_tokens of
    the text _page_layout gives with ``spans``): a token never crosses the space or line
    break between two words, so the text's tokens within a word's span are those of the
    word's own text."""
    out: list[list[Token]] = []
    k, n = 0, len(tokens)
    for span in spans:
        end = span[4]
        first = k
        while k < n and tokens[k].start < end:
            k += 1
        out.append(tokens[first:k])
    return out


def correct_page(page: Page, lexicon: Lexicon, config: CorrectConfig, *, collection: CollectionLexicon | None = None,
                 **options) -> tuple[Page, tuple[Correction, ...]]:
    """Correct a page; extra keyword options go to :func:`correct_text` (error_model, forbidden, off, floor,
    priors, calibration)."""
    if not config.enabled or not page.blocks:
        return page, ()
    text, spans = _page_layout(page)
    # the error model found once, for the collection, the step and the corrector
    options = {**options, "error_model": options.get("error_model") or default_error_model(lexicon)}
    if collection is None:  # the page's own, counted here so that the step can name it
        collection = build_collection_lexicon([text], lexicon, error_model=options["error_model"])
    step = correct_step(lexicon, config, collection, options)
    words = page.words
    # word-token index of each page word that is a single token, for confidence protection
    confidences: dict[int, float] = {}
    token_index = 0
    text_tokens = word_tokens(text)  # found once: the corrector reads the same text
    tokens = _word_tokens(text_tokens, spans)
    for word, found in zip(words, tokens):
        if len(found) == 1 and word.confidence is not None:
            confidences[token_index] = word.confidence
        token_index += len(found)
    result = correct_text(text, lexicon, config, collection=collection, confidences=confidences,
                          readings=_alternative_readings_by_token(page, tokens, words), tokens=text_tokens,
                          marks=_offered_marks(words, spans),
                          cells=Cells([line.words for line in page.lines], spans),
                          **options)
    if not result.corrections:
        return page.with_step(step), ()
    corrected, corrections = _rebuild(page, spans, result.corrections, words)
    return corrected.with_step(step), corrections


def _overlapped(spans, ends: list[int], start: int, end: int) -> list[int]:
    """The indices of the words (spans as _page_layout gives them, ``ends`` their end
    offsets) that overlap [start, end): found by bisection from the first word ending
    after ``start``, as the words come in text order (starts and ends never decrease)."""
    hit = []
    for i in range(bisect.bisect_right(ends, start), len(spans)):
        if spans[i][3] >= end:
            break
        hit.append(i)
    return hit


def _inserted_into(spans, ends: list[int], at: int) -> list[int]:
    """The word an insertion at ``at`` goes into: the word that ends there ('колхозников' + '.'),
    else the one it falls in or that begins there ('комитет' + 'а' inside it); none between words."""
    i = bisect.bisect_left(ends, at)  # (the first word ending at or after it: the words do not overlap)
    return [i] if i < len(spans) and spans[i][3] <= at <= ends[i] else []


def _rebuild(page: Page, spans, corrections: tuple[Correction, ...],
             words: tuple[Word, ...]) -> tuple[Page, tuple[Correction, ...]]:
    """Apply character-offset corrections to the words they fall in; a correction
    spanning several words merges them into the first (union of boxes, the first
    word's id). Each correction comes back naming the ids of the words it replaced.
    Several corrections may fall in one word ('горожняка,' -> 'порожняка;': a letter and
    the mark after it): they are applied from the last to the first, so each one's offsets
    into the word are those of the text before it and none undoes another.
    ``words``: the page's words (``page.words``, found once by the caller)."""
    new_text = [w.text for w in words]
    merged_into: dict[int, int] = {}
    keyed: list[Correction] = []
    ends = [span[4] for span in spans]
    # from the last to the first; of two with the same start (an insertion and the change after it),
    # the later in the list first, so that each comes back in its place and the insertion lands before
    for _, c in sorted(enumerate(corrections), key=lambda ic: (ic[1].start, ic[0]), reverse=True):
        hit = _inserted_into(spans, ends, c.start) if c.start == c.end else _overlapped(spans, ends, c.start, c.end)
        keyed.append(copied(c, word_ids=tuple(words[i].id for i in hit if words[i].id)))
        if not hit:
            continue
        first, last = hit[0], hit[-1]
        # the later corrections changed only what lies after this one: the first word's text up to
        # its start and the last word's text from its end (offsets from the word's start) are as read
        head = new_text[first][: max(0, c.start - spans[first][3])]
        tail = new_text[last][max(0, c.end - spans[last][3]):]
        if len(hit) == 1:
            new_text[first] = head + c.replacement + tail
        else:
            new_text[first] = head + c.replacement.replace("\n", " ").strip() + tail
            for i in hit[1:]:
                merged_into[i] = first
                for j, target in merged_into.items():  # what a later correction merged into a word merged now
                    if target == i:
                        merged_into[j] = first
    keyed.reverse()
    merged_from: dict[int, list[int]] = {}  # a word -> the words merged into it, as merged_into lists them
    for j, target in merged_into.items():
        merged_from.setdefault(target, []).append(j)
    out_words: list[Word | None] = []
    for i, word in enumerate(words):
        if i in merged_into:
            out_words.append(None)
            continue
        sources = merged_from.get(i)
        if new_text[i] == word.text and not sources:
            out_words.append(word)
            continue
        bbox = word.bbox
        for j in sources or ():
            if bbox is not None and words[j].bbox is not None:
                bbox = bbox.union(words[j].bbox)
        original = " ".join([word.text] + [words[j].text for j in sorted(sources or ())])
        out_words.append(copied(word, text=new_text[i], bbox=bbox, original=original))
    blocks = []
    k = 0
    for block in page.blocks:
        lines = []
        for line in block.lines:
            n = len(line.words)
            kept = out_words[k:k + n]
            k += n
            if all(new is old for new, old in zip(kept, line.words)):
                lines.append(line)  # no word of it changed: the line as it was
            else:
                lines.append(copied(line, words=tuple(w for w in kept if w is not None)))
        if all(new is old for new, old in zip(lines, block.lines)):
            blocks.append(block)
        else:
            blocks.append(copied(block, lines=tuple(lines)))
    return copied(page, blocks=tuple(blocks)), tuple(keyed)
