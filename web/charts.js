// charts.js - a small wrapper over Apache ECharts (served by the binary at
// /vendor/echarts.min.js, never a CDN) that always puts the same numbers in a table under
// the chart: a person who cannot see the chart, or uses the keyboard, reads the table.
//
//   import { chart } from '/charts.js';
//   chart(el, ctx, {
//     caption: 'Units sold per day',            // the chart's label and the table's caption
//     x: ['2024-11-01', ...], xFormat: fmt.date, // the category axis and how it is written
//     y: { format: (v) => fmt.number(v), min: 0 },
//     y2: { format: ..., min: 0 },               // optional second axis (series.axis = 1)
//     series: [
//       { name: 'Sold', values: [...], type: 'bar' | 'line', axis: 0, dashed: false,
//         color: 'accent' | 'ok' | 'warn' | 'bad' | 'muted' | 'band' },
//       { name: 'p50 to p90', band: { lower: [...], upper: [...] } },  // a shaded band
//     ],
//     marks: [{ value: 0.04, label: 'Target 4%' }],  // horizontal lines on axis 0
//     summary: 'One sentence: what the chart shows', // read before the table
//   });
//
// Values may be null (no data that day): a gap in the line, a dash in the table.
// Sized by style.css (.chart: full width, 320 px high; 240 px on a phone) and resized with
// its box. The tooltip is drawn on the canvas (renderMode richText): no inline style, so
// the Content-Security-Policy (style-src 'self') holds.
import { h } from '/ui.js';

const COLORS = {
  accent: '#2458d3', ok: '#1c7c4a', warn: '#b26a00', bad: '#c0392b', muted: '#7b8794',
  band: '#9db5ee', violet: '#7a4cc2',
};
const ORDER = ['accent', 'warn', 'ok', 'violet', 'bad', 'muted'];

let loading = null;
const live = new Set();

// ECharts, loaded once by a <script> from our own origin (script-src 'self').
function echartsReady() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/vendor/echarts.min.js';
      s.onload = () => resolve(window.echarts);
      s.onerror = () => { loading = null; reject(new Error('charts: /vendor/echarts.min.js did not load')); };
      document.head.append(s);
    });
  }
  return loading;
}

// Resolves true once node is in the document (a page is rendered aside and shown when
// whole: ECharts measures its box, so it draws only then), false after a minute without.
function whenConnected(node) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const tick = () => {
      if (node.isConnected) resolve(true);
      else if (performance.now() - t0 > 60000) resolve(false);
      else requestAnimationFrame(tick);
    };
    tick();
  });
}

// Charts whose element left the page (another page was shown) are disposed.
function sweep() {
  for (const c of live) {
    if (!c.dom.isConnected) {
      c.observer.disconnect();
      c.chart.dispose();
      live.delete(c);
    }
  }
}

function cell(v, format) {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : format(v);
}

// The table with the chart's numbers: one row per x, one column per series (a band has
// two: its lower and upper edge).
function dataTable(o, t) {
  const fx = o.xFormat || String;
  const cols = [];
  for (const s of o.series) {
    const f = (s.axis === 1 && o.y2 && o.y2.format) || (o.y && o.y.format) || String;
    if (s.band) {
      cols.push({ label: t('charts.band_low', { name: s.name }), get: (i) => cell(s.band.lower[i], f) });
      cols.push({ label: t('charts.band_high', { name: s.name }), get: (i) => cell(s.band.upper[i], f) });
    } else {
      cols.push({ label: s.name, get: (i) => cell(s.values[i], f) });
    }
  }
  const rows = o.x.map((x, i) => h('tr', {},
    h('th', { scope: 'row' }, fx(x)),
    cols.map((c) => h('td', { class: 'num', 'data-label': c.label }, c.get(i)))));
  return h('div', { class: 'table-wrap chart-table-wrap', tabindex: '0', role: 'region',
    'aria-label': t('charts.table_of', { caption: o.caption }) },
  h('table', { class: 'table chart-table' },
    h('caption', { class: 'sr-only' }, o.caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, o.xLabel || t('charts.date')),
      cols.map((c) => h('th', { scope: 'col', class: 'num' }, c.label)))),
    h('tbody', {}, rows)));
}

