/* SIBARU autosave of the proposal's task pages (assistance/includes/autosave.html). Without this script the
 * page saves only with its button. With it, the form is sent to its own address in the background a few
 * seconds after the operator stops typing, and when the page is hidden or left; the server (views.py,
 * _is_autosave) saves it through the same service as a real submit and answers in JSON:
 *   200 {"saved_at"}  saved;   422 {"fields"}  not valid, nothing saved;   403/409  can no longer change.
 * Error messages are not shown mid-typing: the status line only says the draft is not saved, and the
 * button shows the errors. Focus never moves. One request at a time, and only when the form changed, so a
 * typist sends at most one request per pause. All text comes from data-msg-* attributes the template
 * translates. No inline script or style (strict CSP). */
(function () {
  "use strict";

  var DELAY = 3000;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function start(status) {
    var form = status.closest("form");
    if (!form || !window.fetch || !window.URLSearchParams) return;
    var lang = document.documentElement.lang || "id";
    var timer = null;
    var sending = null; // the body of the request in flight
    var inFlight = Promise.resolve();
    var stopped = false;

    function serialize() {
      // Submit buttons are not part of FormData: an autosave is a plain save, never "add a row".
      return new URLSearchParams(new FormData(form)).toString();
    }

    var saved = serialize(); // what the page was loaded with is already stored

    function say(key, time) {
      var text = (status.getAttribute("data-msg-" + key) || "").replace("%(time)s", time || "");
      // Only a changed line is written, so a screen reader hears it once.
      if (text && status.textContent !== text) status.textContent = text;
    }

    function clock(iso) {
      var date = new Date(iso);
      try {
        return date.toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID", { hour: "2-digit", minute: "2-digit" });
      } catch (e) {
        return pad(date.getHours()) + "." + pad(date.getMinutes());
      }
    }

    function save(leaving) {
      window.clearTimeout(timer);
      timer = null;
      var body = serialize();
      if (stopped || body === saved) return Promise.resolve();
      if (body === sending) return inFlight;
      if (sending !== null && !leaving) {
        schedule(); // try again once the request in flight has answered
        return inFlight;
      }
      sending = body;
      inFlight = fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(body),
        headers: { "X-Autosave": "1", Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual", // an ended session answers with a redirect to the login page: not saved
        keepalive: !!leaving,
      })
        .then(function (response) {
          if (response.status === 200) {
            return response.json().then(function (data) {
              saved = body;
              say("saved", clock(data.saved_at));
            });
          }
          if (response.status === 422) {
            saved = body; // the same content would be refused again: wait for the next change
            say("invalid");
          } else if (response.status === 403 || response.status === 409) {
            stopped = true;
            say("refused");
          } else {
            say("failed");
          }
        })
        .catch(function () {
          say("failed");
        })
        .then(function () {
          sending = null;
        });
      return inFlight;
    }

    function schedule() {
      if (stopped) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    // Pickers that fill a hidden field without an event: leaving the field is a pause too.
    form.addEventListener("focusout", schedule);
    form.addEventListener("submit", function () {
      stopped = true; // the real submit saves and shows any errors
      window.clearTimeout(timer);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
    // With autosave the way back keeps what was typed: the link says so, and waits for the last save.
    var back = form.querySelector("[data-autosave-back]");
    if (back) {
      back.textContent = status.getAttribute("data-msg-back");
      back.addEventListener("click", function (event) {
        if (stopped || (serialize() === saved && sending === null)) return;
        event.preventDefault();
        save(true).then(function () {
          window.location.assign(back.href);
        });
      });
    }
    say("ready");
  }

  var lines = document.querySelectorAll("[data-autosave-status]");
  for (var i = 0; i < lines.length; i++) start(lines[i]);
})();
