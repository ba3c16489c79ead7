// Give the rich-text editor the accessible name of its field ("Body"), which the
// editor library does not set on its editable area.
(function () {
  function label(root) {
    root.querySelectorAll("textarea[id]").forEach(function (textarea) {
      var text = document.querySelector('label[for="' + textarea.id + '"]');
      var container = textarea.closest(".form-row, .fieldBox, div") || textarea.parentElement;
      var editable = container && container.querySelector(".ProseMirror[contenteditable]");
      if (text && editable && !editable.hasAttribute("aria-label")) {
        editable.setAttribute("aria-label", text.textContent.replace(/[:*]\s*$/, "").trim());
        editable.setAttribute("aria-multiline", "true");
      }
    });
  }
  var observer = new MutationObserver(function () { label(document); });
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
