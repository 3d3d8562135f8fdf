// Draws each chart of a page from the table it names (data-chart-table): the table is what a reader without
// JavaScript gets, and the chart can never say something the table does not. Vega-Lite, vendored from npm.
(function () {
  "use strict";
  if (typeof vega === "undefined" || typeof vegaLite === "undefined") return;
  for (const container of document.querySelectorAll("[data-chart-table]")) {
    const table = document.getElementById(container.dataset.chartTable);
    if (!table) continue;
    const values = Array.from(table.querySelectorAll("tbody tr.level-1"), (row) => ({
      code: row.dataset.code,
      label: row.dataset.label,
      wan: Number(row.dataset.yuan) / 10000,
    }));
    const spec = {
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
      config: { font: "system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif", view: { stroke: null } },
    };
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "svg", container, hover: true });
    view.runAsync().then(() => container.setAttribute("data-rendered", String(values.length)));
  }
})();
