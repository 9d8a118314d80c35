// #/traffic/ID: a route's last 15 minutes, sampled by the gateway every 10 s: requests by
// backend, 5xx answers and latency (p50, p99), as line charts that follow the live refresh.

import { html, render } from '../html.js';
import { lineChart, chartWidth } from '../charts.js';
import { rateText } from '../format.js';
import { follow } from '../traffic-history.js';

const followed = follow('route', 'route-traffic', (id) => html`<h1>Traffic of route ${id}</h1>
  <div class="toolbar"><a href="#/routes">Routes</a> · <a href="${'#/routes/' + encodeURIComponent(id)}">Edit route</a> · <a href="${'#/mirrors/' + encodeURIComponent(id)}">Mirrors</a> · <a href="#/map">Traffic map</a></div>`, draw);

export const { page, refresh } = followed;

function draw(target, { points, now, span, interval }, main) {
  const axis = { from: now - span * 1000, to: now, width: chartWidth(main) };
  const backends = [...new Set(points.flatMap((p) => Object.keys(p.backends)))].sort();
  const requests = points.reduce((s, p) => s + p.requests, 0);
  const errors = points.reduce((s, p) => s + p.errors, 0);
  render(target, html`<p id="route-traffic-summary">${requests} requests, ${errors} answered 5xx
      ${points.length ? html`<span class="muted">(last ${interval} s: ${rateText(points[points.length - 1].rate)})</span>` : ''}</p>
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
