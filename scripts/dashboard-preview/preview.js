// Draws the Grafana dashboard's panels from a Prometheus's query_range API (same origin: served by Prometheus
// from --web.user-assets). Grafana variables: $instance = every node, $__rate_interval = 4 scrape intervals.
const params = new URLSearchParams(location.search);
const minutes = Number(params.get('minutes') || 10);
const step = Number(params.get('step') || 5);
const rateInterval = params.get('rate') || '1m';
const COLORS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a', '#37872d', '#c4162a'];

function promql(expr) {
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll('instance=~"$instance"', 'instance=~".*"');
}

function legend(format, metric) {
  const text = (format || '').replace(/\{\{\s*(\w+)\s*\}\}/g, (m, label) => metric[label] ?? '');
  return text.trim() || JSON.stringify(metric);
}

async function range(expr, start, end) {
  const url = `../api/v1/query_range?query=${encodeURIComponent(promql(expr))}&start=${start}&end=${end}&step=${step}`;
  const body = await (await fetch(url)).json();
  if (body.status !== 'success') throw new Error(body.error || 'query failed');
  return body.data.result;
}

function place(node, gridPos) {
  node.style.gridColumn = `${gridPos.x + 1} / span ${gridPos.w}`;
  node.style.gridRow = `${gridPos.y + 1} / span ${gridPos.h}`;
}

function unitFormat(unit) {
  if (unit === 's') return (v) => v == null ? '' : v < 1 ? `${(v * 1000).toFixed(0)} ms` : `${v.toFixed(2)} s`;
  if (unit === 'bytes') return (v) => v == null ? '' : `${(v / 1048576).toFixed(0)} MiB`;
  if (unit === 'percentunit') return (v) => v == null ? '' : `${(v * 100).toFixed(1)} %`;
  return (v) => v == null ? '' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
}

async function drawPanel(panel, grid, start, end) {
  const node = document.createElement('section');
  node.className = 'panel';
  place(node, panel.gridPos);
  const title = document.createElement('h2');
  title.textContent = panel.title;
  node.append(title);
  grid.append(node);
  const format = unitFormat(panel.fieldConfig?.defaults?.unit);
  const series = [];
  for (const target of panel.targets) {
    for (const result of await range(target.expr, start, end)) {
      series.push({ label: legend(target.legendFormat, result.metric), values: result.values });
    }
  }
  if (series.length === 0) {
    node.append(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'No data' }));
    return;
  }
  if (panel.type === 'stat') {
    for (const s of series) {
      const stat = document.createElement('div');
      stat.className = 'stat';
      stat.textContent = format(Number(s.values[s.values.length - 1][1]));
      const label = document.createElement('small');
      label.textContent = s.label;
      stat.append(label);
      node.append(stat);
    }
    return;
  }
  const xs = [];
  for (let t = start; t <= end; t += step) xs.push(t);
  const data = [xs, ...series.map((s) => {
    const byTime = new Map(s.values.map(([t, v]) => [Math.round(t), Number(v)]));
    return xs.map((t) => (byTime.has(t) && Number.isFinite(byTime.get(t)) ? byTime.get(t) : null));
  })];
  const height = panel.gridPos.h * 36 - 90;
  new window.uPlot({
    width: node.clientWidth - 12, height,
    legend: { live: false },
    axes: [{ stroke: '#8e8e9e', grid: { stroke: '#2c3235' } },
      { stroke: '#8e8e9e', grid: { stroke: '#2c3235' }, values: (u, vals) => vals.map(format), size: 60 }],
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))],
  }, data, node);
}

async function main() {
  const dashboard = await (await fetch('wakeline-dashboard.json')).json();
  document.getElementById('title').textContent = dashboard.title;
  const grid = document.getElementById('grid');
  const end = Math.floor(Number(params.get('end') || Date.now() / 1000) / step) * step;
  const start = end - minutes * 60;
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      const row = document.createElement('div');
      row.className = 'row';
      row.textContent = panel.title;
      place(row, panel.gridPos);
      grid.append(row);
    } else {
      await drawPanel(panel, grid, start, end);
    }
  }
  document.body.dataset.done = 'true';
}

main().catch((e) => { document.body.dataset.done = 'error'; document.body.append(String(e)); });
