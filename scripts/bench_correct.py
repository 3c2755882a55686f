"""Benchmark of post-correction: ocrfix against pyspellchecker (ru) and symspellpy.

Every set is split into a development part and a test part by a stable hash of each
item's name (``part_of``: 3 in 10 to development), fixed before any tuning. Rules are
tuned on the development part; the README's figures are the test part's.

  typed        Tesseract (rus, after ocrfix's preprocessing) on damaged typewritten pages of
               texts written for this corpus in the project's genres (Politburo minutes,
               cipher telegrams, reports): scans/correct/texts/<name>.ocr.txt against
               <name>.gt.txt, made once by scripts/make_correct_corpus.py and committed;
  published    the archive's published transcriptions (another OCR's errors): the seed
               document (tests/data/seed_published.txt against seed_gold.txt) and the sample
               pages' *.published.txt against their ground truth. Earlier rules were written
               from misses on all of these, so neither part is unseen text;
  other        out of the domain: modern Russian of other genres (a sermon, travel notes,
               news, a recipe, a story, a manual, a letter, popular science, history, sport;
               written for this corpus), typed, scanned lightly and OCR'd the same way
               (scans/correct/other/): the corrector must not make them worse;
  other-clean  the same texts as typed: the corrector must leave clean text unchanged;
  typed-new    development only: more texts of the typed set's genres with new people, places,
               institutions, numbers and dates (scans/correct/texts-new/), typed, damaged and read
               the same way; added in the ninth round as development material for new-text
               generalisation (the typed set's development part is few texts, and its rules were
               fitted to them). Loaded only here, by probe_residual.py and by compare_correct_speed.py
               (load_sets(new_text=True)): the error model and the calibration never learn from it,
               so it stays a measure of generalisation;
  scans        plain Tesseract (`tesseract IMG - -l rus --psm 6`) on scans/sample/*.jpg
               against their ground truth; every rule before the split was tuned on these,
               so all of it counts as development (OCR cached under the temp dir).

A page whose OCR failed outright (CER above 50%: no text to correct) is left out and
named. ocrfix corrects each part as `ocrfix run` corrects a batch, with one collection
lexicon counted over its pages (inside the timed run); a page of the typed and other sets
is corrected as the page model `ocrfix run` corrects (correct_page), its words carrying
Tesseract's confidences and character alternatives from the run that read it
(<name>.conf.tsv, scripts/corpus_pages.py), so words Tesseract was sure of are protected
and its alternatives offered, as in the pipeline. For each: CER and WER before and
after (rapidfuzz Levenshtein on NFC text with whitespace runs collapsed), changes
that were right, correct words broken and words added where the reference has none (``score``), the share of lexicon-fixable errors fixed,
throughput in words per second of CPU time after loading (one process, so one core; best
of --repeats cold runs for the correctors that take under 5 s), and ocrfix's calibration:
the share of its corrections given confidence >= 0.9 that were right. symspellpy is fed
the same frequency list as ocrfix (wordfreq's large Russian list).

    .venv/bin/python scripts/bench_correct.py [--part dev|test] [--sets typed other ...]
                                              [--no-peers] [--no-scans] [--json out.json] [-v]
    .venv/bin/python scripts/bench_correct.py --ablate [--sets ...]

--ablate runs on the development part only: ocrfix with every candidate generator of its
registry (ocrfix/correct/registry.py), then with each switched off in turn; per set, the
CER, the corrections that were right and the correct words broken, and per entry what it
pays over all sets: character errors it removes, corrections it makes right, words it breaks.

Targets (issue 15, test part): typed CER cut >= 55%; published >= 50% of lexicon-fixable
errors fixed; broken <= 1 per 1,000 words on both; other: CER never rises (<= +0.02
points), broken <= 1 per 1,000; >= 90% right among corrections with confidence >= 0.9;
>= 30,000 words/s on one core after loading.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import corpus_pages  # noqa: E402

from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import CorrectionResult, build_collection_lexicon, correct_page, correct_text  # noqa: E402
from ocrfix.correct.confidence import CONFIDENT  # noqa: E402
from ocrfix.lexicon import fold, load_lexicon  # noqa: E402
from ocrfix.ocr import to_text  # noqa: E402

WORD = regex.compile(r"\p{L}+(?:[-']\p{L}+)*")
NON_WORDS_ONLY = "ocrfix, non-words only"
PEERS = ("pyspellchecker", "symspellpy")
EDGE_PUNCT = ".,;:!?()[]«»\"'/<>#-–—*_"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Score:
    corrector: str
    words: int
    cer_before: float
    cer_after: float
    wer_before: float
    wer_after: float
    corrections: int  # changed word blocks
    right: int  # changed to exactly the reference
    broken: int  # a correct word changed to something else
    broken_per_1000: float
    fixable_errors: int
    fixable_fixed: int
    words_per_second: float

    @property
    def cer_cut(self) -> float:
        return 1 - self.cer_after / self.cer_before if self.cer_before else 0.0


def _word_errors(ops) -> int:
    """The word edit distance the opcodes ``ops`` stand for (a replacement's sides are as long)."""
    return sum(max(op.src_end - op.src_start, op.dest_end - op.dest_start) for op in ops if op.tag != "equal")


def _error_spans(a: list[str], b: list[str], ops=None) -> list[tuple[int, int, int, int]]:
    """The token spans where ``a`` and ``b`` differ (``ops``: their opcodes, when already found), an
    edit's neighbouring edits joined into one span: a word the OCR split in two ('д) банем' for
    'дубанем') is one replacement and one deletion among the opcodes, and only together do they
    read as a near-miss of the word."""
    spans: list[list[int]] = []
    for op in (op for op in (ops if ops is not None else Levenshtein.opcodes(a, b)) if op.tag != "equal"):
        if spans and spans[-1][1] == op.src_start and spans[-1][3] == op.dest_start:
            spans[-1][1], spans[-1][3] = op.src_end, op.dest_end
        else:
            spans.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(span) for span in spans]


