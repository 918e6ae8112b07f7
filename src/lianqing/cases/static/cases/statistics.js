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
    mount(id, {
      tooltip: {},
      xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: rows.map((r) => r.value) }],
      grid: { bottom: 90 },
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
