// Draws the charts of a run report from the JSON embedded in the page (HtmlReport); uPlot is inlined above.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("run-report-data").textContent);
  var charts = document.getElementById("charts");
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"];

  function width() {
    return Math.max(320, Math.min(1100, (charts.clientWidth || 900) - 10));
  }

  function section(title) {
    var box = document.createElement("section");
    var heading = document.createElement("h2");
    heading.textContent = title;
    box.appendChild(heading);
    charts.appendChild(box);
    return box;
  }

  function format(value) {
    if (value == null) {
      return "-";
    }
    var abs = Math.abs(value);
    return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(3);
  }

  // dashed vertical lines, e.g. where the warm-up ends
  function markers(list) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var ratio = window.devicePixelRatio || 1;
          ctx.save();
          ctx.strokeStyle = "#888";
          ctx.fillStyle = "#555";
          ctx.lineWidth = ratio;
          ctx.setLineDash([6 * ratio, 4 * ratio]);
          ctx.font = (11 * ratio) + "px sans-serif";
          list.forEach(function (marker) {
            var x = u.valToPos(marker.atSeconds, "x", true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
              return;
            }
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillText(marker.label, x + 4 * ratio, u.bbox.top + 12 * ratio);
          });
          ctx.restore();
        }]
      }
    };
  }

  data.timeSeries.forEach(function (chart) {
    var box = section(chart.title);
    var series = [{ label: "s" }];
    var columns = [chart.seconds];
    chart.series.forEach(function (s, i) {
      series.push({
        label: s.label,
        stroke: palette[i % palette.length],
        width: 1.5,
        value: function (u, v) { return format(v) + " " + chart.unit; }
      });
      columns.push(s.values);
    });
    new uPlot({
      width: width(),
      height: 280,
      series: series,
      scales: { x: { time: false } },
      axes: [{ label: "seconds" }, { label: chart.unit, size: 64 }],
      plugins: [markers(chart.markers)]
    }, columns, box);
  });

  // x = 1 / (1 - p): 50% at 2, 90% at 10, 99% at 100 ... so the tail gets room on a log axis
  function percentileToX(p) {
    return 100 / (100 - p);
  }

  function xToPercentileLabel(x) {
    if (!(x >= 1)) {
      return "";
    }
    var p = 100 - 100 / x;
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return p.toFixed(digits) + "%";
  }

  data.distributions.forEach(function (chart) {
    var box = section(chart.title);
    var tables = chart.curves.map(function (curve) {
      return [curve.percentiles.map(percentileToX), curve.values];
    });
    if (tables.length === 0) {
      return;
    }
    var joined = uPlot.join(tables);
    var series = [{ label: "percentile", value: function (u, v) { return v == null ? "-" : xToPercentileLabel(v); } }];
    chart.curves.forEach(function (curve, i) {
      series.push({
        label: curve.label,
        stroke: palette[i % palette.length],
        width: 1.5,
        spanGaps: true,
        value: function (u, v) { return format(v) + " " + chart.unit; }
      });
    });
    new uPlot({
      width: width(),
      height: 320,
      series: series,
      scales: { x: { time: false, distr: 3, log: 10 } },
      axes: [{
        label: "percentile",
        splits: function (u) {
          var ticks = [];
          for (var x = 1; x <= u.scales.x.max * 1.0001; x *= 10) {
            if (x >= u.scales.x.min) {
              ticks.push(x);
            }
            if (x === 1 && u.scales.x.max >= 2) {
              ticks.push(2);
            }
          }
          return ticks;
        },
        values: function (u, splits) { return splits.map(xToPercentileLabel); }
      }, { label: chart.unit, size: 64 }]
    }, joined, box);
  });
})();
