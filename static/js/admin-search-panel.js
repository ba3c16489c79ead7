// The SEO panel's preview follows what the editor types: the title as search results
// show it (the brand after it where it fits in 60 characters, never a word cut: the
// rule of portal/seo.py) and the description, with counters.
(function () {
  "use strict";
  var LIMIT = 60;
  var SEPARATOR = " · ";

  function clean(text) { return (text || "").replace(/\s+/g, " ").trim(); }

  function fitTitle(title, brand) {
    if (!title || title === brand) return brand || title;
    var words = brand.split(" ").filter(Boolean);
    for (var count = words.length; count > 0; count--) {
      var name = words.slice(0, count).join(" ");
      if (title.length + SEPARATOR.length + name.length <= LIMIT) return title + SEPARATOR + name;
    }
    return title;
  }

  function firstFilled(ids) {
    for (var i = 0; i < ids.length; i++) {
      var field = document.getElementById(ids[i]);
      if (field && clean(field.value)) return { field: field, text: clean(field.value) };
    }
    return { field: document.getElementById(ids[0]), text: "" };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("search-panel");
    if (!panel) return;
    var brand = panel.getAttribute("data-brand") || "";
    var titleIds = (panel.getAttribute("data-title-fields") || "").split(" ").filter(Boolean);
    var descriptionIds = (panel.getAttribute("data-description-fields") || "").split(" ").filter(Boolean);
    var title = document.getElementById("search-snippet-title");
    var description = document.getElementById("search-snippet-description");
    var titleCount = document.getElementById("search-title-count");
    var descriptionCount = document.getElementById("search-description-count");

    function update() {
      var typedTitle = firstFilled(titleIds).text;
      var typedDescription = firstFilled(descriptionIds).text;
      if (typedTitle) title.textContent = fitTitle(typedTitle, brand);
      if (typedDescription) description.textContent = typedDescription.length > 160
        ? typedDescription.slice(0, 159).replace(/\s+\S*$/, "") + "…"
        : typedDescription;
      titleCount.textContent = panel.getAttribute("data-title-count") + " " + typedTitle.length + " / " + LIMIT;
      descriptionCount.textContent = panel.getAttribute("data-description-count") + " " + typedDescription.length + " / 160";
      titleCount.classList.toggle("search-over", typedTitle.length > LIMIT);
      descriptionCount.classList.toggle("search-over", typedDescription.length > 160);
    }
    titleIds.concat(descriptionIds).forEach(function (id) {
      var field = document.getElementById(id);
      if (field) field.addEventListener("input", update);
    });
    update();
  });
})();
