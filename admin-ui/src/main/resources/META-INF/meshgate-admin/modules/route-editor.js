// The route editor (#/routes/ID, #/routes/new): match, backends with the canary slider, mirrors,
// retries, timeout and faults, and the identity cards (CORS, authentication, external authorization).

import { html, render } from './html.js';
import { api, state, canWrite, loadConfig } from './api.js';
import { $, $$ } from './dom.js';
import { backendName } from './format.js';
import { choices, defaultOf, placeholderOf, hintOf, copied, same, isEmpty, num, list, pairs, setRecord, switchedOn } from './schema.js';
import { SchemaForm } from './schema-form.js';
import { editorButtons, wireEditor } from './editor.js';
import { rewriteText, redirectText, headersText, weightOf } from './route-text.js';

const MATCH_MORE = ['grpc', 'listener'];
const CANARY_MORE = ['overrideFrom', 'allowZeroWeight'];
const RETRY_MORE = ['baseInterval', 'maxInterval', 'minRetryConcurrency', 'retryNonIdempotent', 'maxBodySize'];

/** An input for a field of a route: its placeholder and hint (default, else an example) from the schema; attrs is html`` markup. */
function field(label, path, value, attrs) {
  const hint = hintOf('Route', path);
  return html`<label>${label}<input data-path="${path}" value="${value ?? ''}" placeholder="${placeholderOf('Route', path)}" ${attrs}>${hint ? html`<small class="hint" data-hint-for="${path}">${hint}</small>` : ''}</label>`;
}

/** What the form does not edit but keeps: a redirect, a rewrite, header changes (from the API or an import). */
function changesMarkup(route) {
  const texts = [route.redirect ? redirectText(route.redirect) : '', route.rewrite ? 'rewrite ' + rewriteText(route.rewrite) : '',
    route.requestHeaders ? headersText('request headers', route.requestHeaders) : '', route.responseHeaders ? headersText('response headers', route.responseHeaders) : ''].filter(Boolean);
  if (!texts.length) return '';
  return html`<div id="route-changes" class="muted">${texts.map((t) => html`<div>${t}</div>`)}<div>(edited through the API or an import; kept when you apply here)</div></div>`;
}

/** A schema form's fields folded under a title, open when any of them holds other than its default. */
function more(form, id, title) {
  const changed = (n) => { const v = form.value[n]; return v !== undefined && !isEmpty(v) && !same(v, defaultOf(form.def, n)); };
  return html`<details class="wide nested" id="${id}"${form.names(form.def, '').some(changed) && html` open`}><summary>${title}</summary><div class="grid">${form.html()}</div></details>`;
}

