// ocrfix review page: the scan beside the text, one item at a time.
// All page text reaches the DOM through textContent, never as markup.
"use strict";

(function () {
  const token = document.querySelector('meta[name="ocrfix-token"]').content;
  const pageId = document.querySelector('meta[name="ocrfix-page"]').content;
  const api = "/api/pages/" + encodeURIComponent(pageId);
  const $ = (id) => document.getElementById(id);

  let data = null;
  let current = 0;
  let zoom = 1;
  let fitted = true;
  const undoStack = []; // [{ids: [item id...], before: {item id: decision or null}}], the latest last

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function setStatus(text, bad) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("bad", Boolean(bad));
  }

  async function load() {
    const response = await fetch(api, { credentials: "same-origin" });
    if (!response.ok) {
      setStatus("cannot load this page (" + response.status + ")", true);
      return;
    }
    data = await response.json();
    render();
    const firstOpen = data.items.findIndex((item) => !data.decisions[item.id]);
    select(firstOpen >= 0 ? firstOpen : 0, true);
  }

  async function post(path, body) {
    setStatus("saving…");
    try {
      const response = await fetch(api + path, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Ocrfix-Token": token },
        body: JSON.stringify(body),
      });
      const payload = await response.json();
      if (!response.ok) {
        setStatus("not saved: " + (payload.error || response.status), true);
        return null;
      }
      data = payload;
      render();
      setStatus("saved");
      return payload;
    } catch (error) {
      setStatus("not saved: " + error, true);
      return null;
    }
  }

  function decisionOf(item) {
    return data.decisions[item.id] || null;
  }

  function stateOf(item) {
    const decision = decisionOf(item);
    return "is-" + (decision ? decision.state : "open");
  }

  // ---- rendering -------------------------------------------------------

  function render() {
    renderProgress();
    renderText();
    renderBoxes();
    renderCard();
    renderStale();
  }

  function renderStale() {
    const list = $("stale-list");
    list.replaceChildren();
    $("stale").hidden = data.stale.length === 0;
    for (const d of data.stale) {
      const entry = el("li", "", "«" + d.ocr + "» → «" + (d.text || "∅") + "» (" + d.action + ", " + d.decided_at + "): " + d.reason);
      list.appendChild(entry);
    }
  }

  function renderProgress() {
    const p = data.progress;
    const page = data.page;
    $("progress").textContent =
      "this page: " + page.decided + "/" + page.items + " decided" +
      (page.reviewed ? " (reviewed)" : "") +
      " · batch: pages reviewed " + p.pages_reviewed + "/" + p.pages +
      ", decisions left " + p.decisions_left;
    $("mark-reviewed").textContent = page.marked_reviewed ? "page marked reviewed ✓" : "mark page reviewed";
  }

  function renderText() {
    const container = $("page-text");
    container.replaceChildren();
    const itemOfWord = new Map();
    data.items.forEach((item, index) => {
      for (let w = item.first; w <= item.last; w++) itemOfWord.set(w, index);
    });
    let lineNode = null;
    let lastLine = -1;
    let lastBlock = -1;
    let index = 0;
    while (index < data.words.length) {
      const word = data.words[index];
      if (word.line !== lastLine) {
        if (lastBlock !== -1 && word.block !== lastBlock) container.appendChild(el("div", "block-gap"));
        lineNode = el("div", "line");
        container.appendChild(lineNode);
        lastLine = word.line;
        lastBlock = word.block;
      } else {
        lineNode.appendChild(document.createTextNode(" "));
      }
      const itemIndex = itemOfWord.get(index);
      if (itemIndex === undefined) {
        lineNode.appendChild(document.createTextNode(word.text));
        index += 1;
        continue;
      }
      const item = data.items[itemIndex];
      const decision = decisionOf(item);
      const span = el("span", "item " + item.kind + " " + stateOf(item));
      if (itemIndex === current) span.classList.add("current");
      span.dataset.index = String(itemIndex);
      span.title = item.kind + ": scan reads " + item.ocr + " · ocrfix " + item.current + (item.published !== null ? " · published " + item.published : "");
      // The run's words up to the end of this line show the decided reading (or ours).
      let end = index;
      while (end + 1 <= item.last && data.words[end + 1].line === word.line) end += 1;
      if (index === item.first) {
        span.textContent = decision ? (decision.text || "∅") : data.words.slice(index, end + 1).map((w) => w.text).join(" ");
      } else if (decision) {
        index = end + 1; // the decided reading stands where the item starts
        continue;
      } else {
        span.textContent = data.words.slice(index, end + 1).map((w) => w.text).join(" ");
      }
      span.addEventListener("click", () => select(itemIndex, true));
      lineNode.appendChild(span);
      index = end + 1;
    }
  }

  function renderBoxes() {
    const layer = $("scan-boxes");
    layer.replaceChildren();
    data.items.forEach((item, index) => {
      if (!item.bbox) return;
      const [left, top, right, bottom] = item.bbox;
      const box = el("div", "box " + item.kind + " " + stateOf(item) + (index === current ? " current" : ""));
      box.style.left = left * zoom + "px";
      box.style.top = top * zoom + "px";
      box.style.width = (right - left) * zoom + "px";
      box.style.height = (bottom - top) * zoom + "px";
      box.title = "scan reads " + item.ocr + " · ocrfix " + item.current + (item.published !== null ? " · published " + item.published : "");
      box.addEventListener("click", () => select(index, false));
      layer.appendChild(box);
    });
  }

  function fmt(value, digits) {
    return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
  }

  function renderCard() {
    const items = data.items;
    $("no-items").hidden = items.length > 0;
    for (const id of ["accept", "reject", "use-published", "clear", "save-edit"]) $(id).disabled = items.length === 0;
    $("undo").disabled = undoStack.length === 0;
    if (items.length === 0) {
      $("item-position").textContent = "";
      $("item-crop").hidden = true;
      return;
    }
    const item = items[current];
    const decision = decisionOf(item);
    $("item-position").textContent = "item " + (current + 1) + " of " + items.length;
    $("item-kind").textContent = item.kind;
    $("item-kind").className = "tag " + item.kind;
    const states = { accept: "ocrfix's reading kept", reject: "OCR reading kept", published: "published reading taken", edit: "typed" };
    $("item-state").textContent = decision ? states[decision.state] + (decision.carried ? " (carried from an earlier run)" : "") : "undecided";
    $("item-state").className = "tag " + stateOf(item);
    const crop = $("item-crop");
    crop.hidden = !item.line_bbox;
    if (item.line_bbox) {
      const src = "/pages/" + encodeURIComponent(pageId) + "/crops/" + encodeURIComponent(item.id) + ".png";
      if (crop.getAttribute("src") !== src) crop.src = src;
    }
    showMarked($("reading-ocr"), item.marks.ocr, item.ocr || "(nothing)");
    showMarked($("reading-current"), item.marks.current, item.current || "(nothing)");
    if (item.published === null) $("reading-published").textContent = "(no published transcription)";
    else showMarked($("reading-published"), item.marks.published, "(nothing)");
    $("reading-decision").textContent = decision ? (decision.text || "(removed)") : "–";
    $("item-score").textContent = fmt(item.score, 3);
    $("item-confidence").textContent = fmt(item.confidence, 2);
    $("item-word-confidence").textContent = fmt(item.word_confidence, 0);
    $("item-reason").textContent = item.reason;
    const body = $("item-candidates");
    body.replaceChildren();
    for (const [text, cost] of item.candidates) {
      const row = el("tr");
      row.appendChild(el("td", text === item.current ? "chosen" : "", text));
      row.appendChild(el("td", "", fmt(cost, 3)));
      body.appendChild(row);
    }
    $("candidates-table").hidden = item.candidates.length === 0;
    // Every action says which reading it keeps; "a" always keeps ocrfix's text.
    const scanKept = item.current === item.ocr;
    $("accept-label").textContent =
      item.kind === "disagreement" || item.kind === "choice" ? (scanKept ? "keep scan reading" : "keep ocrfix's reading") :
      item.kind === "correction" ? "accept ocrfix's change" : "keep ocrfix's reading";
    $("accept-preview").textContent = item.current || "(nothing)";
    $("reject-label").textContent = "undo the change, keep scan reading";
    $("reject-preview").textContent = item.ocr || "(nothing)";
    $("reject").disabled = scanKept;
    $("published-preview").textContent = item.published === null ? "(none)" : item.published || "(nothing)";
    $("use-published").disabled = item.published === null || item.published === item.current;
    $("always").checked = Boolean(decision && decision.always);
    const edit = $("edit-text");
    if (document.activeElement !== edit) edit.value = decision ? decision.text : item.current;
  }

  // A reading with the characters that differ marked (their Unicode names on hover).
  function showMarked(node, segments, empty) {
    node.replaceChildren();
    if (!segments.length) {
      node.textContent = empty;
      return;
    }
    for (const [text, changed, names] of segments) {
      if (!changed) {
        node.appendChild(document.createTextNode(text));
        continue;
      }
      const mark = el("mark", "", text);
      mark.title = names;
      node.appendChild(mark);
    }
  }

  function select(index, scrollScan) {
    if (!data || data.items.length === 0) return;
    current = Math.max(0, Math.min(index, data.items.length - 1));
    render();
    const span = document.querySelector('#page-text .item[data-index="' + current + '"]');
    if (span) span.scrollIntoView({ block: "nearest" });
    if (scrollScan) {
      const box = document.querySelector("#scan-boxes .box.current");
      if (box) box.scrollIntoView({ block: "center", inline: "center" });
    }
  }

  // ---- actions -----------------------------------------------------------

  function currentItem() {
    return data && data.items.length ? data.items[current] : null;
  }

  async function decide(action, text) {
    const item = currentItem();
    if (!item) return;
    const body = { item_id: item.id, action: action, always: $("always").checked };
    if (text !== undefined) body.text = text;
    const before = decisionOf(item);
    const ok = await post("/decisions", body);
    if (!ok) return;
    undoStack.push({ ids: [item.id], before: { [item.id]: before } });
    if (action !== "clear") nextOpen();
    else render();
  }

  // Undo the last decision made here (one item, or every item of an "accept all") and go back to it.
  async function undo() {
    const last = undoStack.pop();
    if (!last) {
      setStatus("nothing to undo");
      return;
    }
    for (const id of last.ids) {
      const before = last.before[id];
      const body = before ? { item_id: id, action: before.state, always: Boolean(before.always) } : { item_id: id, action: "clear" };
      if (before && before.state === "edit") body.text = before.text;
      if (!(await post("/decisions", body))) {
        undoStack.push(last);
        return;
      }
    }
    const index = data.items.findIndex((item) => item.id === last.ids[0]);
    if (index >= 0) select(index, true);
    setStatus("undone");
  }

  function nextOpen() {
    const n = data.items.length;
    for (let step = 1; step <= n; step++) {
      const index = (current + step) % n;
      if (!decisionOf(data.items[index])) return select(index, true);
    }
    select(current, true);
  }

  function startEdit() {
    const edit = $("edit-text");
    edit.focus();
    edit.select();
  }

  async function bulkAccept() {
    const threshold = parseFloat($("bulk-threshold").value);
    if (!(threshold >= 0 && threshold <= 1)) {
      setStatus("the threshold is a number from 0 to 1", true);
      return;
    }
    const before = Object.assign({}, data.decisions);
    const payload = await post("/accept-above", { threshold: threshold });
    if (!payload) return;
    const ids = Object.keys(payload.decisions).filter((id) => !(id in before));
    if (ids.length) undoStack.push({ ids: ids, before: Object.fromEntries(ids.map((id) => [id, null])) });
    setStatus("accepted " + payload.accepted + " correction(s)");
  }

  // ---- zoom --------------------------------------------------------------

  function applyZoom() {
    const image = $("scan-image");
    image.style.width = data ? data.width * zoom + "px" : "";
    image.style.height = data ? data.height * zoom + "px" : "";
    $("zoom-level").textContent = Math.round(zoom * 100) + "%";
    if (data) renderBoxes();
  }

  function fitWidth() {
    const width = $("scan").clientWidth - 16;
    const natural = (data && data.width) || $("scan-image").naturalWidth || 1;
    zoom = Math.max(0.05, width / natural);
    fitted = true;
    applyZoom();
  }

  function zoomBy(factor) {
    zoom = Math.min(8, Math.max(0.05, zoom * factor));
    fitted = false;
    applyZoom();
    const box = document.querySelector("#scan-boxes .box.current");
    if (box) box.scrollIntoView({ block: "center", inline: "center" });
  }

  // ---- wiring ------------------------------------------------------------

  $("accept").addEventListener("click", () => decide("accept"));
  $("reject").addEventListener("click", () => decide("reject"));
  $("clear").addEventListener("click", () => decide("clear"));
  $("undo").addEventListener("click", undo);
  $("use-published").addEventListener("click", () => {
    const item = currentItem();
    if (item && item.published !== null) decide("published");
  });
  $("edit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("edit-text").value;
    $("edit-text").blur();
    decide("edit", text);
  });
  $("bulk-form").addEventListener("submit", (event) => {
    event.preventDefault();
    bulkAccept();
  });
  // Marking a page reviewed with undecided items asks first: they would keep ocrfix's reading.
  $("mark-reviewed").addEventListener("click", () => {
    if (data.page.marked_reviewed || data.page.left === 0) {
      post("/reviewed", { reviewed: !data.page.marked_reviewed });
      return;
    }
    $("confirm-reviewed-text").textContent =
      data.page.left + " item(s) on this page are undecided: they keep ocrfix's reading. Mark the page reviewed?";
    $("confirm-reviewed").showModal();
  });
  $("confirm-reviewed-yes").addEventListener("click", () => {
    $("confirm-reviewed").close();
    post("/reviewed", { reviewed: true });
  });
  $("confirm-reviewed-no").addEventListener("click", () => $("confirm-reviewed").close());
  $("zoom-in").addEventListener("click", () => zoomBy(1.25));
  $("zoom-out").addEventListener("click", () => zoomBy(0.8));
  $("zoom-fit").addEventListener("click", fitWidth);
  $("help-button").addEventListener("click", () => ($("help").hidden = !$("help").hidden));
  $("help-close").addEventListener("click", () => ($("help").hidden = true));
  window.addEventListener("resize", () => fitted && data && fitWidth());

  // Shortcuts name physical keys (event.code), so they work with any layout:
  // with a Russian layout the key of "a" types "ф" and still accepts.
  const shortcuts = {
    KeyJ: () => select(current + 1, true),
    ArrowDown: () => select(current + 1, true),
    KeyK: () => select(current - 1, true),
    ArrowUp: () => select(current - 1, true),
    KeyN: nextOpen,
    KeyA: (shift) => (shift ? bulkAccept() : decide("accept")),
    KeyR: () => !$("reject").disabled && decide("reject"),
    KeyU: undo,
    KeyE: startEdit,
    KeyP: () => $("use-published").click(),
    KeyM: () => $("mark-reviewed").click(),
    Equal: () => zoomBy(1.25),
    NumpadAdd: () => zoomBy(1.25),
    Minus: () => zoomBy(0.8),
    NumpadSubtract: () => zoomBy(0.8),
    Digit0: fitWidth,
    Numpad0: fitWidth,
    Slash: () => ($("help").hidden = !$("help").hidden),
    BracketLeft: () => $("prev-page") && $("prev-page").click(),
    BracketRight: () => $("next-page") && $("next-page").click(),
  };

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "checkbox"));
    if (typing) {
      if (event.code === "Escape" || event.key === "Escape") target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || !data || $("confirm-reviewed").open) return;
    const action = shortcuts[event.code] || (event.key === "?" ? shortcuts.Slash : null);
    if (action) {
      event.preventDefault();
      action(event.shiftKey);
    }
  });

  load().then(() => fitWidth());
})();
