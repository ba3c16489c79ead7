// "Comment on this part" beside each block of the text: choose that block in the
// comment form and put the cursor in the comment. Without the script the link still
// leads to the form, where the part is chosen from the list.
(function () {
  "use strict";
  var select = document.getElementById("id_block");
  var text = document.getElementById("id_text");
  if (!select || !text) return;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-on[data-block]");
    if (!link) return;
    event.preventDefault();
    select.value = link.getAttribute("data-block");
    text.focus();
    text.scrollIntoView({ block: "center" });
  });
})();
