// Loaded on every page (CSP: script-src 'self', so no inline script anywhere).
// htmx requests carry the session's CSRF token from <meta name="csrf-token"> in the header pac4j
// reads; the meta tag is in <head>, so it stays current under hx-boost too.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    event.detail.headers["pac4jCsrfToken"] = meta.content;
  }
});

// htmx swaps nothing on error statuses by default: an expired session (401) goes to the sign-in
// page, a refusal (403) asks for a reload instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401) {
    window.location.assign("/login");
  } else if (status === 403) {
    var notice = document.getElementById("htmx-notice");
    if (notice) {
      notice.textContent = "This action was refused. Reload the page and try again.";
      notice.hidden = false;
    }
  }
});

// Charts: <canvas data-chart="/charts/NAME"> gets its data as JSON from that session route and is
// drawn with Chart.js (served from its webjar). Labels are drawn on the canvas, never parsed as HTML.
var CLV_COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#6c757d", "#0dcaf0", "#d63384"];

function clvFormat(format, value) {
  if (value === null || value === undefined) { return "—"; }
  if (format === "pct") { return (value * 100).toFixed(1) + " %"; }
  if (format === "money") { return value.toLocaleString("en-US", {maximumFractionDigits: 0}); }
  if (format === "count") { return value.toLocaleString("en-US", {maximumFractionDigits: 0}); }
  return value.toLocaleString("en-US", {maximumFractionDigits: 2});
}

function clvChartConfig(spec) {
  var datasets = spec.datasets.map(function (s, i) {
    var colour = CLV_COLOURS[i % CLV_COLOURS.length];
    var d = {label: s.label, data: s.data, borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2};
    if (spec.type === "doughnut") { d.backgroundColor = s.data.map(function (_, k) { return CLV_COLOURS[k % CLV_COLOURS.length]; }); }
    if (s.band) {
      // This series and the next one bound a shaded band.
      d.borderWidth = 0; d.backgroundColor = "rgba(13,110,253,0.15)"; d.borderColor = "rgba(0,0,0,0)";
    }
    if (i > 0 && spec.datasets[i - 1].band) {
      d.fill = "-1"; d.borderWidth = 0; d.backgroundColor = "rgba(13,110,253,0.15)"; d.borderColor = "rgba(0,0,0,0)";
    }
    return d;
  });
  var valueAxis = {ticks: {callback: function (v) { return clvFormat(spec.format, v); }}, beginAtZero: true};
  var options = {
    responsive: true, maintainAspectRatio: false, animation: false,
    plugins: {
      legend: {display: spec.datasets.length > 1 || spec.type === "doughnut", labels: {filter: function (item) {
        return !/95 % band/.test(item.text) || /lower/.test(item.text);
      }}},
      tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + clvFormat(spec.format, c.parsed.y !== undefined && !spec.horizontal ? c.parsed.y : (spec.horizontal ? c.parsed.x : c.parsed)); }}}
    }
  };
  if (spec.type !== "doughnut") {
    options.scales = spec.horizontal ? {x: valueAxis} : {y: valueAxis};
    if (spec.horizontal) { options.indexAxis = "y"; }
  }
  return {type: spec.type, data: {labels: spec.labels, datasets: datasets}, options: options};
}

function clvDrawCharts(root) {
  if (typeof Chart === "undefined") { return; }
  root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    if (canvas.dataset.drawn) { return; }
    canvas.dataset.drawn = "pending";
    fetch(canvas.dataset.chart, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) {
        if (!r.ok) { throw new Error("chart " + canvas.dataset.chart + " answered " + r.status); }
        return r.json();
      })
      .then(function (spec) {
        if (!spec.labels.length) {
          var note = document.createElement("p");
          note.className = "text-muted small chart-empty";
          note.textContent = "No data for this chart yet.";
          canvas.replaceWith(note);
          return;
        }
        new Chart(canvas, clvChartConfig(spec));
        canvas.dataset.drawn = "done";
      })
      .catch(function (e) { console.warn(e.message); canvas.dataset.drawn = "failed"; });
  });
  root.querySelectorAll("canvas[data-spark]").forEach(function (canvas) {
    if (canvas.dataset.drawn || !canvas.dataset.spark) { return; }
    canvas.dataset.drawn = "done";
    var values = canvas.dataset.spark.split(",").map(Number);
    new Chart(canvas, {type: "line", data: {labels: values.map(function (_, i) { return i; }),
      datasets: [{data: values, borderColor: "#0d6efd", borderWidth: 1.5, pointRadius: 0, fill: false}]},
      options: {responsive: false, animation: false, events: [], plugins: {legend: {display: false}, tooltip: {enabled: false}},
        scales: {x: {display: false}, y: {display: false, beginAtZero: true}}}});
  });
}

document.addEventListener("DOMContentLoaded", function () { clvDrawCharts(document); });
document.addEventListener("htmx:afterSettle", function (event) { clvDrawCharts(event.detail.elt); });

// Import upload: the server's size limit (data-max-bytes), checked before the file is sent.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
  var file = input.files && input.files[0];
  var tooLarge = file && file.size > Number(input.dataset.maxBytes);
  input.setCustomValidity(tooLarge ? "The file is larger than the upload limit of " + input.dataset.maxSize + "." : "");
  if (tooLarge) { input.reportValidity(); }
});
