// While a directory sync runs, refresh its status block (the server renders it) every 3 s. On a
// candidate list still waiting for its directory, the page switches to the directory's search
// once the first sync is done: reloaded, unless something was typed into it (then a link says so).
(function () {
  "use strict";
  var pending = document.querySelector("[data-directory-pending]");
  var typed = false;
  document.addEventListener("input", function () { typed = true; });

  function ready() {
    if (!pending) { return; }
    if (!typed) { window.location.reload(); return; }
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = "search the directory now";
    pending.textContent = "The candidate directory is ready: ";
    pending.appendChild(link);
    pending.appendChild(document.createTextNode("."));
    pending = null;
  }

  function poll(block) {
    window.setTimeout(function () {
      fetch(block.dataset.directoryStatusUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          if (!fresh) { return; }
          block.replaceWith(fresh);
          if (fresh.dataset.directoryRunning) { poll(fresh); } else if (fresh.dataset.directoryReady) { ready(); }
        })
        .catch(function () { poll(block); });
    }, 3000);
  }
  document.querySelectorAll("[data-directory-running]").forEach(poll);
  // Done between the page's render and the script's start: nothing left to poll.
  if (pending && document.querySelector("[data-directory-ready]")) { ready(); }
})();
