// A small rich-text editor for the note de contexte: a toolbar over a contenteditable area that
// keeps the hidden <textarea data-note-source> in sync. No external library; the server
// sanitises the HTML on save (nh3), whatever this script sends.
(function () {
  "use strict";
  var ACTIONS = [
    { command: "bold", label: "Gras" },
    { command: "italic", label: "Italique" },
    { command: "underline", label: "Souligné" },
    { command: "insertUnorderedList", label: "Liste à puces" },
    { command: "insertOrderedList", label: "Liste numérotée" },
    { command: "formatBlock", value: "h3", label: "Intertitre" },
    { command: "formatBlock", value: "p", label: "Paragraphe" },
  ];

  function setup(textarea) {
    var toolbar = document.createElement("div");
    toolbar.className = "fne-editeur__outils";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Mise en forme de la note");
    var area = document.createElement("div");
    area.className = "fne-editeur__zone";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", textarea.id + "-label");
    area.setAttribute("data-note-editor", "true");
    area.innerHTML = textarea.value;

    ACTIONS.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--tertiary fr-btn--sm";
      button.textContent = action.label;
      button.addEventListener("click", function () {
        area.focus();
        document.execCommand(action.command, false, action.value || null);
        sync();
      });
      toolbar.appendChild(button);
    });

    function sync() {
      textarea.value = area.innerHTML;
    }
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    if (textarea.form) {
      textarea.form.addEventListener("submit", sync);
    }
    var label = textarea.form ? textarea.form.querySelector("label[for='" + textarea.id + "']") : null;
    if (label) {
      label.id = textarea.id + "-label";
    }
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", area);
    area.insertAdjacentElement("beforebegin", toolbar);
  }

  document.querySelectorAll("textarea[data-note-source]").forEach(setup);
})();
