// Accessibility touches Django's admin templates leave out, applied once the page has
// loaded (axe and screen readers read the DOM as it then stands):
// - tabular inlines name their fields only by column headers: give each field the
//   header's text as its accessible name;
// - empty header cells (the "saved entry" column) get a hidden name;
// - tables that scroll sideways on a phone can be reached and scrolled by keyboard.
document.addEventListener("DOMContentLoaded", () => {
  for (const cell of document.querySelectorAll("th.original, th.column-action-checkbox")) {
    if (cell.textContent.trim() === "" && !cell.querySelector("input")) {
      const label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = cell.classList.contains("original") ? "Saved entry" : "Select";
      cell.appendChild(label);
    }
  }

  for (const group of document.querySelectorAll('.inline-group[data-inline-type="tabular"]')) {
    const headers = {};
    for (const th of group.querySelectorAll("thead th")) {
      const column = [...th.classList].find((name) => name.startsWith("column-"));
      if (column) headers[column.slice("column-".length)] = th.textContent.replace("*", "").trim();
    }
    for (const cell of group.querySelectorAll("td[class*='field-']")) {
      const field = [...cell.classList].find((name) => name.startsWith("field-"));
      const name = field && headers[field.slice("field-".length)];
      if (!name) continue;
      const row = cell.closest("tr");
      const number = row ? [...row.parentElement.children].indexOf(row) + 1 : "";
      for (const control of cell.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        if (!control.labels || control.labels.length === 0) {
          control.setAttribute("aria-label", `${name} (${number})`);
        }
      }
    }
    for (const box of group.querySelectorAll("td.delete input[type=checkbox]")) {
      const row = box.closest("tr");
      const number = [...row.parentElement.children].indexOf(row) + 1;
      if (!box.labels || box.labels.length === 0) box.setAttribute("aria-label", `Delete (${number})`);
    }
    const wrapper = group.querySelector("fieldset.module") || group;
    wrapper.setAttribute("tabindex", "0");
    group.setAttribute("tabindex", "0");
  }
});
