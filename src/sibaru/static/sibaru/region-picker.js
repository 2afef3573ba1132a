/* SIBARU region picker (regions/widgets.py). Without this script the form still works: the user types the
 * region code, or picks a province from the server-rendered select. With it:
 *  - cascading selects province → regency → district → village, each filled from /api/v1/regions?parent=…;
 *  - a name search following the WAI-ARIA combobox pattern (listbox, aria-activedescendant, arrow keys,
 *    Enter, Escape) that sets the selects;
 *  - the code box kept in step with both (and typing a code there sets the selects).
 * All text comes from data-msg-* attributes the template translates. No inline script or style (strict CSP). */
(function () {
  "use strict";

  var LEVELS = ["province", "regency", "district", "village"];
  var CODE_LENGTH = { province: 2, regency: 4, district: 6, village: 10 };
  var MIN_QUERY = 2;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function normaliseCode(text) {
    var code = (text || "").replace(/[\s.]/g, "");
    return /^(\d{2}|\d{4}|\d{6}|\d{10})$/.test(code) ? code : "";
  }

  function levelOf(code) {
    for (var i = 0; i < LEVELS.length; i++) {
      if (CODE_LENGTH[LEVELS[i]] === code.length) return LEVELS[i];
    }
    return "";
  }

  function Picker(root) {
    this.root = root;
    this.api = root.getAttribute("data-api");
    this.lang = document.documentElement.lang || "id";
    this.maxLevel = root.getAttribute("data-max-level") || "village";
    this.minLevel = root.getAttribute("data-min-level") || "province";
    this.code = root.querySelector("[data-region-code]");
    this.status = root.querySelector("[data-region-status]");
    this.search = root.querySelector("[data-region-search]");
    this.listbox = root.querySelector("[data-region-listbox]");
    this.selects = Array.prototype.slice.call(root.querySelectorAll("select[data-level]"));
    this.labels = {};
    this.results = [];
    this.active = -1;
    this.searchTimer = null;
    this.searchController = null;
    this.searchSeq = 0;
    this.cascadeSeq = 0;
    this.start();
  }

  Picker.prototype.msg = function (name, values) {
    return format(this.root.getAttribute("data-msg-" + name) || "", values || {});
  };

  Picker.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Picker.prototype.fetchJson = function (params, signal) {
    var url = this.api + "?" + new URLSearchParams(params).toString();
    return fetch(url, {
      headers: { Accept: "application/json", "Accept-Language": this.lang },
      credentials: "same-origin",
      signal: signal
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  };

  Picker.prototype.start = function () {
    var self = this;
    Array.prototype.forEach.call(this.root.querySelectorAll("[data-js-only]"), function (el) {
      el.hidden = false;
    });
    this.selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        self.onSelect(index);
      });
    });
    this.code.addEventListener("change", function () {
      self.onCodeTyped();
    });
    this.search.addEventListener("input", function () {
      self.onSearchInput();
    });
    this.search.addEventListener("keydown", function (event) {
      self.onSearchKey(event);
    });
    this.search.addEventListener("blur", function () {
      self.close();
    });
    // Keep focus in the box while a pointer picks an option, so blur does not close the list first.
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(Number(option.getAttribute("data-index")));
    });
    var initial = normaliseCode(this.root.getAttribute("data-initial"));
    if (initial) this.showChain(initial, false);
  };

  /* Selects */

  Picker.prototype.clearFrom = function (index) {
    for (var i = index; i < this.selects.length; i++) {
      var select = this.selects[i];
      select.length = 1; // keep the "Pilih …" placeholder
      select.value = "";
      select.disabled = true;
    }
  };

  Picker.prototype.fill = function (index, items) {
    var select = this.selects[index];
    var self = this;
    select.length = 1;
    items.forEach(function (item) {
      self.labels[item.code] = item.label;
      select.add(new Option(item.name, item.code));
    });
    select.disabled = false;
  };

  Picker.prototype.loadChildren = function (index, parentCode) {
    // Fill select `index` with the children of `parentCode`; resolves once filled.
    var self = this;
    if (index >= this.selects.length) return Promise.resolve();
    var select = this.selects[index];
    select.disabled = true;
    return this.fetchJson({ parent: parentCode, limit: 200 }).then(function (body) {
      self.fill(index, body.items);
    });
  };

  Picker.prototype.chosenCode = function () {
    for (var i = this.selects.length - 1; i >= 0; i--) {
      if (this.selects[i].value) return this.selects[i].value;
    }
    return "";
  };

  Picker.prototype.onSelect = function (index) {
    var self = this;
    var value = this.selects[index].value;
    var seq = ++this.cascadeSeq;
    this.clearFrom(index + 1);
    var code = this.chosenCode();
    this.code.value = code;
    this.announce(code);
    if (value && index + 1 < this.selects.length) {
      this.loadChildren(index + 1, value).catch(function () {
        if (seq === self.cascadeSeq) self.say(self.msg("failed"));
      });
    }
  };

  Picker.prototype.announce = function (code) {
    if (!code) {
      this.say("");
      return;
    }
    var label = this.labels[code] || code;
    this.say(this.msg("chosen", { label: label }));
  };

  Picker.prototype.showChain = function (code, announce) {
    // Set every select along `code`'s ancestry (its prefixes), loading each list, then open the next level.
    var self = this;
    var seq = ++this.cascadeSeq;
    var depth = Math.min(LEVELS.indexOf(levelOf(code)), this.selects.length - 1);
    var steps = Promise.resolve();
    for (var i = 0; i <= depth; i++) {
      (function (index) {
        var own = code.slice(0, CODE_LENGTH[LEVELS[index]]);
        steps = steps.then(function () {
          if (seq !== self.cascadeSeq) return;
          var load = index === 0 ? Promise.resolve() : self.loadChildren(index, code.slice(0, CODE_LENGTH[LEVELS[index - 1]]));
          return load.then(function () {
            if (seq !== self.cascadeSeq) return;
            self.selects[index].value = own;
          });
        });
      })(i);
    }
    return steps
      .then(function () {
        if (seq !== self.cascadeSeq) return;
        self.clearFrom(depth + 1);
        if (depth + 1 < self.selects.length) return self.loadChildren(depth + 1, code.slice(0, CODE_LENGTH[LEVELS[depth]]));
      })
      .then(function () {
        if (seq === self.cascadeSeq && announce) self.announce(code);
      })
      .catch(function () {
        if (seq === self.cascadeSeq) self.say(self.msg("failed"));
      });
  };

  Picker.prototype.onCodeTyped = function () {
    var self = this;
    var code = normaliseCode(this.code.value);
    if (!code) return; // the server explains a malformed code when the form is sent
    fetch(this.api + "/" + encodeURIComponent(code), {
      headers: { Accept: "application/json", "Accept-Language": this.lang },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (response.status === 404) {
          self.say(self.msg("unknown"));
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (region) {
        if (!region) return;
        self.labels[region.code] = region.label;
        self.showChain(region.code, true);
      })
      .catch(function () {
        self.say(self.msg("failed"));
      });
  };

  /* Name search: WAI-ARIA combobox with a listbox popup */

  Picker.prototype.levelsWanted = function () {
    return LEVELS.slice(0, LEVELS.indexOf(this.maxLevel) + 1);
  };

  Picker.prototype.onSearchInput = function () {
    var self = this;
    var q = this.search.value.trim();
    window.clearTimeout(this.searchTimer);
    if (q.length < MIN_QUERY) {
      this.results = [];
      this.close();
      return;
    }
    this.searchTimer = window.setTimeout(function () {
      self.runSearch(q);
    }, 250);
  };

  Picker.prototype.runSearch = function (q) {
    var self = this;
    var seq = ++this.searchSeq;
    if (this.searchController) this.searchController.abort();
    this.searchController = window.AbortController ? new AbortController() : null;
    var params = new URLSearchParams({ q: q, limit: "10" });
    this.levelsWanted().forEach(function (level) {
      params.append("level", level);
    });
    this.say(this.msg("loading"));
    this.fetchJson(params, this.searchController && this.searchController.signal)
      .then(function (body) {
        if (seq !== self.searchSeq) return;
        self.render(body.items);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (seq === self.searchSeq) self.say(self.msg("failed"));
      });
  };

  Picker.prototype.render = function (items) {
    var self = this;
    this.results = items;
    this.active = -1;
    this.search.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.textContent = item.label;
      self.labels[item.code] = item.label;
      self.listbox.appendChild(option);
    });
    if (items.length) {
      this.open();
      this.say(this.msg("count", { count: items.length }));
    } else {
      this.close();
      this.say(this.msg("none"));
    }
  };

  Picker.prototype.open = function () {
    if (!this.results.length) return;
    this.listbox.hidden = false;
    this.search.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.search.setAttribute("aria-expanded", "false");
    this.search.removeAttribute("aria-activedescendant");
    this.active = -1;
    Array.prototype.forEach.call(this.listbox.children, function (option) {
      option.setAttribute("aria-selected", "false");
    });
  };

  Picker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Picker.prototype.highlight = function (index) {
    var options = this.listbox.children;
    if (!options.length) return;
    this.active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    }
    var option = options[this.active];
    this.search.setAttribute("aria-activedescendant", option.id);
    if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.onSearchKey = function (event) {
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (!this.isOpen()) this.open();
        this.highlight(this.active + 1);
        break;
      case "ArrowUp":
      case "Up":
        event.preventDefault();
        if (!this.isOpen()) this.open();
        this.highlight(this.active < 0 ? -1 : this.active - 1);
        break;
      case "Enter":
        // Choosing an option must not send the form.
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.search.value) {
          event.preventDefault();
          this.search.value = "";
          this.results = [];
        }
        break;
      default:
        break;
    }
  };

  Picker.prototype.choose = function (index) {
    var item = this.results[index];
    if (!item) return;
    var self = this;
    this.close();
    this.search.value = item.label;
    this.code.value = item.code;
    this.labels[item.code] = item.label;
    this.showChain(item.code, true).then(function () {
      // Too coarse for this form: move on to the next list so the choice can be finished.
      var depth = LEVELS.indexOf(item.level);
      if (depth < LEVELS.indexOf(self.minLevel) && self.selects[depth + 1]) self.selects[depth + 1].focus();
    });
  };

  function init() {
    if (!window.fetch || !window.URLSearchParams || !Element.prototype.closest) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-region-picker]"), function (root) {
      if (!root.regionPicker) root.regionPicker = new Picker(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
