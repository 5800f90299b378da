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

  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var rows = formset.querySelector("[data-formset-rows]");
    var template = formset.querySelector("template[data-empty-row]");
    var add = formset.querySelector("[data-add-row]");
    rows.querySelectorAll("[data-formset-row]").forEach(function (row) { wireRow(row); wireCustomField(row); });
    if (!template || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var total = totalInput(formset);
      var index = parseInt(total.value, 10);
      // The server refuses a list longer than its maximum: offer no row it would refuse.
      var max = formset.getAttribute("data-max-rows");
      if (max && index >= parseInt(max, 10)) { add.disabled = true; return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      wireRow(row);
      wireCustomField(row);
      dirty = true;
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  // Without JavaScript each list keeps one blank row to type into; with it, "Add row" adds one,
  // so trailing blank rows the server added are dropped (the row count goes down with them).
  function isBlank(row) {
    return Array.prototype.every.call(row.querySelectorAll("input, select, textarea"), function (input) {
      if (input.type === "hidden" || input.type === "checkbox") { return true; }
      if (input.tagName === "SELECT") {
        var initial = Array.prototype.filter.call(input.options, function (o) { return o.defaultSelected; })[0];
        return input.value === (initial ? initial.value : (input.options[0] ? input.options[0].value : ""));
      }
      return input.value === "";
    });
  }
  if (form.hasAttribute("data-editor") && !document.getElementById("error-summary")) {
    document.querySelectorAll("[data-formset]").forEach(function (formset) {
      var total = totalInput(formset);
      var initial = formset.querySelector('input[name$="-INITIAL_FORMS"]');
      var rows = formset.querySelectorAll("[data-formset-rows] > [data-formset-row]");
      var count = parseInt(total.value, 10);
      for (var i = rows.length - 1; i >= parseInt(initial.value, 10) && i === count - 1; i--) {
        if (!isBlank(rows[i])) { break; }
        rows[i].remove();
        count -= 1;
      }
      total.value = String(count);
    });
  }

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
