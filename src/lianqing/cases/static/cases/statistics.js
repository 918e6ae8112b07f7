// Statistics charts; every bar, slice and point opens the inbox list behind it.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  if (!source || typeof echarts === "undefined") return;
  const stats = JSON.parse(source.textContent);

  function mount(id, option, onClick) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption(option);
    chart.on("click", onClick);
    window.addEventListener("resize", () => chart.resize());
  }

  const intake = stats.intake;
  mount("chart-intake", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: intake.labels },
    yAxis: { type: "value" },
    series: intake.series.map((s) => ({ name: s.label, type: "bar", stack: "intake", data: s.values })),
  }, (params) => {
    const url = intake.urls[params.dataIndex];
    const series = intake.series[params.seriesIndex];
    if (url) window.location.href = url + "&source=" + encodeURIComponent(series.key);
  });

  function bars(id, rows) {
    const el = document.getElementById(id);  // a row of room per bar, two lines of name each
    if (el) el.style.height = Math.max(280, rows.length * 34 + 40) + "px";
    mount(id, {
      tooltip: {},
      // Bars lie down: long category names read level, wrap within 8 em, and the grid makes room
      // for them (containLabel), so no name is ever cut off, at any width.
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map((r) => r.label),
        axisLabel: { interval: 0, width: 96, overflow: "break", fontSize: 11 },
      },
      xAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: rows.map((r) => r.value) }],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    }, (params) => { window.location.href = rows[params.dataIndex].url; });
  }

  function pie(id, rows) {
    mount(id, {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: "65%", data: rows.map((r) => ({ name: r.label, value: r.value })) }],
    }, (params) => { window.location.href = rows[params.dataIndex].url; });
  }

  bars("chart-stock", stats.stock);
  bars("chart-category", stats.category);
  pie("chart-disposal", stats.disposal);
  pie("chart-forms", stats.forms);
});
