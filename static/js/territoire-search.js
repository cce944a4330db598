// Territory inputs with suggestions: the ARIA 1.2 combobox pattern (an input with a listbox
// popup), over the plain input or textarea the server renders (territoires/widgets.py).
//
// - [data-territoire-search] on an <input>: one collectivité; picking a suggestion writes its
//   label (« CA de Nevers (EPCI, 245804406) ») in the field, never an internal key.
// - the same on a <textarea data-multiple>: several, one a line. The textarea stays the value
//   sent; it is hidden behind a search input and the list of chosen collectivités, each with a
//   « Retirer » button.
// - data-types, data-departement or data-departement-field scope the search
//   (GET data-url?q=…&types=…&departement=…); data-candidats names a JSON script of local
//   suggestions offered first (label, key, detail, and the fields choosing one fills).
// Keyboard: ↓/↑ move in the suggestions, Entrée chooses, Échap closes. Without this script the
// server reads what was typed (a label, a name or a code).
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 200;
  var counter = 0;

  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  function localCandidats(input) {
    var id = input.getAttribute("data-candidats");
    var script = id && document.getElementById(id);
    if (!script) { return []; }
    try { return JSON.parse(script.textContent) || []; } catch (e) { return []; }
  }

  function matchesLocal(candidat, query) {
    var words = fold(query).split(" ");
    var haystack = fold(candidat.label + " " + (candidat.detail || ""));
    return words.every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function Combobox(field) {
    this.field = field;
    this.multiple = field.hasAttribute("data-multiple");
    this.local = localCandidats(field);
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = 0;
    this.id = (field.id || "territoire") + "-suggestions-" + (++counter);
    this.build();
  }

  Combobox.prototype.build = function () {
    var field = this.field;
    var input = field;
    if (this.multiple) {
      // The textarea keeps the value; a search input and the chosen list take its place.
      input = document.createElement("input");
      input.type = "text";
      input.className = field.className.replace("fr-input--error", "") + " fne-combobox__saisie";
      input.id = field.id + "-recherche";
      var describedBy = field.getAttribute("aria-describedby");
      if (describedBy) { input.setAttribute("aria-describedby", describedBy); }
      var label = field.id && document.querySelector('label[for="' + field.id + '"]');
      if (label) {
        label.setAttribute("for", input.id);
        var hint = label.querySelector(".fr-hint-text");
        if (hint && field.getAttribute("data-hint")) { hint.textContent = field.getAttribute("data-hint"); }
      }
      this.chosen = document.createElement("ul");
      this.chosen.className = "fne-choix";
      this.chosen.setAttribute("aria-label", (label ? label.textContent.trim().split("\n")[0] : "Collectivités") + " : choix");
      field.hidden = true;
      field.setAttribute("aria-hidden", "true");
      field.tabIndex = -1;
      field.parentNode.insertBefore(this.chosen, field);
      field.parentNode.insertBefore(input, field);
      this.renderChosen();
      var form = field.form;
      var self = this;
      if (form) {
        // A name typed without picking a suggestion is sent too: the server reads it.
        form.addEventListener("submit", function () {
          if (input.value.trim()) { self.add(input.value.trim()); }
        });
      }
    }
    this.input = input;
    var wrapper = document.createElement("div");
    wrapper.className = "fne-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    this.listbox = document.createElement("ul");
    this.listbox.id = this.id;
    this.listbox.className = "fne-combobox__liste";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.hidden = true;
    // The list gets a name of its own: sharing the field's label would give two controls the
    // same name, and a screen reader (or a test finding the field by its label) could not tell
    // the field to type in from its list of suggestions.
    this.listbox.setAttribute("aria-label", "Suggestions");
    wrapper.appendChild(this.listbox);
    this.status = document.createElement("p");
    this.status.className = "fr-sr-only";
    this.status.setAttribute("role", "status");
    wrapper.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.id);
    input.setAttribute("autocomplete", "off");

    var self2 = this;
    input.addEventListener("input", function () { self2.schedule(); });
    input.addEventListener("keydown", function (event) { self2.onKey(event); });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { self2.close(); }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) {
      // Keep the focus in the input while a suggestion is clicked.
      event.preventDefault();
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self2.choose(parseInt(option.getAttribute("data-index"), 10)); }
    });
  };

  Combobox.prototype.params = function (query) {
    var params = new URLSearchParams({ q: query });
    var types = this.field.getAttribute("data-types");
    if (types) { params.set("types", types); }
    var departement = this.field.getAttribute("data-departement");
    var fieldName = this.field.getAttribute("data-departement-field");
    if (!departement && fieldName && this.field.form) {
      var select = this.field.form.querySelector('[name="' + fieldName + '"]');
      departement = select ? select.value : "";
    }
    if (departement) { params.set("departement", departement); }
    return params;
  };

  Combobox.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.search(); }, DELAY);
  };

  Combobox.prototype.search = function () {
    var self = this;
    var query = this.input.value.trim();
    if (query.length < MIN_LENGTH) { this.show([]); return; }
    var local = this.local.filter(function (candidat) { return matchesLocal(candidat, query); });
    var url = this.field.getAttribute("data-url");
    var ticket = ++this.request;
    if (!url) { this.show(local); return; }
    fetch(url + "?" + this.params(query).toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; })
      .then(function (remote) {
        if (ticket !== self.request) { return; }
        var seen = {};
        local.forEach(function (candidat) { seen[candidat.key] = true; });
        self.show(local.concat(remote.filter(function (result) { return !seen[result.key]; })));
      });
  };

  Combobox.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (this.listbox.firstChild) { this.listbox.removeChild(this.listbox.firstChild); }
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.id + "-" + index;
      option.className = "fne-combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.appendChild(document.createTextNode(result.label));
      if (result.detail) {
        var detail = document.createElement("span");
        detail.className = "fne-combobox__detail";
        detail.textContent = " — " + result.detail;
        option.appendChild(detail);
      }
      self.listbox.appendChild(option);
    });
    var open = results.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (this.input.value.trim().length >= MIN_LENGTH) {
      this.status.textContent = results.length
        ? results.length + (results.length > 1 ? " suggestions" : " suggestion") + ", flèches haut et bas pour parcourir, Entrée pour choisir."
        : "Aucune suggestion.";
    } else {
      this.status.textContent = "";
    }
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    index = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.active = index;
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.onKey = function (event) {
    var open = !this.listbox.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { this.show(this.results); }
      this.highlight(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) { this.highlight(this.active - 1); }
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      } else if (this.multiple && this.input.value.trim()) {
        event.preventDefault();
        this.add(this.input.value.trim());
        this.input.value = "";
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      }
    }
  };

  Combobox.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) { return; }
    if (this.multiple) {
      this.add(result.label);
      this.input.value = "";
      this.status.textContent = result.label + " ajoutée.";
    } else {
      this.input.value = result.label;
      this.status.textContent = result.label + " choisie.";
    }
    this.close();
    this.fill(result.remplit);
    this.input.dispatchEvent(new CustomEvent("territoire:choisi", { bubbles: true, detail: result }));
  };

  // A candidate that sent a form brings its contacts: they fill the row's empty fields (named
  // « …-referent_email »…), never what was already typed.
  Combobox.prototype.fill = function (values) {
    var row = values && this.input.closest("[data-ligne]");
    if (!row) { return; }
    var filled = 0;
    Object.keys(values).forEach(function (suffix) {
      var target = row.querySelector('[name$="-' + suffix + '"]');
      if (target && !target.value.trim() && values[suffix]) {
        target.value = values[suffix];
        filled += 1;
      }
    });
    if (filled) {
      this.status.textContent += " Contacts repris de son formulaire : vérifiez-les.";
    }
  };

  // --- Several collectivités: the textarea's lines ------------------------------------------

  Combobox.prototype.lines = function () {
    return this.field.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  };

  Combobox.prototype.add = function (label) {
    var lines = this.lines();
    if (lines.indexOf(label) === -1) { lines.push(label); }
    this.field.value = lines.join("\n");
    this.renderChosen();
  };

  Combobox.prototype.remove = function (label) {
    this.field.value = this.lines().filter(function (line) { return line !== label; }).join("\n");
    this.renderChosen();
    this.status.textContent = label + " retirée.";
    this.input.focus();
  };

  Combobox.prototype.renderChosen = function () {
    var self = this;
    while (this.chosen.firstChild) { this.chosen.removeChild(this.chosen.firstChild); }
    this.lines().forEach(function (label) {
      var item = document.createElement("li");
      item.className = "fne-choix__element";
      item.appendChild(document.createTextNode(label + " "));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-close-line fr-btn--icon-left";
      button.textContent = "Retirer";
      var hidden = document.createElement("span");
      hidden.className = "fr-sr-only";
      hidden.textContent = " " + label;
      button.appendChild(hidden);
      button.addEventListener("click", function () { self.remove(label); });
      item.appendChild(button);
      self.chosen.appendChild(item);
    });
    this.chosen.hidden = this.chosen.childElementCount === 0;
  };

  function enhance(root) {
    (root || document).querySelectorAll("[data-territoire-search]:not([data-territoire-enhanced])").forEach(function (field) {
      if (field.name && field.name.indexOf("__prefix__") !== -1) { return; }
      field.setAttribute("data-territoire-enhanced", "");
      new Combobox(field);
    });
  }

  window.fneTerritoireSearch = { enhance: enhance };
  enhance(document);
  // Rows added by static/js/formset.js get their search too.
  document.addEventListener("formset:ajout", function (event) { enhance(event.target); });
})();
