// fincoach coach charts (Chart.js from static/vendor). Each <canvas data-chart="kind" data-source="json-script-id">
// is drawn from the JSON its view rendered with json_script; amounts arrive as decimal strings and are turned into
// numbers for drawing only. Colours come from Bootstrap's CSS variables, so charts follow light and dark mode.
(function () {
  "use strict";
  if (!window.Chart) return;

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }
  function shortDate(iso) {
    var parts = String(iso).split("-");
    if (parts.length !== 3) return iso;
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    return day.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
  }
  function numbers(list) { return (list || []).map(function (v) { return v === null ? null : parseFloat(v); }); }
  function money(currency) {
    var format = new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "USD", maximumFractionDigits: 0 });
    return function (value) { return format.format(value); };
  }
  function base(data) {
    var text = css("--bs-body-color", "#212529");
    var grid = css("--bs-border-color-translucent", "rgba(0,0,0,.15)");
    var fmt = money(data.currency);
    return {
      text: text, grid: grid, fmt: fmt,
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { labels: { color: text, boxWidth: 12 } },
                   tooltip: { callbacks: { label: function (ctx) { return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + fmt(ctx.parsed.y !== undefined ? ctx.parsed.y : ctx.parsed); } } } },
        scales: {
          x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
          y: { ticks: { color: text, callback: function (v) { return fmt(v); } }, grid: { color: grid } }
        }
      }
    };
  }

  var builders = {
    categories: function (data) {
      var b = base(data);
      delete b.options.scales;
      b.options.plugins.legend.position = "bottom";
      b.options.plugins.tooltip.callbacks.label = function (ctx) { return ctx.label + ": " + b.fmt(ctx.parsed); };
      return { type: "doughnut", data: { labels: data.labels, datasets: [{ data: numbers(data.values), backgroundColor: data.colours, borderColor: css("--bs-body-bg", "#fff") }] }, options: b.options };
    },
    trend: function (data) {
      var b = base(data);
      return { type: "bar", data: { labels: data.labels, datasets: [
        { label: "Income", data: numbers(data.income), backgroundColor: css("--bs-success", "#198754") },
        { label: "Spending", data: numbers(data.spending), backgroundColor: css("--bs-danger", "#dc3545") }
      ] }, options: b.options };
    },
    forecast: function (data) {
      var b = base(data);
      var line = css("--bs-primary", "#0d6efd");
      var band = "rgba(13,110,253,.15)";
      var threshold = parseFloat(data.threshold);
      var lowIndex = data.labels.indexOf(data.low_date);
      var radius = data.labels.map(function (_, i) { return i === lowIndex ? 5 : 0; });
      var datasets = [];
      if (data.upper && data.lower) {
        datasets.push({ label: "Likely range", data: numbers(data.upper), borderWidth: 0, pointRadius: 0, backgroundColor: band, fill: "+1" });
        datasets.push({ label: "Likely range (low)", data: numbers(data.lower), borderWidth: 0, pointRadius: 0, backgroundColor: band, fill: false });
      }
      datasets.push({ label: "Expected balance", data: numbers(data.expected), borderColor: line, backgroundColor: line, pointRadius: radius, pointBackgroundColor: css("--bs-danger", "#dc3545"), tension: 0.2 });
      if (!isNaN(threshold)) {
        datasets.push({ label: "Cushion", data: data.labels.map(function () { return threshold; }), borderColor: css("--bs-warning", "#ffc107"), borderDash: [6, 4], pointRadius: 0 });
      }
      b.options.plugins.legend.labels.filter = function (item) { return item.text !== "Likely range (low)"; };
      b.options.scales.x.ticks.callback = function (value) { return shortDate(this.getLabelForValue(value)); };
      b.options.scales.x.ticks.maxTicksLimit = 8;
      b.options.plugins.tooltip.callbacks.title = function (items) { return items.length ? shortDate(items[0].label) : ""; };
      if (data.sparkline) {
        b.options.plugins.legend.display = false;
        b.options.scales.x.display = false;
        b.options.scales.y.ticks.maxTicksLimit = 3;
      }
      return { type: "line", data: { labels: data.labels, datasets: datasets }, options: b.options };
    }
  };

  var charts = [];
  function drawAll() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-source"));
      var build = builders[canvas.getAttribute("data-chart")];
      if (!source || !build) return;
      try { charts.push(new window.Chart(canvas, build(JSON.parse(source.textContent)))); } catch (e) { /* a broken chart must not break the page */ }
    });
  }
  document.addEventListener("DOMContentLoaded", drawAll);
  // Theme switches (Settings or the system) redraw with the new colours.
  new MutationObserver(drawAll).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
})();
