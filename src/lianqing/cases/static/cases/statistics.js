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

  // Lines a label takes when wrapped to `width` px at 11px type (a CJK character ~11px, others ~6.5px).
  function lines(text, width) {
    let used = 0;
    for (const ch of String(text)) used += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 11 : 6.5;
    return Math.max(1, Math.ceil(used / width));
  }

  function bars(id, rows) {
    const el = document.getElementById(id);
    // Each bar's band holds its whole wrapped name: the tallest name sets the band for all.
    const band = Math.max(34, 14 * Math.max(1, ...rows.map((r) => lines(r.label, 96))) + 8);
    if (el) el.style.height = Math.max(280, rows.length * band + 40) + "px";
    mount(id, {
      tooltip: {},
      // Bars lie down: long category names read level, wrap within 96px, and the grid makes room
      // for them (containLabel), so no name is ever cut off, at any width.
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map((r) => r.label),
        axisLabel: { interval: 0, width: 96, overflow: "break", fontSize: 11, lineHeight: 14 },
      },
      xAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: rows.map((r) => r.value) }],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    }, (params) => { window.location.href = rows[params.dataIndex].url; });
  }

  // Slices carry no labels (they were cut short on narrow screens); the legend below names them,
  // wrapping to as many lines as it needs, and the chart grows to hold it.
  function pie(id, rows) {
    const el = document.getElementById(id);
    const width = el ? el.clientWidth : 300;
    const perLine = Math.max(1, Math.floor(width / 150));
    const legendLines = Math.ceil(rows.length / perLine);
    if (el) el.style.height = 220 + legendLines * 24 + "px";
    mount(id, {
      tooltip: { trigger: "item" },
      legend: { bottom: 0, left: "center", itemWidth: 14, textStyle: { fontSize: 11 } },
      series: [{
        type: "pie", radius: [0, 90], center: ["50%", 105], label: { show: false },
        data: rows.map((r) => ({ name: r.label, value: r.value })),
      }],
    }, (params) => { if (params.componentType === "series") window.location.href = rows[params.dataIndex].url; });
  }

  bars("chart-stock", stats.stock);
  bars("chart-category", stats.category);
  pie("chart-disposal", stats.disposal);
  pie("chart-forms", stats.forms);
});
