"""The recognition benchmark's pure parts (scripts/recbench): ALTO text, Komi fold, the fixed split, ranks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from recbench import ehri, report, vyl
from recbench.items import part_of, sample, split_number

ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace><TextBlock>
<TextLine ID="a"><String CONTENT="Bundeskanzleramt"/></TextLine>
<TextLine ID="b"><Shape><Polygon POINTS="0 0"/></Shape><String CONTENT="( Generaldirektion"/><SP/><String CONTENT="für )"/></TextLine>
<TextLine ID="c"><String CONTENT=" "/></TextLine>
<TextLine ID="d"><String CONTENT="Wien,  am 11. Ja&#776;nner"/></TextLine>
</TextBlock></PrintSpace></Page></Layout></alto>"""


def test_alto_text_joins_strings_and_lines_in_file_order_in_nfc():
    assert ehri.alto_text(ALTO.encode()) == "Bundeskanzleramt\n( Generaldirektion für )\nWien,  am 11. Jänner\n"


def test_alto_without_lines_is_empty():
    assert ehri.alto_text('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"/>') == ""


def test_pages_of_one_document_share_a_group():
    assert ehri.document_of("EHRI-BF-19380311b_CZ_03") == "EHRI-BF-19380311b_CZ"
    assert ehri.document_of("EHRI-ET-JMP010_1") == "EHRI-ET-JMP010"
    assert ehri.document_of("single") == "single"


def test_komi_fold_from_the_table_applies_to_truth_and_ocr_alike():
    table = vyl.load_fold(REPO / "scripts" / "bench_data" / "komi_fold.tsv")
    assert vyl.fold("кутшӧм Ӧні сідз", table) == "кутшом Они сидз"
    assert vyl.fold("кутшöм сiдз", table) == "кутшом сидз"  # Latin look-alikes in OCR output
    assert vyl.fold("о\u0308", table) == "о"  # NFC first: a combining diaeresis is folded too


def test_split_is_fixed_and_about_forty_percent_dev():
    # the split must never move: these groups were assigned before any tuning
    assert part_of("augraphy/protokol-freemono") == "dev"
    assert part_of("augraphy/protokol-nimbus") == "test"
    assert part_of("ehri/EHRI-BF-19380311b_CZ") == "dev"
    groups = [f"group-{i}" for i in range(2000)]
    share = sum(part_of(g) == "dev" for g in groups) / len(groups)
    assert 0.36 < share < 0.44
    assert all(0 <= split_number(g) < 100 for g in groups[:50])


def test_sample_is_stable_and_sorted():
    names = [f"n{i}" for i in range(30)]
    chosen = sample(names, 5, "salt")
    assert chosen == sample(list(reversed(names)), 5, "salt") == sorted(chosen)
    assert len(chosen) == 5 and sample(names, None, "salt") == sorted(names)


def test_runs_break_at_gaps_and_page_size():
    lines = [vyl.ScannedLine(f"s{n}", Path("x.tif"), "t", "0001", n) for n in [1, 2, 3, 7, 8, *range(10, 40)]]
    runs = vyl.runs(lines)
    assert [[ln.number for ln in r][:2] for r in runs][:2] == [[1, 2], [7, 8]]
    assert all(len(r) <= vyl.LINES_PER_PAGE for r in runs)
    assert sum(len(r) for r in runs) == len(lines)


def test_spearman_with_ties_and_degenerate_input():
    assert report.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert report.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert report.spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(0.8660254)
    assert report.spearman([1, 1, 1], [1, 2, 3]) is None
    assert report.spearman([1, 2], [1, 2]) is None


def test_cer_ignores_layout_but_not_letters():
    loose, strict = report.cer("один два\nтри\n", "один  два три")
    assert loose == 0.0 and strict > 0.0
    assert report.cer("абв", "")[0] == 1.0
    assert report.cer("", "x") == (1.0, 1.0)


def test_a_line_image_is_resampled_to_another_resolution(tmp_path: Path):
    from PIL import Image

    line = tmp_path / "line.tif"
    Image.new("L", (800, 56), 255).save(line, dpi=(400, 400))
    assert vyl.resampled(line, 150).size == (300, 21)
    assert vyl.resampled(line, 600).size == (1200, 84)


def test_time_ratios_compare_each_item_with_plain_tesseract_on_both_clocks():
    rows = [
        {"source": "augraphy", "kind": "page", "seconds": {"tesseract_psm3": 1.0, "ocrfix": 1.2},
         "cpu_seconds": {"tesseract_psm3": 1.0, "ocrfix": 1.1}},
        {"source": "augraphy", "kind": "page", "seconds": {"tesseract_psm3": 2.0, "ocrfix": 10.0},
         "cpu_seconds": {"tesseract_psm3": 2.0, "ocrfix": 8.0}},
        {"source": "vyl-lines", "kind": "line", "seconds": {"tesseract_psm3": 0.1, "ocrfix": 0.2}, "cpu_seconds": {}},
    ]  # fmt: skip
    records = {r["source"]: r for r in report.time_ratios(rows)}
    assert set(records) == {"augraphy", "vyl-lines", "all pages"}
    pages = records["all pages"]
    assert pages["seconds_items"] == 2 and pages["seconds_ratio_of_means"] == pytest.approx(11.2 / 3.0)
    assert pages["seconds_median_ratio"] == pytest.approx((1.2 + 5.0) / 2) and pages["seconds_worst_ratio"] == pytest.approx(5.0)
    assert pages["cpu_seconds_ratio_of_means"] == pytest.approx(9.1 / 3.0)
    assert records["vyl-lines"]["cpu_seconds_items"] == 0  # no CPU times recorded: that clock is left out
    table = report.time_markdown(report.time_ratios(rows))
    assert "| all pages | 2 | 1.50 / 5.60 | 3.73 | 3.10 | 5.00 | 1.50 / 4.55 | 3.03 | 2.55 | 4.00 |" in table


