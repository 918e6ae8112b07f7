// Bar charts of the published statistics: each element with data-chart holds its own numbers
// (the table below it is the accessible form of the same data).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = JSON.parse(element.getAttribute("data-chart"));
    if (!data.bars.length) { element.hidden = true; return; }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.bars.map(function (b) { return b.name; }),
               axisLabel: { width: 140, overflow: "break" } },
      series: [{ type: "bar", data: data.bars.map(function (b) { return b.value; }), itemStyle: { color: "#a31f1f" },
                 label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
