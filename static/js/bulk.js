/* Bulk job page: poll the JSON status and update the progress bar without a reload. When the
 * job moves to another phase (file read → preview, preview read → ready, running → done, or a
 * file that could not be read) the page reloads once to show the rows' diffs, results or the
 * reason. Without JavaScript, reloading the page shows the same. */
(function () {
  "use strict";
  var section = document.querySelector("[data-bulk-status-url]");
  if (!section) { return; }
  var url = section.getAttribute("data-bulk-status-url");
  var shown = section.getAttribute("data-bulk-status");
  var LABELS = { parsing: "reading the file", unreadable: "file not readable",
                 previewing: "reading current values", ready: "ready to start", queued: "queued",
                 running: "running", done: "done" };
  var SETTLED = { ready: true, done: true, unreadable: true };
  if (SETTLED[shown]) { return; }

  function set(name, value) {
    var element = section.querySelector('[data-bulk-field="' + name + '"]');
    if (element) { element.textContent = value; }
  }

  function update(status) {
    var bar = section.querySelector('[data-bulk-field="bar"]');
    if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
    set("status", LABELS[status.status] || status.status);
    set("percent", status.percent);
    set("saved", status.saved);
    set("failed", status.failed);
    set("unknown", status.unknown);
    set("conflict", status.conflict);
    set("remaining", status.remaining);
    set("parsed", status.parsed);
    set("eta", status.eta_seconds === null ? "" : "· about " + Math.round(status.eta_seconds) + " s left");
  }

  // While the job runs, the rows shown follow the counters: this page's rows are read again
  // (same page, same origin; parsed, never executed) whenever the counters move.
  var lastCounts = "";
  function refreshRows(status) {
    var counts = [status.saved, status.failed, status.unknown, status.conflict, status.remaining].join("/");
    if (status.status !== "running" || counts === lastCounts) { return; }
    lastCounts = counts;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".bulk-rows tbody");
        var shownRows = document.querySelector(".bulk-rows tbody");
        if (fresh && shownRows) { shownRows.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { lastCounts = ""; });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status) {
          update(status);
          refreshRows(status);
          // Leaving "parsing" reloads too: the page then shows the preview's counters.
          if (status.status !== shown && (SETTLED[status.status] || shown === "parsing")) {
            window.location.reload();
            return;
          }
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
