"""Recognition that cannot destroy a page: lines, lighting gradients, clean pages, and the self-check (real Tesseract)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import needs_tesseract, render_typed_lines
from PIL import Image

from ocrfix import preprocess
from ocrfix import recognition as recognition_stage
from ocrfix.align import error_rates
from ocrfix.config import Config
from ocrfix.ocr import error_scale, to_text
from ocrfix.pipeline import recognize_path
from ocrfix.recognition import verdict_of

PAGE_LINES = (
    "Разрешить Наркомфину СССР перевести",
    "Генконсулу СССР в Харбине за счет",
    "резервного фонда СНК СССР 10.286 руб.",
    "для уплаты правительству половины",
    "сумм, присужденных по искам к бывш.",
    "Выписки посланы: т.т. Литвинову,",
    "Гринько, Арбузову. О Синьцзяне.",
    "Поручить врид. генконсула в Кашгаре",
)
LINE = "Поручить врид. генконсула в Кашгаре т. Смирнову"

pytestmark = [needs_tesseract, pytest.mark.tesseract]


def _ocrfix(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocrfix", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ})


def _plain_tesseract(image: Path) -> str:
    done = subprocess.run(["tesseract", str(image), "-", "-l", "rus", "--psm", "3"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    return done.stdout


def test_a_single_text_line_image_is_read(tmp_path: Path) -> None:
    """A 1,400 x 60 strip (an OCR-D/kraken line) used to give an empty page and exit 0."""
    pixels = np.asarray(render_typed_lines((LINE,), font_px=40))
    rows = np.nonzero((pixels < 128).any(axis=1))[0]
    strip = pixels[rows[0] - 12 : rows[-1] + 12, 60:-60]
    assert strip.shape[1] >= 6 * strip.shape[0]
    path = tmp_path / "line.png"
    Image.fromarray(strip).save(path, dpi=(300, 300))
    done = _ocrfix("ocr", str(path))
    assert done.returncode == 0, done.stderr
    assert error_rates(LINE + "\n", done.stdout).cer <= 0.05, done.stdout
    page = json.loads(_ocrfix("ocr", str(path), "--format", "json").stdout)
    recognition = next(s for s in page["steps"] if s["name"] == "recognition")
    assert recognition["settings"]["input"] == "line"


def test_a_page_under_a_lighting_gradient_is_not_inverted(tmp_path: Path) -> None:
    """Shaded paper on one side is not a negative: polarity is judged once the lighting is flattened."""
    clean = np.asarray(render_typed_lines(PAGE_LINES, font_px=40)).astype(np.float32)
    grey_ink = 255 - (255 - clean) * 0.6
    light = np.linspace(1.0, 0.4, clean.shape[1], dtype=np.float32)[None, :]
    path = tmp_path / "gradient.png"
    Image.fromarray(np.clip(grey_ink * light, 0, 255).astype(np.uint8)).save(path, dpi=(300, 300))
    recognition = recognize_path(path, Config())
    invert = next(s for s in recognition.page.steps if s.name == "preprocess.invert")
    assert invert.settings["inverted"] is False
    assert recognition.status == "ok"
    assert error_rates("\n".join(PAGE_LINES) + "\n", to_text(recognition.page)).cer <= 0.05


def test_a_clean_page_is_not_worse_than_plain_tesseract(tmp_path: Path) -> None:
    path = tmp_path / "clean.png"
    render_typed_lines(PAGE_LINES, path, font_px=40)
    truth = "\n".join(PAGE_LINES) + "\n"
    plain = error_rates(truth, _plain_tesseract(path)).cer
    recognition = recognize_path(path, Config())
    assert error_rates(truth, to_text(recognition.page)).cer <= plain + 0.005
    names = [s.name for s in recognition.page.steps]
    assert "preprocess.keep-grey" in names and "preprocess.sharpen" not in names  # a clean page is not sharpened


def test_a_page_read_once_but_doubted_is_weighed_against_what_plain_tesseract_reads(tmp_path: Path, monkeypatch) -> None:
    """A first reading estimated good stands alone only when the verdict does not doubt it: a page doubtful
    for any reason (here every page, by a scale whose bar no estimate passes) is read as loaded too, and
    the prepared reading is kept only on evidence, so the page cannot be worse than plain Tesseract silently
    or not."""
    path = tmp_path / "clean.png"
    render_typed_lines(PAGE_LINES, path, font_px=40)
    strict = replace(error_scale.shipped_scale(), doubtful=0.0)
    monkeypatch.setattr(error_scale, "shipped_scale", lambda: strict)
    recognition = recognize_path(path, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and recognition.status == "doubtful", verdict
    assert [t["preparation"] for t in verdict["tried"]] == ["preprocessed", "original"], verdict["why"]
    assert verdict["why"].startswith("read once, doubtful"), verdict["why"]
    truth = "\n".join(PAGE_LINES) + "\n"
    assert error_rates(truth, to_text(recognition.page)).cer <= error_rates(truth, _plain_tesseract(path)).cer + 0.005


def _scribbles(path: Path) -> None:
    """Ink with no text on it: thick random strokes and blots."""
    import cv2

    rng = np.random.default_rng(5)
    image = np.full((900, 700), 250, np.uint8)
    for _ in range(40):
        x0, y0, x1, y1 = (int(v) for v in rng.integers(0, 700, 4))
        cv2.line(image, (x0, y0 + 100), (x1, y1 + 100), 20, int(rng.integers(4, 14)))
    for _ in range(15):
        cv2.circle(image, (int(rng.integers(0, 700)), int(rng.integers(0, 900))), int(rng.integers(10, 60)), 30, -1)
    Image.fromarray(image).save(path, dpi=(300, 300))


@pytest.mark.slow
def test_the_self_check_is_recorded_and_a_doubtful_page_says_why(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    render_typed_lines(PAGE_LINES, pages / "a-typed.png", font_px=40)
    _scribbles(pages / "b-scribbles.png")
    out = tmp_path / "out"
    done = _ocrfix("run", str(pages), "-o", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr  # doubtful pages are finished pages (see README: exit codes)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    records = {p["page_id"]: p for p in summary["pages"]}
    typed, scribbles = records["a-typed"], records["b-scribbles"]
    assert typed["status"] == "ok"
    assert typed["quality"]["score"] >= 0.8 and typed["quality"]["words"] >= 30
    assert 0.0 <= typed["quality"]["estimated_cer"] <= error_scale.shipped_scale().doubtful, typed["quality"]
    assert scribbles["status"] == "doubtful"
    assert scribbles["quality"]["reason"]
    assert summary["doubtful"] == 1
    assert "1 doubtful" in done.stderr + done.stdout
    page = json.loads((out / "a-typed" / "page.json").read_text(encoding="utf-8"))
    recognition = next(s for s in page["steps"] if s["name"] == "recognition")
    assert recognition["settings"]["quality"]["score"] == typed["quality"]["score"]
    assert recognition["settings"]["status"] == "ok" and recognition["settings"]["chosen"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "status-doubtful" in index and scribbles["quality"]["reason"] in index
    assert f"estimated CER {100 * typed['quality']['estimated_cer']:.1f}%" in index


def test_ink_without_text_is_never_a_silent_ok(tmp_path: Path) -> None:
    path = tmp_path / "scribbles.png"
    _scribbles(path)
    recognition = recognize_path(path, Config())
    assert recognition.status == "doubtful" and recognition.reason
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["status"] == "doubtful" and verdict["reason"] == recognition.reason
    assert len(verdict["tried"]) >= 2  # a doubtful first reading is tried another way before giving up


LINES = Path(__file__).resolve().parent.parent / "data" / "lines"  # real 1939 newspaper lines (README there)
KOMI_FOLD = str.maketrans("ӧӦіІ", "оОиИ")  # rus has no ӧ or і (scripts/bench_data/komi_fold.tsv)


def _plain_line(image: Path) -> str:
    done = subprocess.run(["tesseract", str(image), "-", "-l", "rus", "--psm", "7"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    return done.stdout


def _resampled_line(name: str, dpi: int, folder: Path) -> Path:
    """A 400-dpi line image as if scanned at ``dpi`` (as the benchmark's vyl-lines-rescaled)."""
    with Image.open(LINES / f"{name}.png") as scanned:
        size = (round(scanned.width * dpi / 400), round(scanned.height * dpi / 400))
        scanned.convert("L").resize(size, Image.Resampling.LANCZOS).save(folder / "line.png", dpi=(dpi, dpi))
    return folder / "line.png"


@pytest.mark.parametrize("dpi", [400, 150])
@pytest.mark.parametrize("name", ["vyl-1939-line-166", "vyl-1939-line-202"])
def test_a_real_scanned_line_reads_as_well_as_plain_tesseract(name: str, dpi: int, tmp_path: Path) -> None:
    """Real line images, as scanned (400 dpi) and reduced to 150 dpi: a one-word crop (which read
    empty) and a clean line (which straightening, or rescaling at 150 dpi, made Tesseract misread)."""
    image = LINES / f"{name}.png" if dpi == 400 else _resampled_line(name, dpi, tmp_path)
    truth = (LINES / f"{name}.gt.txt").read_text(encoding="utf-8").translate(KOMI_FOLD)
    recognition = recognize_path(image, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "line"
    cer = error_rates(truth, to_text(recognition.page)).cer
    assert cer <= error_rates(truth, _plain_line(image)).cer + 0.005, to_text(recognition.page)


def test_a_line_read_first_preprocessed_is_merged_into_its_reading_as_loaded(tmp_path: Path) -> None:
    """A real line at 600 dpi beside which the preprocessing finds a scanner-bed border, so it is read first
    cropped (``ес печность``); as loaded Tesseract reads it right. It is merged word by word into the reading as
    loaded, as a line read first as loaded is (it was kept whole on a close call, 18% CER against 0%)."""
    image = _resampled_line("vyl-1939-line-354", 600, tmp_path)
    truth = (LINES / "vyl-1939-line-354.gt.txt").read_text(encoding="utf-8").translate(KOMI_FOLD)
    recognition = recognize_path(image, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "line"
    assert verdict["tried"][0]["preparation"] == "preprocessed", verdict["tried"]
    assert "line_merge" in verdict and verdict["chosen"] == "original", verdict["why"]
    cer = error_rates(truth, to_text(recognition.page)).cer
    assert cer <= error_rates(truth, _plain_line(image)).cer + 0.005, to_text(recognition.page)


@pytest.mark.parametrize(
    ("name", "dpi", "taken"),
    [
        ("vyl-1939-line-247", 600, []),  # the lexicon alone prefers the preprocessed reading: nothing taken
        ("vyl-1939-line-102", 150, ["лб", "ыджыд"]),  # the reading as loaded breaks letters in two: those taken
    ],
)
def test_a_line_leaves_its_reading_as_loaded_only_on_evidence_beyond_the_lexicon(
    name: str, dpi: int, taken: list[str], tmp_path: Path
) -> None:
    """Komi read with ``rus``. Line 247 as loaded reads "опытесо" (truth опытсӧ), its preprocessed
    image "опыте", a Russian word Tesseract gives no confidence: the lexicon alone favours it, and
    it is not taken. Line 102 at 150 dpi as loaded reads "л0 ... ыдДжЖыл" (a letter read as two,
    a digit for ӧ), its preprocessed image "лб ... ыджыд": fewer garbage tokens, and it reads better."""
    image = _resampled_line(name, dpi, tmp_path)
    truth = (LINES / f"{name}.gt.txt").read_text(encoding="utf-8").translate(KOMI_FOLD)
    recognition = recognize_path(image, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "line"
    assert [t["preparation"] for t in verdict["tried"]] == ["original", "preprocessed"]
    assert verdict["chosen"] == ("merged" if taken else "original"), verdict["why"]
    stretches = verdict["line_merge"]["stretches"]
    assert [s["readings"]["preprocessed"] for s in stretches if s["kept"] == "preprocessed"] == taken, stretches
    assert all(s["why"] == "fewer garbage tokens" for s in stretches if s["kept"] == "preprocessed"), stretches
    cer, plain = error_rates(truth, to_text(recognition.page)).cer, error_rates(truth, _plain_line(image)).cer
    assert cer < plain if taken else cer == plain, to_text(recognition.page)


def test_a_line_takes_from_each_reading_the_words_it_has_evidence_for() -> None:
    """Line 90 ("Тайӧ кольӧм каднас миян"): as loaded (plain ``--psm 7``) it breaks a letter in two
    ("МиИянН"), preprocessed it reads that word right but misreads ӧ as б twice ("Тайб кольбм"), with
    more confidence. Neither whole reading is right; the merge takes "миян" from the preprocessed
    reading (fewer garbage tokens) and the rest as loaded, and reads better than either. Each word
    says which reading it came from, the box of the word taken lies where that word is on the line as
    loaded, and the line stays doubtful: its readings disagree."""
    image = LINES / "vyl-1939-line-90.png"
    truth = (LINES / "vyl-1939-line-90.gt.txt").read_text(encoding="utf-8").translate(KOMI_FOLD)
    recognition = recognize_path(image, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "line" and verdict["chosen"] == "merged", verdict
    assert verdict["line_merge"]["words_from"] == ["original", "original", "original", "preprocessed"], verdict
    loaded = preprocess.load_page(image, 0, config=Config().preprocess)
    _, _, read = recognition_stage.preparations_of(loaded, Config())
    whole = {name: error_rates(truth, to_text(read(name)[0])).cer for name in ("original", "preprocessed")}
    cer = error_rates(truth, to_text(recognition.page)).cer
    assert cer < min(whole.values()) and cer < error_rates(truth, _plain_line(image)).cer, (to_text(recognition.page), whole)
    last, plain_last = recognition.page.words[-1], read("original")[0].words[-1]
    assert last.text == "миян" and last.bbox is not None and plain_last.bbox is not None
    assert abs(last.bbox.left - plain_last.bbox.left) <= 10 and abs(last.bbox.right - plain_last.bbox.right) <= 10
    assert recognition.status == "doubtful" and recognition.reason.startswith("its readings disagree"), recognition.reason


def test_a_real_line_is_judged_as_a_line_not_by_its_mean_estimate() -> None:
    """Line 81 ("30 прӧчентӧн.", Komi read with ``rus``) reads as plain Tesseract reads it, right, yet
    its words unknown to the Russian lexicon keep its estimate below the page's bar (it was flagged
    doubtful): both its preparations read the same words and its least sure word is likely right, so
    it is ok. Line 102, whose preparations read it differently ("ло" and "л0"), stays doubtful."""
    truth = (LINES / "vyl-1939-line-81.gt.txt").read_text(encoding="utf-8").translate(KOMI_FOLD)
    recognition = recognize_path(LINES / "vyl-1939-line-81.png", Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "line" and len(verdict["tried"]) == 2, verdict
    assert error_rates(truth, to_text(recognition.page)).cer == 0.0, to_text(recognition.page)
    assert recognition.quality.score < recognition.quality.free_score  # the lexicon knows none of its words
    assert recognition.status == "ok", recognition.reason
    assert verdict["weakest_word"]["chance"] >= recognition_stage.WEAK_WORD, verdict
    disagreeing = recognize_path(LINES / "vyl-1939-line-102.png", Config())
    assert disagreeing.status == "doubtful" and disagreeing.reason.startswith("its readings disagree"), disagreeing.reason


def test_the_preparations_to_choose_from_are_read_as_recognition_reads_them() -> None:
    """recognition.preparations_of, with which scripts/probe_reading_choice.py studies the choice
    offline: the input kind, the order and the readings are those recognize_loaded tried."""
    config = Config()
    loaded = preprocess.load_page(LINES / "vyl-1939-line-102.png", 0, config=config.preprocess)
    kind, order, read = recognition_stage.preparations_of(loaded, config)
    verdict = verdict_of(recognition_stage.recognize_loaded(loaded, config).page)
    assert verdict is not None and kind == verdict["input"] == "line"
    assert order == tuple(t["preparation"] for t in verdict["tried"]) == ("original", "preprocessed")
    for name, tried in zip(order, verdict["tried"], strict=True):
        reading = read(name)
        assert reading is not None and reading[1].to_dict()["score"] == tried["score"]


def _typed_page_read_whole(tmp_path: Path, config: Config):
    """PAGE_LINES typed large, preprocessed and read by Tesseract, every line found."""
    from ocrfix import ocr

    path = tmp_path / "page.png"
    render_typed_lines(PAGE_LINES, path, font_px=40)
    prepared = preprocess.preprocess(preprocess.load_page(path, 0, config=config.preprocess), config.preprocess)
    page = ocr.recognize(prepared.image, config.ocr)
    assert len(page.lines) == len(PAGE_LINES)
    return prepared, page


def test_a_line_the_page_reading_left_out_is_read_again_in_its_place(tmp_path: Path) -> None:
    """Tesseract's page analysis can drop a whole line (fat type taken for a picture): the ink's
    line bands show it, and the line is read alone (raw line mode) and put back where it stands."""
    from dataclasses import replace

    from ocrfix.line_check import fill_missed_lines

    config = Config()
    prepared, page = _typed_page_read_whole(tmp_path, config)
    dropped = 3
    blocks = tuple(replace(b, lines=tuple(ln for ln in b.lines if ln is not page.lines[dropped])) for b in page.blocks)
    partial = replace(page, blocks=blocks)
    assert PAGE_LINES[dropped] not in to_text(partial)
    restored, readings = fill_missed_lines(partial, prepared.image, prepared.x_height, config.ocr, None)
    assert [r.kept for r in readings] == [True]
    texts = [line.text for line in restored.lines]
    assert error_rates(PAGE_LINES[dropped], texts[dropped]).cer <= 0.05, texts
    assert texts[: dropped] == [ln.text for ln in page.lines[:dropped]]
    ids = [w.id for w in restored.words]
    assert all(ids) and len(set(ids)) == len(ids)
    # a complete reading is left as it is, and nothing is read again
    same, none = fill_missed_lines(page, prepared.image, prepared.x_height, config.ocr, None)
    assert same is page and none == []


def test_a_line_the_kept_reading_lost_comes_back_from_the_readings_that_hold_it(tmp_path: Path) -> None:
    """A preparation that set a whole line to paper: its reading has no line there. Two other readings
    of the page hold it (page segmentation modes 3 and 4); the page merge adds it in its place, and
    the lines the kept reading has stay as it read them, with their ids."""
    from ocrfix import ocr, page_merge

    config = Config()
    prepared, full = _typed_page_read_whole(tmp_path, config)
    lost = 3
    box = full.lines[lost].bbox
    painted = prepared.image.copy()
    painted[box.top - 4 : box.bottom + 4, :] = 255  # the line set to paper
    kept = ocr.recognize(painted, config.ocr)
    assert PAGE_LINES[lost] not in to_text(kept) and len(kept.lines) == len(PAGE_LINES) - 1
    psm4 = ocr.recognize(prepared.image, replace(config.ocr, psm=4))
    merged = page_merge.merge(kept, "preprocessed", [page_merge.Other("psm 3", full), page_merge.Other("psm 4", psm4)],
                              None)  # fmt: skip
    texts = [line.text for line in merged.page.lines]
    assert texts[:lost] + texts[lost + 1 :] == [line.text for line in kept.lines]
    assert error_rates(PAGE_LINES[lost], texts[lost]).cer <= 0.05, texts
    assert [(a["from"], a["confirmed_by"]) for a in merged.added] == [("psm 3", ["psm 4"])]
    ids = [line.id for line in merged.page.lines]  # the kept lines keep theirs; the added line takes a new one
    assert ids[:lost] + ids[lost + 1 :] == [line.id for line in kept.lines] and len(set(ids)) == len(ids)
    assert merged.added[0]["line"] == ids[lost]


@pytest.mark.parametrize("text", ["КАНЕВ.", "да"])
def test_a_word_the_cleaning_lost_is_read_as_loaded_and_a_blank_page_stays_empty(text: str, tmp_path: Path) -> None:
    """A small word on grainy paper: thresholding and despeckling took its letters for specks (КАНЕВ.),
    or flattening found no ink in a crop smaller than its window (да), and the page was reported
    empty. A blank page under uneven light is empty still."""
    pixels = np.asarray(render_typed_lines((text,), font_px=16)).astype(np.float32)
    rows, cols = np.nonzero(pixels < 128)
    crop = pixels[rows.min() - 6 : rows.max() + 6, cols.min() - 6 : cols.max() + 6]
    grainy = crop * 0.85 + 20 + np.random.default_rng(1).normal(0, 6, crop.shape)
    word = tmp_path / "word.png"
    Image.fromarray(np.clip(grainy, 0, 255).astype(np.uint8)).save(word, dpi=(150, 150))
    recognition = recognize_path(word, Config())
    assert any(s.name == "preprocess.empty" for s in recognition.page.steps) is False  # the reading kept is the loaded image's
    assert recognition.status == "ok" and to_text(recognition.page).strip() == text
    blank = np.full((400, 300), 200, np.uint8)
    blank[:, :150] = 170  # two tones of paper, no ink
    path = tmp_path / "blank.png"
    Image.fromarray(blank).save(path, dpi=(150, 150))
    recognition = recognize_path(path, Config())
    assert recognition.status == "empty" and recognition.reason.startswith("nothing on the page")


def test_a_line_read_from_noise_is_dropped_and_a_poor_line_of_text_is_kept(tmp_path: Path) -> None:
    """Toner dust read as '& = # &' lies on no text line of the image and reads as garbage: dropped.
    A line of text read badly still lies on its line band: kept, however poor."""
    import cv2

    from ocrfix import ocr
    from ocrfix.line_check import drop_noise_lines
    from ocrfix.model import BBox, Block, Line, Page, Word

    path = tmp_path / "page.png"
    pixels = np.asarray(render_typed_lines(PAGE_LINES, font_px=40)).copy()
    height, width = pixels.shape
    dust = np.zeros((260, width), np.uint8)
    rng = np.random.default_rng(7)
    for y, x in zip(rng.integers(0, 260, 900), rng.integers(0, width, 900)):
        cv2.circle(dust, (int(x), int(y)), 1, 1, -1)
    pixels = np.vstack([pixels, np.where(dust > 0, 60, 255).astype(np.uint8)])
    Image.fromarray(pixels).save(path, dpi=(300, 300))
    config = Config()
    prepared = preprocess.preprocess(preprocess.load_page(path, 0, config=config.preprocess), config.preprocess)
    page = ocr.recognize(prepared.image, config.ocr)
    bottom = prepared.image.shape[0] - int(130 * prepared.scale)  # inside the dust, in the prepared image's frame
    noise = Line((Word("&", BBox(100, bottom, 120, bottom + 40), 30.0), Word("=#&", BBox(140, bottom, 400, bottom + 40), 20.0)),
                 BBox(100, bottom, 400, bottom + 40))  # fmt: skip
    first = page.lines[0]
    garbled = Line((Word("Рзр#шить", first.bbox, 20.0),), first.bbox)  # a poor reading of the first line, on its band
    reading = Page((Block((garbled, *page.lines[1:])), Block((noise,))), width=page.width, height=page.height)
    cleaned, dropped = drop_noise_lines(reading, prepared.image, prepared.x_height, None)
    assert [d["text"] for d in dropped] == ["& =#&"]
    assert [line.text for line in cleaned.lines] == [garbled.text] + [line.text for line in page.lines[1:]]


@pytest.mark.parametrize("dpi", [400, 600])
def test_a_speckled_line_is_read_as_a_line(dpi: int, tmp_path: Path) -> None:
    """Specks among a line's letters can outnumber them and pass for an x-height of a few pixels,
    which made a 56-pixel strip a block of small print (at 600 dpi and cut with margins, 134 pixels,
    a page read with --psm 3, which found nothing); its inked rows still form one band."""
    pixels = np.asarray(Image.open(LINES / "vyl-1939-line-202.png").convert("L")).copy()
    rng = np.random.default_rng(3)
    for _ in range(1500):
        y, x = rng.integers(0, pixels.shape[0] - 5), rng.integers(0, pixels.shape[1] - 5)
        pixels[y : y + 5, x : x + 5] = 60
    path = tmp_path / "speckled.png"
    if dpi != 400:  # rescanned finer, and cut with a margin above and below
        pixels = np.pad(pixels, ((17, 17), (0, 0)), constant_values=int(np.percentile(pixels, 95)))
    speckled = Image.fromarray(pixels)
    speckled.resize((speckled.width * dpi // 400, speckled.height * dpi // 400), Image.Resampling.LANCZOS).save(
        path, dpi=(dpi, dpi))
    verdict = verdict_of(recognize_path(path, Config()).page)
    assert verdict is not None and verdict["input"] == "line"


def _toner_dusted(lines: tuple[str, ...], grains: int, seed: int) -> np.ndarray:
    """A typed page sown with toner grains of two to four pixels, over its text lines as between them."""
    pixels = np.asarray(render_typed_lines(lines, font_px=40)).copy()
    rng = np.random.default_rng(seed)
    shapes = ((2, 1), (1, 2), (2, 2), (2, 2))
    for _ in range(grains):
        y, x = int(rng.integers(0, pixels.shape[0] - 2)), int(rng.integers(0, pixels.shape[1] - 2))
        h, w = shapes[int(rng.integers(0, len(shapes)))]
        pixels[y : y + h, x : x + w] = 40
    return pixels


def test_a_page_sown_with_toner_grains_is_filtered_and_reads_better(tmp_path: Path) -> None:
    """A photocopy of a photocopy: grains of toner a few pixels across, several per letter, which Tesseract
    reads as commas, dots and quotes (and which mislead the skew and x-height measures). The toner filter
    (a 3x3 median, applied only when its premise holds) returns them to the paper."""
    path = tmp_path / "toner.png"
    Image.fromarray(_toner_dusted(PAGE_LINES, 6000, 11)).save(path, dpi=(300, 300))
    truth = "\n".join(PAGE_LINES) + "\n"
    filtered = recognize_path(path, Config())
    toner = next(s for s in filtered.page.steps if s.name == "preprocess.toner") if filtered.prepared else None
    unfiltered = recognize_path(path, Config().override("preprocess", toner_specks=0.0))
    cer, cer_unfiltered = (error_rates(truth, to_text(r.page)).cer for r in (filtered, unfiltered))
    assert toner is not None and toner.settings["filtered"] is True, filtered.page.steps
    assert cer <= 0.01 and cer < cer_unfiltered, (cer, cer_unfiltered, to_text(filtered.page))


def _blotched(tmp_path: Path) -> Path:
    """A typed page whose right half lies under a grey blotch of dithered toner (grains touching each other)."""
    pixels = np.asarray(render_typed_lines(PAGE_LINES, font_px=40)).copy()
    rng = np.random.default_rng(2)
    height, width = pixels.shape
    for _ in range(100_000):
        y, x = int(rng.integers(0, height - 2)), int(rng.integers(width // 2, width - 2))
        h, w = ((2, 1), (1, 2), (2, 2))[int(rng.integers(0, 3))]
        pixels[y : y + h, x : x + w] = 40
    path = tmp_path / "blotched.png"
    Image.fromarray(pixels).save(path, dpi=(300, 300))
    return path


def test_a_dithered_blotch_of_toner_is_cleared_to_paper_and_reads_better(tmp_path: Path) -> None:
    """The dither step: dots of toner far finer than a stroke (here one pixel, 30% of the right half, as a
    photocopy of a photocopy prints its grey) are cleared to paper, the strokes kept at their own darkness,
    so the letters under the blotch read. Plain Tesseract, and ocrfix with the step off, read the blotch
    as symbols. The page stays flagged: strokes lighter than the ink kept may be lost."""
    pixels = np.asarray(render_typed_lines(PAGE_LINES, font_px=40)).copy()
    half = pixels[:, pixels.shape[1] // 2 :]
    dots = np.random.default_rng(3).random(half.shape) < 0.3
    half[dots] = np.minimum(half[dots], 50)
    path = tmp_path / "dithered.png"
    Image.fromarray(pixels).save(path, dpi=(300, 300))
    truth = "\n".join(PAGE_LINES) + "\n"
    read = recognize_path(path, Config())
    assert read.prepared is not None, verdict_of(read.page)  # a preparation read it, not the page as loaded
    dither = next(s for s in read.prepared.steps if s.name == "preprocess.dither")
    assert dither.settings["cleared"] is True and dither.settings["dithered_share"] >= 0.3, dither.settings
    # a cleared page's first fallback is the image as loaded (letters the clearing broke no tone preparation mends)
    assert recognition_stage._fallbacks(read.prepared)[0] == "original"
    assert read.status == "doubtful" and "dither" in read.reason, (read.status, read.reason)
    uncleared = recognize_path(path, Config().override("preprocess", dither_tiles=0.0))
    cer, cer_off = (error_rates(truth, to_text(r.page)).cer for r in (read, uncleared))
    plain = error_rates(truth, _plain_tesseract(path)).cer
    assert cer <= 0.08 and cer < cer_off - 0.2 and cer < plain - 0.2, (cer, cer_off, plain, to_text(read.page))
    # an undamaged page has no dithered tile: the step measures it and leaves it as it is
    config = Config()
    clean = preprocess.preprocess(np.asarray(render_typed_lines(PAGE_LINES, font_px=40)), config.preprocess)
    step = next(s for s in clean.steps if s.name == "preprocess.dither")
    assert step.settings == {"dithered_share": 0.0, "cleared": False, "ink_level": None}


def test_a_page_of_dense_toner_blotches_is_read_as_loaded_and_not_in_every_preparation(tmp_path: Path) -> None:
    """A photocopy of a photocopy whose toner lies in dense blotches the filter cannot clear (here the
    dithered blotch with the dither step off, standing for toner too coarse for it):
    Tesseract reads the blotches of a prepared page as text, for many times its plain time, and no
    tone preparation reads them. The page is read as prepared and as loaded, never a third way."""
    path = _blotched(tmp_path)
    config = Config().override("preprocess", dither_tiles=0.0)
    prepared = preprocess.preprocess(preprocess.load_page(path, 0, config=config.preprocess), config.preprocess)
    toner = next(s for s in prepared.steps if s.name == "preprocess.toner")
    assert toner.settings["dense"] is True and toner.settings["filtered"] is False, toner.settings
    assert recognition_stage._fallbacks(prepared) == ("original",)  # a page kept grey would try binarising first
    recognition = recognize_path(path, config)
    verdict = verdict_of(recognition.page)
    assert verdict is not None and {t["preparation"] for t in verdict["tried"]} <= {"preprocessed", "original"}
    truth = "\n".join(PAGE_LINES) + "\n"
    cer, plain = error_rates(truth, to_text(recognition.page)).cer, error_rates(truth, _plain_tesseract(path)).cer
    assert cer <= plain + 0.005, (cer, plain)
    # whatever reading is kept, the preprocessing could not clear the damage: the page is flagged
    assert recognition.status == "doubtful" and "toner" in recognition.reason, (recognition.status, recognition.reason)


def _read_over_inked(lines: tuple[str, ...], tmp_path: Path):
    """Over-inked type (strokes a third of the x-height) read by ocrfix; the page must have been thinned."""
    fat = cv2.erode(np.asarray(render_typed_lines(lines, font_px=40)), np.ones((5, 5), np.uint8))
    path = tmp_path / "over-inked.png"
    Image.fromarray(fat).save(path, dpi=(300, 300))
    recognition = recognize_path(path, Config())
    thin = next(s for s in recognition.page.steps if s.name == "preprocess.thin")
    verdict = verdict_of(recognition.page)
    assert thin.settings["thinned"] is True and verdict is not None, thin.settings
    return recognition, verdict


def test_a_thinned_page_not_estimated_excellent_is_checked_against_the_page_as_loaded(tmp_path: Path) -> None:
    """Over-inked type (strokes a third of the x-height): thinning takes a pixel of ink from every edge,
    on one global measure. Its first reading is estimated 0.87, which would pass for good; the page as
    loaded, unthinned, is read too, is estimated higher (0.92), not clearly enough to switch: the page
    is flagged instead of passing as ok on the thinned reading alone."""
    recognition, verdict = _read_over_inked(PAGE_LINES, tmp_path)
    first = verdict["tried"][0]
    assert recognition_stage.GOOD_SCORE <= first["score"] < recognition_stage.THINNED_GOOD_SCORE, first
    assert "original" in [t["preparation"] for t in verdict["tried"]], verdict["tried"]
    assert recognition.status == "doubtful" and "favours another reading" in recognition.reason, recognition.reason


def test_a_thinned_page_read_without_garbage_is_checked_only_against_the_page_as_loaded(tmp_path: Path) -> None:
    """The thinned page's first reading (estimated 0.94, no garbage) is checked against the page as
    loaded, unthinned: that revisits the thinning. The page kept grey is not binarised too: the tone
    call shows no sign of being wrong (no garbage), and a binarised page keeps the thinning."""
    lines = tuple(line.replace(" СССР", "") for line in PAGE_LINES)  # (СССР, a letter struck thrice, counts as garbage)
    recognition, verdict = _read_over_inked(lines, tmp_path)
    first = verdict["tried"][0]
    assert first["score"] < recognition_stage.THINNED_GOOD_SCORE and first["garbage_characters"] == 0, first
    assert [t["preparation"] for t in verdict["tried"]] == ["preprocessed", "original"], verdict["tried"]
    assert error_rates("\n".join(lines) + "\n", to_text(recognition.page)).cer <= 0.02


def test_a_page_read_twice_keeps_its_reading_but_takes_a_word_from_the_other_where_it_has_evidence(tmp_path: Path) -> None:
    """Over-inked type: the thinned page is kept (the page as loaded is estimated higher, not clearly
    enough), and its lines read "Генконсупу" and "генконсупа" (thinning opened the л) where the page as
    loaded reads them right, more surely: those words are taken from it, the rest stays as kept. The
    words taken have boxes in the kept reading's frame, on their line; ids stay in reading order; the
    page stays doubtful on the whole readings' close call."""
    recognition, verdict = _read_over_inked(PAGE_LINES, tmp_path)
    assert verdict["chosen"] == "preprocessed" and [t["preparation"] for t in verdict["tried"]] == ["preprocessed", "original"]
    truth = "\n".join(PAGE_LINES) + "\n"
    taken = {(s["readings"]["preprocessed"], s["readings"]["original"]) for line in verdict["page_merge"]
             for s in line["stretches"] if s["kept"] == "original"}  # fmt: skip
    assert taken == {("Генконсупу", "Генконсулу"), ("генконсупа", "генконсула")}, verdict["page_merge"]
    assert "2 stretch(es) of its lines taken from the other readings" in verdict["why"], verdict["why"]
    loaded = preprocess.load_page(tmp_path / "over-inked.png", 0, config=Config().preprocess)
    _, _, read = recognition_stage.preparations_of(loaded, Config())
    kept_page = read("preprocessed")[0]
    assert error_rates(truth, to_text(recognition.page)).cer < error_rates(truth, to_text(kept_page)).cer
    assert [w.id for w in recognition.page.words] == [f"w{i}" for i in range(1, len(recognition.page.words) + 1)]
    for line in verdict["page_merge"]:
        page_line = next(li for li in recognition.page.lines if li.id == line["line"])
        words = list(zip(page_line.words, line["words_from"], strict=True))
        kept_boxes = [w.bbox for w, source in words if source == "preprocessed" and w.bbox is not None]
        for word, source in words:  # a word taken lies level with the kept words of its line, in its place
            if source == "original":
                assert word.bbox is not None and kept_boxes, words
                middle = (word.bbox.top + word.bbox.bottom) / 2
                assert all(box.top <= middle <= box.bottom for box in kept_boxes), words
        lefts = [w.bbox.left for w, _ in words if w.bbox is not None]
        assert lefts == sorted(lefts), words
    assert recognition.status == "doubtful" and "favours another reading" in recognition.reason, recognition.reason


@pytest.mark.parametrize("dpi, status", [(150, "doubtful"), (400, "ok")])
def test_a_line_whose_preparations_read_different_words_is_doubtful_unless_the_word_they_dispute_is_read_surely(
    dpi: int, status: str, tmp_path: Path
) -> None:
    """Line 202 ("веськалӧны Краснӧй Армия"): its preprocessed image reads ӧ as б ("веськалбны"), the
    image as loaded reads it as о, right once ӧ is folded, and the reading as loaded is kept (the other
    is not clearly better). Which of two readings is right the estimate cannot tell on three words;
    what settles it is Tesseract's own confidence in the word they dispute, kept as plain Tesseract
    reads it: 0.91 at 400 dpi (ok), 0.67 at 150 dpi (below SURE_WORD: doubtful)."""
    recognition = recognize_path(_resampled_line("vyl-1939-line-202", dpi, tmp_path), Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and [t["preparation"] for t in verdict["tried"]] == ["original", "preprocessed"]
    assert verdict["chosen"] == "original" and verdict["disputed_word"]["text"] == "веськалоны", verdict
    assert (verdict["disputed_word"]["chance"] < recognition_stage.SURE_WORD) == (status == "doubtful"), verdict
    assert recognition.status == verdict["status"] == status, verdict["reason"]
    if status == "doubtful":
        assert recognition.reason.startswith('its readings disagree (preprocessed read "веськалбны'), recognition.reason


KOMI_PAGE_LINES = (  # Komi (Выль туйӧд, 1939, public domain; see tests/data/lines/README.md), ӧ folded to о
    "Узбекской ССР-са Фрунзе нима колхозын",
    "Черныб сельсоветувса нуодо удж сьом",
    "чукортан кампания босьтома Вонгровец,",
    "кодъяс суловны машина дорын став лун.",
    "Германской армияса вер кужис котыртны",
    "сиктса активсо, ордйысьны Ертомса сель-",
    "советкод да нуодны звеноса звеньевойяс",
    "пуктан рун 5-од лун кежло 80 прочент.",
)


def test_a_page_read_without_garbage_is_not_read_again_however_few_words_the_lexicon_knows(tmp_path: Path) -> None:
    """A clean page in a language the Russian lexicon does not know (Komi) is estimated poor by the
    lexicon, but reads without a garbage token: nothing shows a wrong preparation, and another
    preparation of the same image would not teach the lexicon Komi. It is read once (it was read
    two or three times, each reading estimated as poorly). It reads at 0.3% CER, and it is judged on
    what means the same in every language, Tesseract's confidence and garbage: not doubtful (it was,
    by the lexicon's score below 0.7)."""
    path = tmp_path / "komi.png"
    render_typed_lines(KOMI_PAGE_LINES, path, font_px=40)
    recognition = recognize_path(path, Config())
    verdict = verdict_of(recognition.page)
    assert verdict is not None and verdict["input"] == "page"
    assert recognition.quality.score < recognition_stage.GOOD_SCORE and recognition.quality.garbage_share == 0
    assert [t["preparation"] for t in verdict["tried"]] == ["preprocessed"], verdict["why"]
    assert "without garbage" in verdict["why"]
    assert recognition.status == "ok", recognition.reason
    assert verdict["estimated_cer"] <= error_scale.shipped_scale().doubtful, verdict
    truth = "\n".join(KOMI_PAGE_LINES) + "\n"
    assert error_rates(truth, to_text(recognition.page)).cer <= 0.05


def test_only_the_image_as_loaded_is_read_with_tesseracts_own_line_inversion():
    """The preparations' polarity is the preprocessing's call: Tesseract does not read their weak lines
    again inverted. The image as loaded is read as plain Tesseract reads it, inversion included: with
    the preprocessing off, a white-on-black line is read by that inversion alone."""
    negative = 255 - np.asarray(render_typed_lines((LINE,), font_px=40))
    loaded = preprocess.LoadedImage(negative, 300.0, "negative.png")
    as_loaded = recognition_stage.recognize_loaded(loaded, Config().override("preprocess", enabled=False))
    assert error_rates(LINE, to_text(as_loaded.page)).cer < 0.05
    (step,) = [s for s in as_loaded.page.steps if s.name == "tesseract"]
    assert "tessedit_do_invert" not in step.settings["variables"]
    prepared = recognition_stage.recognize_loaded(loaded, Config())
    variables = {s.settings["variables"].get("tessedit_do_invert") for s in prepared.page.steps if s.name == "tesseract"}
    assert variables == {"0"}  # the line turned by the preprocessing, read once
