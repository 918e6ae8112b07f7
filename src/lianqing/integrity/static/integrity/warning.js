// A warning's series: the monthly counts beside the model's expected count and its 95% band in
// every month the model judged, so the season, the Spring Festival and the rise can be seen.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("warning-chart-data");
  const el = document.getElementById("warning-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const d = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  const has = (v) => v !== null && v !== undefined;
  // The band is drawn as a transparent base (low) and a filled stack above it (high - low).
  const base = d.low.map((v) => (has(v) ? v : null));
  const width = d.high.map((v, i) => (has(v) && has(d.low[i]) ? Math.max(0, v - d.low[i]) : null));
  const round = (v) => (has(v) ? Math.round(v * 10) / 10 : "—");
  chart.setOption({
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const i = items[0].dataIndex;
        let text = `${d.months[i]}<br>${d.labels.observed}: ${d.counts[i]}`;
        if (has(d.expected[i])) {
          text += `<br>${d.labels.expected}: ${round(d.expected[i])}`;
          text += `<br>${d.labels.band}: ${round(d.low[i])} – ${round(d.high[i])}`;
        }
        return text;
      },
    },
    legend: { top: 0, data: [d.labels.observed, d.labels.expected, d.labels.band] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "base", type: "line", data: base, stack: "band", symbol: "none", silent: true,
        lineStyle: { opacity: 0 }, connectNulls: false, tooltip: { show: false } },
      { name: d.labels.band, type: "line", data: width, stack: "band", symbol: "none", silent: true,
        lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(46,125,50,0.18)" }, itemStyle: { color: "rgba(46,125,50,0.35)" },
        connectNulls: false },
      {
        name: d.labels.observed, type: "bar", data: d.counts.map((v, i) => ({
          value: v, itemStyle: { color: d.months[i] === d.month ? "#c62828" : "#6c8ebf" },
        })),
      },
      { name: d.labels.expected, type: "line", data: d.expected, symbol: "circle", symbolSize: 5,
        itemStyle: { color: "#2e7d32" }, lineStyle: { color: "#2e7d32", width: 2 }, connectNulls: false },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
