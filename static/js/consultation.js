// Consultation form niceties; the form works fully without them.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.consultation-form");
  if (!form) return;
  // Show only the chosen location's times.
  var location = form.querySelector("select[name=location]");
  var slot = form.querySelector("select[name=slot]");
  function filterSlots() {
    if (!location || !slot) return;
    var chosen = location.options[location.selectedIndex];
    var name = chosen ? chosen.text : "";
    Array.prototype.forEach.call(slot.querySelectorAll("optgroup"), function (group) {
      var match = group.label.indexOf(name + " · ") === 0;
      group.hidden = !match;
      group.disabled = !match;
    });
    var selected = slot.options[slot.selectedIndex];
    if (selected && selected.parentElement.disabled) slot.value = "";
  }
  if (location) location.addEventListener("change", filterSlots);
  filterSlots();
  // One click, one request.
  form.addEventListener("submit", function () {
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  });
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
});
