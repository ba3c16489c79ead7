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
  // A day, then a time: two short lists instead of one of hundreds. The original list
  // stays in the form (hidden) and carries the choice; without JavaScript it is shown.
  var picker = slot && buildDayThenTime(slot);
  if (picker && location) location.addEventListener("change", picker.refresh);
  // One click, one request.
  form.addEventListener("submit", function () {
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  });
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
});

function buildDayThenTime(slot) {
  var label = document.querySelector("label[for='" + slot.id + "']");
  var wrapper = document.createElement("div");
  wrapper.className = "slot-picker row g-2";
  function field(id, text) {
    var column = document.createElement("div");
    column.className = "col-sm-7";
    var caption = document.createElement("label");
    caption.className = "form-label small";
    caption.htmlFor = id;
    caption.textContent = text;
    var list = document.createElement("select");
    list.id = id;
    list.className = "form-select";
    column.appendChild(caption);
    column.appendChild(list);
    wrapper.appendChild(column);
    return list;
  }
  var day = field(slot.id + "-day", slot.dataset.dayLabel || "Day");
  var time = field(slot.id + "-time", slot.dataset.timeLabel || "Time");
  time.parentElement.className = "col-sm-5";
  slot.hidden = true;
  slot.setAttribute("aria-hidden", "true");
  slot.tabIndex = -1;
  slot.parentNode.insertBefore(wrapper, slot.nextSibling);
  if (label) label.htmlFor = day.id;

  function groups() {
    return Array.prototype.filter.call(slot.querySelectorAll("optgroup"), function (group) {
      return !group.disabled;
    });
  }
  function dayOf(group) {
    var parts = group.label.split(" · ");
    return parts[parts.length - 1];
  }
  function fillTimes() {
    time.innerHTML = "";
    var group = groups()[day.value];
    time.disabled = !group;
    if (!group) { slot.value = ""; return; }
    Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
      var choice = document.createElement("option");
      choice.value = option.value;
      var prefix = dayOf(group) + ", ";
      choice.textContent = option.text.indexOf(prefix) === 0 ? option.text.slice(prefix.length) : option.text;
      choice.selected = option.selected;
      time.appendChild(choice);
    });
    slot.value = time.value;
  }
  function refresh() {
    var chosen = slot.options[slot.selectedIndex];
    day.innerHTML = "";
    var none = document.createElement("option");
    none.value = "";
    none.textContent = slot.options[0] && slot.options[0].value === "" ? slot.options[0].text : "—";
    day.appendChild(none);
    groups().forEach(function (group, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = dayOf(group);
      if (chosen && chosen.parentElement === group) option.selected = true;
      day.appendChild(option);
    });
    fillTimes();
  }
  day.addEventListener("change", fillTimes);
  time.addEventListener("change", function () { slot.value = time.value; });
  refresh();
  return { refresh: refresh };
}
