// Pictures of a hit's facts: relationship graph, fund-flow sankey, calendar (ECharts, vendored).
// Data comes from the hit's chart.json endpoint; no inline script (CSP).
(function () {
  "use strict";
  var section = document.getElementById("hit-pictures");
  if (!section || !window.echarts) { return; }
  var esc = window.echarts.format.encodeHTML;  // tooltips are HTML: package data is escaped
  var REST_DAY = section.getAttribute("data-rest-day");
  var CATEGORY_COLORS = ["#c0392b", "#e67e22", "#2c7be5", "#6f42c1", "#20c997", "#495057", "#d63384"];

  function caption(kind, text) {
    var element = document.getElementById("chart-" + kind + "-caption");
    if (element) { element.textContent = text; }
  }

  function draw(kind, option) {
    var element = document.getElementById("chart-" + kind);
    if (!element) { return null; }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.on("finished", function () { element.setAttribute("data-drawn", "true"); });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  // Room for the labels: a node's label (at most LABEL_WIDTH wide, wrapped, never cut) sits centred
  // under it, and the layout is zoomed out so that a label of a node at the edge stays inside.
  function narrow(kind) {
    var element = document.getElementById("chart-" + kind);
    return element && element.clientWidth < 560;
  }

  function graphOption(data) {
    var labelWidth = narrow("graph") ? 80 : 110;
    return {
      title: { text: data.title, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: {
        formatter: function (params) {
          if (params.dataType === "edge") { return esc(params.data.label); }
          return esc(params.data.name) + (params.data.detail ? "（" + esc(params.data.detail) + "）" : "");
        }
      },
      legend: {
        data: data.categories.filter(function (c, index) {
          return data.nodes.some(function (node) { return node.category === index; });
        }).map(function (c) { return c.name; }),
        bottom: 0, textStyle: { fontSize: 11 }
      },
      color: CATEGORY_COLORS,
      series: [{
        type: "graph",
        // A circle, not a force layout: the same picture every time, every node with room for its
        // label below it (the zoom leaves a margin of half a label on each side).
        layout: "circular",
        circular: { rotateLabel: false },
        roam: true,
        draggable: true,
        categories: data.categories,
        data: data.nodes.map(function (node) {
          return {
            id: node.id,
            name: node.name,
            category: node.category,
            detail: node.detail,
            symbolSize: node.is_subject ? 44 : 28,
            itemStyle: node.is_subject ? { borderColor: "#000", borderWidth: 3 } : undefined
          };
        }),
        links: data.links.map(function (link) {
          return { source: link.source, target: link.target, label: link.label };
        }),
        top: 30, bottom: 40, zoom: narrow("graph") ? 0.6 : 0.7,
        label: { show: true, position: "bottom", fontSize: 12, formatter: "{b}", width: labelWidth, overflow: "break" },
        // relations are in the caption and show on hover: on the lines they would cover the names
        edgeLabel: { show: false, fontSize: 10, formatter: function (p) { return p.data.label; } },
        emphasis: { focus: "adjacency", edgeLabel: { show: true } },
        labelLayout: { hideOverlap: true },  // a name that would cover another shows on hover only
        edgeSymbol: ["none", "arrow"],
        lineStyle: { color: "source", curveness: 0.1, width: 1.5 }
      }]
    };
  }

  function sankeyOption(data) {
    // The last column's labels (the retained amount among them) get the room they need on the
    // right, up to 40% of the width, and wrap within it rather than run off the canvas.
    var element = document.getElementById("chart-sankey");
    var width = element ? element.clientWidth : 700;
    var longest = 0;
    data.nodes.forEach(function (node) {
      longest = Math.max(longest, window.echarts.format.getTextRect(node.name, "11px sans-serif").width);
    });
    var right = Math.min(longest + 12, Math.round(width * 0.4));
    return {
      title: { text: data.title, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item" },
      series: [{
        type: "sankey",
        top: 30,
        left: 10,
        right: right,
        nodeAlign: "left",
        emphasis: { focus: "adjacency" },
        data: data.nodes.map(function (node) {
          var style = node.is_retained ? { color: "#c0392b" } : (node.is_subject ? { color: "#e67e22" } : undefined);
          return { name: node.name, itemStyle: style };
        }),
        links: data.links,
        label: { fontSize: 11, width: right - 8, overflow: "break" },
        lineStyle: { color: "gradient", curveness: 0.5 }
      }]
    };
  }

  function calendarOption(data) {
    var max = 1;
    data.days.forEach(function (day) { max = Math.max(max, day.amount || day.count); });
    var byDate = {};
    data.days.forEach(function (day) { byDate[day.date] = day; });
    return {
      title: { text: data.title, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: {
        formatter: function (params) {
          var day = byDate[params.value[0]];
          if (params.seriesIndex === 2) { return esc(params.value[0] + " " + params.data.festival); }
          if (!day) { return esc(params.value[0] + " " + REST_DAY); }
          return esc(day.date + (day.is_rest_day ? "（" + REST_DAY + "）" : "")) + "<br>" + day.items.map(esc).join("<br>");
        }
      },
      visualMap: {
        seriesIndex: 0, min: 0, max: max, calculable: false, orient: "horizontal", right: 0, top: 0,
        itemHeight: 80, inRange: { color: ["#fde0dd", "#c51b8a"] }, textStyle: { fontSize: 10 }
      },
      calendar: {
        top: 50, left: 40, right: 20, cellSize: ["auto", 16], range: data.range,
        dayLabel: { firstDay: 1, nameMap: "ZH", fontSize: 10 }, monthLabel: { nameMap: "ZH", fontSize: 11 },
        yearLabel: { show: false }, itemStyle: { borderWidth: 0.5, borderColor: "#ddd" }
      },
      series: [
        {
          type: "heatmap", coordinateSystem: "calendar", z: 2,
          data: data.days.map(function (day) { return [day.date, day.amount || day.count]; })
        },
        {
          type: "scatter", coordinateSystem: "calendar", symbolSize: 4, itemStyle: { color: "#6c757d" }, z: 3,
          data: data.rest_days.map(function (date) { return [date, 1]; })
        },
        {
          type: "scatter", coordinateSystem: "calendar", symbol: "diamond", symbolSize: 9, z: 4,
          itemStyle: { color: "#dc3545" },
          data: data.festivals.map(function (f) { return { value: [f.date, 1], festival: f.name }; })
        }
      ]
    };
  }

  // "张科长 —配偶→ 王配偶；…": every link in words, so no relation depends on the picture alone.
  function relations(data) {
    var names = {};
    data.nodes.forEach(function (node) { names[node.id] = node.name; });
    var linked = {};
    var parts = data.links.map(function (link) {
      linked[link.source] = linked[link.target] = true;
      return names[link.source] + " —" + link.label + "→ " + names[link.target];
    });
    data.nodes.forEach(function (node) { if (!linked[node.id]) { parts.push(node.name); } });
    return parts.join("；");
  }

  function render(data) {
    if (data.type === "graph") {
      draw("graph", graphOption(data));
      caption("graph", section.getAttribute("data-caption-graph") + relations(data));
    } else if (data.type === "sankey") {
      draw("sankey", sankeyOption(data));
      caption("sankey", section.getAttribute("data-caption-sankey") + data.retained);
    } else if (data.type === "calendar" && data.range) {
      draw("calendar", calendarOption(data));
      caption("calendar", section.getAttribute("data-caption-calendar"));
    }
  }

  fetch(section.getAttribute("data-chart-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (payload) { payload.charts.forEach(render); })
    .catch(function () { section.insertAdjacentText("beforeend", section.getAttribute("data-failed")); });
})();
