/* Candidate editor: add/remove formset rows without a reload, warn before leaving with
 * unsaved changes, and disable Save while a save is in flight. Without JavaScript the page
 * still works: blank extra rows add, "Remove" checkboxes delete. */
(function () {
  "use strict";
  var form = document.querySelector("[data-editor]");
  if (!form) { return; }
  var dirty = false;
  var submitting = false;

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
  form.addEventListener("submit", function () {
    submitting = true;
    var save = form.querySelector("[data-save]");
    if (save) {
      save.disabled = true;
      save.setAttribute("aria-busy", "true");
      save.textContent = "Saving…";
    }
  });
  var discard = form.querySelector("[data-discard]");
  if (discard) { discard.addEventListener("click", function () { dirty = false; }); }

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false;
      var save = form.querySelector("[data-save]");
      if (save) { save.disabled = false; save.removeAttribute("aria-busy"); save.textContent = "Save changes"; }
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
