// Live state: endpoint states (/api/state) and traffic (/api/traffic), polled every 2 s by the
// entry, and the markup that shows them (health badges, traffic, small charts).

import { html, render } from './html.js';
import { api, state } from './api.js';
import { $$ } from './dom.js';
import { rateText, msText, shareText, errorClass, hostPort } from './format.js';

export async function loadLive() {
  const [live, traffic] = await Promise.all([api('GET', '/api/state'), api('GET', '/api/traffic', undefined, { notVersioned: true })]);
  state.live = live.upstreams || {};
  state.traffic = traffic;
  recordSeries(traffic);
  return live;
}

/** Points kept per series: 15 minutes of refreshes every 2 seconds. */
const SERIES_POINTS = 450;

/**
 * The traffic seen since the UI was opened, kept in the page for the small charts: per route,
 * upstream and endpoint, the rate and the rate of 5xx (or failed calls) at each refresh. A
 * series is started by traffic and dropped once it has been all zero for its whole length.
 */
function recordSeries(traffic) {
  if (!traffic.seconds) return;
  const now = {};
  Object.entries(traffic.routes || {}).forEach(([id, t]) => { now['route:' + id] = [t.rate, t.rate * t.errorShare]; });
  Object.entries(traffic.upstreams || {}).forEach(([name, t]) => {
    if (t.requests) now['upstream:' + name] = [t.rate, t.rate * t.errorShare];
    (t.endpoints || []).forEach((e) => { if (e.calls) now['endpoint:' + name + '/' + e.address] = [e.rate, e.rate * e.errorShare]; });
  });
  new Set(Object.keys(state.series).concat(Object.keys(now))).forEach((key) => {
    const series = state.series[key] || (state.series[key] = []);
    series.push(now[key] || [0, 0]);
    if (series.length > SERIES_POINTS) series.shift();
    if (series.every((p) => !p[0])) delete state.series[key];
  });
}

/** A small chart of a series: requests per second (blue) and 5xx per second (red), oldest left. */
function spark(key) {
  const series = state.series[key];
  if (!series || series.length < 2) return '';
  const w = 90; const h = 22; const max = Math.max(...series.map((p) => p[0])) || 1;
  const line = (i) => series.map((p, j) => (j * w / (series.length - 1)).toFixed(1) + ',' + (h - 1 - p[i] * (h - 2) / max).toFixed(1)).join(' ');
  const minutes = Math.max(1, Math.round(series.length * 2 / 60));
  return html` <svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="requests per second over the last ${minutes} min"><title>requests/s (blue) and 5xx/s (red), last ${minutes} min, up to ${rateText(max)}</title><polyline class="spark-rate" points="${line(0)}"/><polyline class="spark-errors" points="${line(1)}"/></svg>`;
}

export const routeTraffic = (id) => ((state.traffic || {}).routes || {})[id];
export const upstreamTraffic = (name) => ((state.traffic || {}).upstreams || {})[name];
/** The seconds live rates are taken over. */
export const liveWindow = () => (state.traffic && state.traffic.window) || 10;
const VERDICT_CLASS = { ok: 'ok', degraded: 'warn', failing: 'bad', down: 'bad' };

const errorBadge = (share) => html` <span class="badge ${errorClass(share)}">5xx ${shareText(share)}</span>`;

/** A route's or upstream's traffic in the window: rate, 5xx share, p50 and p99; and its chart under key. */
export function trafficMarkup(t, key) {
  if (!state.traffic) return html`<span class="muted">…</span>`;
  if (!state.traffic.seconds) return html`<span class="muted">measuring…</span>`;
  if (!t || !t.requests) return html`<span class="muted">no traffic</span>${spark(key)}`;
  return html`<span class="traffic"><strong>${rateText(t.rate)}</strong>${spark(key)}${t.errorShare > 0 ? errorBadge(t.errorShare) : html` <span class="badge ok">no 5xx</span>`}${t.p50Ms != null && html` <span class="muted">p50 ${msText(t.p50Ms)} · p99 ${msText(t.p99Ms)}</span>`}</span>`;
}

/** The share of a route's requests a backend took in the window, beside its configured weight. */
export function observedText(route, backend) {
  const t = routeTraffic(route);
  if (!t || !t.requests) return '';
  return 'seen ' + shareText(((t.backends || {})[backend] || { share: 0 }).share);
}

