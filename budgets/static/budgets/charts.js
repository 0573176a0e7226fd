// Charts for the planning pages (budgets and goals). A <canvas data-chart="ID"> is drawn from the JSON spec in
// <script id="ID" type="application/json">. Colours come from Bootstrap's CSS variables, so charts stay readable in
// dark mode, and are redrawn when the theme changes or HTMX swaps a fragment in.
(function () {
  "use strict";
  if (!window.Chart) return;

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function palette() {
    return {
      text: cssVar("--bs-body-color"),
      grid: cssVar("--bs-border-color"),
      budget: cssVar("--bs-secondary-color"),
      actual: cssVar("--bs-primary"),
      over: cssVar("--bs-danger"),
      total: cssVar("--bs-warning"),
      progress: cssVar("--bs-success"),
    };
  }

  function money(value, currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "USD" }).format(value);
    } catch (e) {
      return String(value);
    }
  }

  function buildConfig(spec) {
    var colours = palette();
    var budgetData = null;
    spec.datasets.forEach(function (d) { if (d.role === "budget") budgetData = d.data.map(Number); });
    var datasets = spec.datasets.map(function (d) {
      var data = d.data.map(function (v) { return v === null ? null : Number(v); });
      var colour = colours[d.role] || colours.actual;
      var perPoint = colour;
      if (d.role === "actual" && budgetData) {
        // Spending past the budget stands out in the danger colour.
        perPoint = data.map(function (v, i) { return v > budgetData[i] ? colours.over : colours.actual; });
      }
      return {
        label: d.label,
        type: d.type || spec.type,
        data: data,
        backgroundColor: d.type === "line" ? colour : perPoint,
        borderColor: d.type === "line" || spec.type === "line" ? colour : perPoint,
        borderWidth: d.type === "line" || spec.type === "line" ? 2 : 0,
        pointRadius: d.type === "line" || spec.type === "line" ? 2 : 0,
        fill: false,
        stepped: d.stepped || false,
        borderDash: d.role === "budget" && spec.type === "line" ? [6, 4] : [],
      };
    });
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
        color: colours.text,
        plugins: {
          legend: { labels: { color: colours.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + money(ctx.parsed.y, spec.currency); },
            },
          },
        },
        scales: {
          x: { ticks: { color: colours.text }, grid: { color: colours.grid } },
          y: {
            beginAtZero: true,
            ticks: { color: colours.text, callback: function (v) { return money(v, spec.currency); } },
            grid: { color: colours.grid },
          },
        },
      },
    };
  }

  var charts = [];
  function drawAll() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) return;
      charts.push(new window.Chart(canvas, buildConfig(JSON.parse(source.textContent))));
    });
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll); // swapped fragments bring new chart data
  new MutationObserver(drawAll).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
})();