def test_time_ratios_set_the_pages_read_again_apart_from_those_read_once():
    """The fixed cost of every page (one reading) and the fallbacks' cost (a doubtful page read in more
    than one preparation: ocrfix's verdict lists each reading tried) are reported apart."""
    def page(plain: float, ours: float, tried: list[str] | None) -> dict:
        verdict = {} if tried is None else {"tried": [{"preparation": name} for name in tried]}
        return {"source": "ehri", "kind": "page", "seconds": {"tesseract_psm3": plain, "ocrfix": ours},
                "cpu_seconds": {"tesseract_psm3": plain, "ocrfix": ours}, "ocrfix_verdict": verdict}  # fmt: skip

    rows = [page(1.0, 1.2, ["preprocessed"]), page(2.0, 2.4, ["preprocessed"]),
            page(1.0, 3.0, ["preprocessed", "original", "grey"]), page(1.0, 9.0, None)]  # fmt: skip
    records = report.time_ratios(rows)
    assert [r["source"] for r in records] == ["ehri", "pages read once", "pages read again", "all pages"]
    by_source = {r["source"]: r for r in records}
    assert by_source["pages read once"]["cpu_seconds_items"] == 2
    assert by_source["pages read once"]["cpu_seconds_ratio_of_means"] == pytest.approx(3.6 / 3.0)
    assert by_source["pages read again"]["cpu_seconds_ratio_of_means"] == pytest.approx(3.0)
    assert by_source["all pages"]["cpu_seconds_items"] == 4  # (a page without a verdict counts only there)


def _row(name: str, plain: float, ours: float, status: str | None, error: str | None = None) -> dict:
    row = {"name": name, "source": "ehri", "profile": "danish", "cer": {"tesseract_psm3": plain, "ocrfix": ours},
           "seconds": {}, "errors": {"ocrfix": error} if error else {}, "quality": None}  # fmt: skip
    if status is not None:
        row["ocrfix_status"] = status
    return row


def test_doubt_counts_flags_on_worse_and_on_good_items():
    plain = ["tesseract_psm3"]
    rows = [
        _row("worse-flagged", 0.05, 0.09, "doubtful"),
        _row("worse-silent", 0.05, 0.06, "ok"),
        _row("worse-failed", 0.05, 1.0, None, error="ocrfix ocr exit 3"),  # a failure is not silent
        _row("good", 0.01, 0.012, "ok"),  # within the 0.5-point margin
        _row("good-flagged", 0.0, 0.0, "doubtful"),
        _row("poor-like-plain", 0.30, 0.30, "ok"),  # neither worse nor good
    ]
    rows[2]["ocrfix_status"] = None
    counts = report.doubt(rows, plain)
    assert counts["flagged"] == 3 and counts["worse_flagged"] == 2 and counts["silently_worse"] == 1
    assert counts["good"] == 2 and counts["good_flagged"] == 1
    assert counts["flagged_cer"] == pytest.approx((0.09 + 1.0 + 0.0) / 3)
    assert counts["unflagged_cer"] == pytest.approx((0.06 + 0.012 + 0.30) / 3)
    record = next(r for r in report.summarise(rows, ["tesseract_psm3", "ocrfix"], plain) if r["profile"] == "all")
    assert record["silently_worse"] == 1 and record["ocrfix_worse"] == 3  # the existing column is kept
    table = report.doubt_markdown([record])
    assert "| ehri | **all** | 6 | 3 | 2 / 1 | 1 of 2 | 36.33 | 12.40 |" in table


def test_doubt_is_unknown_for_runs_that_did_not_record_the_status():
    rows = [_row("old", 0.05, 0.09, None)]
    assert report.doubt(rows, ["tesseract_psm3"])["silently_worse"] is None
    assert report.doubt_markdown(report.summarise(rows, ["tesseract_psm3", "ocrfix"], ["tesseract_psm3"])) == ""


