// The candidate list's search as you type: the results follow the box (debounced), the URL
// follows the results (the page stays bookmarkable; without JavaScript the form submits as
// usual), and the keyboard moves through them: ↓/↑ from the box into the results and back,
// Enter opens the result that has the focus.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  var results = document.querySelector("[data-search-results]");
  if (!form || !results) { return; }
  var box = form.querySelector("input[name=q]");
  var DELAY_MS = 180;
  var timer = null;
  var pending = null;
  var shown = null;

  function queryString() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "" && name !== "page") { params.append(name, value); }
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function refresh() {
    var search = queryString();
    if (search === shown) { return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var url = window.location.pathname + search;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" }, signal: pending.signal })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-search-results]");
        if (!fresh) { return; }
        results.innerHTML = fresh.innerHTML;
        shown = search;
        window.history.replaceState(null, "", url);
        var recent = document.querySelector(".recent");
        if (recent) { recent.hidden = box.value.trim() !== ""; }
      })
      .catch(function () { /* aborted by a newer letter, or offline: the form still submits */ });
  }

  form.addEventListener("input", function (event) {
    if (event.target !== box) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  });

  function links() { return Array.prototype.slice.call(results.querySelectorAll(".results-table tbody a")); }

  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = links()[0];
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  results.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) { return; }
    event.preventDefault();
    if (event.key === "ArrowDown" && at < all.length - 1) { all[at + 1].focus(); }
    if (event.key === "ArrowUp") { (at > 0 ? all[at - 1] : box).focus(); }
  });
  shown = queryString();
})();
