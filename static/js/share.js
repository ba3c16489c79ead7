// "Copy link" on article pages: copies the address instead of following the link.
// No third-party code; without JavaScript the link simply opens the article.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-copy-url]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.dataset.copyUrl).then(function () {
    link.textContent = link.dataset.copied;
    link.setAttribute("aria-live", "polite");
  });
});