/** A backend's own traffic on a route, in words: rate, 5xx share, p50 and p99. */
export function backendTitle(route, backend) {
  const b = ((routeTraffic(route) || {}).backends || {})[backend];
  return b ? rateText(b.rate) + ', 5xx ' + shareText(b.errorShare) + (b.p50Ms != null ? ', p50 ' + msText(b.p50Ms) + ', p99 ' + msText(b.p99Ms) : '') + ' (last ' + liveWindow() + ' s)' : '';
}

/**
 * An upstream's health: endpoints serving, and the verdict of /api/traffic, which also weighs
 * ejections, the breaker and the recent 5xx share (an upstream answering 502 is not green). An
 * upstream without an active health check and without traffic is "not checked", never "up".
 */
export function healthBadges(name) {
  const u = state.live[name];
  if (!u) return html`<span class="badge warn" title="not running">no endpoints</span>`;
  const t = upstreamTraffic(name);
  const serving = u.endpoints.filter((e) => e.health === 'serving').length;
  const verdict = t ? t.health.verdict : serving === 0 ? 'down' : serving < u.endpoints.length ? 'degraded' : 'ok';
  const reasons = t ? t.health.reasons.join('; ') : '';
  const count = u.endpoints.length + ' endpoint' + (u.endpoints.length === 1 ? '' : 's');
  // nothing asked the endpoints and nothing was sent to them: "up" would be a guess
  const badge = verdict === 'ok' && u.healthChecked === false && !(t && t.requests)
    ? html`<span class="badge" data-verdict="unchecked" title="no active health check and no traffic in the last ${liveWindow()} s: nothing tells whether the endpoints answer">${count} · not checked</span>`
    : html`<span class="badge ${VERDICT_CLASS[verdict]}" data-verdict="${verdict}" title="${reasons || 'endpoints serving'}">${serving}/${u.endpoints.length} up${verdict !== 'ok' && ' · ' + verdict}</span>`;
  return html`${badge}${t && t.requests && t.errorShare > 0 ? errorBadge(t.errorShare) : ''}${u.breaker && u.breaker !== 'none' ? html` <span class="badge ${u.breaker === 'closed' ? 'ok' : 'bad'}">breaker ${u.breaker}</span>` : ''}`;
}

/** Why an upstream's verdict is what it is, one line per reason; nothing when it has none. */
export function reasonsMarkup(t) {
  return t && t.health.reasons.length ? html`<div class="reasons">${t.health.reasons.map((r) => html`<div>${r}</div>`)}</div>` : '';
}

/** One endpoint now: its state, and its calls in the window. */
function endpointMarkup(upstream, e, t) {
  const numbers = ['w' + e.weight, t ? rateText(t.rate) : '', e.inFlight + ' in flight',
    t && t.ejections ? t.ejections + ' ejection' + (t.ejections === 1 ? '' : 's') : ''].filter(Boolean).join(' · ');
  return html`<div class="endpoint" data-endpoint="${e.address}"><code>${e.address}</code> <span class="badge ${e.health === 'serving' ? 'ok' : 'bad'}">${e.health}</span>${t && t.calls && t.errorShare > 0 ? errorBadge(t.errorShare) : ''}${e.ejectedUntil ? html` <span class="muted">until ${new Date(e.ejectedUntil).toLocaleTimeString()}</span>` : ''} <span class="muted">${numbers}</span>${t ? spark('endpoint:' + upstream + '/' + t.address) : ''}</div>`;
}

/** Each endpoint of an upstream now, with its traffic in the window. */
export function endpointsMarkup(name) {
  const live = state.live[name] || { endpoints: [] };
  const traffic = {};
  ((upstreamTraffic(name) || {}).endpoints || []).forEach((e) => { traffic[e.address] = e; });
  return live.endpoints.map((e) => endpointMarkup(name, e, traffic[hostPort(e.address)]));
}

/** Puts the newest live state into every element of the page that shows some. */
export function renderLive() {
  $$('[data-live-upstream]').forEach((el) => { render(el, healthBadges(el.dataset.liveUpstream)); });
  $$('[data-live-route]').forEach((el) => { render(el, trafficMarkup(routeTraffic(el.dataset.liveRoute), 'route:' + el.dataset.liveRoute)); });
  $$('[data-live-split]').forEach((el) => { el.textContent = observedText(el.dataset.liveSplit, el.dataset.backend); el.title = backendTitle(el.dataset.liveSplit, el.dataset.backend); });
}
