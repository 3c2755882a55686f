"""Discovery: folders, globs, manifests, sidecars, unique safe page ids, path safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ocrfix.batch.discover import discover_pages
from ocrfix.errors import BadInputError, ExitCode


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def ids(tasks) -> list[str]:
    return [t.page_id for t in tasks]


def test_folder_is_searched_recursively_in_sorted_order_skipping_hidden_and_non_images(tmp_path):
    touch(tmp_path / "b.png")
    touch(tmp_path / "a.JPG")
    touch(tmp_path / "sub" / "c.tif")
    touch(tmp_path / "sub" / "notes.txt")
    touch(tmp_path / ".hidden" / "d.png")
    touch(tmp_path / ".e.png")
    tasks = discover_pages([str(tmp_path)])
    assert ids(tasks) == ["a", "b", "c"]
    assert tasks[2].image_path == tmp_path / "sub" / "c.tif"
    assert all(t.page_index == 0 for t in tasks)


def test_pages_come_in_the_natural_order_of_their_names(tmp_path):
    for name in ("л.10", "л.2", "л.1", "л.9", "л.11"):
        touch(tmp_path / "дело" / f"{name}.png")
    for folder in ("опись10", "опись2"):
        touch(tmp_path / "фонд" / folder / "page1.png")
    assert ids(discover_pages([str(tmp_path / "дело")])) == ["л.1", "л.2", "л.9", "л.10", "л.11"]
    assert ids(discover_pages([str(tmp_path / "дело" / "л.*.png")])) == ["л.1", "л.2", "л.9", "л.10", "л.11"]
    tasks = discover_pages([str(tmp_path / "фонд")])
    assert [t.image_path.parent.name for t in tasks] == ["опись2", "опись10"]


def test_natural_key():
    from ocrfix.order import natural_key, natural_path_key

    names = ["page10.png", "Page2.png", "page1.png", "page01.png", "a", "A", "10", "9"]
    assert sorted(names, key=natural_key) == ["9", "10", "A", "a", "page01.png", "page1.png", "Page2.png", "page10.png"]
    assert sorted(["d10/a", "d9/b", "d9/a"], key=natural_path_key) == ["d9/a", "d9/b", "d10/a"]


def test_published_and_ground_truth_beside_an_image_are_found(tmp_path):
    image = touch(tmp_path / "page1.png")
    touch(tmp_path / "page1.published.txt", "текст".encode())
    touch(tmp_path / "page1.gt.txt", "текст".encode())
    touch(tmp_path / "page2.png")
    first, second = discover_pages([str(tmp_path)])
    assert first.image_path == image
    assert first.published_path == tmp_path / "page1.published.txt"
    assert first.ground_truth_path == tmp_path / "page1.gt.txt"
    assert second.published_path is None and second.ground_truth_path is None


def test_glob_patterns_and_repeated_files_give_each_page_once(tmp_path):
    touch(tmp_path / "x" / "one.png")
    touch(tmp_path / "x" / "two.png")
    touch(tmp_path / "x" / "skip.txt")
    tasks = discover_pages([str(tmp_path / "x" / "*"), str(tmp_path / "x" / "one.png"), str(tmp_path / "x")])
    assert ids(tasks) == ["one", "two"]


def test_a_glob_matching_nothing_is_a_clear_error(tmp_path):
    with pytest.raises(BadInputError, match="no files match") as info:
        discover_pages([str(tmp_path / "*.png")])
    assert info.value.exit_code == ExitCode.BAD_INPUT


def test_missing_input_unsupported_file_and_empty_folder_are_errors(tmp_path):
    with pytest.raises(BadInputError, match="no such file or folder"):
        discover_pages([str(tmp_path / "nope.png")])
    with pytest.raises(BadInputError, match="neither an image nor a manifest"):
        discover_pages([str(touch(tmp_path / "notes.txt"))])
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInputError, match="no images found"):
        discover_pages([str(tmp_path / "empty")])


def test_same_stem_in_different_folders_gets_distinct_ids(tmp_path):
    touch(tmp_path / "fond1" / "opis" / "scan.png")
    touch(tmp_path / "fond2" / "opis" / "scan.png")
    touch(tmp_path / "fond2" / "other.png")
    tasks = discover_pages([str(tmp_path)])
    assert ids(tasks) == ["fond1-opis-scan", "fond2-opis-scan", "other"]


def test_same_stem_with_different_extensions_in_one_folder(tmp_path):
    touch(tmp_path / "scan.png")
    touch(tmp_path / "scan.jpg")
    assert ids(discover_pages([str(tmp_path)])) == ["scan-jpg", "scan-png"]


def test_ids_are_safe_folder_names(tmp_path):
    touch(tmp_path / "дело 12 (копия).png")
    touch(tmp_path / "a\\b:c?.png")
    found = ids(discover_pages([str(tmp_path)]))
    assert found == ["a_b_c", "дело_12_копия"]
    assert all("/" not in i and not i.startswith(".") for i in found)


def test_output_folder_inside_an_input_folder_is_not_searched(tmp_path):
    touch(tmp_path / "page.png")
    touch(tmp_path / "out" / "page" / "page.png")
    assert ids(discover_pages([str(tmp_path)], exclude=[tmp_path / "out"])) == ["page"]


def test_csv_manifest_with_published_paths_and_ids(tmp_path):
    touch(tmp_path / "img" / "a.png")
    touch(tmp_path / "img" / "b.png")
    touch(tmp_path / "text" / "a.txt", "а".encode())
    manifest = tmp_path / "pages.csv"
    manifest.write_text("image,published,id\nimg/a.png,text/a.txt,delo-1\nimg/b.png,,\n", encoding="utf-8")
    first, second = discover_pages([str(manifest)])
    assert (first.page_id, first.image_path, first.published_path) == (
        "delo-1",
        (tmp_path / "img" / "a.png").resolve(),
        (tmp_path / "text" / "a.txt").resolve(),
    )
    assert (second.page_id, second.published_path) == ("b", None)


def test_json_lines_manifest_skips_blank_and_comment_lines(tmp_path):
    touch(tmp_path / "a.png")
    touch(tmp_path / "a.gt.txt")
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text('# the collection\n\n{"image": "a.png", "id": "p1"}\n', encoding="utf-8")
    (task,) = discover_pages([str(manifest)])
    assert task.page_id == "p1"
    assert task.ground_truth_path == (tmp_path / "a.gt.txt").resolve()


@pytest.mark.parametrize(
    "image",
    ["../outside.png", "sub/../../outside.png", "ABSOLUTE"],
)
def test_manifest_paths_cannot_escape_the_manifest_folder(tmp_path, image):
    outside = touch(tmp_path / "outside.png")
    collection = tmp_path / "collection"
    collection.mkdir()
    manifest = collection / "pages.jsonl"
    manifest.write_text(json.dumps({"image": str(outside) if image == "ABSOLUTE" else image}) + "\n")
    with pytest.raises(BadInputError, match="outside the manifest's folder") as info:
        discover_pages([str(manifest)])
    assert info.value.exit_code == ExitCode.BAD_INPUT
    assert "line 1" in info.value.message


def test_a_symlink_out_of_the_collection_is_refused(tmp_path):
    outside = touch(tmp_path / "secret.png")
    collection = tmp_path / "collection"
    collection.mkdir()
    os.symlink(outside, collection / "link.png")
    manifest = collection / "pages.csv"
    manifest.write_text("image\nlink.png\n")
    with pytest.raises(BadInputError, match="outside"):
        discover_pages([str(manifest)])


def test_published_path_in_a_manifest_cannot_escape_either(tmp_path):
    touch(tmp_path / "c" / "a.png")
    manifest = tmp_path / "c" / "m.csv"
    manifest.write_text("image,published\na.png,../../etc/passwd\n")
    with pytest.raises(BadInputError, match="outside"):
        discover_pages([str(manifest)])


def test_manifest_errors_name_the_line(tmp_path):
    bad_json = tmp_path / "m.jsonl"
    bad_json.write_text('{"image": "a.png"}\n{oops\n')
    with pytest.raises(BadInputError, match="m.jsonl line 2: not valid JSON"):
        discover_pages([str(bad_json)])
    no_header = tmp_path / "m.csv"
    no_header.write_text("a.png,b.txt\n")
    with pytest.raises(BadInputError, match="header"):
        discover_pages([str(no_header)])
    unsafe_id = tmp_path / "u.csv"
    unsafe_id.write_text("image,id\na.png,../x\n")
    with pytest.raises(BadInputError, match="cannot be a folder name"):
        discover_pages([str(unsafe_id)])


def test_duplicate_manifest_ids_are_refused(tmp_path):
    touch(tmp_path / "a.png")
    touch(tmp_path / "b.png")
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,id\na.png,same\nb.png,same\n")
    with pytest.raises(BadInputError, match="more than once: same"):
        discover_pages([str(manifest)])


def test_transcription_file_needs_exactly_one_page(tmp_path):
    touch(tmp_path / "a.png")
    text = touch(tmp_path / "t.txt", "т".encode())
    (task,) = discover_pages([str(tmp_path / "a.png")], transcription=text)
    assert task.published_path == text
    touch(tmp_path / "b.png")
    with pytest.raises(BadInputError, match="holds? 2 pages|hold 2 pages"):
        discover_pages([str(tmp_path / "a.png"), str(tmp_path / "b.png")], transcription=text)


def test_transcription_folder_is_matched_by_page_id(tmp_path):
    touch(tmp_path / "img" / "a.png")
    touch(tmp_path / "img" / "b.png")
    touch(tmp_path / "pub" / "a.txt")
    touch(tmp_path / "pub" / "b.published.txt")
    a, b = discover_pages([str(tmp_path / "img")], transcription=tmp_path / "pub")
    assert a.published_path == tmp_path / "pub" / "a.txt"
    assert b.published_path == tmp_path / "pub" / "b.published.txt"


def _count_pages_available() -> bool:
    try:
        from ocrfix.preprocess import count_pages  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _count_pages_available(), reason="ocrfix.preprocess.count_pages is not available")
def test_multi_page_tiff_becomes_one_task_per_page_with_per_page_sidecars(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (40, 30), color) for color in (255, 200, 150)]
    path = tmp_path / "delo.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    touch(tmp_path / "delo-p002.published.txt", "т".encode())
    touch(tmp_path / "single.png")
    tasks = discover_pages([str(tmp_path)])
    assert ids(tasks) == ["delo-p001", "delo-p002", "delo-p003", "single"]
    assert [t.page_index for t in tasks] == [0, 1, 2, 0]
    assert tasks[1].published_path == tmp_path / "delo-p002.published.txt"
    assert tasks[0].published_path is None


def test_a_corrupt_tiff_is_one_page_for_the_page_task_to_report(tmp_path):
    touch(tmp_path / "broken.tif", b"not a tiff at all")
    (task,) = discover_pages([str(tmp_path)])
    assert (task.page_id, task.page_index) == ("broken", 0)


# -- a document's transcription -----------------------------------------------------


def three_page_tiff(path: Path) -> Path:
    from PIL import Image

    pages = [Image.new("L", (40, 40), 255) for _ in range(3)]
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def test_a_multi_page_files_transcription_is_the_documents(tmp_path):
    from ocrfix.batch.discover import discover

    three_page_tiff(tmp_path / "delo5.tif")
    touch(tmp_path / "delo5.published.txt", "текст документа".encode())
    found = discover([str(tmp_path / "delo5.tif")])
    assert ids(found.tasks) == ["delo5-p001", "delo5-p002", "delo5-p003"]
    assert all(t.published_document and t.published_path == tmp_path / "delo5.published.txt" for t in found.tasks)
    assert found.warnings == ()


def test_per_page_transcriptions_win_and_the_documents_is_reported_unused(tmp_path):
    from ocrfix.batch.discover import discover

    three_page_tiff(tmp_path / "delo5.tif")
    touch(tmp_path / "delo5.published.txt", "весь документ".encode())
    touch(tmp_path / "delo5-p002.published.txt", "вторая страница".encode())
    found = discover([str(tmp_path)])
    assert [t.published_path.name if t.published_path else None for t in found.tasks] == [
        None, "delo5-p002.published.txt", None]
    assert not any(t.published_document for t in found.tasks)
    assert len(found.warnings) == 1 and "delo5.published.txt: not used" in found.warnings[0]


def test_a_folder_of_pages_takes_the_transcription_beside_it(tmp_path):
    from ocrfix.batch.discover import discover

    touch(tmp_path / "delo7" / "001.png")
    touch(tmp_path / "delo7" / "002.png")
    touch(tmp_path / "delo7" / "003.png")
    touch(tmp_path / "delo7" / "003.published.txt", "своя".encode())
    touch(tmp_path / "delo7.published.txt", "документ".encode())
    found = discover([str(tmp_path / "delo7")])
    assert [(t.published_path.name, t.published_document) for t in found.tasks] == [
        ("delo7.published.txt", True), ("delo7.published.txt", True), ("003.published.txt", False)]


def test_a_transcription_several_manifest_rows_name_is_the_documents(tmp_path):
    from ocrfix.batch.discover import discover

    touch(tmp_path / "a.png")
    touch(tmp_path / "b.png")
    touch(tmp_path / "c.png")
    touch(tmp_path / "doc.txt", "документ".encode())
    touch(tmp_path / "c.txt", "страница".encode())
    manifest = touch(tmp_path / "m.csv", b"image,published\na.png,doc.txt\nb.png,doc.txt\nc.png,c.txt\n")
    tasks = discover([str(manifest)]).tasks
    assert [t.published_document for t in tasks] == [True, True, False]


def test_a_transcription_no_page_uses_is_reported(tmp_path):
    from ocrfix.batch.discover import discover

    touch(tmp_path / "page1.png")
    touch(tmp_path / "page1.published.txt", "страница".encode())
    touch(tmp_path / "page2.published.txt", "сирота".encode())
    found = discover([str(tmp_path)])
    assert len(found.warnings) == 1 and found.warnings[0].startswith(f"{tmp_path / 'page2.published.txt'}: a published")
