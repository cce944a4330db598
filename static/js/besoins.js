/* Besoins en ingénierie: progressive enhancement only (every action also works without script).
 * - Step 1: the details of an item show once it is selected (and the ETP once « Ressource
 *   humaine » is ticked).
 * - Step 2: « Monter » / « Descendre » move the card in the page instead of posting; the order
 *   is saved with « Enregistrer la priorisation ». Focus stays on the moved card's button and
 *   the new position is announced to screen readers.
 */
(function () {
  "use strict";

  function syncDetail(checkbox) {
    var target = document.getElementById(checkbox.getAttribute("data-besoins-controls"));
    if (!target) { return; }
    target.hidden = !checkbox.checked;
    checkbox.setAttribute("aria-expanded", checkbox.checked ? "true" : "false");
    // « Il s'agit de former des personnes »: the head count replaces « ressource humaine /
    // prestation ».
    var hidden = document.getElementById(checkbox.getAttribute("data-besoins-hides") || "");
    if (hidden) { hidden.hidden = checkbox.checked; }
  }

  function initSelection() {
    var boxes = document.querySelectorAll("input[data-besoins-controls]");
    Array.prototype.forEach.call(boxes, function (box) {
      syncDetail(box);
      box.addEventListener("change", function () { syncDetail(box); });
    });
  }

  function refresh(list) {
    var cards = list.querySelectorAll("li[data-cle]");
    Array.prototype.forEach.call(cards, function (card, index) {
      var rang = card.querySelector("[data-rang]");
      if (rang) { rang.textContent = String(index + 1); }
      var up = card.querySelector("button[data-direction='monter']");
      var down = card.querySelector("button[data-direction='descendre']");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === cards.length - 1; }
    });
  }

  function initPriorisation() {
    var list = document.getElementById("priorites");
    var announce = document.getElementById("priorites-annonce");
    if (!list) { return; }
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-direction]");
      if (!button) { return; }
      event.preventDefault();
      var card = button.closest("li[data-cle]");
      var direction = button.getAttribute("data-direction");
      if (direction === "monter" && card.previousElementSibling) {
        list.insertBefore(card, card.previousElementSibling);
      } else if (direction === "descendre" && card.nextElementSibling) {
        list.insertBefore(card.nextElementSibling, card);
      }
      refresh(list);
      var focusable = button.disabled ? card.querySelector("button[data-direction]:not([disabled])") : button;
      if (focusable) { focusable.focus(); }
      if (announce) {
        var position = Array.prototype.indexOf.call(list.children, card) + 1;
        var title = card.querySelector("strong");
        announce.textContent = (title ? title.textContent : "Carte") + " : position " + position + " sur " + list.children.length + ". Pensez à enregistrer.";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSelection();
    initPriorisation();
  });
})();
