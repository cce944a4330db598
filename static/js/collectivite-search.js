// Suggestions for the collectivité fields, from the territory search (GET /territoires/recherche/).
// Progressive enhancement: without this script the server resolves what was typed.
(function () {
  "use strict";
  var datalist = document.getElementById("collectivite-suggestions");
  if (!datalist) { return; }
  var url = datalist.getAttribute("data-url");
  var timer = null;

  function currentLine(input) {
    if (input.tagName !== "TEXTAREA") { return input.value; }
    var lines = input.value.split("\n");
    return lines[lines.length - 1];
  }

  function fill(results) {
    while (datalist.firstChild) { datalist.removeChild(datalist.firstChild); }
    results.forEach(function (result) {
      var option = document.createElement("option");
      option.value = result.key;
      option.label = result.label;
      option.textContent = result.label;
      datalist.appendChild(option);
    });
  }

  function search(input) {
    var query = currentLine(input).trim();
    if (query.length < 2 || query.indexOf(":") !== -1) { return; }
    var params = new URLSearchParams({ q: query, types: input.getAttribute("data-collectivite-search") });
    var departement = input.form && input.form.querySelector("select[name=departement]");
    if (departement && departement.value) { params.set("departement", departement.value); }
    fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(fill)
      .catch(function () { fill([]); });
  }

  document.querySelectorAll("[data-collectivite-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search(input); }, 200);
    });
  });
})();
