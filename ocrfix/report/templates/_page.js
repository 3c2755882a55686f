(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("input[data-filter]").forEach(function (box) {
    box.addEventListener("change", function () { body.classList.toggle(box.dataset.filter, box.checked); });
  });
  function explain(index) {
    var hint = document.getElementById("explain-hint");
    if (hint) { hint.hidden = true; }
    document.querySelectorAll(".explanation").forEach(function (panel) { panel.hidden = panel.dataset.explains !== index; });
    document.querySelectorAll(".corr.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll(".corr").forEach(function (el) { if (el.dataset.corr === index) { el.classList.add("active"); } });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-corr]") : null;
    if (target) { explain(target.dataset.corr); }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.dataset && target.dataset.corr !== undefined) {
      event.preventDefault();
      explain(target.dataset.corr);
    }
  });
})();
