"""Code fingerprints in page keys: a code change redoes the pages it affects."""

from pathlib import Path

from ocrfix.batch.cache import recognition_key
from ocrfix.config import Config
from ocrfix.fingerprint import code_fingerprint, fingerprint, recognition_code


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_fingerprint_follows_content_and_names(tmp_path):
    _tree(tmp_path, {"a.py": "x = 1\n", "sub/b.py": "y = 2\n", "notes.txt": "not code"})
    first = fingerprint([tmp_path], tmp_path)
    assert fingerprint([tmp_path], tmp_path) == first
    (tmp_path / "notes.txt").write_text("changed", encoding="utf-8")
    assert fingerprint([tmp_path], tmp_path) == first  # only Python sources count
    (tmp_path / "sub" / "b.py").write_text("y = 3\n", encoding="utf-8")
    changed = fingerprint([tmp_path], tmp_path)
    assert changed != first
    (tmp_path / "sub" / "b.py").rename(tmp_path / "sub" / "c.py")
    assert fingerprint([tmp_path], tmp_path) != changed
    assert fingerprint([tmp_path / "a.py"], tmp_path) != fingerprint([tmp_path / "sub"], tmp_path)


def test_package_fingerprints():
    whole, recognition = code_fingerprint(), code_fingerprint(recognition_code())
    assert len(whole) == len(recognition) == 16 and whole != recognition


def test_recognition_cache_ignores_code_outside_recognition_but_not_the_lexicon():
    config = Config()
    versions = {"ocrfix": "1", "code": "aaa", "recognition-code": "bbb", "lexicon": "x"}
    key = recognition_key("0" * 64, 0, config, versions)
    assert recognition_key("0" * 64, 0, config, {**versions, "code": "ccc"}) == key
    assert recognition_key("0" * 64, 0, config, {**versions, "recognition-code": "ddd"}) != key
    # the self-check looks words up in the lexicon, and its estimate picks the reading a page keeps
    assert recognition_key("0" * 64, 0, config, {**versions, "lexicon": "y"}) != key
    without = {name: value for name, value in versions.items() if name != "lexicon"}  # correction off: no look-ups
    assert recognition_key("0" * 64, 0, config, without) != key


def test_recognition_code_is_what_recognition_imports():
    """The recognition fingerprint follows the imports: the line check, the reading order and the merges of
    a line's and a page's readings, which recognition.py imports beside preprocess and ocr, the unbending
    of folded lines (through preprocess) with the page transform that carries its shifts, and the lexicon's
    look-up the self-check asks, are in it; the corrector and the reports are not."""
    code = recognition_code()
    assert {"recognition.py", "line_check.py", "line_order.py", "line_merge.py", "page_merge.py", "ocr/quality.py",
            "preprocess/binarize.py", "preprocess/unbend.py", "geometry.py", "lexicon/store.py"} <= set(code)
    assert not any(part.startswith(("correct/", "report/", "review/", "batch/")) for part in code)
