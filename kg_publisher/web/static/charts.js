// Draws each chart of a page from the table it names (data-chart-table): the table is what a reader without
// JavaScript gets, and the chart can never say something the table does not. Vega-Lite, vendored from npm.
(function () {
  "use strict";
  if (typeof vega === "undefined" || typeof vegaLite === "undefined") return;
  const font = "system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  for (const container of document.querySelectorAll("[data-chart-table]")) {
    const table = document.getElementById(container.dataset.chartTable);
    if (!table) continue;
    const spec = container.dataset.chartType === "years" ? yearsSpec(table) : functionSpec(table);
    const values = spec.data.values;
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "svg", container, hover: true });
    view.runAsync().then(() => container.setAttribute("data-rendered", String(values.length)));
  }

  // one bar per disclosure (column) of the row marked data-chart
  function yearsSpec(table) {
    const columns = Array.from(table.querySelectorAll("thead th[data-column]"), (th) => th.dataset.column);
    const cells = table.querySelectorAll("tbody tr[data-chart] td");
    const values = [];
    cells.forEach((cell, i) => {
      if (cell.dataset.yuan !== undefined) values.push({ disclosure: columns[i], wan: Number(cell.dataset.yuan) / 10000 });
    });
    return {
      width: "container",
      height: 220,
      autosize: { type: "fit-x", contains: "padding" },
      data: { values },
      mark: { type: "bar", color: "#2f6690", tooltip: true },
      encoding: {
        x: { field: "disclosure", type: "ordinal", sort: null, title: null, axis: { labelAngle: 0 } },
        y: { field: "wan", type: "quantitative", title: "支出合计 万元", axis: { format: ",.0f" } },
        tooltip: [{ field: "disclosure", title: "公开" }, { field: "wan", title: "万元", format: ",.2f" }],
      },
      config: { font, view: { stroke: null } },
    };
  }

  // one bar per function class (类): the table's level-1 rows
  function functionSpec(table) {
    const values = Array.from(table.querySelectorAll("tbody tr.level-1"), (row) => ({
      code: row.dataset.code,
      label: row.dataset.label,
      wan: Number(row.dataset.yuan) / 10000,
    }));
    return {
      width: "container",
      height: { step: 30 },
      autosize: { type: "fit-x", contains: "padding" },
      data: { values },
      mark: { type: "bar", color: "#2f6690", tooltip: true },
      encoding: {
        y: { field: "label", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 220 } },
        x: { field: "wan", type: "quantitative", title: "万元", axis: { format: ",.0f" } },
        tooltip: [
          { field: "code", title: "科目编码" },
          { field: "label", title: "功能分类" },
          { field: "wan", title: "万元", format: ",.2f" },
        ],
      },
      config: { font, view: { stroke: null } },
    };
  }
})();
