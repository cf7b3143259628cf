import type { BenchResult } from './result.js';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element (no `</script>`, no U+2028/2029 surprises). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// Drawn in the browser from the embedded data: inline SVG, no network, no library.
const PLOT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('s3bench-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var W = 900, H = 320, L = 70, R = 20, T = 20, B = 45;
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function plot(id, title, series, opts) {
    var svg = document.getElementById(id);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    el('text', { x: L, y: 14, 'class': 'title' }, svg).textContent = title;
    var xs = [], ys = [];
    series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    if (xs.length === 0) { el('text', { x: W / 2, y: H / 2, 'class': 'empty' }, svg).textContent = 'no data'; return; }
    var x0 = opts.xmin !== undefined ? opts.xmin : Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y1 = Math.max.apply(null, ys) * 1.05 || 1;
    if (x1 === x0) x1 = x0 + 1;
    var sx = function (x) { return L + (x - x0) / (x1 - x0) * (W - L - R); };
    var sy = function (y) { return H - B - y / y1 * (H - T - B); };
    el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, 'class': 'axis' }, svg);
    el('line', { x1: L, y1: T, x2: L, y2: H - B, 'class': 'axis' }, svg);
    for (var i = 0; i <= 4; i++) {
      var yv = y1 * i / 4;
      el('text', { x: L - 6, y: sy(yv) + 4, 'class': 'tick', 'text-anchor': 'end' }, svg).textContent = fmt(yv);
      el('line', { x1: L, y1: sy(yv), x2: W - R, y2: sy(yv), 'class': 'grid' }, svg);
    }
    (opts.xticks || [0, 0.25, 0.5, 0.75, 1].map(function (f) { var v = x0 + (x1 - x0) * f; return [v, fmt(v)]; }))
      .forEach(function (t) {
        el('text', { x: sx(t[0]), y: H - B + 16, 'class': 'tick', 'text-anchor': 'middle' }, svg).textContent = t[1];
      });
    el('text', { x: (L + W - R) / 2, y: H - 6, 'class': 'label', 'text-anchor': 'middle' }, svg).textContent = opts.xlabel;
    el('text', { x: 14, y: (T + H - B) / 2, 'class': 'label', transform: 'rotate(-90 14 ' + (T + H - B) / 2 + ')', 'text-anchor': 'middle' }, svg).textContent = opts.ylabel;
    series.forEach(function (s, idx) {
      if (s.points.length === 0) return;
      var d = s.points.map(function (p, j) { return (j === 0 ? 'M' : 'L') + sx(p[0]).toFixed(1) + ' ' + sy(p[1]).toFixed(1); }).join(' ');
      if (s.points.length === 1) d += ' L' + (sx(s.points[0][0]) + 3).toFixed(1) + ' ' + sy(s.points[0][1]).toFixed(1);
      el('path', { d: d, 'class': 'series', stroke: COLORS[idx % COLORS.length], 'stroke-dasharray': s.dash || '', 'data-series': s.name }, svg);
      var ly = T + 12 + idx * 16;
      el('line', { x1: W - R - 210, y1: ly - 4, x2: W - R - 190, y2: ly - 4, stroke: COLORS[idx % COLORS.length], 'stroke-width': 2, 'stroke-dasharray': s.dash || '' }, svg);
      el('text', { x: W - R - 185, y: ly, 'class': 'legend' }, svg).textContent = s.name;
    });
  }
  var lat = [], thr = [], pct = [], cor = [], err = [];
  data.groups.forEach(function (g) {
    // A partial last second is not a per-second rate: it is left out of every plot (the page says so).
    var full = g.series.filter(function (p) { return !p.partial; });
    lat.push({ name: g.name + ' p50', points: full.map(function (p) { return [p.t, p.p50]; }) });
    lat.push({ name: g.name + ' p99', dash: '6 3', points: full.map(function (p) { return [p.t, p.p99]; }) });
    lat.push({ name: g.name + ' max', dash: '2 3', points: full.map(function (p) { return [p.t, p.max]; }) });
    thr.push({ name: g.name + ' ops/s', points: full.map(function (p) { return [p.t, p.ops]; }) });
    err.push({ name: g.name + ' errors/s', points: full.map(function (p) { return [p.t, p.errors]; }) });
    if (g.open) {
      cor.push({ name: g.name + ' corrected p99', points: full.map(function (p) { return [p.t, p.correctedP99 || 0]; }) });
      cor.push({ name: g.name + ' service p99', dash: '6 3', points: full.map(function (p) { return [p.t, p.p99]; }) });
    }
    // Percentile axis as HdrHistogram plots it: 1/(1-p), so the tail gets the room.
    var nines = function (p) { return p >= 100 ? 5 : Math.min(5, -Math.log10(1 - p / 100)); };
    pct.push({ name: g.name + ' service', points: g.distribution.latency.map(function (p) { return [nines(p[0]), p[1]]; }) });
    if (g.distribution.corrected) pct.push({ name: g.name + ' corrected', dash: '6 3', points: g.distribution.corrected.map(function (p) { return [nines(p[0]), p[1]]; }) });
  });
  plot('plot-latency', 'Latency over time (ms, per second)', lat, { xlabel: 'seconds', ylabel: 'ms' });
  plot('plot-percentiles', 'Latency by percentile (ms)', pct, { xlabel: 'percentile', ylabel: 'ms', xmin: 0,
    xticks: [[0, '0%'], [1, '90%'], [2, '99%'], [3, '99.9%'], [4, '99.99%'], [5, '99.999%']] });
  plot('plot-throughput', 'Throughput over time (operations per second)', thr, { xlabel: 'seconds', ylabel: 'ops/s' });
  plot('plot-corrected', 'Open loop: latency from the intended start over time (ms, p99 per second)', cor, { xlabel: 'seconds', ylabel: 'ms' });
  plot('plot-errors', 'Errors over time (failed requests per second)', err, { xlabel: 'seconds', ylabel: 'errors/s' });
  document.body.setAttribute('data-rendered', 'true');
})();
`;

/**
 * A self-contained HTML report of a result: summary tables and five plots (latency over time, latency by
 * percentile, throughput, open-loop corrected latency and errors over time) drawn as inline SVG by an inline script. Needs no network.
 */
export function renderHtmlReport(result: BenchResult, options: { title?: string } = {}): string {
  const title = options.title ?? `s3bench ${result.config.endpoint} / ${result.config.bucket}`;
  const data = {
    groups: result.groups.map((g) => ({
      name: g.name,
      series: g.series,
      distribution: g.distribution,
      open: g.open !== null && g.open !== undefined,
    })),
  };
  const partial = result.groups.map((g) => g.series.at(-1)).find((p) => p?.partial === true);
  const missed = result.groups.filter((g) => g.open?.rateMissed === true);
  const cell = (v: string | number): string => `<td>${escapeHtml(String(v))}</td>`;
  const groupRows = result.groups
    .map((g) => {
      const errors = Object.entries(g.errorsByKind)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
      const o = g.open;
      const openCells =
        o === null || o === undefined
          ? cell('') + cell('') + cell('')
          : cell(o.scheduled) + cell(o.sent) + cell(o.missed);
      return `<tr${o?.rateMissed ? ' class="missed"' : ''}>${cell(g.name)}${cell(g.mode === 'open' ? `open ${g.targetRate}/s` : 'closed')}${cell(g.workers)}${cell(g.ops)}${cell(
        g.activeS ?? result.measuredS,
      )}${cell(g.opsPerSec)}${cell(g.bytesPerSec)}${cell(g.errors === 0 ? '0' : `${g.errors} (${errors})`)}${openCells}</tr>`;
    })
    .join('\n');
  const latRows = result.groups
    .flatMap((g) => {
      const rows: Array<[string, typeof g.latency]> = [
        [`${g.name} total`, g.latency],
        [`${g.name} ttfb`, g.ttfb],
      ];
      if (g.corrected !== null) rows.push([`${g.name} from intended start`, g.corrected]);
      for (const c of g.sizeClasses ?? []) rows.push([`${g.name} ${c.name} objects`, c.latency]);
      return rows.map(
        ([label, s]) =>
          `<tr>${cell(label)}${cell(s.p50)}${cell(s.p90)}${cell(s.p99)}${cell(s.p999)}${cell(s.p9999)}${cell(s.max)}${cell(
            s.mean,
          )}${cell(s.count)}</tr>`,
      );
    })
    .join('\n');
  const o = result.overhead;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 20px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg { width: 100%; max-width: 900px; display: block; margin: 12px 0 24px; background: #fcfcfc; border: 1px solid #eee; }
.series { fill: none; stroke-width: 2; }
.axis { stroke: #444; } .grid { stroke: #eee; } .tick, .legend { font-size: 11px; } .title { font-weight: bold; }
.label { font-size: 12px; fill: #555; } .empty { fill: #999; }
.rate-missed, tr.missed td { color: #b00; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${result.startedAt} – ${result.endedAt}; ${result.measuredS} s measured; ${result.clients} client(s); payload ${result.config.payload}`)}${
    result.aborted ? `<br><strong>stopped early: ${escapeHtml(result.aborted)}</strong>` : ''
  }</p>