function editorMarkup(route, isNew, { protocol, rateLimit, canaryMore, retryMore }, identity, providerNames, ro) {
  const m = route.match || {};
  const canary = route.canary || {}; const retries = route.retries || {}; const fault = route.fault || {};
  const delay = fault.delay || {}; const abort = fault.abort || {};
  const pathType = m.pathType || defaultOf('Route', 'match.pathType');
  const lines = (map) => Object.entries(map || {}).map(([k, v]) => k + ': ' + v).join('\n');
  return html`<h1>${isNew ? 'New route' : 'Route ' + route.id}</h1><form id="route-form" novalidate><div class="card"><h2>Match</h2><div class="grid">${
    field('Id', 'id', route.id, html`id="route-id"${isNew ? '' : html` readonly`}`)}${
    field('Path', 'match.path', m.path, html`id="route-path"`)}<label>Path type<select data-path="match.pathType" id="route-path-type">${
    choices('Route', 'match.pathType').map((t) => html`<option${t === pathType ? html` selected` : ''}>${t}</option>`)}</select></label>${
    field('Methods (empty: any)', 'match.methods', (m.methods || []).join(', '), html`id="route-methods"`)}${
    field('Host (empty: any)', 'match.host', m.host, html`id="route-host"`)}<label>Headers (name: regular expression, one per line)<textarea data-path="match.headers" id="route-headers" rows="2">${
    lines(m.headers)}</textarea></label><label>Query (parameter: regular expression, one per line)<textarea data-path="match.query" id="route-query" rows="2">${
    lines(m.query)}</textarea></label>${protocol.html()}${identity.match.html()}</div>${changesMarkup(route)}</div><div class="card"><h2>Backends</h2><div id="backends"></div><button type="button" class="secondary" id="add-backend">Add backend</button><div id="canary" class="slider" hidden><span>Canary weight</span><input type="range" min="0" max="100" step="1" id="canary-slider" aria-label="Canary weight"><output id="canary-value"></output></div><div class="grid">${
    field('Sticky key (canary.stickyOn; empty: each request draws)', 'canary.stickyOn', canary.stickyOn, html`id="sticky-on"`)}${
    field('Override header (canary.overrideHeader; empty: off)', 'canary.overrideHeader', canary.overrideHeader, html`id="override-header"`)}${
    more(canaryMore, 'canary-more', 'More canary options')}</div></div><div class="card"><h2>Mirrors</h2><div id="mirrors"></div><button type="button" class="secondary" id="add-mirror">Add mirror</button></div><div class="card"><h2>Retries, timeout, faults</h2><div class="grid"><p class="muted wide">Retries are on when any retry field is filled in; an empty one takes its default.</p>${
    field('Retry attempts', 'retries.attempts', retries.attempts, html`id="retry-attempts" inputmode="numeric"`)}${
    field('Per-try timeout (empty: none)', 'retries.perTryTimeout', retries.perTryTimeout, html`id="retry-per-try"`)}${
    field('Retry on', 'retries.retryOn', (retries.retryOn || []).join(', '), html`id="retry-on"`)}${
    field('Retry budget %', 'retries.budgetPercent', retries.budgetPercent, html`id="retry-budget"`)}${
    more(retryMore, 'retry-more', 'More retry options')}${
    field("Route timeout (empty: the gateway's response timeout)", 'timeout', route.timeout, html`id="route-timeout"`)}${
    field('Stream idle timeout (empty: the route does not stream)', 'streamIdleTimeout', route.streamIdleTimeout, html`id="route-stream-idle"`)}${
    field('Fault delay %', 'fault.delay.percentage', delay.percentage, html`id="fault-delay-percentage"`)}${
    field('Fault delay', 'fault.delay.fixedDelay', delay.fixedDelay, html`id="fault-delay"`)}${
    field('Fault abort %', 'fault.abort.percentage', abort.percentage, html`id="fault-abort-percentage"`)}${
    field('Fault abort status', 'fault.abort.httpStatus', abort.httpStatus, html`id="fault-abort-status"`)}</div></div><div class="card" data-path="rateLimit"><h2>Rate limit</h2><p class="muted">On when max tokens is given: each key (by default the client's address) has a bucket of max tokens, refilled by tokens per fill every fill interval; a request that finds it empty gets 429.</p><div class="grid">${
    rateLimit.html()}</div></div>${
    identityCards(identity, route, providerNames)}${editorButtons('route', ro, isNew)}</form>`;
}

