// The image library window opened by the editor's "Browse…": hand the chosen image to
// the editor's dialog (CKEditor's file-browser callback, which django-prose-editor
// listens for) and close. Without an opener the page still shows the address to copy.
(function () {
  "use strict";
  var root = document.getElementById("image-picker");
  if (!root) return;
  var callback = root.getAttribute("data-callback");
  var opener = window.opener;
  var editor = opener && opener.CKEDITOR && opener.CKEDITOR.tools;

  function hand(element) {
    if (!callback || !editor || typeof editor.callFunction !== "function") return false;
    editor.callFunction(Number(callback), element.getAttribute("data-src"), {
      id: element.getAttribute("data-id"),
      alternative_text: element.getAttribute("data-alt"),
    });
    window.close();
    return true;
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    if (button) hand(button);
  });
  var picked = root.querySelector("[data-picked]");
  if (picked) hand(picked);
  if (!editor) {
    root.querySelectorAll("[data-pick]").forEach(function (button) {
      button.hidden = true;
    });
  }
})();
