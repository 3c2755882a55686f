"""Record dinglehopper's CER and WER on a fixed set of text pairs.

ocrfix computes CER and WER as dinglehopper does; ``tests/unit/test_align_dinglehopper.py``
checks that the numbers agree to 1e-9 on the pairs written here. dinglehopper
pulls in the whole OCR-D stack, so it is not a test dependency: its numbers
are recorded once, with this script, in a throwaway virtualenv:

    python3 -m venv /tmp/dinglehopper-venv
    /tmp/dinglehopper-venv/bin/pip install dinglehopper==0.11.0 "multimethod<2"
    /tmp/dinglehopper-venv/bin/python scripts/record_dinglehopper.py

It writes ``tests/data/dinglehopper_pairs.json``: every pair's two texts and
what dinglehopper's ``character_error_rate_n``, ``word_error_rate_n`` and
``distance`` return for them (str inputs, as its Python API takes them), plus
the versions used. It does not import ocrfix. (multimethod 2 makes
dinglehopper 0.11's str/Iterable overloads ambiguous, hence the pin.)
"""

from __future__ import annotations

import json
import math
import random
import sys
from importlib.metadata import version
from pathlib import Path

from dinglehopper import character_error_rate_n, distance, word_error_rate_n
from dinglehopper.word_error_rate import words_normalized
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUTPUT = DATA / "dinglehopper_pairs.json"

HAND_MADE = [
    ("both empty", "", ""),
    ("empty reference", "", "абв где"),
    ("empty hypothesis", "абв где", ""),
    ("identical", "Советское правительство", "Советское правительство"),
    ("fully different", "абв", "где"),
    ("decomposed ё equals precomposed (NFC)", "е\u0308лка", "ёлка"),
    ("ё read as е", "ёлка и ёж", "елка и еж"),
    ("decomposed й equals precomposed", "и\u0306од", "йод"),
    ("two combining marks make one cluster", "a\u0301\u0302b c", "ab c"),
    ("hyphens split words", "Ма-Ху-шаня", "Ма Ху шаня"),
    ("abbreviation dots keep one word", "т.т.Литвинову", "т. т. Литвинову"),
    ("line break against space", "перевести\nГенконсулу СССР", "перевести Генконсулу СССР"),
    ("Latin look-alikes of Cyrillic", "СССР и КВЖД", "CCCP и KBЖД"),
    ("punctuation only, no words", "...", "!!!"),
    ("words against no words", "...", "слово"),
    ("emoji ZWJ sequence is one cluster", "\U0001F468\u200d\U0001F469\u200d\U0001F467 семья", "\U0001F468 семья"),
    ("private use characters", "\ue000бв где", "бв где"),
    ("numbers with separators", "10.286 гоби (15,5 тыс.руб.)", "10,286 гоби (15.5 тыс. руб.)"),
    ("CRLF is one cluster", "строка\r\nстрока", "строка\nстрока"),
    ("soft hyphen and hyphenation", "коман-\nдования", "командования"),
    ("markup in the text", "<u>О Синьцзяне.</u>", "О Синьцзяне."),
    ("script injection text", "<script>alert(1)</script> текст", "текст <img src=x onerror=alert(1)>"),
]


def _noisy(text: str, seed: int, rate: float) -> str:
    """A deterministic OCR-like corruption of ``text``: swaps of look-alike letters, drops, doubles."""
    swaps = {"и": "н", "ы": "и", "т": "ш", "е": "с", "о": "0", "з": "э", "л": "д", "ц": "п", "Д": "Л", "ё": "е"}
    rnd = random.Random(seed)
    out = []
    for char in text:
        roll = rnd.random()
        if roll < rate and char in swaps:
            out.append(swaps[char])
        elif roll < rate * 1.3:
            continue
        elif roll < rate * 1.5:
            out.append(char + char)
        else:
            out.append(char)
    return "".join(out)


def pairs() -> list[tuple[str, str, str]]:
    published = (DATA / "seed_published.txt").read_text(encoding="utf-8")
    gold = (DATA / "seed_gold.txt").read_text(encoding="utf-8")
    result = list(HAND_MADE)
    result.append(("seed document: published vs gold", gold, published))
    result.append(("seed document: noisy copy of gold", gold, _noisy(gold, 1, 0.05)))
    line_pairs = [(g, p) for g, p in zip(gold.splitlines(), published.splitlines()) if g.strip() and g != p]
    for number, (g, p) in enumerate(line_pairs[:15]):
        result.append((f"seed line pair {number}: published vs gold", g, p))
    for number, line in enumerate([g for g in gold.splitlines() if len(g) > 40][:8]):
        result.append((f"seed line {number}: noisy copy", line, _noisy(line, 100 + number, 0.12)))
    return result


def _number(value: float) -> float | str:
    return "inf" if math.isinf(value) else float(value)


def record(name: str, reference: str, hypothesis: str) -> dict[str, object]:
    cer, char_ref_len = character_error_rate_n(reference, hypothesis)
    wer, word_ref_len = word_error_rate_n(reference, hypothesis)
    word_edits = Levenshtein.distance(list(words_normalized(reference)), list(words_normalized(hypothesis)))
    return {
        "name": name,
        "reference": reference,
        "hypothesis": hypothesis,
        "cer": _number(cer),
        "char_ref_len": char_ref_len,
        "char_edits": distance(reference, hypothesis),
        "wer": _number(wer),
        "word_ref_len": word_ref_len,
        "word_edits": word_edits,
    }


def main() -> int:
    data = {
        "produced_by": "scripts/record_dinglehopper.py (see its docstring for the exact commands)",
        "versions": {name: version(name) for name in ("dinglehopper", "uniseg", "rapidfuzz", "multimethod")},
        "python": sys.version.split()[0],
        "pairs": [record(*pair) for pair in pairs()],
    }
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['pairs'])} pairs written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
