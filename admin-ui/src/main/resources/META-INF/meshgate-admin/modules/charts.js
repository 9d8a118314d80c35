// SVG charts drawn from numbers, no library: every coordinate is computed here, every name and
// label goes through html`` (escaped).
//
//   lineChart({ series: [{ name, points: [[t, v], …], color, dashed }], width, height, unit, from, to })
//   stateChart({ points: [[t, state], …], width, from, to, colors: { state: color } })
//
// t is a time in epoch milliseconds, v a number or null (a gap). from/to fix the time axis
// (the last 15 minutes, say); without them it spans the points. unit: 'rate' (per second),
// 'ms', 'share' (0-1, shown in percent) or 'count'; a dashed series is a limit (a rollout's gate). Both return html`` markup sized in pixels: the page passes the width it has.

import { html } from './html.js';
import { rateText, msText, percentText } from './format.js';

/** Series colors, in order: the page's accent, then colors that stay apart for color-blind eyes. */
export const COLORS = ['#2458d3', '#e08a00', '#7b3fb5', '#0f8a8a', '#c2417a', '#5f6b7a'];

/** Health colors as the badges use them. */
export const HEALTH = { ok: 'var(--ok)', degraded: 'var(--warn)', failing: 'var(--bad)', down: 'var(--bad)', idle: 'var(--muted)' };

/** The width a chart in a card has on this page: the page's, less the card's padding, at most 900 px. */
export const chartWidth = (main) => Math.min(900, Math.max(200, main.clientWidth - 36));

/** Calls redraw once the window stopped changing size for 150 ms: charts are drawn in pixels for the width they have. */
export function onResize(redraw) {
  let timer;
  window.addEventListener('resize', () => { clearTimeout(timer); timer = setTimeout(redraw, 150); });
}

const PAD = { left: 52, right: 10, top: 8, bottom: 22 };

const valueText = (unit, v) => (unit === 'rate' ? rateText(v) : unit === 'ms' ? msText(v) : unit === 'share' ? percentText(v) : String(Math.round(v)));

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at least max. */
function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= max);
}

/** "-10 min" from the end of the axis, or "now". */
function ageText(ms) {
  const minutes = Math.round(ms / 60000);
  return minutes === 0 ? 'now' : '-' + minutes + ' min';
}

function timeAxis(points, from, to) {
  const times = points.map((p) => p[0]);
  const start = from ?? Math.min(...times);
  const end = to ?? Math.max(...times);
  return { start, end: end > start ? end : start + 1 };
}

/** Polylines of a series, broken where a value is null; a lone point is a dot. */
function segments(points, x, y, color, dashed) {
  const runs = [];
  let run = [];
  points.forEach(([t, v]) => {
    if (v == null) { if (run.length) runs.push(run); run = []; } else run.push([x(t), y(v)]);
  });
  if (run.length) runs.push(run);
  return runs.map((r) => (r.length === 1
    ? html`<circle cx="${r[0][0].toFixed(1)}" cy="${r[0][1].toFixed(1)}" r="2.5" style="fill:${color}"/>`
    : html`<polyline points="${r.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ')}" style="fill:none;stroke:${color};stroke-width:1.8;stroke-linejoin:round${dashed ? ';stroke-dasharray:6 4' : ''}"/>`));
}

/**
 * A line chart of series over time, with a y axis from 0, three grid lines, a time axis and a
 * legend. Each series' markup carries data-series (its name) and data-points (how many values).
 */
export function lineChart({ series, width = 640, height = 160, unit = 'rate', from, to, label = '' }) {
  const all = series.flatMap((s) => s.points);
  const w = Math.max(200, Math.round(width));
  const legend = html`<div class="chart-legend" style="display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:12px">${series.map((s, i) => html`<span data-legend="${s.name}"><span style="display:inline-block;width:10px;height:3px;vertical-align:middle;${s.dashed ? 'border-top:3px dashed ' : 'background:'}${s.color || COLORS[i % COLORS.length]}${s.dashed ? ';height:0' : ''}"></span> ${s.name}</span>`)}</div>`;
  if (!all.length) {
    return html`<div class="chart chart-empty muted" style="width:${w}px;max-width:100%">No points yet: one comes every 10 s.</div>`;
  }
  const { start, end } = timeAxis(all, from, to);
  const top = niceMax(Math.max(0, ...all.map((p) => p[1] ?? 0)));
  const plotW = w - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - start) / (end - start)) * plotW;
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const grid = [0, 0.5, 1].map((f) => html`<line x1="${PAD.left}" x2="${w - PAD.right}" y1="${y(top * f).toFixed(1)}" y2="${y(top * f).toFixed(1)}" style="stroke:#d9dee5"/>
    <text x="${PAD.left - 4}" y="${(y(top * f) + 4).toFixed(1)}" text-anchor="end" font-size="11" style="fill:var(--muted)">${valueText(unit, top * f)}</text>`);
  const ticks = [0, 1 / 3, 2 / 3, 1].map((f) => {
    const t = start + f * (end - start);
    const anchor = f === 0 ? 'start' : f === 1 ? 'end' : 'middle';
    return html`<text x="${x(t).toFixed(1)}" y="${height - 6}" text-anchor="${anchor}" font-size="11" style="fill:var(--muted)">${to != null ? ageText(end - t) : new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</text>`;
  });
  const lines = series.map((s, i) => html`<g data-series="${s.name}" data-points="${s.points.filter((p) => p[1] != null).length}">${segments(s.points, x, y, s.color || COLORS[i % COLORS.length], s.dashed)}</g>`);
  return html`<figure class="chart" style="margin:0 0 .6rem;max-width:100%"><svg width="${w}" height="${height}" viewBox="0 0 ${w} ${height}" role="img" aria-label="${label}" style="max-width:100%;display:block">
    <title>${label}</title>${grid}${ticks}${lines}</svg>${legend}</figure>`;
}

/**
 * A strip of states over time (an endpoint serving, ejected, down; a breaker closed, open):
 * each point's state colors the time from the point before it to the point itself.
 */
export function stateChart({ points, width = 640, height = 14, from, to, colors = {}, label = '' }) {
  const w = Math.max(200, Math.round(width));
  if (!points.length) return html``;
  const { start, end } = timeAxis(points, from, to);
  const plotW = w - PAD.left - PAD.right;
  const x = (t) => PAD.left + ((Math.max(start, t) - start) / (end - start)) * plotW;
  const cells = points.map(([t, state], i) => {
    const left = i === 0 ? x(t - 10000) : x(points[i - 1][0]);
    return html`<rect x="${left.toFixed(1)}" y="0" width="${Math.max(1, x(t) - left).toFixed(1)}" height="${height}" data-state="${state}" style="fill:${colors[state] || 'var(--muted)'}"><title>${new Date(t).toLocaleTimeString()}: ${state}</title></rect>`;
  });
  return html`<svg class="state-chart" width="${w}" height="${height}" viewBox="0 0 ${w} ${height}" role="img" aria-label="${label}" style="max-width:100%;display:block">
    <text x="${PAD.left - 4}" y="${height - 3}" text-anchor="end" font-size="11" style="fill:var(--muted)">${label}</text>${cells}</svg>`;
}
