// #/traffic/ID: a route's last 15 minutes, sampled by the gateway every 10 s: requests by
// backend, 5xx answers and latency (p50, p99), as line charts that follow the live refresh.

import { html, render } from '../html.js';
import { api } from '../api.js';
import { lineChart, chartWidth, onResize } from '../charts.js';
import { rateText } from '../format.js';

/** How often a shown page asks for the history again: points come every 10 s. */
const REFETCH_MS = 5000;

let shown = null;

onResize(() => { if (shown && shown.main.isConnected) draw(); });

export async function page(main, id) {
  const history = await api('GET', '/api/traffic/history?route=' + encodeURIComponent(id), undefined, { notVersioned: true });
  shown = { main, id, history, fetched: Date.now() };
  render(main, html`<h1>Traffic of route ${id}</h1>
    <div class="toolbar"><a href="#/routes">Routes</a> · <a href="${'#/routes/' + encodeURIComponent(id)}">Edit route</a> · <a href="#/map">Traffic map</a></div>
    <p class="muted">The last ${Math.round(history.span / 60)} minutes, one point every ${history.interval} s, sampled by the gateway.</p>
    <div id="route-traffic" data-route="${id}"></div>`);
  draw();
}

/** Called after each live refresh while the page is shown. */
export async function refresh() {
  if (!shown || !shown.main.isConnected || Date.now() - shown.fetched < REFETCH_MS) return;
  const { id } = shown;
  const history = await api('GET', '/api/traffic/history?route=' + encodeURIComponent(id), undefined, { notVersioned: true });
  if (shown && shown.id === id) { shown.history = history; shown.fetched = Date.now(); draw(); }
}

function draw() {
  const target = shown.main.querySelector('#route-traffic');
  if (!target) return;
  const { history } = shown;
  const points = history.points;
  const axis = { from: history.now - history.span * 1000, to: history.now, width: chartWidth(shown.main) };
  const backends = [...new Set(points.flatMap((p) => Object.keys(p.backends)))].sort();
  const requests = points.reduce((s, p) => s + p.requests, 0);
  const errors = points.reduce((s, p) => s + p.errors, 0);
  render(target, html`<p id="route-traffic-summary">${requests} requests, ${errors} answered 5xx
      ${points.length ? html`<span class="muted">(last ${history.interval} s: ${rateText(points[points.length - 1].rate)})</span>` : ''}</p>
    <div class="card" data-chart="backends"><h2>Requests by backend</h2>
      ${lineChart({ ...axis, unit: 'rate', label: 'requests per second by backend',
    series: backends.map((b) => ({ name: b, points: points.map((p) => [p.t, p.backends[b] ? p.backends[b].rate : 0]) })) })}</div>
    <div class="card" data-chart="errors"><h2>5xx answers</h2>
      ${lineChart({ ...axis, unit: 'rate', label: '5xx answers per second',
    series: [{ name: '5xx/s', color: 'var(--bad)', points: points.map((p) => [p.t, p.errorRate]) }] })}</div>
    <div class="card" data-chart="latency"><h2>Latency</h2>
      ${lineChart({ ...axis, unit: 'ms', label: 'latency p50 and p99',
    series: [{ name: 'p50', points: points.map((p) => [p.t, p.p50Ms]) }, { name: 'p99', color: '#e08a00', points: points.map((p) => [p.t, p.p99Ms]) }] })}</div>`);
}
