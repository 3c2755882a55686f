"""Progress: a bar on a terminal, one plain line per page otherwise."""

from __future__ import annotations

from ocrfix.batch.progress import Progress


def test_plain_lines_count_pages_and_carry_the_detail():
    lines: list[str] = []
    progress = Progress(2, bar=False, log=lines.append)
    progress.page_finished("a", "ok", "CER vs published 1.00%")
    progress.page_finished("b", "failed", "b.png: not an image")
    progress.close()
    assert lines == ["[1/2] a: ok: CER vs published 1.00%", "[2/2] b: failed: b.png: not an image"]


def test_the_bar_moves_once_per_page_and_failures_are_written_above_it(capsys):
    lines: list[str] = []
    progress = Progress(3, bar=True, log=lines.append)
    progress.page_finished("a", "ok")
    progress.page_finished("b", "failed", "broken file")
    progress.close()
    err = capsys.readouterr().err
    assert "b: failed: broken file" in err
    assert "2/3" in err
    assert lines == []  # with a bar, nothing goes through the plain log


def test_without_a_log_and_without_a_bar_nothing_is_written(capsys):
    progress = Progress(1, bar=False, log=None)
    progress.page_finished("a", "ok")
    progress.close()
    assert capsys.readouterr() == ("", "")
