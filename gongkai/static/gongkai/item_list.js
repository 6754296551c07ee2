/* The item list: a checkbox in the header ticks every item of the page for the bulk actions.
   Without JavaScript each row is ticked by itself. */
(function () {
  "use strict";
  var cell = document.getElementById("select-all-cell");
  if (!cell) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('table.items input[name="items"]'));
  if (!boxes.length) { return; }
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all";
  all.setAttribute("aria-label", cell.dataset.label || "");
  cell.replaceChildren(all);
  function refresh() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    refresh();
  });
  boxes.forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();
})();
