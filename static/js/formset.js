// Add a row to a Django formset: clone the <template data-formset-empty>, replace __prefix__ by
// the next index and bump TOTAL_FORMS. Without JavaScript the formset's extra rows remain.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = container.querySelector("template[data-formset-empty]");
    var rows = container.querySelector("[data-formset-rows]");
    var button = container.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html;
      var row = wrapper.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      // Scripts that enhance a row's inputs (territoire-search.js) hear of the new one.
      row.dispatchEvent(new CustomEvent("formset:ajout", { bubbles: true }));
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();
