"""The batch's collection lexicon with the real pipeline: counted over every page, used for every page.

A name no dictionary knows occurs once on each of three typed pages and is
misread on a fourth (ц read as п, as the OCR does when ц loses its tail). In a
batch the name recurs, joins the collection and the misreading is corrected;
counted over the fourth page alone (``--collection-scope page``, ``ocrfix
correct``) it is not. Tesseract runs through a wrapper that counts its runs,
so the tests can tell that a rerun takes the OCR from the recognition cache.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from conftest import needs_tesseract, render_typed_lines
from review_batch import page_from_spec

from ocrfix.batch import run_batch
from ocrfix.batch.collection import (
    COLLECTION_FILE,
    count_collection,
    load_collection_lexicon,
    read_collection,
    stored_collection,
)
from ocrfix.config import Config
from ocrfix.errors import BadInputError, ExitCode

PAGES = {
    "p1": ("Доклад товарища Кацуфрина", "о положении дел в районе."),
    "p2": ("Товарищ Кацуфрин прибыл", "вчера вечером в город."),
    "p3": ("Письмо отправлено лично", "товарищу Кацуфрину."),
    "p4": ("Сообщить Капуфрину", "о решении немедленно."),  # what the OCR makes of 'Кацуфрину'
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scans")
    for stem, lines in PAGES.items():
        render_typed_lines(lines, folder / f"{stem}.png")
    return folder


@pytest.fixture
def counted_tesseract(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A tesseract command that logs every page it reads (not the version probes), and the log."""
    real = shutil.which("tesseract")
    log = tmp_path / "tesseract-runs.log"
    wrapper = tmp_path / "tesseract"
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$1" in --*) ;; *) echo "$1" >> "$OCRFIX_TESSERACT_LOG" ;; esac\n'
        f'exec {real} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("OCRFIX_TESSERACT_LOG", str(log))  # inherited by the spawned workers
    return wrapper, log


def runs(log: Path) -> int:
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def readings(out: Path) -> int:
    """The Tesseract runs the batch's pages needed: one each, more where the self-check tried other preparations."""
    total = 0
    for page_json in sorted(out.glob("*/page.json")):
        steps = json.loads(page_json.read_text(encoding="utf-8"))["steps"]
        total += len(next(s for s in steps if s["name"] == "recognition")["settings"]["tried"])
    return total


def text(out: Path, page: str, name: str = "corrected.txt") -> str:
    return (out / page / name).read_text(encoding="utf-8")


