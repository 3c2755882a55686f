"""Property-based fuzzing (hypothesis) of the stages that take text from outside: the
tokenizer, the corrector, the aligner and the report writer, on random Unicode with
control characters, combining marks, right-to-left marks, very long tokens and markup.

Each must finish without an exception (in bounded time: hypothesis's deadline, set
generously, stops an example that runs away; no timing is asserted), the corrector must
leave every character it did not correct as it was, and the report must be HTML whose
text holds every character of its inputs (so none was taken for markup)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is not installed (pip install -e '.[test]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ocrfix.align import align, error_rates, graphemes, layout_tokens, pivot_alignment  # noqa: E402
from ocrfix.config import CorrectConfig  # noqa: E402
from ocrfix.correct import correct_text  # noqa: E402
from ocrfix.correct.tokens import MAX_WORD_LENGTH, word_tokens  # noqa: E402

FRAGMENTS = st.one_of(
    st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", min_size=1, max_size=12),
    st.sampled_from(
        [
            " ", "\n", "\t", "\r\n", "\n\n", "-\n", "\u00ad", "\f", "\x00", "\x01", "\x1b[31m", "\x7f", "\u0085",
            "\u0301", "\u0308", "е\u0308", "\u200f", "\u200e", "\u202e", "\u2066", "\u200b", "\ufeff", "\ufffd",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;", "&lt;", "&#0;", "</div>", "\"'`",
            "]]>", "<!--", "-->", "{{ x }}", "{% if %}", "${x}", "http://example.com/a?b=<c>", "a@b.ru",
            "ВКП(б)", "т.т.", "15.УП.36г.", "CCCP", "1937 т.", "Ворошнлову", "гото-во", "Ма-Ху-шаня",
            "ع", "שלום", "😀", "👩‍👩‍👧", "\U0001f1f7\U0001f1fa", "ﬁ", "Ⅻ", "½", "𝔄",
        ]
    ),
    st.text(min_size=1, max_size=8),  # anything at all
    st.builds(lambda ch, n: ch * n, st.sampled_from(["а", "z", "ж-", "-", "<", "\u0301"]), st.integers(40, 3_000)),
)
TEXTS = st.lists(FRAGMENTS, max_size=40).map("".join)
FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=30),  # generous: only a runaway example hits it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(TEXTS)
def test_tokens_are_spans_of_the_text_and_bounded(text: str) -> None:
    end = 0
    for number, token in enumerate(word_tokens(text)):
        assert token.index == number and token.start >= end
        assert text[token.start : token.end] == token.text
        assert 0 < len(token.text) <= MAX_WORD_LENGTH
        end = token.end


@FUZZ
@given(TEXTS)
def test_the_corrector_changes_only_what_it_reports(lexicon, text: str) -> None:
    config = CorrectConfig()
    result = correct_text(text, lexicon, config)
    source = unicodedata.normalize("NFC", text)
    rebuilt, position = [], 0
    for correction in sorted(result.corrections, key=lambda c: c.start):
        assert correction.start >= position
        assert source[correction.start : correction.end] == correction.original
        assert correction.line == source.count("\n", 0, correction.start)
        rebuilt += [source[position : correction.start], correction.replacement]
        position = correction.end
    rebuilt.append(source[position:])
    assert "".join(rebuilt) == result.text  # everything outside the corrections is the input, unchanged
    if not result.corrections:
        assert result.text == source


@FUZZ
@given(TEXTS, TEXTS)
def test_the_aligner_covers_both_texts(reference: str, hypothesis_text: str) -> None:
    reference_nfc = unicodedata.normalize("NFC", reference)
    hypothesis_nfc = unicodedata.normalize("NFC", hypothesis_text)
    for level in ("char", "word"):
        ops = align(reference, hypothesis_text, level=level)
        for previous, op in zip(ops, ops[1:]):
            assert previous.ref_end <= op.ref_start and previous.hyp_end <= op.hyp_start
        for op in ops:
            assert reference_nfc[op.ref_start : op.ref_end] == op.reference
            assert hypothesis_nfc[op.hyp_start : op.hyp_end] == op.hypothesis
    # at character level the operations cover both texts, every character, in order
    ops = align(reference, hypothesis_text, level="char")
    assert "".join(op.reference for op in ops) == reference_nfc
    assert "".join(op.hypothesis for op in ops) == hypothesis_nfc
    rates = error_rates(reference, hypothesis_text)
    assert rates.char_edits >= 0 and rates.word_edits >= 0
    assert (rates.char_edits == 0) == (graphemes(reference) == graphemes(hypothesis_text))
    slots = pivot_alignment(hypothesis_nfc, [reference_nfc])
    assert [s.pivot for s in slots if s.pivot is not None] == layout_tokens(hypothesis_nfc)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data):  # noqa: ANN001
        self.data.append(data)


def _parsed(path: Path) -> _Collect:
    parser = _Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _visible(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFC", text) if not c.isspace())


def _template_markup() -> tuple[set[str], set[str]]:
    """The tags and attribute names the page template can write (the report's HTML is
    written by it alone, autoescaped): anything else in a report came from the input."""
    import re

    import ocrfix.report

    template = (Path(ocrfix.report.__file__).parent / "templates" / "page.html.j2").read_text(encoding="utf-8")
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", template)}
    attributes = {a.lower() for a in re.findall(r"[\s\"]([a-zA-Z][\w:-]*)=", template)}
    return tags, attributes


TEMPLATE_TAGS, TEMPLATE_ATTRIBUTES = _template_markup()


@settings(FUZZ, max_examples=25)
@given(TEXTS, TEXTS, st.sampled_from(["ref.txt", "<b>ref</b>.txt", "\"'&.txt", "\u202etxt.exe"]))
def test_the_report_escapes_every_input_character(tmp_path_factory, reference, hypothesis_text, label):
    from ocrfix.report import write_diff_files

    folder = tmp_path_factory.mktemp("fuzz")
    write_diff_files(reference=reference, hypothesis=hypothesis_text, html_path=folder / "d.html",
                     json_path=folder / "d.json", reference_label=label, hypothesis_label="hyp.txt")
    parsed = _parsed(folder / "d.html")
    assert parsed.tags <= TEMPLATE_TAGS, parsed.tags - TEMPLATE_TAGS
    assert parsed.attributes <= TEMPLATE_ATTRIBUTES, parsed.attributes - TEMPLATE_ATTRIBUTES
    shown = Counter("".join(parsed.data))
    for text in (reference, hypothesis_text, label):
        missing = _visible(text) - shown
        assert not missing, f"not shown as text: {sorted(missing)[:10]}"


def test_a_long_text_is_corrected_piece_by_piece_as_in_one_go(lexicon, monkeypatch) -> None:
    """Above CHUNK_CHARS the corrector works a piece at a time (cut at line breaks): the
    same text and corrections, at the same offsets and lines, as in one go."""
    from ocrfix.correct import bounds

    config = CorrectConfig()
    lines = [
        "Выписки посланы: т.т. Литвинову, Ворошнлову, Ежову, Берзнну.",
        "Сосредоточить на граниие полки РККА. 15. УП. 36г.",
        "Доложить о выполнении CCCP к 20 августа 1937 т.",
    ]
    text = "\n".join(lines[i % 3] for i in range(2 * bounds.CHUNK_CHARS // 50 + 7))
    assert len(bounds.chunk_ends(text)) >= 3
    pieces = correct_text(text, lexicon, config)
    monkeypatch.setattr(bounds, "CHUNK_CHARS", 10 * len(text))
    whole = correct_text(text, lexicon, config)
    assert whole.corrections
    assert pieces.text == whole.text
    assert pieces.corrections == whole.corrections
