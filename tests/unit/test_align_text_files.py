"""`ocrfix diff` on files equals dinglehopper's command line on the same files
(recorded with scripts/record_dinglehopper_files.py): a final newline is no character."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocrfix.align.text_files import equivalences, file_text
from ocrfix.cli import cli

FILES = Path(__file__).resolve().parent.parent / "data" / "dinglehopper_files.json"
PAIRS = json.loads(FILES.read_text(encoding="utf-8"))["pairs"]
LINE = re.compile(r"^(CER|WER) (\S+) \((\d+)/(\d+)\)$", re.M)


@pytest.mark.parametrize("pair", PAIRS, ids=[p["name"] for p in PAIRS])
def test_diff_on_files_equals_dinglehopper(pair, tmp_path):
    reference, hypothesis = tmp_path / "gt.txt", tmp_path / "ocr.txt"
    reference.write_bytes(pair["reference"].encode("utf-8"))
    hypothesis.write_bytes(pair["hypothesis"].encode("utf-8"))
    result = CliRunner().invoke(cli, ["diff", str(reference), str(hypothesis)], obj={})
    assert result.exit_code == 0, result.output
    printed = {name: (int(edits), int(length)) for name, _, edits, length in LINE.findall(result.stdout)}
    for name, rate, length in (("CER", pair["cer"], pair["n_characters"]), ("WER", pair["wer"], pair["n_words"])):
        edits, ours_length = printed[name]
        assert ours_length == length, name
        if isinstance(rate, str) or math.isinf(rate):  # an empty reference against some text
            assert length == 0 and edits > 0
        else:
            assert edits == round(rate * length), name


def test_the_recorded_pairs_cover_final_newlines():
    names = " ".join(p["name"] for p in PAIRS)
    assert "newline" in names and sum(p["reference"].endswith("\n") for p in PAIRS) >= 5
    assert any(p["cer"] == 0 and p["reference"] != p["hypothesis"] for p in PAIRS)


def test_file_text():
    assert file_text("a\nb\n") == file_text("a\nb") == file_text("a \r\n b\r\n") == "a\nb"
    assert file_text("a\n\n") == "a\n" and file_text("\n") == file_text("") == ""
    assert file_text("1938 — 1939\n") == "1938 – 1939" and file_text("ﬁ") == "fi"
    assert len(equivalences()) == 32 and ("\u2014", "\u2013") in equivalences()
