// The figures table in place: Tablesort (vendored from npm) sorts it by a click or Enter on a column header,
// and the filter box hides the rows that do not contain what is typed. Without JavaScript the same header
// links and filter form ask the server (?sort=, ?figures=).
(function () {
  "use strict";
  const table = document.getElementById("figure-table");
  if (!table || typeof Tablesort === "undefined") return;
  for (const link of table.querySelectorAll("thead th > a")) link.replaceWith(...link.childNodes);
  new Tablesort(table);
  const input = document.getElementById("figure-filter");
  const shown = document.getElementById("figures-shown");
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    let count = 0;
    for (const row of table.tBodies[0].rows) {
      const hit = !needle || row.dataset.search.includes(needle);
      row.hidden = !hit;
      if (hit) count += 1;
    }
    shown.textContent = String(count);
  });
})();
