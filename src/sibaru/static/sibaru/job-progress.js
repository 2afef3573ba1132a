/* SIBARU progress of a background job: a beneficiary import (assistance/beneficiary_import.html) or an XLSX
 * export (core/export_job.html). Without this script the page still works: it shows the progress when loaded
 * and a "Perbarui" link reloads it. With it, the page polls the job's JSON status ({percent, phase, rows_done,
 * rows_total, finished}), moves the <progress> bar and the status line, and reloads itself once the job is
 * over, so the server renders the result exactly as without the script.
 * All text comes from data-msg-* attributes the template translates. No inline script or style (strict CSP). */
(function () {
  "use strict";

  var INTERVAL = 1000;
  var MAX_INTERVAL = 10000;

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  function grouped(number, lang) {
    try {
      return Number(number || 0).toLocaleString(lang === "en" ? "en" : "id-ID");
    } catch (e) {
      return String(number || 0);
    }
  }

  function start(root) {
    var url = root.getAttribute("data-status-url");
    var bar = root.querySelector("progress");
    var status = root.querySelector("[data-job-status]");
    var lang = document.documentElement.lang || "id";
    var delay = INTERVAL;
    var lastText = status.textContent;

    function show(data) {
      if (data.percent === null || data.percent === undefined) {
        bar.removeAttribute("value"); // the number of rows is not known yet: an indeterminate bar
      } else {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
      }
      var text = format(root.getAttribute("data-msg-" + data.phase), {
        done: grouped(data.rows_done, lang),
        total: grouped(data.rows_total, lang)
      });
      // Only a changed line is written, so a screen reader hears each step once, not every second.
      if (text && text !== lastText) {
        status.textContent = text;
        lastText = text;
      }
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (data.finished) {
            window.location.reload();
            return;
          }
          delay = INTERVAL;
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          // A network hiccup: try again, less often; the "Perbarui" link stays for the user.
          delay = Math.min(delay * 2, MAX_INTERVAL);
          window.setTimeout(poll, delay);
        });
    }

    window.setTimeout(poll, INTERVAL);
  }

  var roots = document.querySelectorAll("[data-job-progress]");
  for (var i = 0; i < roots.length; i++) start(roots[i]);
})();
