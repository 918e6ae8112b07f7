// A warning's series: the monthly counts, and the model's expected band in the month it warned.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("warning-chart-data");
  const el = document.getElementById("warning-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const d = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: d.labels.observed, type: "bar", data: d.counts.map((v, i) => ({
          value: v, itemStyle: { color: d.months[i] === d.month ? "#c62828" : "#6c8ebf" },
        })),
        markArea: { itemStyle: { color: "rgba(46,125,50,0.18)" }, data: [[{ name: d.labels.band, xAxis: d.month, yAxis: d.low }, { xAxis: d.month, yAxis: d.high }]] },
      },
      { name: d.labels.expected, type: "scatter", symbolSize: 12, itemStyle: { color: "#2e7d32" },
        data: d.months.map((m) => (m === d.month ? d.expected : null)) },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
