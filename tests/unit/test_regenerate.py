"""Regenerating cleaned transcriptions from review decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_batch import LINES, PUBLISHED, page_from_spec, write_batch

from ocrfix.errors import BadInputError
from ocrfix.regenerate import join_hyphenation, regenerate
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.decisions import decide as make_decision
from ocrfix.review.decisions import save_decisions


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    page, corrections = page_from_spec(LINES)
    other, other_corrections = page_from_spec(["Справка НКИД>НКИД от 15.VII.36 г."])
    return write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED), "p2": (other, other_corrections, None)})


def decide(out_dir: Path, page_id: str, choices: dict[str, tuple[str, str | None]], *, mark: bool = False) -> None:
    """Record decisions the way the review application does (item ocr text -> action, typed)."""
    page = next(p for p in list_pages(out_dir) if p.page_id == page_id)
    review = load_page_review(page)
    decisions = dict(review.decisions.decisions)
    for item in review.items:
        if item.ocr_text in choices:
            action, text = choices[item.ocr_text]
            decisions[item.item_id] = make_decision(item, action, item.word_texts(review.layout), text)
    from dataclasses import replace

    save_decisions(page.page_dir, replace(review.decisions, decisions=decisions, marked_reviewed=mark))


def test_items_cover_corrections_and_disagreements(batch: Path) -> None:
    review = load_page_review(list_pages(batch)[0])
    kinds = {(i.kind, i.ocr_text, i.current_text, i.published_text) for i in review.items}
    assert ("correction", "Литвнову,", "Литвинову,", "Литвинову,") in kinds
    assert ("correction", "Ворошнлову,", "Ворошилову,", "Ворошилову,") in kinds
    assert ("disagreement", "полки", "полки", "полк") in kinds  # the corrector left it; the archive differs
    assert all(i.bbox is not None for i in review.items)


def test_decisions_are_applied_exactly(batch: Path, tmp_path: Path) -> None:
    decide(
        batch,
        "p1",
        {
            "Литвнову,": ("accept", None),
            "Ворошнлову,": ("reject", None),
            "Берзнну.": ("edit", "Берзину!"),
            "полки": ("published", None),
        },
    )
    summary = regenerate(batch, tmp_path / "clean", policy="reviewed")
    text = (tmp_path / "clean" / "p1.txt").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "Выписки посланы: т.т. Литвинову,",
        "Ворошнлову, Ежову, Берзину!",
        "Сосредоточить на граниие полк РККА.",  # the undecided correction is undone under "reviewed"
    ]
    page = summary.pages[0]
    assert (page.accepted, page.rejected, page.published, page.typed, page.undecided_undone, page.reviewed) == (
        1, 1, 1, 1, 1, False
    )
    assert summary.left_out == 1 and "policy 'reviewed'" in summary.left_out_reason()


def test_accept_on_a_disagreement_keeps_the_scan_reading(batch: Path, tmp_path: Path) -> None:
    decide(batch, "p1", {"полки": ("accept", None)})
    regenerate(batch, tmp_path / "clean")
    assert "полки РККА" in (tmp_path / "clean" / "p1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("reviewed", "Сосредоточить на граниие полки РККА."),
        ("all", "Сосредоточить на границе полки РККА."),
    ],
)
def test_policy_decides_undecided_corrections(batch: Path, tmp_path: Path, policy: str, expected: str) -> None:
    regenerate(batch, tmp_path / policy, policy=policy)
    assert (tmp_path / policy / "p1.txt").read_text(encoding="utf-8").splitlines()[2] == expected


def test_confident_policy_uses_the_threshold(batch: Path, tmp_path: Path) -> None:
    review = load_page_review(list_pages(batch)[0])
    confidence = next(i.confidence for i in review.items if i.kind == "correction")
    regenerate(batch, tmp_path / "low", policy="confident", min_confidence=confidence)
    regenerate(batch, tmp_path / "high", policy="confident", min_confidence=min(1.0, confidence + 0.01))
    assert "границе" in (tmp_path / "low" / "p1.txt").read_text(encoding="utf-8")
    assert "граниие" in (tmp_path / "high" / "p1.txt").read_text(encoding="utf-8")


def test_a_reviewed_page_keeps_undecided_corrections(batch: Path, tmp_path: Path) -> None:
    decide(batch, "p1", {"Литвнову,": ("reject", None)}, mark=True)
    summary = regenerate(batch, tmp_path / "clean", policy="reviewed")
    text = (tmp_path / "clean" / "p1.txt").read_text(encoding="utf-8")
    assert "Литвнову," in text and "Ворошилову," in text and "границе" in text
    assert summary.pages[0].reviewed


def test_outputs_carry_words_in_boxes_and_provenance(batch: Path, tmp_path: Path) -> None:
    from lxml import etree

    decide(batch, "p1", {"Литвнову,": ("accept", None), "Ворошнлову,": ("reject", None)})
    regenerate(batch, tmp_path / "clean")
    clean = tmp_path / "clean"
    alto = etree.parse(str(clean / "p1.alto.xml"))
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    strings = {s.get("CONTENT"): s for s in alto.iterfind(".//a:String", ns)}
    assert "Литвинову," in strings and "Ворошнлову," in strings
    assert strings["Литвинову,"].get("HPOS") is not None
    settings = [json.loads(e.text) for e in alto.iterfind(".//a:processingStepSettings", ns) if "policy" in (e.text or "")]
    assert settings and settings[0]["accepted"] == 1 and settings[0]["rejected"] == 1
    assert settings[0]["policy"] == "all" and settings[0]["reviewed"] is False
    for name in ("p1.page.xml", "p1.hocr", "p2.txt", "p2.alto.xml"):
        assert "review-corrections" in (clean / name).read_text(encoding="utf-8") or name.endswith(".txt")
    provenance = json.loads((clean / "p1.provenance.json").read_text(encoding="utf-8"))
    assert provenance["counts"]["accepted"] == 1 and provenance["written_by"].startswith("ocrfix ")
    assert provenance["left_out"] == {"corrections": 0, "why": ""}  # the default policy keeps ocrfix's corrections
    collection = json.loads((clean / "collection.json").read_text(encoding="utf-8"))
    assert collection["reading_order"] == ["p1", "p2"]
    assert collection["totals"]["accepted"] == 1 and collection["settings"]["policy"] == "all"
    pages = (clean / "collection.txt").read_text(encoding="utf-8").split("\f\n")
    assert [p.splitlines()[0] for p in pages] == ["Выписки посланы: т.т. Литвинову,", "Справка НКИД от 15.VII.36 г."]


def test_stale_decisions_are_not_applied(batch: Path, tmp_path: Path) -> None:
    decide(batch, "p1", {"Литвнову,": ("edit", "Литвинов")})
    # The page is run again and now reads differently: the old decision no longer fits.
    page, corrections = page_from_spec([line.replace("Литвнову,>Литвинову,", "Литвиновв,>Литвинову,") for line in LINES])
    from review_batch import write_page

    write_page(batch, "p1", page, corrections, PUBLISHED)
    summary = regenerate(batch, tmp_path / "clean", policy="all")
    assert summary.pages[0].stale_decisions == 1
    assert "Литвинов " not in (tmp_path / "clean" / "p1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("Сообщаем, что сооб-\nщение получено.\n", "Сообщаем, что сообщение\nполучено.\n"),
        ("полу-\nчено\nвчера\n", "получено\nвчера\n"),
        ("Северо-\nЗападный фронт\n", "Северо-\nЗападный фронт\n"),  # a capital: a compound, kept
        ("конец абзаца -\n\nновый\n", "конец абзаца -\n\nновый\n"),  # a dash, and a blank line
        ("сооб-\n\nщение\n", "сооб-\n\nщение\n"),  # never across blocks
    ],
)
def test_join_hyphenation(text: str, joined: str) -> None:
    assert join_hyphenation(text) == joined


def test_hyphenation_join_in_outputs(tmp_path: Path) -> None:
    page, corrections = page_from_spec(["Сообщаем что сооб-", "щение получено."])
    out = write_batch(tmp_path / "out", {"h1": (page, corrections, None)})
    regenerate(out, tmp_path / "keep", hyphenation="keep")
    regenerate(out, tmp_path / "join", hyphenation="join")
    assert (tmp_path / "keep" / "h1.txt").read_text(encoding="utf-8") == "Сообщаем что сооб-\nщение получено.\n"
    assert (tmp_path / "join" / "h1.txt").read_text(encoding="utf-8") == "Сообщаем что сообщение\nполучено.\n"


def test_bad_arguments(batch: Path, tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="policy"):
        regenerate(batch, tmp_path / "x", policy="sometimes")
    with pytest.raises(BadInputError, match="hyphenation"):
        regenerate(batch, tmp_path / "x", hyphenation="drop")
    with pytest.raises(BadInputError, match="a folder of their own"):
        regenerate(batch, batch)
    with pytest.raises(BadInputError, match="not a finished ocrfix batch"):
        regenerate(tmp_path, tmp_path / "x")


def test_command_line_errors_are_one_line_with_an_exit_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    from ocrfix.errors import ExitCode

    for args in (["regenerate", str(tmp_path), "-o", str(tmp_path / "clean")], ["review", str(tmp_path)]):
        result = subprocess.run([sys.executable, "-m", "ocrfix", *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == ExitCode.BAD_INPUT, result.stderr
        assert result.stderr.strip().splitlines() == [
            f"ocrfix: error: {tmp_path} is not a finished ocrfix batch (no summary.json) "
            "(run `ocrfix run INPUT... -o OUTDIR` first)"
        ]
        assert result.stdout == ""


def test_regenerate_command(batch: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    decide(batch, "p1", {"Литвнову,": ("accept", None)})
    clean, memory = tmp_path / "clean", tmp_path / "memory.json"
    result = subprocess.run(
        [sys.executable, "-m", "ocrfix", "regenerate", str(batch), "-o", str(clean), "--policy", "all",
         "--hyphenation", "join", "--memory", str(memory)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "2 page(s), 0 reviewed: 1 accepted, 0 rejected, 0 published, 0 typed"
    assert result.stdout.splitlines()[1] == "2 page(s) not reviewed: kept all 3 of their undecided correction(s) (policy 'all')"
    reviewed_only = subprocess.run(
        [sys.executable, "-m", "ocrfix", "regenerate", str(batch), "-o", str(tmp_path / "strict"), "--policy", "reviewed"],
        capture_output=True, text=True, timeout=120,
    )
    assert reviewed_only.stdout.splitlines()[1] == (
        "left out 3 undecided correction(s) of 2 page(s) not reviewed (policy 'reviewed': only changes a person "
        "decided on reach the output of a page not reviewed); kept 0"
    )
    provenance = json.loads((tmp_path / "strict" / "p1.provenance.json").read_text(encoding="utf-8"))
    assert provenance["left_out"]["corrections"] == 3 and "policy 'reviewed'" in provenance["left_out"]["why"]
    assert json.loads((clean / "collection.json").read_text(encoding="utf-8"))["settings"]["hyphenation"] == "join"
    assert {"original": "Литвнову", "replacement": "Литвинову"} in json.loads(memory.read_text(encoding="utf-8"))["fixes"]