@pytest.mark.slow  # a process pool
@needs_tesseract
@pytest.mark.tesseract
def test_a_name_recurring_across_the_batch_corrects_its_misreading_on_another_page(scans, counted_tesseract, tmp_path):
    from ocrfix.cli import main
    from ocrfix.correct import correct_text
    from ocrfix.lexicon.shared import get_lexicon

    wrapper, log = counted_tesseract
    config = Config().override("ocr", tesseract_cmd=str(wrapper))
    out = tmp_path / "out"
    summary = run_batch([str(scans)], out, config, jobs=2, progress=False)
    assert (summary.done, summary.failed) == (4, 0)
    first_runs = runs(log)
    assert first_runs == readings(out) >= 4
    assert "Капуфрину" in text(out, "p4", "raw.txt")
    assert "Кацуфрину" in text(out, "p4")
    corrections = json.loads(text(out, "p4", "corrections.json"))
    assert any(c["original"] == "Капуфрину" and c["replacement"] == "Кацуфрину" for c in corrections)
    collection = read_collection(out / COLLECTION_FILE)
    assert collection.pages == 4 and "кацуфрину" in collection.counts
    assert summary.collection["sha256"] == collection.sha256

    # The same pages, each counted alone (through the command line): settings changed, OCR not run again.
    toml = tmp_path / "ocrfix.toml"
    toml.write_text(f'[ocr]\ntesseract_cmd = "{wrapper}"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(toml), "run", str(scans), "-o", str(out), "--jobs", "2", "--collection-scope", "page"])
    assert exited.value.code == ExitCode.OK
    saved = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (saved["done"], saved["skipped"], saved["collection"]) == (4, 0, {"scope": "page"})
    assert runs(log) == first_runs, "Tesseract ran again although only the correction changed"
    assert not (out / COLLECTION_FILE).exists()  # not what these pages were corrected with
    assert "Капуфрину" in text(out, "p4") and "Кацуфрину" not in text(out, "p4")

    # ... and `ocrfix correct` on the page's text alone leaves it too.
    alone = correct_text(text(out, "p4", "raw.txt"), get_lexicon(config.correct), config.correct)
    assert "Капуфрину" in alone.text


def test_a_one_page_batch_corrects_the_page_as_it_would_alone(tmp_path):
    from ocrfix.memory import Event, Memory, save_memory
    from ocrfix.ocr import to_text
    from ocrfix.pipeline import correct

    page, _ = page_from_spec(
        ["Доклад товарища Кацуфрина о положении.", "Письмо товарищу Кацуфрину лично.", "Сообщить Капуфрину немедленно."]
    )
    memory = tmp_path / "memory.json"
    save_memory(Memory({"b#p": (Event("confirmed", "", "Бешкурган"),)}), memory)
    for config in (Config(), Config().override("correct", memory=str(memory))):
        collection = count_collection([to_text(page)], config)
        assert "кацуфрину" in collection.counts
        assert ("бешкурган" in collection.counts) == bool(config.correct.memory)
        alone, alone_corrections = correct(page, config)
        batch, batch_corrections = correct(page, config, collection)
        assert batch == alone and batch_corrections == alone_corrections
        assert "Кацуфрину" in to_text(batch).splitlines()[2]


def test_a_batch_collection_with_a_memory_counts_every_page_and_the_reviewers_words(tmp_path):
    from ocrfix.memory import Event, Memory, page_corrector_options, save_memory
    from ocrfix.ocr import to_text
    from ocrfix.pipeline import correct, get_lexicon

    memory = tmp_path / "memory.json"
    save_memory(Memory({"b#p": (Event("confirmed", "", "Бешкурган"),)}), memory)
    config = Config().override("correct", memory=str(memory))
    pages = [page_from_spec([line])[0] for line in ("Доклад товарища Кацуфрина.", "Письмо товарищу Кацуфрину.")]
    misread, _ = page_from_spec(["Сообщить Капуфрину немедленно."])
    collection = count_collection([to_text(p) for p in pages + [misread]], config)
    assert {"кацуфрина", "кацуфрину", "бешкурган"} <= set(collection.counts)
    options = page_corrector_options(str(memory), get_lexicon(config.correct), misread, collection=collection)
    assert options["collection"] is collection and "error_model" in options and "fixes" in options
    corrected, _ = correct(misread, config, collection)
    assert "Кацуфрину" in to_text(corrected)
    alone, _ = correct(misread, config)
    assert "Капуфрину" in to_text(alone)


def test_a_damaged_collection_file_is_refused_and_counted_again(tmp_path):
    from ocrfix.batch.collection import (
        collection_inputs,
        make_batch_collection,
        write_collection,
    )

    collection = make_batch_collection(
        ["Доклад товарища Кацуфрина.", "Письмо товарищу Кацуфрину."], Config(), collection_inputs("fp", {}, [])
    )
    path = write_collection(tmp_path, collection)
    assert read_collection(path) == collection
    assert load_collection_lexicon(path, collection.sha256).counts == collection.counts
    with pytest.raises(BadInputError, match="changed while the batch was running") as info:
        load_collection_lexicon(path, "0" * 64)
    assert info.value.exit_code == ExitCode.BAD_INPUT

    data = json.loads(path.read_text(encoding="utf-8"))
    data["words"][0]["count"] += 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadInputError, match="do not match the recorded hash") as info:
        read_collection(path)
    assert info.value.exit_code == ExitCode.BAD_INPUT
    assert stored_collection(tmp_path) is None  # so the batch counts it again
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(BadInputError, match="not an ocrfix collection lexicon"):
        read_collection(path)


DOCUMENT = ("Прошу петевести средства советскому банку нэвстречу просьбе торгпредства и "
            "сообщить о решении по телеграфу в Кашгар до конца месяца.")


@pytest.mark.parametrize(
    ("pages", "counted", "copies", "why"),
    [
        ([("a", "h1", DOCUMENT), ("b", "h1", "other text entirely")], ["a"], {"b": "a"}, "the same image file"),
        ([("a", "h1", DOCUMENT), ("b", "h2", DOCUMENT.replace("банку", "баику").replace("Кашгар", "Кашrap"))],
         ["a"], {"b": "a"}, "a second scan of the document: the OCR reads it almost the same"),
        ([("a", "h1", DOCUMENT), ("b", "h2", "Товарищ Кацуфрин прибыл вчера вечером в город и доложил о положении.")],
         ["a", "b"], {}, "two documents"),
        ([("a", None, DOCUMENT), ("b", None, DOCUMENT)], ["a"], {"b": "a"}, "unreadable image hashes: the text decides"),
    ],
)
def test_a_document_in_the_batch_twice_is_one_witness(pages, counted, copies, why):
    from ocrfix.batch.collection import one_witness

    texts, found = one_witness(pages)
    assert texts == [text for page_id, _, text in pages if page_id in counted], why
    assert found == copies, why


def test_a_word_one_edit_from_a_frequent_word_never_joins():
    from ocrfix.correct import build_collection_lexicon
    from ocrfix.lexicon.shared import get_lexicon

    lexicon = get_lexicon(Config().correct)
    texts = [DOCUMENT, DOCUMENT.replace("Прошу", "Просим"), "Кашгар далеко. петевести нэвстречу"]
    joined = set(build_collection_lexicon(texts, lexicon).counts)
    assert "кашгар" in joined or lexicon.knows("Кашгар")  # a name the dictionary does not hold still joins
    assert not {"петевести", "нэвстречу"} & joined  # one edit from перевести, навстречу (OCR errors, however often)
