// Give the rich-text editor the accessible name of its field ("Body"), which the
// editor library does not set on its editable area; and the search box of an
// autocomplete (select2) the name of its field, which select2 leaves unlabelled.
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
    root.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var text = document.querySelector('label[for="' + select.id + '"]');
      var box = select.parentElement.querySelector(".select2-search__field");
      if (text && box && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", text.textContent.replace(/[:*]\s*$/, "").trim());
      }
    });
  }
  var observer = new MutationObserver(function () { label(document); });
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
