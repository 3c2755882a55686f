"""The review application and the files it reads, against careless and hostile data:
request bodies and decisions.json are checked by schema, nothing outside OUTDIR is
read through a symlink, and error responses show no server path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from review_batch import page_from_spec, write_batch

from ocrfix.errors import ExitCode, SavedDataError
from ocrfix.review import create_app
from ocrfix.review.batch import list_pages, load_page_review

TOKEN = "s3cret-token"
LINES = ["Выписки поспаны:>посланы: т.т. Литвинову,", "Ворошипову,>Ворошилову, Ежову, Берзину."]
PUBLISHED = "Выписки посланы: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\n"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    page, corrections = page_from_spec(LINES)
    return write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})


@pytest.fixture
def client(batch: Path):
    client = create_app(batch, token=TOKEN).test_client()
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return client


def post(client, path: str, body, *, raw: str | None = None):
    headers = {"X-Ocrfix-Token": TOKEN}
    if raw is not None:
        return client.post(path, data=raw, headers={**headers, "Content-Type": "application/json"})
    return client.post(path, json=body, headers=headers)


def first_item(client) -> str:
    return client.get("/api/pages/p1").get_json()["items"][0]["id"]


@pytest.mark.parametrize(
    "path, body, fragment",
    [
        ("reviewed", {"reviewed": "false"}, "reviewed must be true or false, not a string"),
        ("reviewed", {"reviewed": 0}, "reviewed must be true or false, not a number"),
        ("reviewed", {"reviewed": True, "also": 1}, "unknown field(s): also"),
        ("accept-above", {"threshold": "0.5"}, "threshold must be a number between 0 and 1"),
        ("accept-above", {"threshold": True}, "threshold must be a number between 0 and 1"),
        ("decisions", {"item_id": "ITEM", "action": "edit", "text": {"a": 1}}, "an edit's text must be a string, not an object"),
        ("decisions", {"item_id": "ITEM", "action": "edit", "text": ["x"]}, "an edit's text must be a string, not a list"),
        ("decisions", {"item_id": "ITEM", "action": "edit", "text": "x" * 501}, "more than the 500 allowed"),
        ("decisions", {"item_id": ["ITEM"], "action": "accept"}, "item_id must be a string"),
        ("decisions", {"item_id": "ITEM", "action": "accept", "text": "x"}, "text is only sent with action 'edit'"),
    ],
)
def test_request_bodies_are_checked_by_schema(client, batch: Path, path: str, body: dict, fragment: str) -> None:
    if body.get("item_id") == "ITEM":
        body = {**body, "item_id": first_item(client)}
    response = post(client, f"/api/pages/p1/{path}", body)
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]
    assert not (batch / "p1" / "decisions.json").exists()  # nothing written
    assert client.get("/api/pages/p1").get_json()["page"]["marked_reviewed"] is False


def test_a_body_nested_too_deeply_is_refused(client) -> None:
    response = post(client, "/api/pages/p1/reviewed", None, raw="[" * 20_000 + "]" * 20_000)  # under the size limit
    assert response.status_code == 400
    assert response.get_json()["error"] == "the request body must be a JSON object"


def _decisions(batch: Path, **fields) -> Path:
    path = batch / "p1" / "decisions.json"
    record = {"format": "ocrfix-decisions", "version": 1, "page_id": "p1", "page_fingerprint": "", "decisions": {},
              **fields}
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "fields, fragment",
    [
        ({"marked_reviewed": "false"}, "marked_reviewed must be true or false, not a string"),
        ({"decisions": []}, "decisions must be an object, not a list"),
        ({"decisions": {"d1": {"action": "accept", "text": {"x": 1}}}}, "decisions['d1'].text must be a string, not an object"),
        ({"decisions": {"d1": {"action": "maybe"}}}, "decisions['d1'].action must be one of accept, reject, published, edit"),
        ({"decisions": {"d1": {"action": "edit", "confidence": "high"}}}, "decisions['d1'].confidence must be a number"),
        ({"stale": [{"action": "edit"}]}, "stale[0].item_id must be a string"),
        ({"version": "1"}, "version must be a whole number"),
    ],
)
def test_decisions_files_are_checked_by_schema(batch: Path, fields: dict, fragment: str) -> None:
    path = _decisions(batch, **fields)
    with pytest.raises(SavedDataError) as info:
        load_page_review(list_pages(batch)[0])
    assert info.value.exit_code == ExitCode.BAD_SAVED_DATA
    line = info.value.one_line()
    assert str(path) in line and fragment in line, line


def test_a_decisions_file_nested_too_deeply(batch: Path) -> None:
    path = batch / "p1" / "decisions.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(SavedDataError, match="nested too deeply"):
        load_page_review(list_pages(batch)[0])


def test_a_bad_decisions_file_is_an_error_response_without_server_paths(client, batch: Path) -> None:
    _decisions(batch, marked_reviewed="false")
    response = client.get("/api/pages/p1")
    assert response.status_code == 500
    message = response.get_json()["error"]
    assert "p1/decisions.json: marked_reviewed must be true or false" in message
    assert str(batch) not in message and "/tmp" not in message and str(batch.parent) not in message


@pytest.mark.parametrize("name", ["diff.json", "corrections.json", "decisions.json"])
def test_page_files_symlinked_outside_are_not_read(client, batch: Path, tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"texts": {"reference": "TOP SECRET"}, "format": "ocrfix-decisions"}), encoding="utf-8")
    target = batch / "p1" / name
    target.unlink(missing_ok=True)
    os.symlink(secret, target)
    response = client.get("/api/pages/p1")
    assert response.status_code == 500
    message = response.get_json()["error"]
    assert "TOP SECRET" not in response.get_data(as_text=True)
    assert f"p1/{name} leads outside the batch folder" in message
    assert str(tmp_path) not in message
