// The cockpit: units coloured by their 廉情指数 as a treemap of the org tree, and on the district
// map when one was uploaded (registerMap with the operator's own GeoJSON; nothing from outside).
// Every unit opens its score; every group opens the list of its units.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const dark = document.body.classList.contains("lq-screen");
  const charts = [];

  const fullscreen = document.getElementById("screen-fullscreen");
  if (fullscreen) {
    fullscreen.addEventListener("click", () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(() => {});
    });
  }

  const treeEl = document.getElementById("cockpit-treemap");
  if (treeEl && data.treemap.length) {
    const chart = echarts.init(treeEl, dark ? "dark" : null);
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: {
        formatter: (p) => (p.data && p.data.score !== undefined)
          ? `${p.name}<br>${data.labels.score}: ${p.data.score}` : p.name,
      },
      series: [{
        type: "treemap",
        data: data.treemap,
        left: 0, right: 0, top: 0, bottom: 0,
        roam: false,
        nodeClick: false,
        leafDepth: null,
        breadcrumb: { show: false },
        label: { show: true, formatter: (p) => (p.data && p.data.score !== undefined) ? `${p.name}\n${p.data.score}` : p.name,
                 fontSize: dark ? 18 : 12 },
        upperLabel: { show: true, height: dark ? 30 : 22, color: "#fff", fontSize: dark ? 18 : 12 },
        itemStyle: { borderColor: dark ? "#0b1526" : "#fff", borderWidth: 1, gapWidth: 2 },
        levels: [{ itemStyle: { borderWidth: 0, gapWidth: 4 } }, { itemStyle: { gapWidth: 2, borderColor: "#6c757d" } }],
      }],
    });
    chart.on("click", (p) => { if (p.data && p.data.link) window.location.href = p.data.link; });
    charts.push(chart);
  }

  const mapEl = document.getElementById("cockpit-map");
  if (mapEl && data.map_url) {
    fetch(data.map_url, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((geojson) => {
        echarts.registerMap("district", geojson);
        const chart = echarts.init(mapEl, dark ? "dark" : null);
        chart.setOption({
          backgroundColor: "transparent",
          tooltip: { trigger: "item", formatter: (p) => `${p.name}<br>${data.labels.score}: ${isNaN(p.value) ? "—" : p.value}` },
          visualMap: {
            type: "piecewise", left: 8, bottom: 8,
            pieces: [
              { min: 90, color: "#2e7d32" }, { min: 75, max: 90, color: "#f9a825" },
              { min: 60, max: 75, color: "#ef6c00" }, { max: 60, color: "#c62828" },
            ],
          },
          series: [{ type: "map", map: "district", roam: true, data: data.map, label: { show: true } }],
        });
        charts.push(chart);
      });
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
});