export async function routeEditor(main, id) {
  await loadConfig();
  state.editing = true;
  const isNew = id === 'new';
  let route = { match: { path: '' }, backends: [{ upstream: '' }] };
  if (!isNew) route = await api('GET', '/api/routes/' + encodeURIComponent(id));
  const etagVersion = state.version;
  const original = JSON.parse(JSON.stringify(route));
  // stored routes reach stored upstreams only (a read-only source such as the demo may drop its own at any time)
  const upstreamNames = state.upstreams.filter((u) => !u.readOnly).map((u) => u.upstream.name);
  const providerNames = (await api('GET', '/api/jwtProviders', undefined, { notVersioned: true })).jwtProviders.map((p) => p.item.name);
  // gRPC service and method, and the listener port: kept out of the path fields above, shown when set
  const protocol = new SchemaForm('RouteMatch', 'match', route.match, { only: MATCH_MORE, idPrefix: 'route-' });
  const rateLimit = new SchemaForm('RateLimitPolicy', 'rateLimit', route.rateLimit, { idPrefix: 'rate-limit-' });
  // the fields of canary and retries that the hand-made ones above them leave out
  const canaryMore = new SchemaForm('CanaryPolicy', 'canary', route.canary, { only: CANARY_MORE, idPrefix: 'canary-' });
  const retryMore = new SchemaForm('RetryPolicy', 'retries', route.retries, { only: RETRY_MORE, idPrefix: 'retry-' });
  const identity = identityForms(route);
  const ro = !canWrite();
  render(main, editorMarkup(route, isNew, { protocol, rateLimit, canaryMore, retryMore }, identity, providerNames, ro));
  const backends = route.backends || [];
  const mirrors = route.mirrors || [];
  const options = (selected) => html`<option value=""></option>${upstreamNames.map((n) => html`<option${n === selected ? html` selected` : ''}>${n}</option>`)}${
    selected && !upstreamNames.includes(selected) && !/^status:/.test(selected) ? html`<option selected>${selected}</option>` : ''}`;
  // a backend share may be answered by the gateway itself with a 5xx status (backends[].status)
  const backendOptions = (b) => {
    const selected = b.status ? 'status:' + b.status : b.upstream;
    const statuses = [...new Set([500, 502, 503, 504].concat(b.status ? [b.status] : []))];
    return html`${options(selected)}<optgroup label="Answered by the gateway">${statuses.map((c) => html`<option value="${'status:' + c}"${selected === 'status:' + c ? html` selected` : ''}>status ${c}</option>`)}</optgroup>`;
  };
  function renderBackends() {
    render($('#backends'), html`${backends.map((b, i) => html`<div class="row" data-path="${'backends[' + i + ']'}"><label>Upstream<select data-path="${'backends[' + i + '].upstream'}" id="${'backend-upstream-' + i}">${backendOptions(b)}</select></label><label>Weight<input data-path="${'backends[' + i + '].weight'}" id="${'backend-weight-' + i}" value="${b.weight ?? ''}" placeholder="${placeholderOf('Route', 'backends.weight')}" inputmode="numeric" size="5"></label><button type="button" class="secondary remove-backend" data-index="${i}">Remove</button>${backendChanges(b, i)}</div>`)}`);
    $$('#backends select, #backends input').forEach((el) => el.addEventListener('input', () => { readBackends(); syncSlider(); }));
    $$('.remove-backend').forEach((b) => b.addEventListener('click', () => { readBackends(); backends.splice(Number(b.dataset.index), 1); renderBackends(); }));
    syncSlider();
  }
  // a backend's own header changes come from the API or an import (Gateway API backendRef filters); shown, kept on save
  function backendChanges(b, i) {
    const texts = [b.requestHeaders ? headersText('request headers', b.requestHeaders) : '', b.responseHeaders ? headersText('response headers', b.responseHeaders) : ''].filter(Boolean);
    return texts.length ? html`<div class="muted wide" id="${'backend-changes-' + i}">${texts.map((t) => html`<div>${t}</div>`)}</div>` : '';
  }
  function readBackends() {
    backends.forEach((b, i) => {
      const chosen = $('#backend-upstream-' + i).value;
      if (chosen.startsWith('status:')) { b.status = Number(chosen.slice(7)); delete b.upstream; } else { b.upstream = chosen; delete b.status; }
      b.weight = num($('#backend-weight-' + i).value);
    });
  }
  /**
   * The canary slider: shown for two or more backends, it sets the last backend's share in percent
   * (the candidate is added last) and splits the rest among the others in the proportions they
   * have, so that a stable pair plus a status share keeps its ratio. It shows only weights the
   * route can take: one that is not a whole number >= 0 marks its field instead of a percentage.
   */
  const canaryOf = () => backendName(backends[backends.length - 1]) || 'the last backend';
  function syncSlider() {
    const box = $('#canary');
    $$('#backends .field-error[data-for="slider"]').forEach((el) => el.remove());
    const weights = backends.map((b) => Number(weightOf(b)));
    const wrong = weights.findIndex((w) => !Number.isInteger(w) || w < 0);
    if (wrong >= 0) {
      const input = $('#backend-weight-' + wrong);
      const div = document.createElement('div');
      div.className = 'field-error'; div.dataset.for = 'slider';
      div.textContent = 'weight: ' + input.value + ' (expected: a whole number >= 0)';
      input.classList.add('invalid'); input.closest('label').appendChild(div);
    } else $$('#backends input.invalid').forEach((el) => el.classList.remove('invalid'));
    const total = weights.reduce((sum, w) => sum + w, 0);
    box.hidden = backends.length < 2 || wrong >= 0 || total <= 0;
    if (box.hidden) return;
    const pct = Math.round(weights[weights.length - 1] * 100 / total);
    $('#canary-slider').value = pct;
    $('#canary-value').textContent = pct + '% to ' + canaryOf();
  }
  /** Weights summing to 100: pct for the last backend, the rest by the others' proportions (largest remainder). */
  function sliderWeights(pct) {
    const others = backends.slice(0, -1).map((b) => Number(weightOf(b)) || 0);
    const sum = others.reduce((a, w) => a + w, 0);
    const exact = others.map((w) => (100 - pct) * (sum > 0 ? w / sum : 1 / others.length));
    const shares = exact.map(Math.floor);
    let left = 100 - pct - shares.reduce((a, w) => a + w, 0);
    exact.map((x, i) => [x - shares[i], i]).sort((x, y) => y[0] - x[0] || x[1] - y[1]).forEach(([, i]) => { if (left > 0) { shares[i]++; left--; } });
    return shares.concat([pct]);
  }
  $('#canary-slider').addEventListener('input', (e) => {
    const pct = Number(e.target.value);
    sliderWeights(pct).forEach((w, i) => { $('#backend-weight-' + i).value = w; });
    readBackends(); $('#canary-value').textContent = pct + '% to ' + canaryOf();
  });
  function renderMirrors() {
    render($('#mirrors'), mirrors.length ? html`${mirrors.map((x, i) => html`<div class="row" data-path="${'mirrors[' + i + ']'}"><label>Upstream<select data-path="${'mirrors[' + i + '].upstream'}" id="${'mirror-upstream-' + i}">${options(x.upstream)}</select></label><label>Percentage<input data-path="${'mirrors[' + i + '].percentage'}" id="${'mirror-percentage-' + i}" value="${x.percentage ?? ''}" placeholder="${placeholderOf('Route', 'mirrors.percentage')}" size="5"></label><button type="button" class="secondary remove-mirror" data-index="${i}">Remove</button></div>`)}`
      : html`<p class="muted">No mirrors.</p>`);
    $$('.remove-mirror').forEach((b) => b.addEventListener('click', () => { readMirrors(); mirrors.splice(Number(b.dataset.index), 1); renderMirrors(); }));
  }
  function readMirrors() {
    mirrors.forEach((x, i) => { x.upstream = $('#mirror-upstream-' + i).value; x.percentage = num($('#mirror-percentage-' + i).value); });
  }
  renderBackends(); renderMirrors();
  $('#add-backend').addEventListener('click', () => { readBackends(); backends.push({ upstream: '' }); renderBackends(); });
  $('#add-mirror').addEventListener('click', () => { readMirrors(); mirrors.push({ upstream: '' }); renderMirrors(); });

  function build() {
    readBackends(); readMirrors();
    const r = JSON.parse(JSON.stringify(original));
    const v = (sel) => $(sel).value.trim();
    const set = (obj, key, value) => { if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) delete obj[key]; else obj[key] = value; };
    set(r, 'id', v('#route-id'));
    r.match = r.match || {};
    set(r.match, 'path', v('#route-path'));
    set(r.match, 'methods', list(v('#route-methods')));
    set(r.match, 'host', v('#route-host'));
    const headers = {};
    v('#route-headers').split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => { const c = l.indexOf(':'); headers[(c < 0 ? l : l.slice(0, c)).trim()] = c < 0 ? '' : l.slice(c + 1).trim(); });
    if (Object.keys(headers).length) r.match.headers = headers; else delete r.match.headers;
    set(r.match, 'pathType', v('#route-path-type'));
    const query = pairs($('#route-query').value, ':');
    if (Object.keys(query).length) r.match.query = query; else delete r.match.query;
    const protocolMatch = protocol.read();
    MATCH_MORE.forEach((k) => setRecord(r.match, k, protocolMatch[k]));
    // a share answered with a status calls no upstream: it has no other fields; an upstream's keeps those the form does not show
    r.backends = r.redirect ? [] : backends.map((b) => (b.status ? { status: b.status, weight: b.weight } : Object.assign({}, b, { upstream: b.upstream, weight: b.weight })));
    r.canary = Object.assign({}, r.canary || {});
    set(r.canary, 'stickyOn', v('#sticky-on')); set(r.canary, 'overrideHeader', v('#override-header'));
    const canaryRead = canaryMore.read(); CANARY_MORE.forEach((k) => set(r.canary, k, canaryRead[k]));
    if (!Object.keys(r.canary).length) delete r.canary;
    set(r, 'mirrors', mirrors.map((x) => Object.assign({}, (original.mirrors || []).find((o) => o.upstream === x.upstream) || {}, { upstream: x.upstream, percentage: x.percentage })));
    r.retries = Object.assign({}, r.retries || {});
    set(r.retries, 'attempts', num(v('#retry-attempts'))); set(r.retries, 'perTryTimeout', v('#retry-per-try'));
    set(r.retries, 'retryOn', list(v('#retry-on'))); set(r.retries, 'budgetPercent', num(v('#retry-budget')));
    const retryRead = retryMore.read(); RETRY_MORE.forEach((k) => set(r.retries, k, retryRead[k]));
    if (!Object.keys(r.retries).length) delete r.retries;
    set(r, 'timeout', v('#route-timeout'));
    set(r, 'streamIdleTimeout', v('#route-stream-idle'));
    r.fault = { delay: {}, abort: {} };
    set(r.fault.delay, 'percentage', num(v('#fault-delay-percentage'))); set(r.fault.delay, 'fixedDelay', v('#fault-delay'));
    set(r.fault.abort, 'percentage', num(v('#fault-abort-percentage'))); set(r.fault.abort, 'httpStatus', num(v('#fault-abort-status')));
    setRecord(r, 'rateLimit', switchedOn('RateLimitPolicy', rateLimit.read()));
    readIdentity(identity, r, original);
    return r;
  }
  [protocol, rateLimit, canaryMore, retryMore].forEach((f) => f.bind()); Object.values(identity).forEach((f) => f.bind());
  wireEditor({ noun: 'route', kind: 'routes', what: 'Route', def: 'Route', id: isNew ? null : id, etag: etagVersion, build, nameOf: (r) => r.id, readOnly: ro, back: '#/routes' });
}

