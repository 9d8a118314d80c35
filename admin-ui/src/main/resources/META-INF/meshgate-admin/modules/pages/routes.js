// #/routes: every route with its match, backends (configured and observed split), live traffic,
// mirrors, policies and upstream health, searchable. #/routes/ID and #/routes/new: the route editor.

import { html, render } from '../html.js';
import { state, canWrite, loadConfig } from '../api.js';
import { $, $$, showEmpty } from '../dom.js';
import { backendName, backendKey } from '../format.js';
import { defaultOf } from '../schema.js';
import { loadLive, liveWindow, routeTraffic, trafficMarkup, observedText, backendTitle, healthBadges } from '../live.js';
import { matchMarkup, rewriteText, redirectText, weightOf, mirroredOf } from '../route-text.js';
import { routeEditor } from '../route-editor.js';

export async function page(main, arg) {
  if (arg) return routeEditor(main, arg);
  await Promise.all([loadConfig(), loadLive()]);
  render(main, html`<h1>Routes</h1><div class="toolbar"><input type="search" id="search" placeholder="Search id, path, host, upstream, source" value="${state.filter}" aria-label="Search routes"><span id="count" class="muted"></span>${canWrite() ? html`<a href="#/routes/new"><button type="button" id="new-route">New route</button></a>` : ''}</div><div class="table-wrap"><table id="routes" class="stack"><thead><tr><th>Route</th><th>Match</th><th>Backends: weight, seen</th><th>Traffic (last ${liveWindow()} s)</th><th class="wide-only">Mirrors</th><th class="wide-only">Policies</th><th>Health</th><th></th></tr></thead><tbody></tbody></table></div>`);
  $('#search').addEventListener('input', (e) => { state.filter = e.target.value; applyFilter(); });
  renderRoutesTable();
}

/** After a live refresh: the list read again when the configuration changed while it was shown. */
export async function refresh(live) {
  if (!state.editing && state.version !== null && live.version !== state.loadedVersion) {
    await loadConfig();
    renderRoutesTable();
  }
}

function routeRow(r, i) {
  const route = r.route;
  const total = (route.backends || []).reduce((s, b) => s + weightOf(b), 0) || 1;
  const backends = (route.backends || []).map((b) => {
    const pct = Math.round(weightOf(b) * 100 / total);
    return html`<div><span class="bar" style="width:${Math.max(2, pct)}px"></span><code>${backendName(b)}</code> ${pct}% <span class="muted">(${weightOf(b)})</span> <span class="observed" data-live-split="${route.id}" data-backend="${backendKey(b)}" title="${backendTitle(route.id, backendKey(b))}">${observedText(route.id, backendKey(b))}</span></div>`;
  });
  const mirrors = (route.mirrors || []).map((x) => html`<div><code>${x.upstream}</code> ${mirroredOf(x)}%${x.compare ? html` <span class="badge">compared</span>` : ''}</div>`);
  const policies = [route.retries ? 'retries ' + (route.retries.attempts ?? defaultOf('Route', 'retries.attempts')) : '', route.timeout ? 'timeout ' + route.timeout : '',
    route.canary && route.canary.stickyOn ? 'sticky ' + route.canary.stickyOn : '', route.canary && route.canary.rollout ? 'rollout' : '',
    route.fault && ((route.fault.delay || {}).percentage > 0 || (route.fault.abort || {}).percentage > 0) ? 'fault' : '',
    route.rateLimit ? 'rate limit ' + route.rateLimit.maxTokens : '',
    route.requestHeaders ? 'request headers' : '', route.responseHeaders ? 'response headers' : '',
    route.rewrite ? 'rewrite ' + rewriteText(route.rewrite) : '', route.cors ? 'CORS' : '',
    ...((route.authentication || {}).jwt ? route.authentication.jwt.providers.map((p) => 'JWT ' + p) : []),
    (route.authentication || {}).apiKey ? 'API key' : '', route.extAuthz ? 'ext authz' : ''].filter(Boolean).map((p) => html`<span class="badge">${p}</span>`);
  const health = (route.backends || []).filter((b) => b.upstream).map((b) => html`<div><code>${b.upstream}</code> <span data-live-upstream="${b.upstream}">${healthBadges(b.upstream)}</span></div>`);
  const actions = r.readOnly ? html`<span class="badge ro" title="${'owned by ' + r.source}">read-only: ${r.source}</span>`
    : html`<a href="${'#/routes/' + encodeURIComponent(route.id)}" class="edit-route">${canWrite() ? 'Edit' : 'View'}</a>`;
  const enc = encodeURIComponent(route.id);
  // a rollout's page and the mirrors' comparisons, where the route has them
  const more = html`${route.canary && route.canary.rollout ? html` <a href="${'#/rollout/' + enc}" class="route-rollout">Rollout</a>` : ''}${(route.mirrors || []).length ? html` <a href="${'#/mirrors/' + enc}" class="route-mirrors">Mirrors</a>` : ''}`;
  return html`<tr data-index="${i}" data-route="${route.id}"><td class="title-cell"><strong>${route.id}</strong></td><td>${matchMarkup(route.match || {})}</td><td data-label="Backends">${route.redirect ? html`<div class="redirect">${redirectText(route.redirect)}</div>` : backends}</td><td data-label="Traffic" data-live-route="${route.id}">${trafficMarkup(routeTraffic(route.id), 'route:' + route.id)}</td><td class="wide-only">${mirrors.length ? mirrors : html`<span class="muted">none</span>`}</td><td class="wide-only">${policies}</td><td data-label="Health">${health}</td><td class="actions">${actions} <a href="${'#/traffic/' + enc}" class="route-traffic">Traffic</a>${more}</td></tr>`;
}

function renderRoutesTable() {
  const body = $('#routes tbody');
  if (!body) return;
  render(body, html`${state.routes.map(routeRow)}`);
  state.routeTexts = state.routes.map(routeText);
  applyFilter();
}

/** What a search looks in: id, path, host, source, backends and mirrors. */
function routeText(r) {
  const m = r.route.match || {};
  const parts = [r.route.id, m.path, m.host, r.source];
  (r.route.backends || []).forEach((b) => parts.push(backendName(b)));
  (r.route.mirrors || []).forEach((b) => parts.push(b.upstream));
  return parts.filter(Boolean).join(' ').toLowerCase();
}

function applyFilter() {
  const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  $$('#routes tbody tr').forEach((tr) => {
    const text = state.routeTexts[Number(tr.dataset.index)];
    const visible = words.every((w) => text.includes(w));
    tr.hidden = !visible;
    if (visible) shown++;
  });
  const count = $('#count');
  if (count) count.textContent = shown + ' of ' + state.routes.length + ' routes';
  showEmpty('#routes', 'routes-empty', shown ? '' : state.routes.length ? 'No route matches “' + state.filter.trim() + '”.'
    : 'No routes yet.' + (canWrite() ? ' Create one with New route.' : ''));
}
