// Accessibility touches Django's admin templates leave out, applied once the page has
// loaded (axe and screen readers read the DOM as it then stands):
// - tabular inlines name their fields only by column headers: give each field the
//   header's text as its accessible name;
// - empty header cells (the "saved entry" column) get a hidden name;
// - tables that scroll sideways on a phone can be reached and scrolled by keyboard.
document.addEventListener("DOMContentLoaded", () => {
  // Sort links Django leaves empty (a title only): name them, with their column.
  for (const link of document.querySelectorAll("#result_list thead .sortoptions a")) {
    if (!link.textContent.trim() && !link.getAttribute("aria-label")) {
      const heading = link.closest("th");
      const column = heading && heading.querySelector(".text") ? heading.querySelector(".text").textContent.trim() : "";
      link.setAttribute("aria-label", `${link.title || "Sorting"}: ${column}`);
    }
  }
  // On a phone a list's rows become cards: each cell says its column (CSS shows it).
  const list = document.querySelector("#result_list");
  if (list) {
    const names = [...list.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of list.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, index) => {
        if (names[index]) cell.setAttribute("data-label", names[index]);
      });
    }
  }
  // "Skip to the requests" lands on the first row, not on the list's headings.
  const skip = document.querySelector(".skip-to-results");
  if (skip) {
    // Second in the Tab order, right after "Skip to main content".
    const first = document.querySelector("body > .skip-to-content-link");
    if (first && first !== skip) first.after(skip);
    skip.addEventListener("click", (event) => {
      const first = document.querySelector("#result_list tbody th a, #result_list tbody td a");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    });
  }
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
