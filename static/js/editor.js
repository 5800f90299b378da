/* Candidate editor and review page: add/remove formset rows without a reload, warn before
 * leaving with unsaved changes, and disable Save / Confirm while a save is in flight.
 * Without JavaScript the pages still work: "Add … row" asks the server for a row, "Remove" boxes delete. */
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
    if (checkbox.disabled) {  // a list the ATS does not accept: rows cannot be removed either
      if (holder) { holder.hidden = true; }
      return;
    }
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

  // Custom fields by name: picking a field fills in its id, remote id, name and value type, and
  // swaps the value input for one that fits the field's type (the server does the same without JS).
  var definitionsNode = document.getElementById("custom-field-definitions");
  var definitions = definitionsNode ? JSON.parse(definitionsNode.getAttribute("data-definitions")) : [];

  function valueInput(definition, old) {
    var input;
    function option(select, value, label) {
      var item = document.createElement("option");
      item.value = value;
      item.textContent = label;
      select.appendChild(item);
    }
    if ((definition.type === "multi_select" || definition.type === "list") && definition.options.length) {
      return optionChecks(definition, old);
    }
    if (definition.type === "single_select" && definition.options.length) {
      input = document.createElement("select");
      option(input, "", "\u2014");
      definition.options.forEach(function (item) { option(input, item.value, item.value); });
    } else if (definition.kind === "boolean") {
      input = document.createElement("select");
      option(input, "", "\u2014");
      option(input, "true", "Yes");
      option(input, "false", "No");
    } else {
      input = document.createElement("input");
      input.type = definition.kind === "number" ? "number" : (definition.type === "date" ? "date" : "text");
      if (input.type === "number") { input.step = definition.type === "integer" ? "1" : "any"; }
      input.autocomplete = "off";
    }
    ["id", "name", "aria-describedby", "aria-invalid"].forEach(function (attribute) {
      if (old.hasAttribute(attribute)) { input.setAttribute(attribute, old.getAttribute(attribute)); }
    });
    var box = old.querySelector("input");  // a group of options: its boxes carry the name
    if (!input.name && box) { input.name = box.name; }
    input.value = old.value || "";
    if (input.value !== (old.value || "")) { input.value = ""; }  // not an option of the new field
    return input;
  }

  // A multi-select: a checkbox per option, posted as the option's id (as the server draws it:
  // candidates/editor/option_field.py), named by the field's label.
  function optionChecks(definition, old) {
    var group = document.createElement("div");
    group.className = "option-checks";
    group.id = old.id;
    group.setAttribute("role", "group");
    var label = document.querySelector('label[for="' + old.id + '"]');
    if (label) {
      label.id = old.id + "_label";
      group.setAttribute("aria-labelledby", label.id);
    }
    definition.options.forEach(function (item, index) {
      var line = document.createElement("div");
      var choice = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = old.name;
      box.value = item.id;
      box.id = old.id + "_" + index;
      choice.htmlFor = box.id;
      choice.appendChild(box);
      choice.appendChild(document.createTextNode(" " + item.value));
      line.appendChild(choice);
      group.appendChild(line);
    });
    return group;
  }

  function wireCustomField(row) {
    // A new row picks its field from a select; a stored row of a defined field holds it in a
    // hidden input (that field is fixed: its ids are shown as text).
    var pick = row.querySelector('[name$="-definition"]');
    if (!pick) { return; }
    var prefix = pick.name.slice(0, -"definition".length);
    function input(name) { return row.querySelector('[name="' + prefix + name + '"]'); }
    function definitionOf(id) { return definitions.filter(function (item) { return item.id === id; })[0]; }
    // A select field's option carries the id StackOne wants as value_id (and a remote id when the
    // ATS gives one): choosing an option fills them under Advanced; another option replaces them.
    function fillOptionIds() {
      var id = input("id");  // absent from a stored row whose field is fixed
      var definition = (id && definitionOf(id.value)) || definitionOf(pick.value);
      if (!definition || definition.type !== "single_select") { return; }
      var value = input("value").value;
      var chosen = definition.options.filter(function (item) { return item.value === value; })[0];
      [["value_id", chosen ? chosen.id : ""], ["remote_value_id", chosen ? chosen.remote_id : ""]]
        .forEach(function (pair) {
          var target = input(pair[0]);
          if (target) { target.value = pair[1] || ""; markChanged(target); }
        });
    }
    if (pick.tagName === "SELECT") {
      pick.addEventListener("change", function () {
        var definition = definitionOf(pick.value);
        if (!definition) { return; }
        input("id").value = definition.id || "";
        input("remote_id").value = definition.remote_id || "";
        input("name").value = definition.name || "";
        input("value_kind").value = definition.kind;
        var old = input("value");
        if (old.type === "checkbox") { old = old.closest("div.option-checks"); }  // a group of options
        old.replaceWith(valueInput(definition, old));
        fillOptionIds();
      });
    }
    // Delegated: the value input is replaced when another field is picked.
    row.addEventListener("change", function (event) {
      if (event.target.name === prefix + "value") { fillOptionIds(); }
    });
  }

  // "Add row": the row is the formset's empty form, which the server draws when asked (the page
  // builds no blank form); it is fetched once per list and numbered here, its __prefix__ becoming
  // the row's index, as contrib.admin's inlines.js numbers a new inline row. Should the fetch
  // fail, the form goes to the server's add-row step instead, which keeps everything typed.
  function addRowOnServer(formset) {
    var button = document.createElement("button");
    button.type = "submit";
    button.name = "add_row";
    button.value = formset.getAttribute("data-formset");
    button.formAction = form.getAttribute("data-add-row-url") + "#" + formset.id;
    button.hidden = true;
    form.appendChild(button);
    form.requestSubmit(button);
  }

  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var rows = formset.querySelector("[data-formset-rows]");
    var add = formset.querySelector("[data-add-row]");
    rows.querySelectorAll("[data-formset-row]").forEach(function (row) { wireRow(row); wireCustomField(row); });
    if (!add) { return; }
    var emptyRow = null;  // the server's new row, once fetched
    var fetching = false;
    function insert() {
      var total = totalInput(formset);
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = emptyRow.replace(/__prefix__/g, String(index)).trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      wireRow(row);
      wireCustomField(row);
      dirty = true;
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    }
    add.hidden = false;
    add.addEventListener("click", function () {
      // The server refuses a list longer than its maximum: offer no row it would refuse.
      var max = formset.getAttribute("data-max-rows");
      if (max && parseInt(totalInput(formset).value, 10) >= parseInt(max, 10)) { add.disabled = true; return; }
      if (emptyRow !== null) { insert(); return; }
      if (fetching) { return; }
      fetching = true;
      add.setAttribute("aria-busy", "true");
      var url = new URL(form.getAttribute("data-new-row-url"), window.location.href);  // may carry ?country=
      url.searchParams.set("list", formset.getAttribute("data-formset"));
      fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("new row: " + response.status); }
          return response.text();
        })
        .then(function (html) { emptyRow = html; insert(); })
        .catch(function () { addRowOnServer(formset); })
        .then(function () { fetching = false; add.removeAttribute("aria-busy"); });
    });
  });

  // Changed fields are marked inline (the review page lists them all before anything is sent).
  function markChanged(input) {
    var field = input.closest(".field");
    if (!field || input.type === "hidden" || input.closest("[data-keep-old-email]")) { return; }
    var changed;
    if (input.type === "checkbox") {
      changed = input.checked !== input.defaultChecked;
    } else if (input.tagName === "SELECT") {
      changed = Array.prototype.some.call(input.options, function (o) { return o.selected !== o.defaultSelected; });
    } else {
      changed = input.value !== input.defaultValue;
    }
    field.classList.toggle("is-changed", changed);
  }

  // "Keep <old address> in Emails": shown once Email no longer holds that address (the server
  // shows it from the start when the review step is off: this page is then the only place to choose).
  var keep = form.querySelector("[data-keep-old-email]");
  var email = form.querySelector('input[name="email"]');
  if (keep && email) {
    var keepAlways = !keep.hidden;
    var old = keep.getAttribute("data-keep-old-email").toLowerCase();
    var showKeep = function () {
      var typed = email.value.trim().toLowerCase();
      keep.hidden = !keepAlways && (typed === old || typed === "");
    };
    email.addEventListener("input", showKeep);
    showKeep();
  }

  form.addEventListener("input", function (event) { dirty = true; markChanged(event.target); });
  form.addEventListener("change", function (event) { dirty = true; markChanged(event.target); });
  // Ctrl+Enter (Cmd+Enter) reviews or saves from anywhere in the form, as the page says.
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && save && !save.disabled) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
    }
  });
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
