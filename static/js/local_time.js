/* Times in the reader's own time zone: every <time data-local> written by the utc_time filter
 * (candidates/templatetags/time_html.py) shows local time; its title keeps the exact UTC value. */
(function () {
  "use strict";
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  } catch (error) {
    return;  // no Intl: the UTC text stays
  }
  document.querySelectorAll("time[data-local]").forEach(function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    node.textContent = format.format(when);
  });
})();
