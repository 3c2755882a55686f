(function () {
  "use strict";
  var table = document.getElementById("pages");
  if (!table) { return; }
  var headers = table.querySelectorAll("thead th");
  function key(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell ? cell.getAttribute("data-sort") : "";
    if (!numeric) { return value || ""; }
    return value === "" || value === null ? null : parseFloat(value);
  }
  headers.forEach(function (header, column) {
    header.addEventListener("click", function () {
      var numeric = header.getAttribute("data-type") === "number";
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, column, numeric), y = key(b, column, numeric);
        if (x === y) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        var order = numeric ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
