// thidua: small progressive enhancements. Every page works without this file.
// On a phone, each row of a data table becomes a card labelled with the column headers: the
// labels are copied here from the table's header into data-label, which the style sheet shows.
(function () {
  "use strict";
  document.querySelectorAll("table.data").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (heads.length === 0) { return; }
    var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var i = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        // A row header (th) heads its card; the data cells carry their column's name.
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[i] || ""); }
        i += cell.colSpan || 1;
      });
    });
    table.classList.add("cards");
  });
})();
