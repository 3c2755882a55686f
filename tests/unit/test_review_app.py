"""The review application through Flask's test client: access, file serving, decisions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from review_batch import page_from_spec, write_batch

from ocrfix.errors import BadInputError
from ocrfix.review import create_app

TOKEN = "s3cret-token"
LINES = [
    "Выписки поспаны:>посланы: т.т. Литвинову,",
    "Ворошипову,>Ворошилову, Ежову, Берзину.",
    "Петевести>Перевести средства <img/src=x/onerror=alert(1)//",
]
PUBLISHED = 'Выписки посланы: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\nПеревести средства <script>alert(1)</script>\n'


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    page, corrections = page_from_spec(LINES)
    return write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})


@pytest.fixture
def client(batch: Path):
    client = create_app(batch, token=TOKEN).test_client()
    response = client.get(f"/?token={TOKEN}")
    assert response.status_code == 303
    return client


def post(client, path: str, body: dict, token: str | None = TOKEN):
    headers = {"X-Ocrfix-Token": token} if token else {}
    return client.post(path, json=body, headers=headers)


def first_item(client, kind: str = "correction") -> dict:
    data = client.get("/api/pages/p1").get_json()
    return next(i for i in data["items"] if i["kind"] == kind)


def test_every_request_needs_the_token(batch: Path) -> None:
    client = create_app(batch, token=TOKEN).test_client()
    for path in ("/", "/pages/p1", "/api/pages/p1", "/pages/p1/image.png"):
        response = client.get(path)
        assert response.status_code == 403, path
    assert client.get("/?token=wrong").status_code == 403
    response = client.get(f"/pages/p1?token={TOKEN}")
    assert response.status_code == 303 and response.headers["Location"] == "/pages/p1"  # the token leaves the address
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/pages/p1").status_code == 200


def test_changes_need_the_token_header_not_just_the_cookie(client, batch: Path) -> None:
    item = first_item(client)
    assert post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "accept"}, token=None).status_code == 403
    assert post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "accept"}, token="guess").status_code == 403
    form = client.post("/api/pages/p1/decisions", data={"item_id": item["id"]}, headers={"X-Ocrfix-Token": TOKEN})
    assert form.status_code == 415  # a cross-site form cannot send JSON
    assert not (batch / "p1" / "decisions.json").exists()
    assert post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "accept"}).status_code == 200


def test_only_the_served_host_is_answered(batch: Path) -> None:
    client = create_app(batch, token=TOKEN, allowed_hosts=("127.0.0.1:8765",)).test_client()
    assert client.get(f"/?token={TOKEN}", headers={"Host": "evil.example:8765"}).status_code == 421
    assert client.get(f"/?token={TOKEN}", headers={"Host": "127.0.0.1:8765"}).status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/pages/..%2f..%2fetc/image.png",
        "/pages/..%2F/image.png",
        "/pages/%2e%2e/image.png",
        "/pages/../summary.json",
        "/pages/p1/../../summary.json",
        "/pages/p1/raw.txt",
        "/pages/p1/decisions.json",
        "/static/..%2f..%2f__init__.py",
        "/static/../app.py",
        "/pages/p1/crops/..%2f..%2fsummary.json.png",
        "/summary.json",
        "/p1/page.png",
    ],
)
def test_nothing_outside_the_served_files(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert b"ocrfix-page" not in response.data and b'"pages"' not in response.data


def test_a_page_image_symlinked_outside_is_not_served(client, batch: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes((batch / "p1" / "page.png").read_bytes())
    (batch / "p1" / "page.png").unlink()
    os.symlink(secret, batch / "p1" / "page.png")
    assert client.get("/pages/p1/image.png").status_code == 404


def test_a_page_folder_symlinked_outside_is_not_listed(batch: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (batch / "p1").rename(outside)
    os.symlink(outside, batch / "p1")
    client = create_app(batch, token=TOKEN).test_client()
    client.get(f"/?token={TOKEN}")
    assert client.get("/api/pages/p1").status_code == 404
    assert client.get("/pages/p1/image.png").status_code == 404


def test_page_ids_from_the_summary_are_checked(batch: Path) -> None:
    summary = json.loads((batch / "summary.json").read_text(encoding="utf-8"))
    summary["pages"].append({**summary["pages"][0], "page_id": "../../etc"})
    (batch / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    client = create_app(batch, token=TOKEN).test_client()
    client.get(f"/?token={TOKEN}")
    progress = client.get("/api/progress").get_json()
    assert [p["page_id"] for p in progress["per_page"]] == ["p1"]


def test_the_page_list_shows_the_self_checks_estimated_error_rate(batch: Path) -> None:
    summary = json.loads((batch / "summary.json").read_text(encoding="utf-8"))
    reason = "estimated character error rate 3.1% (from Tesseract's confidence and garbage) is above 2.8%"
    summary["pages"][0]["quality"] = {"score": 0.93, "estimated_cer": 0.031, "reason": reason}
    (batch / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    client = create_app(batch, token=TOKEN).test_client()
    client.get(f"/?token={TOKEN}")
    [page] = client.get("/api/progress").get_json()["per_page"]
    assert (page["quality"], page["estimated_cer"], page["doubt"]) == (0.93, 0.031, reason)
    index = client.get("/").get_data(as_text=True)
    assert "93%" in index and "(estimated CER 3.1%)" in index and "doubtful: estimated character error rate 3.1%" in index


def test_image_and_crops_are_served(client) -> None:
    image = client.get("/pages/p1/image.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    crop = client.get(f"/pages/p1/crops/{first_item(client)['id']}.png")
    assert crop.status_code == 200 and crop.data[:4] == b"\x89PNG"
    assert client.get("/pages/p1/crops/c999-999.png").status_code == 404


def test_text_is_escaped_and_the_policy_locks_scripts(client) -> None:
    page = client.get("/pages/p1")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    data = client.get("/api/pages/p1")
    assert data.mimetype == "application/json"
    texts = [w["text"] for w in data.get_json()["words"]]
    assert "<img/src=x/onerror=alert(1)//" in texts  # data, for the script to write with textContent
    assert "onerror" not in page.get_data(as_text=True)


def test_templates_escape_what_they_show(tmp_path: Path) -> None:
    page, corrections = page_from_spec(LINES)
    batch = write_batch(tmp_path / "<i>archive", {"p1": (page, corrections, PUBLISHED)})
    client = create_app(batch, token=TOKEN).test_client()
    client.get(f"/?token={TOKEN}")
    index = client.get("/").get_data(as_text=True)
    assert "&lt;i&gt;archive" in index and "<i>archive" not in index


def test_decisions_are_saved_at_once_and_undone(client, batch: Path) -> None:
    item = first_item(client)
    response = post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "edit", "text": "  посланы  т.т. "})
    assert response.status_code == 200
    stored = json.loads((batch / "p1" / "decisions.json").read_text(encoding="utf-8"))
    assert stored["format"] == "ocrfix-decisions"
    assert stored["decisions"][item["id"]]["text"] == "посланы т.т."  # whitespace normalised
    assert response.get_json()["page"]["decided"] == 1
    post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "clear"})
    stored = json.loads((batch / "p1" / "decisions.json").read_text(encoding="utf-8"))
    assert stored["decisions"] == {}
    assert not list((batch / "p1").glob(".decisions.json.*"))  # atomic writes leave no temporary files


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"item_id": "c0-0", "action": "maybe"}, 400),
        ({"item_id": "nope", "action": "accept"}, 404),
        ({"item_id": "c0-0", "action": "edit"}, 400),
        ({"item_id": "c0-0", "action": "edit", "text": "x" * 501}, 400),
    ],
)
def test_bad_decisions_are_refused(client, body: dict, status: int) -> None:
    assert post(client, "/api/pages/p1/decisions", body).status_code == status


def test_accept_all_above_a_confidence(client) -> None:
    items = client.get("/api/pages/p1").get_json()["items"]
    confidences = sorted(i["confidence"] for i in items if i["confidence"] is not None)
    assert post(client, "/api/pages/p1/accept-above", {"threshold": 2}).status_code == 400
    response = post(client, "/api/pages/p1/accept-above", {"threshold": confidences[-1]}).get_json()
    expected = sum(1 for c in confidences if c >= confidences[-1])
    assert response["accepted"] == expected
    assert all(d["action"] == "accept" for d in response["decisions"].values())
    # Disagreements are never bulk-accepted: the published reading needs a person.
    assert all(not key.startswith("d") for key in response["decisions"])


def test_progress_counts_pages_and_decisions(client) -> None:
    items = client.get("/api/pages/p1").get_json()["items"]
    for item in items:
        post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "reject"})
    progress = client.get("/api/progress").get_json()
    assert progress["pages_reviewed"] == 1 and progress["decisions_left"] == 0
    assert progress["decisions_made"] == len(items)


def test_mark_reviewed(client) -> None:
    response = post(client, "/api/pages/p1/reviewed", {"reviewed": True}).get_json()
    assert response["page"]["reviewed"] and response["page"]["marked_reviewed"]


def test_not_a_batch(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not a finished ocrfix batch"):
        create_app(tmp_path, token=TOKEN)
    with pytest.raises(ValueError, match="token"):
        create_app(tmp_path, token="")


def test_decisions_on_an_earlier_run_of_the_page_are_kept_but_not_applied(client, batch: Path) -> None:
    from review_batch import write_page

    item = first_item(client)
    post(client, "/api/pages/p1/decisions", {"item_id": item["id"], "action": "accept"})
    # The page is run again and reads differently: the decision no longer fits its words.
    page, corrections = page_from_spec([line.replace("поспаны:>посланы:", "поспаиы:>посланы:") for line in LINES])
    write_page(batch, "p1", page, corrections, PUBLISHED)
    data = client.get("/api/pages/p1").get_json()
    assert data["decisions"] == {} and [d["ocr"] for d in data["stale"]] == ["поспаны:"]
    assert data["stale"][0]["reason"] == "the OCR now reads «поспаиы:» where this decision was made on «поспаны:»"
    assert "1 stale" in client.get("/").get_data(as_text=True)  # the batch's page list says so too
    other = next(i for i in data["items"] if i["id"] != item["id"])
    post(client, "/api/pages/p1/decisions", {"item_id": other["id"], "action": "reject"})
    stored = json.loads((batch / "p1" / "decisions.json").read_text(encoding="utf-8"))
    assert list(stored["decisions"]) == [other["id"]]
    assert [d["item_id"] for d in stored["stale"]] == [item["id"]]  # kept for the record