def test_the_verdict_is_read_from_the_recognition_step():
    from recbench import engines

    from ocrfix.ocr import page_from_json

    def page(steps):
        return page_from_json({"format": "ocrfix-page", "format_version": 2, "blocks": [], "steps": steps})

    data = [{"name": "preprocess.crop", "version": "1", "settings": {}},
            {"name": "recognition", "version": "1", "settings": {"status": "doubtful", "reason": "low", "chosen": "original",
                                                                 "missed_lines": [{"text": "x"}], "input": "page"}}]  # fmt: skip
    verdict = engines.verdict_of(page(data))
    assert verdict == {"status": "doubtful", "reason": "low", "chosen": "original", "missed_lines": 1, "missed_lines_kept": 0}
    assert engines.verdict_of(page([])) == {}


def test_the_benchmark_and_the_reading_choice_probe_choose_items_with_the_same_arguments():
    """Both scripts take the items' arguments from one place; the probe keeps its defaults (dev, vyl),
    the benchmark wants --part; a source neither knows is refused (the probe once read it as vyl), and
    the probe, a study of the development part, refuses the test part."""
    import bench_recognition
    import probe_reading_choice

    item_arguments = ["--sources", "vyl,ehri", "--limit", "vyl-lines=5", "--vyl-resolutions", "150,600"]
    bench = bench_recognition.parse_args(["--part", "dev", *item_arguments])
    probe = probe_reading_choice.parse_args([*item_arguments, "--part", "dev", "--out", "rows.jsonl"])
    for name in ("part", "sources", "ehri", "vyl", "cache", "limit", "vyl_resolutions"):
        assert getattr(bench, name) == getattr(probe, name), name
    assert probe.sources == ["vyl", "ehri"] and probe.limit == {"vyl-lines": 5} and probe.vyl_resolutions == (150, 600)
    defaults = probe_reading_choice.parse_args(["--out", "rows.jsonl"])
    assert defaults.part == "dev" and defaults.sources == ["vyl"] and defaults.out == Path("rows.jsonl")
    for refused in (["--sources", "vyl"], ["--part", "dev", "--sources", "augrafy"]):  # no --part; a misspelt source
        with pytest.raises(SystemExit):
            bench_recognition.parse_args(refused)
    for refused in (["--sources", "augrafy"], ["--part", "test"]):
        with pytest.raises(SystemExit):
            probe_reading_choice.parse_args([*refused, "--out", "rows.jsonl"])


def test_more_development_items_are_never_drawn_for_the_test_part():
    """--augraphy-reseeds and --vyl-lines add development items; the test part stays the set the split fixed."""
    import bench_recognition
    from recbench import sources

    for extra in (["--augraphy-reseeds", "2"], ["--vyl-lines", "600"]):
        with pytest.raises(SystemExit):
            bench_recognition.parse_args(["--part", "test", *extra])
        assert bench_recognition.parse_args(["--part", "dev", *extra]).part == "dev"
    with pytest.raises(SystemExit):
        bench_recognition.parse_args(["--part", "dev", "--augraphy-profiles", "photocopy3"])
    with pytest.raises(ValueError):
        sources.augraphy_items(Path("unused"), part="test", reseeds=1)


def test_a_probe_studies_the_development_part_only_and_reads_each_items_language():
    """The probes parse their items' arguments through one function that refuses the test part, and read an
    item with ocrfix's defaults in the item's own language."""
    import argparse

    import bench_recognition
    from recbench.items import Item

    def parser() -> argparse.ArgumentParser:
        made = argparse.ArgumentParser()
        bench_recognition.add_item_arguments(made, part="dev", sources="augraphy,ehri")
        return made

    assert bench_recognition.dev_probe_args(parser(), ["--sources", "ehri"]).sources == ["ehri"]
    with pytest.raises(SystemExit):
        bench_recognition.dev_probe_args(parser(), ["--part", "test"])
    item = Item("ehri/CZ_01", "ehri", "CZ_01", "czech", "ces", Path("unused.png"), "")
    config = bench_recognition.item_config(item)
    assert config.ocr.languages == "ces"
    assert config.preprocess == bench_recognition.Config().preprocess


def test_reseeded_augraphy_pages_are_new_draws_of_the_same_dev_groups(tmp_path: Path, monkeypatch):
    """Each damaged dev page drawn again under other seeds: NAME~sK items of the same group (so the same
    part) and profile, each from its own seed; the undamaged page is not drawn again; no test group is made."""
    import numpy as np
    from recbench import damage, sources, typed

    seeds: list[int] = []
    monkeypatch.setattr(typed, "type_page", lambda text, font, seed: typed.TypedPage(np.full((8, 8), 255, np.uint8), "x\n"))
    monkeypatch.setattr(damage, "damage", lambda page, profile, seed: (seeds.append(seed) or page, 300))
    items = sources.augraphy_items(tmp_path, part="dev", reseeds=2, profiles=("clean", "photocopy2"))
    groups = {i.group for i in items}
    assert groups and all(part_of(g) == "dev" for g in groups)
    for group in groups:
        names = sorted(i.name for i in items if i.group == group)
        assert names == [f"{group}/clean", f"{group}/photocopy2", f"{group}/photocopy2~s1", f"{group}/photocopy2~s2"]
    assert {i.profile for i in items if "~" in i.name} == {"photocopy2"}
    assert len(set(seeds)) == len(seeds) == len(items)
    assert all(i.image.is_file() for i in items)