function seriesOptions(o) {
  const out = [];
  let n = 0;
  for (const s of o.series) {
    const color = COLORS[s.color] || COLORS[ORDER[n++ % ORDER.length]];
    if (s.band) {
      const stack = 'band-' + out.length;
      out.push({ name: s.name + ' ', type: 'line', data: s.band.lower, stack, symbol: 'none',
        lineStyle: { opacity: 0 }, silent: true, yAxisIndex: s.axis || 0, tooltip: { show: false } });
      out.push({ name: s.name, type: 'line', symbol: 'none', stack, yAxisIndex: s.axis || 0,
        data: s.band.upper.map((u, i) => (u === null || s.band.lower[i] === null ? null : u - s.band.lower[i])),
        lineStyle: { opacity: 0 }, itemStyle: { color: COLORS[s.color] || COLORS.band },
        areaStyle: { color: COLORS[s.color] || COLORS.band, opacity: 0.45 } });
      continue;
    }
    out.push({ name: s.name, type: s.type || 'line', data: s.values, yAxisIndex: s.axis || 0,
      stack: s.stack, barMaxWidth: 14, connectNulls: false,
      symbol: s.type === 'bar' ? undefined : 'none', showSymbol: false,
      itemStyle: { color }, lineStyle: { color, width: 2, type: s.dashed ? 'dashed' : 'solid' } });
  }
  if (o.marks && o.marks.length && out.length) {
    const first = out.find((s) => (s.yAxisIndex || 0) === 0) || out[0];
    first.markLine = { symbol: 'none', silent: true,
      lineStyle: { color: COLORS.bad, type: 'dashed', width: 1.5 },
      label: { formatter: (p) => p.name, position: 'insideEndTop', color: COLORS.bad },
      data: o.marks.map((m) => ({ yAxis: m.value, name: m.label })) };
  }
  return out;
}

// The tooltip: the day, then each series' value as the table writes it (plain text).
function tooltipText(o, i) {
  const lines = [(o.xFormat || String)(o.x[i])];
  for (const s of o.series) {
    const f = (s.axis === 1 && o.y2 && o.y2.format) || (o.y && o.y.format) || String;
    if (s.band) lines.push(s.name + ': ' + cell(s.band.lower[i], f) + ' – ' + cell(s.band.upper[i], f));
    else lines.push(s.name + ': ' + cell(s.values[i], f));
  }
  return lines.join('\n');
}

function axis(spec) {
  const f = (spec && spec.format) || String;
  return { type: 'value', min: spec && spec.min, max: spec && spec.max, splitNumber: 4,
    axisLabel: { formatter: (v) => f(v), color: '#556' }, splitLine: { lineStyle: { color: '#e6e9ef' } } };
}

// Draws the chart and its table into el (appended); returns the figure element.
export function chart(el, ctx, o) {
  sweep();
  const t = ctx.t;
  const box = h('div', { class: 'chart', role: 'img',
    'aria-label': t('charts.chart_of', { caption: o.caption }) });
  const fig = h('figure', { class: 'chart-figure' },
    h('figcaption', { class: 'chart-caption' }, o.caption),
    o.summary ? h('p', { class: 'hint' }, o.summary) : null,
    box,
    h('details', { class: 'chart-details' },
      h('summary', {}, t('charts.show_table')),
      dataTable(o, t)));
  el.append(fig);
  const narrow = () => box.clientWidth < 520;
  Promise.all([echartsReady(), whenConnected(box)]).then(([echarts, connected]) => {
    if (!connected) return; // the page was left before it was shown
    const c = echarts.init(box, null, { renderer: 'canvas' });
    const legend = o.series.filter((s) => !s.hideLegend).map((s) => s.name);
    c.setOption({
      animation: false,
      grid: { left: 8, right: o.y2 ? 8 : 16, top: 36, bottom: 8, containLabel: true },
      legend: { data: legend, top: 0, type: 'scroll', textStyle: { color: '#334' } },
      tooltip: { trigger: 'axis', renderMode: 'richText', confine: true,
        formatter: (ps) => tooltipText(o, Array.isArray(ps) ? ps[0].dataIndex : ps.dataIndex) },
      xAxis: { type: 'category', data: o.x, boundaryGap: o.series.some((s) => s.type === 'bar'),
        axisLabel: { formatter: (v) => (o.xShort || o.xFormat || String)(v), hideOverlap: true,
          color: '#556' } },
      yAxis: o.y2 ? [axis(o.y), axis(o.y2)] : [axis(o.y)],
      series: seriesOptions(o),
    });
    const observer = new ResizeObserver(() => { if (box.isConnected) c.resize(); });
    observer.observe(box);
    live.add({ dom: box, chart: c, observer });
    box.classList.toggle('chart-narrow', narrow());
  }).catch((e) => {
    console.warn(e.message);
    box.replaceWith(h('p', { class: 'hint' }, t('charts.unavailable')));
  });
  return fig;
}
