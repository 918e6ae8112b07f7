// Pictures of a hit's facts: relationship graph, fund-flow sankey, calendar, and a measure against
// its line: fuel fills, the day's card payments, two years, declared against found, bids against the
// fence (ECharts, vendored).
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

  // The words of the pictures below come from the page (the reader's language); `%s` is filled in.
  var LABELS = JSON.parse(section.getAttribute("data-labels") || "{}");
  var HIT_COLOR = "#c0392b";
  var OTHER_COLOR = "#adb5bd";

  function label(key) {
    var text = LABELS[key] || "";
    for (var i = 1; i < arguments.length; i++) { text = text.replace("%s", arguments[i]); }
    return text;
  }

  function titleOf(kind) {
    var element = document.getElementById("chart-" + kind);
    return element ? element.getAttribute("aria-label") : "";
  }

  function money(value) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // F09: each fill's liters (bars), the liters of the window ending at it (steps), the tank lines.
  function fuelOption(data) {
    var lines = { symbol: "none", lineStyle: { type: "dashed" }, emphasis: { disabled: true } };
    var top = Math.max(data.limit_liters, Math.max.apply(null, data.fills.map(function (f) { return f.window_liters; })));
    return {
      title: { text: titleOf("fuel") + " " + data.plate, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var fill = data.fills[params.dataIndex];
          if (!fill) { return ""; }
          return esc(fill.time) + "<br>" + esc(label("fill")) + " " + fill.liters + " " + esc(label("liters")) +
            "<br>" + esc(label("window", data.window_hours)) + " " + fill.window_liters + " " + esc(label("liters")) +
            (fill.station ? "<br>" + esc(label("station")) + " " + esc(fill.station) : "") +
            "<br>" + esc(label("amount")) + " " + money(fill.amount) + " " + esc(label("yuan"));
        }
      },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { top: 64, left: 8, right: 16, bottom: 56, containLabel: true },
      xAxis: { type: "time", min: data.range[0], max: data.range[1], axisLabel: { fontSize: 10, hideOverlap: true } },
      yAxis: { type: "value", name: label("liters"), max: Math.ceil(top * 1.15), nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } },
      series: [
        {
          name: label("fill"), type: "bar", barMaxWidth: 14,
          data: data.fills.map(function (f) {
            return { value: [f.time, f.liters], itemStyle: { color: f.in_hit ? HIT_COLOR : OTHER_COLOR } };
          }),
          markLine: Object.assign({}, lines, {
            data: [
              { yAxis: data.tank_liters, lineStyle: { color: "#495057" }, label: { position: "insideStartTop", fontSize: 10, formatter: label("tank", data.tank_liters) } },
              { yAxis: data.limit_liters, lineStyle: { color: HIT_COLOR }, label: { position: "insideEndTop", fontSize: 10, color: HIT_COLOR, formatter: label("limit", data.limit_liters) } }
            ]
          })
        },
        {
          name: label("window", data.window_hours), type: "line", step: "end", symbolSize: 6,
          itemStyle: { color: "#2c7be5" },
          data: data.fills.map(function (f) { return [f.time, f.window_liters]; })
        }
      ]
    };
  }

  // F11: the day's payments, one bar per merchant and day, one segment per payment, the threshold.
  function paymentsOption(data) {
    var manyDays = data.days.length > 1;
    var names = data.groups.map(function (g) { return manyDays ? g.merchant + "\n" + g.day : g.merchant; });
    var depth = Math.max.apply(null, data.groups.map(function (g) { return g.payments.length; }).concat([1]));
    var most = Math.max.apply(null, data.groups.map(function (g) { return g.total; }).concat([data.threshold]));
    var series = [];
    for (var k = 0; k < depth; k++) {
      series.push({
        name: label("payment", k + 1), type: "bar", stack: "day", barMaxWidth: 28,
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        data: data.groups.map(function (g) {
          var p = g.payments[k];
          return p ? { value: p.amount, time: p.time, itemStyle: { color: p.in_hit ? HIT_COLOR : OTHER_COLOR } } : null;
        }),
        markLine: k === 0 ? {
          symbol: "none", emphasis: { disabled: true }, lineStyle: { color: "#212529", type: "dashed" },
          data: [{ xAxis: data.threshold, label: { position: "start", fontSize: 10, align: data.threshold > most * 0.6 ? "right" : "left", formatter: label("threshold", money(data.threshold)) } }]
        } : undefined
      });
    }
    var narrowChart = narrow("payments");
    return {
      title: { text: titleOf("payments") + (manyDays ? "" : " " + (data.days[0] || "")), left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var g = data.groups[params.dataIndex];
          return esc(g.merchant) + " " + esc(g.day) + "<br>" + esc(params.data.time) + " " + money(params.value) + " " +
            esc(label("yuan")) + "<br>" + esc(label("total")) + " " + money(g.total) + " " + esc(label("yuan"));
        }
      },
      grid: { top: 60, left: 8, right: 24, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: Math.ceil(most * 1.2), axisLabel: { fontSize: 10, hideOverlap: true } },
      yAxis: {
        type: "category", inverse: true, data: names,
        axisLabel: { fontSize: 11, width: narrowChart ? 90 : 180, overflow: "break" }
      },
      series: series
    };
  }

  // F12: the year before and the year, month by month, with each year's total in the legend.
  function yearsOption(data) {
    var months = [];
    for (var m = 1; m <= 12; m++) { months.push(String(m)); }
    var names = data.years.map(function (year, i) {
      return label("year_total", year) + " " + label("total") + " " + money(data.totals[i]) + " " + label("yuan");
    });
    return {
      title: { text: titleOf("years"), left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", valueFormatter: function (value) { return money(value) + " " + label("yuan"); } },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { top: 64, left: 8, right: 16, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: months, name: label("month"), nameLocation: "middle", nameGap: 22, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", name: label("yuan"), nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10, hideOverlap: true } },
      series: [
        { name: names[0], type: "bar", itemStyle: { color: OTHER_COLOR }, data: data.months[0] },
        { name: names[1], type: "bar", itemStyle: { color: HIT_COLOR }, data: data.months[1] }
      ]
    };
  }

  // D01–D03: declared beside found, for houses, vehicles and close relatives' companies.
  function declaredOption(data) {
    var kinds = data.kinds.map(function (k) { return label(k.kind); });
    var most = Math.max.apply(null, data.kinds.map(function (k) { return Math.max(k.declared, k.found); }).concat([1]));
    var bar = { type: "bar", barMaxWidth: 16, label: { show: true, position: "right", fontSize: 11 } };
    return {
      title: { text: titleOf("declared") + " " + data.year, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { top: 36, left: 8, right: 24, bottom: 36, containLabel: true },
      xAxis: { type: "value", minInterval: 1, max: most + 1, axisLabel: { fontSize: 10 } },
      yAxis: { type: "category", inverse: true, data: kinds, axisLabel: { fontSize: 11, width: 100, overflow: "break" } },
      series: [
        Object.assign({ name: label("declared"), itemStyle: { color: OTHER_COLOR }, data: data.kinds.map(function (k) { return k.declared; }) }, bar),
        Object.assign({ name: label("found"), itemStyle: { color: HIT_COLOR }, data: data.kinds.map(function (k) {
          return { value: k.found, itemStyle: { color: k.found > k.declared ? HIT_COLOR : "#2c7be5" } };
        }) }, bar)
      ]
    };
  }

  // "房产：申报 1（…）；查实 2（…）": every item in words under the picture.
  function declaredCaption(data) {
    var parts = data.kinds.filter(function (k) { return k.declared || k.found; }).map(function (k) {
      var declaredItems = k.declared_items.length ? "（" + k.declared_items.join("、") + "）" : "";
      var foundItems = k.found_items.length ? "（" + k.found_items.join("、") + "）" : "";
      return label(k.kind) + "：" + label("declared") + " " + k.declared + declaredItems + "；" +
        label("found") + " " + k.found + foundItems;
    });
    return label("declared_caption", data.year, data.declared_on || label("none")) + " " + parts.join("。");
  }

  // R024/R058: the process's bids on one price axis (a row per bid, cheapest on top), the winner
  // red, and the scan's fence as a price: the winning bid × (1 + fence).
  function bidsOption(data) {
    var bids = data.bids.filter(function (b) { return b.amount !== null; });
    var rows = bids.map(function (b) { return b.name; }).reverse();
    var mark = data.marks[0];
    var most = Math.max.apply(null, bids.map(function (b) { return b.amount; }).concat(mark ? [mark.amount] : []));
    var least = Math.min.apply(null, bids.map(function (b) { return b.amount; }).concat(mark ? [mark.amount] : []));
    var pad = Math.max((most - least) * 0.1, most * 0.005, 1);
    var series = {
      type: "scatter",
      symbolSize: 12,
      data: bids.map(function (b, i) {
        return { value: [b.amount, bids.length - 1 - i], bid: b, itemStyle: { color: b.is_winner ? HIT_COLOR : "#2c7be5" } };
      })
    };
    if (mark) {
      series.markLine = {
        symbol: "none",
        lineStyle: { type: "dashed", color: "#495057" },
        label: { formatter: label(mark.side + "_fence", money(mark.amount)), position: "insideEndTop", fontSize: 11 },
        data: [{ xAxis: mark.amount }]
      };
    }
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 44, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var b = params.data && params.data.bid;
          if (!b) { return ""; }
          var status = label("status_" + b.status);
          return esc(b.name) + "<br>" + esc(label(b.is_winner ? "winner" : "bidder")) + "：" + money(b.amount) +
            (b.currency ? " " + esc(b.currency) : "") + (status ? "（" + esc(status) + "）" : "");
        }
      },
      xAxis: { type: "value", name: label("price"), nameLocation: "middle", nameGap: 28, min: Math.max(0, least - pad), max: most + pad, scale: true,
        axisLabel: { hideOverlap: true, formatter: function (value) { return Number(value).toLocaleString(); } } },
      yAxis: { type: "category", data: rows, axisLabel: { width: narrow("bids") ? 110 : 220, overflow: "break" } },
      series: [series]
    };
  }

  function bidsCaption(data) {
    var mark = data.marks[0];
    return mark ? label("bids_caption_" + mark.side) : label("bids_no_fence");
  }

  function yearsCaption(data) {
    var text = label("years_caption") + " " + data.years.map(function (year, i) {
      return label("year_total", year) + " " + money(data.totals[i]) + " " + label("yuan") + "（" + label("count") + " " + data.counts[i] + "）";
    }).join(" → ");
    if (data.increase !== null) { text += "，" + label("increase") + " " + (data.increase * 100).toFixed(1) + "%"; }
    return text;
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
    } else if (data.type === "fuel" && data.fills.length) {
      draw("fuel", fuelOption(data));
      caption("fuel", label("fuel_caption", data.window_hours));
    } else if (data.type === "payments" && data.groups.length) {
      draw("payments", paymentsOption(data));
      caption("payments", label("payments_caption"));
    } else if (data.type === "years") {
      draw("years", yearsOption(data));
      caption("years", yearsCaption(data));
    } else if (data.type === "declared") {
      draw("declared", declaredOption(data));
      caption("declared", declaredCaption(data));
    } else if (data.type === "bids" && data.bids.length) {
      draw("bids", bidsOption(data));
      caption("bids", bidsCaption(data));
    }
  }

  fetch(section.getAttribute("data-chart-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (payload) { payload.charts.forEach(render); })
    .catch(function () { section.insertAdjacentText("beforeend", section.getAttribute("data-failed")); });
})();
