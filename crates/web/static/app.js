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

// Before what cannot be undone (sending a dossier on, deciding, publishing), the page asks once.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (e) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
})();
