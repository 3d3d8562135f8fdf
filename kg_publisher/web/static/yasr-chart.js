// A "Chart" view for YASGUI's results (a YASR plugin): one bar per result row, the bar's length the row's first
// numeric value, its label the row's other values. Drawn by Vega-Lite (vendored from npm), like the dataset
// pages' charts; the "Table" view stays the default, and the numbers in it stay exactly as the endpoint sent them
// (the chart only reads them as floats to draw).
(function () {
  "use strict";
  if (typeof Yasgui === "undefined" || typeof vega === "undefined" || typeof vegaLite === "undefined") return;
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"].map((name) => XSD + name));
  const font = "system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  const MAX_BARS = 500;

  const isNumber = (cell) => !!cell && cell.type !== "uri" && NUMERIC.has(cell.datatype) && cell.value !== "";

  // Which variable is measured and which name the bars: null when the results have nothing to draw.
  function layout(variables, bindings) {
    if (!bindings.length || bindings.length > MAX_BARS) return null;
    const measure = variables.find((name) => bindings.every((row) => !row[name] || isNumber(row[name])) &&
      bindings.some((row) => isNumber(row[name])));
    if (!measure) return null;
    const labels = variables.filter((name) => name !== measure && !bindings.every((row) => isNumber(row[name])));
    return { measure, labels };
  }

  class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart 图表";
    }

    canHandleResults() {
      const results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings) return false;
      const variables = results.getVariables() || [];
      return layout(variables, results.getBindings() || []) !== null;
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.className = "yasr-chart-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "▤";
      return icon;
    }

    draw() {
      const results = this.yasr.results;
      const bindings = results.getBindings();
      const { measure, labels } = layout(results.getVariables(), bindings);
      const values = bindings.map((row, index) => ({
        row: index + 1,
        label: labels.map((name) => (row[name] ? row[name].value : "")).filter(Boolean).join(" ") || String(index + 1),
        amount: row[measure] ? Number(row[measure].value) : 0,
        printed: row[measure] ? row[measure].value : "",
      }));
      const container = document.createElement("div");
      container.className = "yasr-chart";
      container.setAttribute("role", "img");
      container.setAttribute("aria-label", `Bar chart of ${measure} by ${labels.join(", ") || "row"}`);
      this.yasr.resultsEl.appendChild(container);
      const spec = {
        width: "container",
        height: { step: 22 },
        autosize: { type: "fit-x", contains: "padding" },
        data: { values },
        mark: { type: "bar", color: "#2f6690", tooltip: true },
        encoding: {
          y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 260 } },
          x: { field: "amount", type: "quantitative", title: measure, axis: { format: "~s" } },
          tooltip: [{ field: "label", title: labels.join(" ") || "row" }, { field: "printed", title: measure }],
        },
        config: { font, view: { stroke: null } },
      };
      const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "svg", container, hover: true });
      view.runAsync().then(() => container.setAttribute("data-rendered", String(values.length)));
    }
  }

  Yasgui.Yasr.registerPlugin("chart", Chart);
})();
