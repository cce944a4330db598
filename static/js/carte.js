// Progressive enhancement of the server-side maps (templates/includes/carte.html): shows the name
// and figure of the shape under the pointer or the keyboard focus below the map. Without it, the
// native SVG titles and the links' accessible names say the same. The indicator is switched by a
// plain GET form (no change of page on a mere selection, as WCAG's « on input » asks).
(function () {
  "use strict";
  document.querySelectorAll("[data-carte]").forEach(function (svg) {
    var info = document.querySelector('[data-carte-info="' + svg.getAttribute("data-carte") + '"]');
    if (!info) { return; }
    function show(event) {
      var link = event.target.closest ? event.target.closest("a[data-code]") : null;
      if (link) { info.textContent = link.getAttribute("aria-label"); }
    }
    svg.addEventListener("mouseover", show);
    svg.addEventListener("focusin", show);
  });
})();
