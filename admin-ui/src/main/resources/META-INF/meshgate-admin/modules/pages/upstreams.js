// #/upstreams: every upstream with its health, traffic and endpoints, refreshed live.
// #/upstreams/NAME and #/upstreams/new: the upstream editor, one form per policy record.

import { html, render } from '../html.js';
import { api, state, canWrite, loadConfig } from '../api.js';
import { $, showEmpty } from '../dom.js';
import { defaultOf, setRecord, withDefaultsOn } from '../schema.js';
import { SchemaForm } from '../schema-form.js';
import { editorButtons, wireEditor } from '../editor.js';
import { loadLive, liveWindow, upstreamTraffic, trafficMarkup, healthBadges, reasonsMarkup, endpointsMarkup } from '../live.js';

export async function page(main, arg) {
  if (arg) return upstreamEditor(main, arg);
  await Promise.all([loadConfig(), loadLive()]);
  render(main, html`<h1>Upstreams</h1><div class="toolbar">${canWrite() ? html`<a href="#/upstreams/new"><button type="button" id="new-upstream">New upstream</button></a>` : ''}</div><div class="table-wrap"><table id="upstreams" class="stack"><thead><tr><th>Upstream</th><th>Health</th><th>Traffic (last ${liveWindow()} s)</th><th>Endpoints: state, rate, 5xx, in flight, ejections</th><th class="wide-only">Load balancing</th><th class="wide-only">Protocol, TLS</th><th></th></tr></thead><tbody></tbody></table></div>`);
  renderUpstreams();
}

/** After a live refresh: the list's rows, or the editor's live card. */
export function refresh() {
  renderUpstreams();
  renderUpstreamCard();
}

function upstreamRow(entry) {
  const u = entry.upstream; const live = state.live[u.name] || { endpoints: [] }; const t = upstreamTraffic(u.name);
  const endpoints = endpointsMarkup(u.name);
  const tls = u.tls && u.tls.mode !== 'DISABLE'
    ? html`${u.tls.mode}${live.certificateExpiry ? html`<div class="muted">expires ${live.certificateExpiry}</div>` : ''}` : html`<span class="muted">plain</span>`;
  const protocol = html`<div class="protocol">${u.protocol || defaultOf('Upstream', 'protocol')}</div>`;
  const action = entry.readOnly ? html`<span class="badge ro">read-only: ${entry.source}</span>`
    : html`<a class="edit-upstream" href="${'#/upstreams/' + encodeURIComponent(u.name)}">${canWrite() ? 'Edit' : 'View'}</a>`;
  return html`<tr data-upstream="${u.name}"><td class="title-cell"><strong>${u.name}</strong></td><td data-label="Health" class="health">${healthBadges(u.name)}${reasonsMarkup(t)}</td><td data-label="Traffic">${trafficMarkup(t, 'upstream:' + u.name)}</td><td data-label="Endpoints">${endpoints.length ? endpoints
    : u.discovery ? html`<span class="muted">Kubernetes ${u.discovery.serviceId}: no ready endpoints</span>` : html`<span class="badge warn">not running</span>`}</td><td class="wide-only">${(u.loadBalancer || {}).policy || defaultOf('Upstream', 'loadBalancer.policy')}${u.loadBalancer && u.loadBalancer.hashOn ? ' on ' + u.loadBalancer.hashOn : ''}</td><td class="wide-only">${protocol}${tls}</td><td class="actions">${action} <a class="upstream-traffic" href="${'#/upstream-traffic/' + encodeURIComponent(u.name)}">Traffic</a></td></tr>`;
}

/** The upstream rows from the last configuration and live state; called again by every live refresh. */
function renderUpstreams() {
  const body = $('#upstreams tbody');
  if (!body) return;
  render(body, html`${state.upstreams.map(upstreamRow)}`);
  showEmpty('#upstreams', 'upstreams-empty', state.upstreams.length ? '' : 'No upstreams yet.' + (canWrite() ? ' Create one with New upstream.' : ''));
}

/**
 * The upstream editor's cards after endpoints: one form per policy record of the schema. A policy
 * with a switch is on while it is ticked (with its defaults when no field is filled in); load
 * balancing and TLS always apply. The health check has a switch too, since a check needs no path
 * with type GRPC or on a TCP upstream: ticked with nothing filled in, it is sent with its defaults
 * and the admin API says what is missing (a path, on an HTTP upstream of type HTTP).
 */
