"""The review server's log on a redirected stderr: failed requests only, one plain line
each, never the session token nor ANSI colours."""

from __future__ import annotations

import http.cookiejar
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from conftest import interruptible
from review_batch import LINES, PUBLISHED, page_from_spec, write_batch

from ocrfix.review.server import log_line


def _status(url: str) -> int:
    """The final status of a GET, keeping cookies across the redirect as a browser does."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        with opener.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_log_line_drops_the_query_and_colours():
    assert log_line('"GET /page/p1?token=abc&x=1 HTTP/1.1" 404') == '"GET /page/p1?… HTTP/1.1" 404'
    assert log_line("\x1b[1m\x1b[31mGET /x HTTP/1.1\x1b[0m") == "GET /x HTTP/1.1"


def test_the_server_logs_no_token_and_no_colours(tmp_path: Path):
    page, corrections = page_from_spec(LINES)
    batch = write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})
    log = tmp_path / "stderr.log"
    with open(log, "w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "ocrfix", "review", str(batch), "--port", "0"],
                                   stdout=subprocess.PIPE, stderr=stderr, text=True, preexec_fn=interruptible)
        try:
            url = process.stdout.readline().split(" ", 1)[1].strip()
            token = url.split("?token=", 1)[1]
            base = url.split("/?", 1)[0]
            assert _status(url) == 200  # redirected to the index with the token in a cookie
            assert _status(f"{base}/no-such-page?token={token}") == 404
            assert _status(f"{base}/?token=wrong{token}") == 403
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert token not in text and "\x1b" not in text
    lines = [line for line in text.splitlines() if line.startswith("review: info:")]
    assert len(lines) == 2, text  # the two failed requests, not the successful ones
    assert '"GET /no-such-page HTTP/1.1" 404' in lines[0]  # after the redirect that dropped the token
    assert '"GET /?… HTTP/1.1" 403' in lines[1]  # a wrong token is not logged either