def _ref_boundaries(ops, before: int) -> list[int]:
    """For each boundary k (0..before) of the ``before`` input tokens, the matching ref boundary,
    from the opcodes aligning the input's tokens with the reference's."""
    bounds = [0] * (before + 1)
    for op in ops:
        for k in range(op.src_start, op.src_end + 1):
            if op.tag == "equal" or (op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start):
                bounds[k] = op.dest_start + (k - op.src_start)
            elif k == op.src_end:
                bounds[k] = op.dest_end
            else:
                bounds[k] = op.dest_start
    return bounds


def _inserted(ops) -> dict[int, tuple[int, int]]:
    """The reference words the opcodes ``ops`` (input to reference) insert, by the input boundary
    they stand at."""
    return {op.src_start: (op.dest_start, op.dest_end) for op in ops if op.tag == "insert"}


def _ref_spans(bounds: list[int], inserted: dict[int, tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """The reference spans the input tokens ``first``..``last`` may stand for (``bounds`` and
    ``inserted``: the input aligned with the reference): the span their boundaries map to, and with
    it the reference words the alignment inserts at either edge, which belong to the token before or
    the one after ('№1' for '№ 1' aligns as '№' inserted, then '№1' -> '1'): either side may take them."""
    return [(a, b) for a in {bounds[first], *inserted.get(first, ())} for b in {bounds[last], *inserted.get(last, ())}
            if a <= b]


def _known_token(token: str, lexicon) -> bool:
    core = token.strip(EDGE_PUNCT)
    if not core:
        return True
    words = WORD.findall(core)
    return all(fold(w) in lexicon or len(w) <= 2 for w in words)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def fixable_errors(before: list[str], ref: list[str], lexicon, ops=None) -> list[tuple[int, int]]:
    """Reference spans of the input's errors that a lexicon could settle: every
    reference word known to the lexicon, numbers unchanged, some letter different
    (an error in punctuation alone is the image's to settle), the input a near-miss
    (at most 3 character edits per reference word, a run of neighbouring edits taken as one), and something to change into
    (pure deletions such as a repeated clause or page markup are left to a human). ``ops``: the
    opcodes aligning ``before`` with ``ref``, when already found."""
    spans = []
    for src_start, src_end, dest_start, dest_end in _error_spans(before, ref, ops):
        src, dst = " ".join(before[src_start:src_end]), " ".join(ref[dest_start:dest_end])
        if not dst:
            continue
        if _digits(src) != _digits(dst) or _letters(src) == _letters(dst):
            continue
        if not all(_known_token(t, lexicon) for t in ref[dest_start:dest_end]):
            continue
        if Levenshtein.distance(src, dst) > 3 * max(1, dest_end - dest_start):
            continue
        spans.append((dest_start, dest_end))
    return spans


BROKEN_LOG: list[tuple[str, str, str]] = []


def score(name: str, before_text: str, after_text: str, ref_text: str, seconds: float, lexicon) -> Score:
    """``name``'s figures on one text. A change is a span where the input's and the output's tokens
    differ, neighbouring edits joined (a token split in two is a replacement and an insertion beside
    it, one change); it is right when its output is the reference there. It breaks the input's correct
    words it changes (all of them when the input was right there), and every word it adds that the
    reference has no place for (more output words than both input and reference words there): a
    correct word split in two breaks one word and adds another, as joining two correct words breaks
    two, and a word inserted between right ones adds an error the input did not have."""
    before, after, ref = normalise(before_text), normalise(after_text), normalise(ref_text)
    bt, at, rt = before.split(), after.split(), ref.split()
    to_ref = Levenshtein.opcodes(bt, rt)
    bounds, inserted = _ref_boundaries(to_ref, len(bt)), _inserted(to_ref)
    corrections = right = broken = 0
    for s1, s2, d1, d2 in _error_spans(bt, at):
        corrections += 1
        places = _ref_spans(bounds, inserted, s1, s2)
        src, dst, truths = " ".join(bt[s1:s2]), " ".join(at[d1:d2]), {" ".join(rt[a:b]) for a, b in places}
        if dst in truths:
            right += 1
            continue
        added = max(0, (d2 - d1) - max(s2 - s1, max(b - a for a, b in places)))
        if src in truths:
            if s2 - s1 + added:
                broken += s2 - s1 + added
                BROKEN_LOG.append((name, src, dst))
            continue
        for t in range(s1, s2):  # a partly right change: count the correct input words it changed
            rb = bounds[t]
            if rb < len(rt) and bt[t] == rt[rb] and bounds[t + 1] == rb + 1 and bt[t] not in at[d1:d2]:
                broken += 1
                BROKEN_LOG.append((name, f"{bt[t]} (in {src!r})", dst))
        if added:
            broken += added
            BROKEN_LOG.append((name, f"{added} word(s) added to {src!r}", dst))
    after_to_ref = Levenshtein.opcodes(at, rt)
    correct_in_after = set()
    for op in after_to_ref:
        if op.tag == "equal":
            correct_in_after.update(range(op.dest_start, op.dest_end))
    spans = fixable_errors(bt, rt, lexicon, to_ref)
    fixed = sum(1 for r1, r2 in spans if all(k in correct_in_after for k in range(r1, r2)))
    return Score(
        corrector=name,
        words=len(bt),
        cer_before=Levenshtein.distance(before, ref) / max(1, len(ref)),
        cer_after=Levenshtein.distance(after, ref) / max(1, len(ref)),
        wer_before=_word_errors(to_ref) / max(1, len(rt)),
        wer_after=_word_errors(after_to_ref) / max(1, len(rt)),
        corrections=corrections,
        right=right,
        broken=broken,
        broken_per_1000=1000 * broken / max(1, len(bt)),
        fixable_errors=len(spans),
        fixable_fixed=fixed,
        words_per_second=len(WORD.findall(before_text)) / seconds if seconds > 0 else float("inf"),
    )


def judge_corrections(results, items) -> list[tuple[float, bool, str, object]]:
    """(confidence, right, item, correction) for each of ocrfix's corrections: right when the
    input's whitespace-separated tokens it touches, with it applied, equal the reference
    tokens they align with (the same alignment as :func:`score`; reference tokens inserted at
    either edge may be counted in or out)."""
    judged = []
    for result, (item, before_text, ref_text, *_page) in zip(results, items):
        text = unicodedata.normalize("NFC", before_text)
        spans = [(m.start(), m.end()) for m in regex.finditer(r"\S+", text)]
        tokens = [text[a:b] for a, b in spans]
        ref = normalise(ref_text).split()
        ops = Levenshtein.opcodes(tokens, ref)
        bounds, inserted = _ref_boundaries(ops, len(tokens)), _inserted(ops)
        for c in result.corrections:
            first = next((k for k, (a, b) in enumerate(spans) if b > c.start), len(spans))
            last = next((k for k in range(first, len(spans)) if spans[k][0] >= max(c.end, c.start + 1)), len(spans))
            if first >= last:  # an insertion between tokens
                last = min(first + 1, len(spans))
            lo, hi = spans[first][0] if first < len(spans) else len(text), spans[last - 1][1] if last else 0
            fixed = " ".join((text[lo:c.start] + c.replacement + text[c.end:hi]).split())
            truths = {" ".join(ref[a:b]) for a, b in _ref_spans(bounds, inserted, first, last)}
            judged.append((c.confidence if c.confidence is not None else 0.0, fixed in truths, item, c))
    return judged


def calibration(judged) -> dict:
    confident = [right for conf, right, _, _ in judged if conf >= CONFIDENT]
    return {"corrections": len(judged), "right": sum(right for _, right, _, _ in judged),
            "confident": len(confident), "confident_right": sum(confident),
            "confident_share": sum(confident) / len(confident) if confident else None}


# --- the peers ---------------------------------------------------------------------


def resident_mb() -> float:
    """This process's resident memory in MB (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _transfer_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def word_by_word(fix: Callable[[str], str | None]) -> Callable[[list[str]], list[str]]:
    """A corrector of page texts from a word corrector (words only; everything else kept;
    each distinct word is looked up once per run)."""
    cache: dict[str, str] = {}

    def one(match: regex.Match) -> str:
        word = match.group()
        if word not in cache:
            out = fix(word.lower())
            cache[word] = _transfer_case(word, out) if out else word
        return cache[word]

    def run(texts: list[str]) -> list[str]:
        return [WORD.sub(one, text) for text in texts]

    run.reset = cache.clear  # type: ignore[attr-defined]
    return run


def _on_texts(run: Callable[[list[str]], list[str]]) -> Callable[[list], list[str]]:
    """A peer's corrector of texts as a corrector of a part's items (it reads their text)."""
    def on_items(items: list) -> list[str]:
        return run([p[1] for p in items])

    on_items.reset = run.reset  # type: ignore[attr-defined]
    return on_items


def pyspellchecker_corrector() -> Callable[[list[str]], list[str]]:
    from spellchecker import SpellChecker

    checker = SpellChecker(language="ru")

    def fix(word: str) -> str | None:
        if word in checker:
            return None
        return checker.correction(word)

    return word_by_word(fix)


def symspell_corrector() -> Callable[[list[str]], list[str]]:
    import wordfreq
    from symspellpy import SymSpell, Verbosity

    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word, freq in wordfreq.get_frequency_dict("ru", wordlist="large").items():
        if word.isalpha():
            sym.create_dictionary_entry(fold(word), max(1, int(freq * 1e9)))

    def fix(word: str) -> str | None:
        found = sym.lookup(fold(word), Verbosity.TOP, max_edit_distance=2, include_unknown=False)
        return found[0].term if found and found[0].term != fold(word) else None

    return word_by_word(fix)


# --- the sets -------------------------------------------------------------------


def tesseract_text(image: Path, cache_dir: Path) -> str:
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    key = hashlib.sha256(image.read_bytes() + version.encode()).hexdigest()[:20]
    cached = cache_dir / f"{image.stem}-{key}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(["tesseract", str(image), "-", "-l", "rus", "--psm", "6"], capture_output=True,
                          env=env, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed on {image}: {done.stderr.decode(errors='replace')}")
    text = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(cached)
    return text


DEV_SHARE = 3  # of 10: an item whose name hashes below this is development, else test


def part_of(name: str) -> str:
    """'dev' or 'test', fixed by a stable hash of the item's name (chosen before any tuning)."""
    return "dev" if int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 10 < DEV_SHARE else "test"


DEV_ONLY = ("scans", "typed-new")


def in_part(set_name: str, pages: list, part: str) -> list:
    """The pages of set ``set_name`` in ``part`` ('dev' or 'test'): by :func:`part_of`, but for the
    sets of DEV_ONLY (the sample scans, tuned on by every rule before the split; the new texts,
    development material from the start): development only."""
    return [p for p in pages if (part == "dev" if set_name in DEV_ONLY else part_of(p[0]) == part)]


FAILED_OCR_CER = 0.5


def _pairs(folder: Path) -> list[tuple]:
    """(name, OCR text, ground truth, page model) of the committed pairs in ``folder`` (the
    page model from the confidences file, None without one), but for pages whose OCR failed
    outright (no text left to correct: a case for the recognition stage)."""
    pairs = []
    for path in sorted(folder.glob("*.ocr.txt")):
        name, ocr = path.name[: -len(".ocr.txt")], path.read_text("utf-8")
        truth = path.with_name(f"{name}.gt.txt").read_text("utf-8")
        cer = Levenshtein.distance(normalise(ocr), normalise(truth)) / max(1, len(normalise(truth)))
        if cer > FAILED_OCR_CER:
            print(f"left out {folder.name}/{name}: its OCR failed (CER {cer:.0%})", file=sys.stderr)
            continue
        pairs.append((name, ocr, truth, corpus_pages.load_page(path, ocr)))
    return pairs


def load_sets(with_scans: bool = True, new_text: bool = False) -> dict[str, list[tuple[str, str, str]]]:
    """name -> [(label, input text, reference text)]; ``new_text`` adds 'typed-new' (this benchmark
    only: the scripts that learn from the development part never see it)."""
    data = REPO / "tests" / "data"
    corpus = REPO / "scans" / "correct"
    sets: dict[str, list[tuple[str, str, str]]] = {"typed": _pairs(corpus / "texts")}
    if new_text:
        sets["typed-new"] = _pairs(corpus / "texts-new")
    sample = REPO / "scans" / "sample"
    published = [("seed", (data / "seed_published.txt").read_text("utf-8"), (data / "seed_gold.txt").read_text("utf-8"))]
    published += [(path.name.split(".")[0], path.read_text("utf-8"),
                   path.with_name(path.name.replace(".published.txt", ".gt.txt")).read_text("utf-8"))
                  for path in sorted(sample.glob("*.published.txt"))]
    sets["published"] = published
    other = _pairs(corpus / "other")
    sets["other"] = other
    sets["other-clean"] = [(name, truth, truth) for name, _, truth, _page in other]
    if not with_scans:
        return sets
    if shutil.which("tesseract") is None:
        print("tesseract not found: set 'scans' skipped", file=sys.stderr)
        return sets
    cache_dir = Path(tempfile.gettempdir()) / "ocrfix-bench-correct"
    pages = []
    for image in sorted(sample.glob("*.jpg")) + sorted(sample.glob("*.png")):
        gt = image.with_suffix(".gt.txt")
        if gt.exists():
            pages.append((image.stem, tesseract_text(image, cache_dir), gt.read_text("utf-8")))
    if pages:
        sets["scans"] = pages
    return sets


def ocrfix_correct(items, lexicon, config: CorrectConfig, off=(), floor: float | None = None,
                   priors=None, calibration=None) -> list[CorrectionResult]:
    """ocrfix on a part's items as `ocrfix run` corrects a batch: one collection lexicon counted
    over their texts; an item with a page model (Tesseract's confidences and alternatives)
    corrected as that page, a text alone as text. ``off``, ``floor``, ``priors`` and ``calibration``
    go to correct_text (None: its own)."""
    collection = build_collection_lexicon([p[1] for p in items], lexicon)
    # each only when given: scripts/compare_correct_speed.py runs this with older revisions' ocrfix
    given = {"floor": floor, "priors": priors, "calibration": calibration}
    options = {"off": off, **{name: value for name, value in given.items() if value is not None}}
    results = []
    for item in items:
        page = item[3] if len(item) > 3 else None
        if page is None:
            results.append(correct_text(item[1], lexicon, config, collection=collection, **options))
        else:
            corrected, corrections = correct_page(page, lexicon, config, collection=collection, **options)
            results.append(CorrectionResult(to_text(corrected), corrections))
    return results


def run_correctors(correctors: dict[str, tuple[Callable[[list], list[str]], Callable[[], None]]], items: list,
                   repeats: int = 7) -> dict[str, tuple[list[str], float]]:
    """Each corrector's outputs and its best CPU time over up to ``repeats`` cold runs.
    The runs take turns (one of each corrector, then again), so a change in the shared
    machine's load falls on all of them alike, and the best run is the least disturbed;
    a corrector slower than 5 s a run runs once."""
    best: dict[str, float] = {}
    outputs: dict[str, list[str]] = {}
    for round_ in range(repeats):
        for name, (fn, reset) in correctors.items():
            if round_ and best[name] > 5.0:
                continue
            reset()
            started = time.process_time()
            outputs[name] = fn(items)
            best[name] = min(best.get(name, float("inf")), time.process_time() - started)
    return {name: (outputs[name], best[name]) for name in correctors}


def ablate(sets: dict[str, list[tuple[str, str, str]]], lexicon, config: CorrectConfig) -> None:
    """Each registry entry switched off in turn, on the development part of every set."""
    from ocrfix.correct import context, registry

    entries = [None, *(g.name for g in registry.running())]
    totals: dict[str | None, list[int]] = {entry: [0, 0, 0] for entry in entries}  # char errors, right, broken
    for set_name, pages in sets.items():
        chosen = in_part(set_name, pages, "dev")
        if not chosen:
            continue
        inputs = [p[1] for p in chosen]
        refs = "\n".join(p[2] for p in chosen)
        print(f"## {set_name}/dev: {len(chosen)} page(s)")
        print("| switched off | CER after | right | broken |\n|---|---|---|---|")
        for entry in entries:
            lexicon.forget()
            context.forget()
            off = () if entry is None else (entry,)
            outs = [r.text for r in ocrfix_correct(chosen, lexicon, config, off=off)]
            r = score(entry or "-", "\n".join(inputs), "\n".join(outs), refs, 0.0, lexicon)
            BROKEN_LOG.clear()
            errors = Levenshtein.distance(normalise("\n".join(outs)), normalise(refs))
            for k, value in enumerate((errors, r.right, r.broken)):
                totals[entry][k] += value
            print(f"| {entry or '(none: all on)'} | {r.cer_after:.2%} | {r.right} | {r.broken} |")
        print()
    base = totals[None]
    print("## what each entry pays on the development part (all sets; all on minus this one off)")
    print("| entry | character errors removed | corrections made right | words broken |\n|---|---|---|---|")
    for entry in entries[1:]:
        errors, right, broken = totals[entry]
        print(f"| {entry} | {errors - base[0]:+d} | {base[1] - right:+d} | {base[2] - broken:+d} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--no-peers", action="store_true", help="score ocrfix only")
    parser.add_argument("--diagnose", action="store_true",
                        help=f"also time '{NON_WORDS_ONLY}' (real-word pass and context off: the peers' job)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the correct words each corrector broke")
    parser.add_argument("--part", choices=("dev", "test"), help="score only this part (default: both)")
    parser.add_argument("--sets", nargs="*", help="only these sets (typed, typed-new, published, other, other-clean, scans)")
    parser.add_argument("--no-scans", action="store_true", help="skip the sample scans (runs Tesseract once)")
    parser.add_argument("--repeats", type=int, default=7, help="timed cold runs per corrector (best is kept)")
    parser.add_argument("--ablate", action="store_true",
                        help="development part only: switch each candidate generator off in turn")
    args = parser.parse_args()
    if args.ablate and args.part == "test":
        parser.error("--ablate runs on the development part only")

    config = CorrectConfig()
    loading: dict[str, tuple[float, float]] = {}  # corrector -> (seconds, MB of memory it added)
    t0, m0 = time.perf_counter(), resident_mb()
    lexicon = load_lexicon(config)
    load_seconds = time.perf_counter() - t0
    from ocrfix.correct import context

    t1 = time.perf_counter()
    context.analyzer()  # the morphological analyser, loaded on first use
    analyser_seconds = time.perf_counter() - t1
    loading["ocrfix"] = (time.perf_counter() - t0, resident_mb() - m0)

    def ocrfix_with(settings: CorrectConfig) -> Callable[[list], list[str]]:
        def fn(items: list) -> list[str]:
            """As `ocrfix run` corrects a batch (see ocrfix_correct)."""
            return [r.text for r in ocrfix_correct(items, lexicon, settings)]
        return fn

    ocrfix_fn = ocrfix_with(config)

    def cold_start() -> None:
        """Forget what earlier sets taught the process (candidate memo, parse cache)."""
        from ocrfix.correct import context

        lexicon.forget()
        context.forget()

    if args.ablate:
        sets = load_sets(with_scans=not args.no_scans and (not args.sets or "scans" in args.sets), new_text=True)
        ablate({name: pages for name, pages in sets.items() if not args.sets or name in args.sets}, lexicon, config)
        return 0

    correctors: dict[str, Callable[[list], list[str]]] = {"ocrfix": ocrfix_fn}  # each takes a part's items
    if args.diagnose:  # symspellpy's job only: no real-word pass, no context
        correctors[NON_WORDS_ONLY] = ocrfix_with(replace(config, real_word_errors=False, use_context=False))
    if not args.no_peers:
        for name, make in (("pyspellchecker", pyspellchecker_corrector), ("symspellpy", symspell_corrector)):
            t0, m0 = time.perf_counter(), resident_mb()
            correctors[name] = _on_texts(make())
            loading[name] = (time.perf_counter() - t0, resident_mb() - m0)

    sets = load_sets(with_scans=not args.no_scans and (not args.sets or "scans" in args.sets), new_text=True)
    if args.sets:
        sets = {name: pages for name, pages in sets.items() if name in args.sets}
    results: dict[str, dict] = {}
    print(f"lexicon loaded in {load_seconds:.2f} s ({len(lexicon):,} forms), "
          f"morphological analyser in {analyser_seconds:.2f} s\n")
    print("## loading (once per process; memory is the resident size it added)")
    print("| corrector | seconds | MB |\n|---|---|---|")
    for name, (seconds, mb) in loading.items():
        print(f"| {name} | {seconds:.2f} | {mb:,.0f} |")
    print()
    for set_name, pages in sets.items():
        for part in ("dev", "test"):
            chosen = in_part(set_name, pages, part)
            if args.part and part != args.part or not chosen:
                continue
            key = f"{set_name}/{part}"
            inputs = [p[1] for p in chosen]
            refs = "\n".join(p[2] for p in chosen)
            runs = run_correctors({name: (fn, cold_start if name.startswith("ocrfix") else fn.reset)
                                   for name, fn in correctors.items()}, chosen, repeats=args.repeats)
            rows = [score(name, "\n".join(inputs), "\n".join(outs), refs, seconds, lexicon)
                    for name, (outs, seconds) in runs.items()]
            judged = judge_corrections(ocrfix_correct(chosen, lexicon, config), chosen)
            calib = calibration(judged)
            results[key] = {"items": [p[0] for p in chosen],
                            "rows": [asdict(r) | {"cer_cut": r.cer_cut} for r in rows], "calibration": calib}
            if args.verbose:
                for name, src, dst in BROKEN_LOG:
                    print(f"broken by {name}: {src!r} -> {dst!r}", file=sys.stderr)
                for conf, right, item, correction in judged:
                    if not right:
                        print(f"wrong ({conf:.2f}) in {item}: {correction.original!r} -> {correction.replacement!r} "
                              f"[{correction.reason}]", file=sys.stderr)
            BROKEN_LOG.clear()
            print(f"## {key}: {len(chosen)} page(s), {rows[0].words} words ({', '.join(p[0] for p in chosen)})")
            print("| corrector | CER before | CER after | CER cut | WER before | WER after | changes | right | broken"
                  " | broken/1000 w | fixable fixed | words/s |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in rows:
                print(f"| {r.corrector} | {r.cer_before:.2%} | {r.cer_after:.2%} | {r.cer_cut:+.0%} | {r.wer_before:.2%} | "
                      f"{r.wer_after:.2%} | {r.corrections} | {r.right} | {r.broken} | {r.broken_per_1000:.2f} | "
                      f"{r.fixable_fixed}/{r.fixable_errors} ({r.fixable_fixed / max(1, r.fixable_errors):.0%}) | "
                      f"{r.words_per_second:,.0f} |")
            print(f"\nocrfix calibration: {calib['confident_right']}/{calib['confident']} right among corrections "
                  f"with confidence >= {CONFIDENT} ({calib['confident_share'] or 0:.0%}); all corrections: "
                  f"{calib['right']}/{calib['corrections']} right")
            for r in (r for r in rows if r.corrector in PEERS):
                print(f"ocrfix words/s / {r.corrector} words/s (same run): {rows[0].words_per_second / r.words_per_second:.2f}")
            for r in rows:
                if r.corrector == NON_WORDS_ONLY:
                    for peer in rows:
                        if peer.corrector in PEERS:
                            print(f"{NON_WORDS_ONLY} words/s / {peer.corrector} words/s (same run): "
                                  f"{r.words_per_second / peer.words_per_second:.2f}")
            print()
    if args.json:
        args.json.write_text(json.dumps({"load_seconds": load_seconds, "loading": loading, "sets": results},
                                        ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