const UPSTREAM_POLICIES = [
  { key: 'loadBalancer', def: 'LoadBalancerPolicy', title: 'Load balancing', idPrefix: 'lb-' },
  { key: 'healthCheck', def: 'HealthCheckPolicy', title: 'Active health check', idPrefix: 'health-check-', switch: true, intro: 'Each endpoint is asked every interval: GET path (type HTTP), gRPC\'s health service (type GRPC), or a TCP connection on a TCP upstream; failing ones get no traffic.' },
  { key: 'outlierDetection', def: 'OutlierDetectionPolicy', title: 'Outlier detection', idPrefix: 'outlier-', switch: true, intro: 'Passive health: an endpoint that keeps answering 5xx is ejected for a while.' },
  { key: 'circuitBreaker', def: 'CircuitBreakerPolicy', title: 'Circuit breaker', idPrefix: 'breaker-', switch: true, intro: 'Stops calling the upstream while too many calls fail or are slow; caps concurrent requests.' },
  { key: 'tls', def: 'TlsPolicy', title: 'TLS', idPrefix: 'tls-' },
];

function policyCard(p, upstream) {
  const on = Boolean(upstream[p.key]);
  return html`<div class="card" data-path="${p.key}"><h2>${p.title}</h2>${p.intro ? html`<p class="muted">${p.intro}</p>` : ''}${p.switch ? html`<label class="check"><span><input type="checkbox" id="${p.idPrefix + 'on'}"${on ? html` checked` : ''}> On</span></label>` : ''}<div class="grid" id="${p.idPrefix + 'fields'}"${p.switch && !on ? html` hidden` : ''}>${p.form.html()}</div></div>`;
}

async function upstreamEditor(main, name) {
  state.editing = true;
  const isNew = name === 'new';
  const upstream = isNew ? { endpoints: [{}] } : await api('GET', '/api/upstreams/' + encodeURIComponent(name));
  if (isNew) await loadConfig(); else await loadLive();
  const etag = state.version;
  const ro = !canWrite();
  // an endpoint may be written as its bare URI: the form shows every one as {uri, weight}
  upstream.endpoints = (upstream.endpoints || []).map((e) => (typeof e === 'string' ? { uri: e } : e));
  const form = new SchemaForm('Upstream', '', upstream, { only: ['name', 'endpoints', 'discovery', 'protocol', 'allowLinkLocal', 'allowGatewayPorts'],
    readonly: isNew ? [] : ['name'], idPrefix: 'upstream-', rowLabels: { endpoints: 'Endpoint' } });
  const policies = UPSTREAM_POLICIES.map((p) => Object.assign({ form: new SchemaForm(p.def, p.key, upstream[p.key], { idPrefix: p.idPrefix }) }, p));
  render(main, html`<h1>${isNew ? 'New upstream' : 'Upstream ' + name}</h1>${isNew ? '' : html`<div class="card" id="upstream-live"><h2>Now</h2><div data-live-upstream-card="${name}"></div></div>`}<form id="upstream-form" novalidate><div class="card"><h2>Name, endpoints and protocol</h2><div class="grid">${form.html()}</div></div>${policies.map((p) => policyCard(p, upstream))}${editorButtons('upstream', ro, isNew)}</form>`);
  form.bind();
  policies.forEach((p) => {
    p.form.bind();
    // a policy switched off shows no fields; switched on, its defaults as placeholders
    if (p.switch) $('#' + p.idPrefix + 'on').addEventListener('change', (e) => { $('#' + p.idPrefix + 'fields').hidden = !e.target.checked; });
  });
  renderUpstreamCard();
  const build = () => {
    const u = form.read();
    policies.forEach((p) => {
      let value = p.form.read();
      if (p.switch) value = $('#' + p.idPrefix + 'on').checked ? withDefaultsOn(p.def, value) : undefined;
      setRecord(u, p.key, value);
    });
    return u;
  };
  wireEditor({ noun: 'upstream', kind: 'upstreams', what: 'Upstream', def: 'Upstream', id: isNew ? null : name, etag, build, nameOf: (u) => u.name, readOnly: ro, back: '#/upstreams' });
}

/** The upstream editor's live card: health with its reasons, traffic, and each endpoint now. */
function renderUpstreamCard() {
  const card = $('[data-live-upstream-card]');
  if (!card) return;
  const name = card.dataset.liveUpstreamCard;
  const t = upstreamTraffic(name);
  render(card, html`<div>${healthBadges(name)} ${trafficMarkup(t, 'upstream:' + name)}</div>${reasonsMarkup(t)}${endpointsMarkup(name)}`);
}
