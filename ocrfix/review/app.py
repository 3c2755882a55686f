"""The review web application (Flask): pages, scans, items, decisions.

Security, since it serves an archive's material on a shared machine:

* every request needs the session token: given once as ``?token=`` it is kept
  in an HttpOnly, SameSite=Strict cookie; every change (POST) must also carry
  it in the ``X-Ocrfix-Token`` header, which a page of another origin cannot
  send without a CORS preflight this application never answers;
* the ``Host`` header must name the address the server listens on, so another
  site cannot reach it through DNS rebinding;
* only page ids listed in the batch summary are served, only the files this
  module names inside those page folders, and only when the file, with every
  symlink resolved, is inside OUTDIR;
* templates are autoescaped, the script writes text with ``textContent`` only,
  and a Content-Security-Policy allows scripts from this server alone.
"""

from __future__ import annotations

import hmac
import io
import re
import threading
from dataclasses import replace
from pathlib import Path

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, send_file

from ocrfix import schema
from ocrfix.correct.confidence import CONFIDENT
from ocrfix.errors import OcrfixError
from ocrfix.outputs import CORRECTIONS, DIFF_JSON, PAGE_IMAGE, PAGE_JSON
from ocrfix.report.render import estimated_cer_text
from ocrfix.review.batch import (
    BatchPage,
    PageReview,
    inside,
    is_safe_page_id,
    list_pages,
    load_page_review,
)
from ocrfix.review.decisions import (
    ACCEPT,
    ACTIONS,
    DECISIONS_FILE,
    EDIT,
    PageDecisions,
    decide,
    decisions_lock,
    now,
    save_decisions,
    state_of,
)