// ---------- a route's identity and access: CORS, authentication, external authorization, identity match ----------

function identityForms(route) {
  const auth = route.authentication || {};
  return {
    match: new SchemaForm('RouteMatch', 'match', route.match, { only: ['claims', 'principals'], idPrefix: 'route-' }),
    cors: new SchemaForm('CorsPolicy', 'cors', route.cors, { idPrefix: 'cors-' }),
    jwt: new SchemaForm('JwtRequirement', 'authentication.jwt', auth.jwt, { skip: ['providers'], idPrefix: 'jwt-' }),
    apiKey: new SchemaForm('ApiKeyRequirement', 'authentication.apiKey', auth.apiKey, { idPrefix: 'api-key-' }),
    extAuthz: new SchemaForm('ExtAuthzPolicy', 'extAuthz', route.extAuthz, { idPrefix: 'ext-authz-' }),
  };
}

/** The cards of the route editor for CORS, authentication (providers chosen from those configured) and external authorization. */
function identityCards(forms, route, providerNames) {
  const auth = route.authentication || {};
  const chosen = (auth.jwt || {}).providers || [];
  const names = providerNames.concat(chosen.filter((n) => !providerNames.includes(n)));
  return html`<div class="card" data-path="cors"><h2>Cross-origin requests (CORS)</h2><p class="muted">On when allowed origins are given: the gateway answers browsers' preflights itself, before authentication.</p><div class="grid">${forms.cors.html()}</div></div><div class="card" data-path="authentication"><h2>Authentication</h2><p class="muted">Requests must carry a token of a chosen JWT provider, or a consumer's API key; with both, either passes.</p><div class="checks" data-path="authentication.jwt.providers" id="jwt-providers"><span class="rows-title">JWT providers</span>${names.length
    ? names.map((n) => html`<label class="check"><span><input type="checkbox" class="jwt-provider" id="${'jwt-provider-' + n}" value="${n}"${chosen.includes(n) ? html` checked` : ''}> ${n}</span></label>`)
    : html`<span class="muted">None configured: <a href="#/jwtProviders/new">add a JWT provider</a>.</span>`}</div><div class="grid">${forms.jwt.html()}</div><div data-path="authentication.apiKey"><label class="check"><span><input type="checkbox" id="api-key-on"${auth.apiKey ? html` checked` : ''}> API key of a <a href="#/consumers">consumer</a></span></label><div class="grid">${forms.apiKey.html()}</div></div></div><div class="card" data-path="extAuthz"><h2>External authorization</h2><p class="muted">On when a URI is given: an auth service decides on each request first (Envoy ext_authz, HTTP).</p><div class="grid">${forms.extAuthz.html()}</div></div>`;
}

/** Reads the identity cards into route r; what they do not show stays as the route was read. */
function readIdentity(forms, r, original) {
  r.match = r.match || {};
  const match = forms.match.read();
  ['claims', 'principals'].forEach((k) => setRecord(r.match, k, match[k]));
  setRecord(r, 'cors', switchedOn('CorsPolicy', forms.cors.read()));
  const auth = copied(original.authentication) || {};
  const providers = $$('.jwt-provider').filter((c) => c.checked).map((c) => c.value);
  if (providers.length) {
    const jwt = forms.jwt.read();
    const before = jwt.providers || [];
    jwt.providers = same([...before].sort(), [...providers].sort()) ? before : providers;
    auth.jwt = jwt;
  } else delete auth.jwt;
  if ($('#api-key-on').checked) {
    const key = forms.apiKey.read();
    // an empty apiKey object would bind to nothing: the header is written out, its default from the schema
    auth.apiKey = isEmpty(key) ? { fromHeader: defaultOf('ApiKeyRequirement', 'fromHeader') } : key;
  } else delete auth.apiKey;
  setRecord(r, 'authentication', auth);
  setRecord(r, 'extAuthz', switchedOn('ExtAuthzPolicy', forms.extAuthz.read()));
}
