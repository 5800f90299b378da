// While a directory sync runs, refresh its status block (the server renders it) every 3 s.
(function () {
  "use strict";
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
          if (fresh.dataset.directoryRunning) { poll(fresh); }
        })
        .catch(function () { poll(block); });
    }, 3000);
  }
  document.querySelectorAll("[data-directory-running]").forEach(poll);
})();
