/* Candidate editor and review page: add/remove formset rows without a reload, warn before
 * leaving with unsaved changes, and disable Save / Confirm while a save is in flight.
 * Without JavaScript the pages still work: blank extra rows add, "Remove" boxes delete. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor], form[data-review]");
  if (!form) { return; }
  // On the review page everything typed lives only in this page's hidden inputs.
  var dirty = form.hasAttribute("data-review");
  var submitting = false;
  var save = form.querySelector("[data-save]");
  var saveLabel = save ? save.textContent : "";
  var carried = null;

  function totalInput(formset) {
    return formset.querySelector('input[name$="-TOTAL_FORMS"]');
  }

  function wireRow(row) {
    var checkbox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    var button = row.querySelector("[data-remove-row]");
    if (!checkbox || !button) { return; }
    var holder = checkbox.closest(".row-delete");
    if (holder) { holder.hidden = true; }
    button.hidden = false;
    function sync() {
      row.classList.toggle("is-removed", checkbox.checked);
      button.textContent = checkbox.checked ? "Undo remove" : "Remove row";
      button.setAttribute("aria-pressed", checkbox.checked ? "true" : "false");
    }
    button.addEventListener("click", function () {
      checkbox.checked = !checkbox.checked;
      dirty = true;
      sync();
    });
    checkbox.addEventListener("change", sync);
    sync();
  }

  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var rows = formset.querySelector("[data-formset-rows]");
    var template = formset.querySelector("template[data-empty-row]");
    var add = formset.querySelector("[data-add-row]");
    rows.querySelectorAll("[data-formset-row]").forEach(wireRow);
    if (!template || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var total = totalInput(formset);
      var index = parseInt(total.value, 10);
      // The server refuses a list longer than MAX_NUM_FORMS: offer no row it would refuse.
      var max = formset.querySelector('input[name$="-MAX_NUM_FORMS"]');
      if (max && index >= parseInt(max.value, 10)) { add.disabled = true; return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      wireRow(row);
      dirty = true;
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function (event) {
    submitting = true;
    var submitter = event.submitter;
    if (!save || submitter !== save) { return; }
    // A disabled button is not a successful control: carry its name/value (if it has one) in a
    // hidden input so the server still receives it. (Each step has its own URL: the buttons of
    // the edit flow carry no name today.)
    if (submitter.name) {
      carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    save.disabled = true;
    save.setAttribute("aria-busy", "true");
    save.textContent = "Saving…";
  });
  document.querySelectorAll("[data-discard]").forEach(function (link) {
    link.addEventListener("click", function () { dirty = false; });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && save) {
      submitting = false;
      if (carried) { carried.remove(); carried = null; }
      save.disabled = false;
      save.removeAttribute("aria-busy");
      save.textContent = saveLabel;
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
