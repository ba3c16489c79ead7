// Warn before leaving a change form whose edits were not saved (typing in any field,
// the rich-text editor included, marks the form; saving it clears the mark).
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form[method=post][id$=_form]");
    if (!form) return;
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    });
  });
})();
