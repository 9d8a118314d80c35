// #/upstream-traffic/NAME: an upstream's last 15 minutes, sampled by the gateway every 10 s:
// answers, 5xx and latency, its health verdict and breaker state over time, and per endpoint
// calls, failed calls, requests in flight and its state (serving, ejected, down).

import { html, render } from '../html.js';
import { lineChart, stateChart, chartWidth, HEALTH } from '../charts.js';
import { follow } from '../traffic-history.js';

const BREAKER = { none: 'var(--muted)', closed: HEALTH.ok, half_open: HEALTH.degraded, open: HEALTH.failing, forced_open: HEALTH.failing, disabled: 'var(--muted)' };

const ENDPOINT = { serving: HEALTH.ok, ejected: HEALTH.failing, down: HEALTH.down };

const followed = follow('upstream', 'upstream-traffic', (name) => html`<h1>Traffic of upstream ${name}</h1>
  <div class="toolbar"><a href="#/upstreams">Upstreams</a> · <a href="${'#/upstreams/' + encodeURIComponent(name)}">Edit upstream</a> · <a href="#/map">Traffic map</a></div>`, draw);

export const { page, refresh } = followed;

function draw(target, history, main) {
  const points = history.points;
  const axis = { from: history.now - history.span * 1000, to: history.now, width: chartWidth(main) };
  const last = points[points.length - 1];
  const endpoints = Object.entries(history.endpoints);
  render(target, html`<p id="upstream-traffic-now">${last
    ? html`Now: <span class="badge ${last.verdict === 'ok' ? 'ok' : last.verdict === 'degraded' ? 'warn' : 'bad'}" data-verdict="${last.verdict}">${last.verdict}</span>
        <span class="badge">breaker ${last.breaker}</span>`
    : html`<span class="muted">No points yet: one comes every ${history.interval} s.</span>`}</p>
    <div class="card" data-chart="answers"><h2>Answers and 5xx</h2>
      ${lineChart({ ...axis, unit: 'rate', label: 'answers and 5xx per second',
    series: [{ name: 'answers/s', points: points.map((p) => [p.t, p.rate]) }, { name: '5xx/s', color: 'var(--bad)', points: points.map((p) => [p.t, p.errorRate]) }] })}
      ${stateChart({ ...axis, label: 'health', colors: HEALTH, points: points.map((p) => [p.t, p.verdict]) })}
      ${stateChart({ ...axis, label: 'breaker', colors: BREAKER, points: points.map((p) => [p.t, p.breaker]) })}</div>
    <div class="card" data-chart="latency"><h2>Latency</h2>
      ${lineChart({ ...axis, unit: 'ms', label: 'latency p50 and p99',
    series: [{ name: 'p50', points: points.map((p) => [p.t, p.p50Ms]) }, { name: 'p99', color: '#e08a00', points: points.map((p) => [p.t, p.p99Ms]) }] })}</div>
    <h2>Endpoints</h2>
    ${endpoints.length ? endpoints.map(([address, series]) => html`<div class="card" data-endpoint="${address}"><h3><code>${address}</code>
        ${series.length ? html`<span class="badge ${series[series.length - 1].state === 'serving' ? 'ok' : 'bad'}">${series[series.length - 1].state}</span>` : ''}</h3>
      ${lineChart({ ...axis, unit: 'rate', height: 120, label: 'calls and failed calls per second of ' + address,
    series: [{ name: 'calls/s', points: series.map((p) => [p.t, p.rate]) }, { name: 'failed/s', color: 'var(--bad)', points: series.map((p) => [p.t, p.errorRate]) }] })}
      ${lineChart({ ...axis, unit: 'count', height: 90, label: 'requests in flight at ' + address,
    series: [{ name: 'in flight', color: '#7b3fb5', points: series.map((p) => [p.t, p.inFlight]) }] })}
      ${stateChart({ ...axis, label: 'state', colors: ENDPOINT, points: series.map((p) => [p.t, p.state]) })}</div>`)
    : html`<p class="muted">No endpoints.</p>`}`);
}