TOKEN_COOKIE = "ocrfix_review_token"
TOKEN_HEADER = "X-Ocrfix-Token"
MAX_TYPED_LENGTH = 500
CROP_PADDING = 12
CROP_CONTEXT_LINE_HEIGHTS = 6  # how much of the line to show either side of the item
CROP_MAX_SIDE = 4000

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def create_app(out_dir: Path, *, token: str, allowed_hosts: tuple[str, ...] | None = None) -> Flask:
    """The review application for the finished batch in ``out_dir``.

    ``allowed_hosts`` are the ``Host`` header values to answer (``host:port``);
    ``None`` accepts any (for tests with Flask's client, which sends ``localhost``).
    """
    if not token:
        raise ValueError("the review application needs a session token")
    root = Path(out_dir).resolve()
    list_pages(root)  # fail early, with a clear error, on a folder that is not a batch
    package = Path(__file__).parent
    app = Flask(
        "ocrfix.review",
        root_path=str(package),
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    app.url_map.merge_slashes = False  # '/pages//x' is not found, not redirected somewhere else
    app.add_template_filter(estimated_cer_text, "estimated_cer")  # worded as the batch index words it
    write_lock = threading.Lock()

    # ---- access control -------------------------------------------------

    def token_ok(value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), token.encode())

    @app.before_request
    def guard():
        if allowed_hosts is not None and request.host not in allowed_hosts:
            abort(421)
        query_token = request.args.get("token")
        if request.method == "GET" and token_ok(query_token):
            # Keep the token in a cookie and drop it from the address bar.
            response = redirect(request.path, code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        if not token_ok(request.cookies.get(TOKEN_COOKIE)) and not token_ok(request.headers.get(TOKEN_HEADER)):
            return _error(403, "this review session needs its token: open the address printed at start-up")
        if request.method not in ("GET", "HEAD"):
            if not token_ok(request.headers.get(TOKEN_HEADER)):
                return _error(403, f"changes need the session token in the {TOKEN_HEADER} header")
            if not request.is_json:
                return _error(415, "changes are sent as JSON")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # ---- helpers ------------------------------------------------------------

    def pages() -> tuple[BatchPage, ...]:
        return list_pages(root)

    def find_page(page_id: str) -> BatchPage:
        if not is_safe_page_id(page_id):
            abort(404)
        page = next((p for p in pages() if p.page_id == page_id), None)
        if page is None:
            abort(404)
        return page

    reviews: dict[str, tuple[tuple, PageReview]] = {}

    def cached_review(page: BatchPage) -> PageReview:
        """The page's review, read again only when one of its files changed (new inode after an atomic write)."""
        key = tuple(_file_key(page.page_dir / name) for name in (PAGE_JSON, CORRECTIONS, DIFF_JSON, DECISIONS_FILE))
        hit = reviews.get(page.page_id)
        if hit is not None and hit[0] == key:
            return hit[1]
        review = load_page_review(page)
        reviews[page.page_id] = (key, review)
        return review

    def review_of(page_id: str) -> PageReview:
        try:
            return cached_review(find_page(page_id))
        except OcrfixError as exc:
            abort(_error(500, public_message(exc.one_line(), root)))

    def progress() -> dict:
        reviewed = left = decided = total = 0
        per_page = []
        for page in pages():
            try:
                review = cached_review(page)
            except OcrfixError:
                per_page.append({"page_id": page.page_id, "error": True})
                continue
            reviewed += review.reviewed
            left += review.left
            decided += review.decided
            total += len(review.items)
            per_page.append(
                {
                    "page_id": page.page_id,
                    "items": len(review.items),
                    "decided": review.decided,
                    "left": review.left,
                    "reviewed": review.reviewed,
                    "stale": len(review.stale),
                    "quality": page.quality,
                    "estimated_cer": page.estimated_cer,
                    "doubt": page.doubt,
                }
            )
        return {
            "pages": len(per_page),
            "pages_reviewed": reviewed,
            "decisions_made": decided,
            "decisions_left": left,
            "items": total,
            "per_page": per_page,
        }

    def save(review: PageReview, decisions: PageDecisions) -> None:
        save_decisions(review.page.page_dir, replace(decisions, updated=now()))

    # ---- pages ------------------------------------------------------------

    @app.get("/")
    def index():
        return render_template("index.html", progress=progress(), out_dir=str(root))

    @app.get("/pages/<page_id>")
    def page_view(page_id: str):
        review = review_of(page_id)
        ids = [p.page_id for p in pages()]
        position = ids.index(page_id)
        return render_template(
            "page.html",
            page_id=page_id,
            position=position + 1,
            count=len(ids),
            previous_id=ids[position - 1] if position > 0 else None,
            next_id=ids[position + 1] if position + 1 < len(ids) else None,
            page_ids=ids,
            width=review.layout.page.width,
            height=review.layout.page.height,
            token=token,
            confident=CONFIDENT,
        )

    @app.get("/pages/<page_id>/image.png")
    def page_image(page_id: str):
        path = _page_file(root, find_page(page_id), PAGE_IMAGE)
        return send_file(path, mimetype="image/png", max_age=3600)

    @app.get("/pages/<page_id>/crops/<item_id>.png")
    def crop(page_id: str, item_id: str):
        review = review_of(page_id)
        item = review.item(item_id)
        if item is None or item.line_bbox is None:
            abort(404)
        path = _page_file(root, review.page, PAGE_IMAGE)
        return send_file(io.BytesIO(_crop_png(path, item.line_bbox, item.bbox)), mimetype="image/png", max_age=3600)

    # ---- data and decisions ------------------------------------------------

    @app.get("/api/progress")
    def api_progress():
        return jsonify(progress())

    @app.get("/api/pages/<page_id>")
    def api_page(page_id: str):
        return jsonify(_page_payload(review_of(page_id), progress()))

    @app.post("/api/pages/<page_id>/decisions")
    def api_decide(page_id: str):
        body = _json_body()
        try:
            schema.only_keys(body, "the request", ("item_id", "action", "text", "always"))
            item_id = schema.string(body.get("item_id"), "item_id", max_length=200)
            action = schema.choice(body.get("action"), "action", (*ACTIONS, "clear"))
            text = None
            if action == EDIT:
                text = schema.string(body.get("text"), "an edit's text", max_length=MAX_TYPED_LENGTH)
            elif body.get("text") is not None:
                raise schema.Invalid(f"text is only sent with action {EDIT!r}")
            always = schema.boolean(body.get("always", False), "always")
        except schema.Invalid as exc:
            return _error(400, str(exc))
        with write_lock, decisions_lock(root):
            review = review_of(page_id)
            item = review.item(item_id)
            if item is None:
                return _error(404, f"no item {item_id!r} on page {page_id}")
            decisions = dict(review.decisions.decisions)
            if action == "clear":
                decisions.pop(item_id, None)
            else:
                try:
                    decisions[item_id] = decide(
                        item, action, item.word_texts(review.layout), text, word_ids=item.word_ids, always=always
                    )
                except ValueError as exc:
                    return _error(400, str(exc))
            save(review, replace(review.decisions, decisions=decisions))
            review = review_of(page_id)
        return jsonify(_page_payload(review, progress()))

    @app.post("/api/pages/<page_id>/accept-above")
    def api_accept_above(page_id: str):
        body = _json_body()
        try:
            schema.only_keys(body, "the request", ("threshold",))
            threshold = schema.number(body.get("threshold"), "threshold", low=0.0, high=1.0)
        except schema.Invalid as exc:
            return _error(400, str(exc))
        with write_lock, decisions_lock(root):
            review = review_of(page_id)
            decisions = dict(review.decisions.decisions)
            accepted = 0
            for item in review.items:
                if item.item_id in decisions or item.confidence is None or item.confidence < threshold:
                    continue
                decisions[item.item_id] = decide(item, ACCEPT, item.word_texts(review.layout), word_ids=item.word_ids)
                accepted += 1
            save(review, replace(review.decisions, decisions=decisions))
            review = review_of(page_id)
        payload = _page_payload(review, progress())
        payload["accepted"] = accepted
        return jsonify(payload)

    @app.post("/api/pages/<page_id>/reviewed")
    def api_mark_reviewed(page_id: str):
        body = _json_body()
        try:
            schema.only_keys(body, "the request", ("reviewed",))
            reviewed = schema.boolean(body.get("reviewed", True), "reviewed")
        except schema.Invalid as exc:
            return _error(400, str(exc))
        with write_lock, decisions_lock(root):
            review = review_of(page_id)
            save(review, replace(review.decisions, marked_reviewed=reviewed))
            review = review_of(page_id)
        return jsonify(_page_payload(review, progress()))

    @app.errorhandler(404)
    def not_found(_):
        return _error(404, "not found")

    @app.errorhandler(413)
    def too_large(_):
        return _error(413, "request too large")

    return app


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s/:'\"()]+/)+")


def public_message(message: str, root: Path) -> str:
    """``message`` without the server's absolute paths: OUTDIR's files relative to it,
    any other path by its last part."""
    message = message.replace(f"{root}/", "").replace(str(root), "the batch folder")
    return _ABSOLUTE_PATH.sub("", message)


def _file_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _json_body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deeply for the parser
        body = None
    if not isinstance(body, dict):
        abort(_error(400, "the request body must be a JSON object"))
    return body


def _page_file(root: Path, page: BatchPage, name: str) -> Path:
    path = page.page_dir / name
    if not path.is_file() or not inside(root, path):
        abort(404)
    return path.resolve()


def _page_payload(review: PageReview, progress: dict) -> dict:
    layout = review.layout
    words = []
    for place, word in zip(layout.places, layout.words, strict=True):
        words.append(
            {
                "text": word.text,
                "bbox": word.bbox.as_list() if word.bbox else None,
                "line": place.line,
                "block": place.block,
            }
        )
    by_id = {i.item_id: i for i in review.items}
    decisions = {
        k: {**d.to_dict(), "state": state_of(d, by_id[k])} for k, d in review.decisions.decisions.items() if k in by_id
    }
    return {
        "page_id": review.page_id,
        "width": layout.page.width,
        "height": layout.page.height,
        "words": words,
        "items": [i.to_dict() for i in review.items],
        "decisions": decisions,
        "stale": [
            {"ocr": d.ocr, "text": d.text, "action": d.action, "reason": d.stale, "decided_at": d.decided_at}
            for d in review.stale
        ],
        "page": {
            "items": len(review.items),
            "decided": review.decided,
            "left": review.left,
            "reviewed": review.reviewed,
            "marked_reviewed": review.decisions.marked_reviewed,
        },
        "progress": {k: v for k, v in progress.items() if k != "per_page"},
    }


def _crop_png(image_path: Path, line_box, word_box) -> bytes:
    """The item's words with some of their line either side, the words outlined."""
    from PIL import Image, ImageDraw

    with Image.open(image_path) as image:
        image.load()
        width, height = image.size
        left, right = line_box.left, line_box.right
        if word_box is not None:  # a long line would shrink the words to nothing: keep a window around them
            context = CROP_CONTEXT_LINE_HEIGHTS * max(1, line_box.height)
            left = max(left, word_box.left - context)
            right = min(right, word_box.right + context)
        left = max(0, left - CROP_PADDING)
        top = max(0, line_box.top - CROP_PADDING)
        right = min(width, right + CROP_PADDING)
        bottom = min(height, line_box.bottom + CROP_PADDING)
        if right <= left or bottom <= top:
            abort(404)
        right, bottom = min(right, left + CROP_MAX_SIDE), min(bottom, top + CROP_MAX_SIDE)
        region = image.crop((left, top, right, bottom)).convert("RGB")
    if word_box is not None:
        draw = ImageDraw.Draw(region)
        draw.rectangle(
            (word_box.left - left - 3, word_box.top - top - 3, word_box.right - left + 2, word_box.bottom - top + 2),
            outline=(214, 40, 40),
            width=3,
        )
    buffer = io.BytesIO()
    region.save(buffer, format="PNG")
    return buffer.getvalue()
