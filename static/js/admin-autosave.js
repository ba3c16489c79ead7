// Keep what is typed in a content form on the server every few seconds (one draft per
// person and form, staff/autosave.py), and offer it back after a crash. Files are not
// kept; the form's own save removes the draft.
(function () {
  "use strict";
  var EVERY_MS = 5000;
  var editors = {};  // textarea id -> rich-text editor, to restore its text

  document.addEventListener("prose-editor:ready", function (event) {
    var detail = event.detail || {};
    if (detail.textarea && detail.editor) editors[detail.textarea.id] = detail.editor;
  });

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string") return;  // a chosen file
      if (Object.prototype.hasOwnProperty.call(fields, name)) {
        if (!Array.isArray(fields[name])) fields[name] = [fields[name]];
        fields[name].push(value);
      } else {
        fields[name] = value;
      }
    });
    // Boxes to tick and lists to choose from are lists, however many are chosen.
    form.querySelectorAll("input[type=checkbox][name], select[multiple][name]").forEach(function (el) {
      var value = fields[el.name];
      if (value === undefined) fields[el.name] = [];
      else if (!Array.isArray(value)) fields[el.name] = [value];
    });
    return fields;
  }

  function restore(form, fields) {
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      var values = Array.isArray(value) ? value : [value];
      form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (el) {
        if (el.type === "file") return;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else {
          el.value = values[0];
          var editor = editors[el.id];
          if (editor) editor.commands.setContent(values[0], true);
        }
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var marker = document.getElementById("autosave");
    var form = document.querySelector("#content-main form[method=post][id$=_form]");
    if (!marker || !form) return;
    var url = marker.getAttribute("data-url");
    var status = document.getElementById("autosave-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var dirty = false;
    var sending = false;

    function post(body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
        body: body,
      });
    }

    function send() {
      if (!dirty || sending) return;
      dirty = false;
      sending = true;
      var body = new FormData();
      body.append("fields", JSON.stringify(fieldsOf(form)));
      post(body).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        if (status) status.textContent = marker.getAttribute("data-kept") + " " + new Date().toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
      }).catch(function () {
        dirty = true;  // try again with the next tick
        if (status) status.textContent = marker.getAttribute("data-failed");
      }).then(function () { sending = false; });
    }

    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.setInterval(send, EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") send();
    });

    var offer = document.getElementById("autosave-offer");
    var draft = document.getElementById("autosave-draft");
    if (!offer || !draft) return;
    offer.hidden = false;
    document.getElementById("autosave-restore").addEventListener("click", function () {
      restore(form, JSON.parse(draft.textContent));
      offer.hidden = true;
      dirty = true;
      if (status) status.textContent = marker.getAttribute("data-restored");
    });
    document.getElementById("autosave-discard").addEventListener("click", function () {
      var body = new FormData();
      body.append("discard", "1");
      post(body);
      offer.hidden = true;
    });
  });
})();