${(result.notes ?? []).map((n) => `<p class="note">note: ${escapeHtml(n)}</p>`).join('\n')}
${missed
  .map(
    (g) =>
      `<p class="rate-missed"><strong>TARGET RATE MISSED: ${escapeHtml(
        `${g.name} at ${g.targetRate}/s sent ${g.open?.sent} of ${g.open?.scheduled} scheduled requests (${g.open?.missed} never sent), ${g.open?.achievedRate}/s achieved`,
      )}</strong></p>`,
  )
  .join('\n')}
<table id="groups"><tr><th>group</th><th>mode</th><th>workers</th><th>ops</th><th>active s</th><th>ops/s</th><th>bytes/s</th><th>errors</th><th>scheduled</th><th>sent</th><th>missed</th></tr>
${groupRows}
</table>
<table id="latency"><tr><th>latency (ms)</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th><th>mean</th><th>count</th></tr>
${latRows}
</table>
<p id="overhead">${escapeHtml(
    `Tool overhead, not part of the latencies: signing ${o.signMeanUs} µs/request, recording ${o.recordMeanUs} µs/request, event-loop delay p99 ${o.eventLoopDelayP99Ms} ms, CPU ${o.cpuPercent}% of one core.`,
  )}</p>
<svg id="plot-latency" role="img" aria-label="latency over time"></svg>
<svg id="plot-percentiles" role="img" aria-label="latency by percentile"></svg>
<svg id="plot-throughput" role="img" aria-label="throughput over time"></svg>
<svg id="plot-corrected" role="img" aria-label="corrected latency over time"></svg>
<svg id="plot-errors" role="img" aria-label="errors over time"></svg>
${
  partial === undefined
    ? ''
    : `<p id="partial-second">${escapeHtml(`The last point (${partial.t} s) covers ${partial.seconds} s, not one second, and is not drawn.`)}</p>`
}
<script type="application/json" id="s3bench-data">${scriptJson(data)}</script>
<script>${PLOT_SCRIPT}</script>
</body>
</html>
`;
}
