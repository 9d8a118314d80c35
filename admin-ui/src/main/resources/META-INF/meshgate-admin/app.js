// Meshgate admin UI: plain JavaScript, no build step, no external assets.
'use strict';

const state = { me: null, schema: null, version: null, routes: [], upstreams: [], live: {}, editing: false, filter: '' };
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const canWrite = () => state.me && state.me.roles.includes('editor');

class ApiError extends Error {
  constructor(status, body) { super(body && body.message ? body.message : 'HTTP ' + status); this.status = status; this.body = body || {}; }
}

async function api(method, path, body, options = {}) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = options.contentType || 'application/json';
  if (options.ifMatch) headers['If-Match'] = '"' + options.ifMatch + '"';
  if (method !== 'GET' && state.me && state.me.csrf) headers[state.me.csrf.headerName] = state.me.csrf.token;
  const response = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  if (response.status === 401) { location.href = '/login'; throw new ApiError(401); }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  const etag = response.headers.get('ETag');
  if (etag && !options.notVersioned) setVersion(Number(etag.replace(/"/g, '')));
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { message: data });
  return data;
}

function setVersion(version) {
  state.version = version;
  $('#version').textContent = 'version ' + version;
}

function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

function diffHtml(diff) {
  if (!diff) return '<p class="muted">No change.</p>';
  return '<pre class="diff" id="diff">' + diff.split('\n').map((line) => {
    const cls = line.startsWith('+++') || line.startsWith('---') ? '' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    return '<span class="' + cls + '">' + esc(line) + '</span>';
  }).join('\n') + '</pre>';
}

// ---------- the configuration's schema: defaults, examples and choices come from the records ----------

async function loadSchema() {
  state.schema = await api('GET', '/api/schema', undefined, { notVersioned: true });
}

/** Follows a reference, a list's items or the object form of a field written either way. */
function resolve(node) {
  for (;;) {
    if (node.$ref) node = state.schema.$defs[node.$ref.replace('#/$defs/', '')];
    else if (node.items) node = node.items;
    else if (node.anyOf && !node.properties) node = node.anyOf.find((n) => n.$ref) || node.anyOf[0];
    else return node;
  }
}

/** The schema of a field of a record: fieldSchema('Route', 'retries.attempts'). */
function fieldSchema(record, path) {
  let node = { $ref: '#/$defs/' + record };
  for (const key of path.split('.')) {
    node = (resolve(node).properties || {})[key];
    if (!node) throw new Error('the schema has no field ' + record + '.' + path);
  }
  return node;
}

const defaultOf = (record, path) => fieldSchema(record, path).default;
const choices = (record, path) => resolve(fieldSchema(record, path)).enum || [];
const shown = (v) => (Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v));

/** What an empty field means: its default, else an example of what to write. */
function placeholderOf(record, path) {
  const node = fieldSchema(record, path);
  return shown(node.default !== undefined ? node.default : (node.examples || [])[0]);
}

/** The line under a field: its default, when it has one, or what the default follows. */
function hintOf(record, path) {
  const node = fieldSchema(record, path);
  if (node.default !== undefined && (Array.isArray(node.default) || typeof node.default !== 'object')) return 'default ' + shown(node.default);
  return node['x-defaultFrom'] ? 'default: follows ' + node['x-defaultFrom'].join(', ') : '';
}

// ---------- live state ----------

async function refreshLive() {
  try {
    const live = await api('GET', '/api/state');
    state.live = live.upstreams || {};
    $$('[data-live-upstream]').forEach((el) => { el.innerHTML = healthBadges(el.dataset.liveUpstream); });
    renderUpstreams();
    if (!state.editing && state.version !== null && live.version !== state.loadedVersion && currentPage() === 'routes') {
      await loadConfig();
      renderRoutesTable();
    }
  } catch (e) { /* next round */ }
}

function healthBadges(name) {
  const u = state.live[name];
  if (!u) return '<span class="badge warn" title="not running">no endpoints</span>';
  const serving = u.endpoints.filter((e) => e.health === 'serving').length;
  const cls = serving === 0 ? 'bad' : serving < u.endpoints.length ? 'warn' : 'ok';
  const breaker = u.breaker && u.breaker !== 'none' ? ' <span class="badge ' + (u.breaker === 'closed' ? 'ok' : 'bad') + '">breaker ' + esc(u.breaker) + '</span>' : '';
  return '<span class="badge ' + cls + '" title="endpoints serving">' + serving + '/' + u.endpoints.length + ' up</span>' + breaker;
}

async function loadConfig() {
  const [routes, upstreams] = await Promise.all([api('GET', '/api/routes'), api('GET', '/api/upstreams')]);
  state.routes = routes.routes;
  state.upstreams = upstreams.upstreams;
  state.loadedVersion = routes.version;
}

// ---------- routes list ----------

/** A route's match, briefly: methods, path type (unless a pattern) and path, host, headers, query. */
function matchHtml(m) {
  const type = m.pathType && m.pathType !== defaultOf('Route', 'match.pathType') ? '<span class="badge">' + esc(m.pathType.toLowerCase()) + '</span> ' : '';
  return type + '<code>' + esc((m.methods || []).join(',')) + ' ' + esc(m.path) + '</code>' + (m.host ? '<div class="muted">host ' + esc(m.host) + '</div>' : '')
    + Object.entries(m.headers || {}).map(([k, v]) => '<div class="muted">' + esc(k) + ' ~ ' + esc(v) + '</div>').join('')
    + Object.entries(m.query || {}).map(([k, v]) => '<div class="muted">?' + esc(k) + ' ~ ' + esc(v) + '</div>').join('');
}

function rewriteText(w) {
  return [w.hostname ? 'host ' + w.hostname : '', w.replaceFullPath ? 'path ' + w.replaceFullPath : '',
    w.replacePrefixMatch ? 'prefix → ' + w.replacePrefixMatch : ''].filter(Boolean).join(', ');
}

function redirectText(d) {
  const parts = [d.scheme ? d.scheme + '://' : '', d.hostname || '', d.port ? ':' + d.port : '',
    d.replaceFullPath || (d.replacePrefixMatch ? 'prefix → ' + d.replacePrefixMatch : '')].join('');
  return 'redirect ' + (d.statusCode ?? defaultOf('Route', 'redirect.statusCode')) + (parts ? ' to ' + parts : '');
}

function headersText(name, h) {
  return name + ': ' + [Object.entries(h.set || {}).map(([k, v]) => 'set ' + k + ': ' + v),
    Object.entries(h.add || {}).map(([k, v]) => 'add ' + k + ': ' + v),
    (h.remove || []).map((k) => 'remove ' + k)].flat().join('; ');
}

function routeText(r) {
  const m = r.route.match || {};
  const parts = [r.route.id, m.path, m.host, r.source];
  (r.route.backends || []).forEach((b) => parts.push(b.upstream));
  (r.route.mirrors || []).forEach((b) => parts.push(b.upstream));
  return parts.filter(Boolean).join(' ').toLowerCase();
}

const weightOf = (b) => b.weight ?? defaultOf('Route', 'backends.weight');
const mirroredOf = (x) => x.percentage ?? defaultOf('Route', 'mirrors.percentage');

async function pageRoutes() {
  await loadConfig();
  $('#app').innerHTML = '<h1>Routes</h1><div class="toolbar">'
    + '<input type="search" id="search" placeholder="Search id, path, host, upstream, source" value="' + esc(state.filter) + '" aria-label="Search routes">'
    + '<span id="count" class="muted"></span>'
    + (canWrite() ? '<a href="#/routes/new"><button type="button" id="new-route">New route</button></a>' : '')
    + '</div><div class="table-wrap"><table id="routes"><thead><tr><th>Route</th><th>Match</th><th>Backends and weights</th>'
    + '<th class="wide-only">Mirrors</th><th class="wide-only">Policies</th><th>Health</th><th></th></tr></thead><tbody></tbody></table></div>';
  $('#search').addEventListener('input', (e) => { state.filter = e.target.value; applyFilter(); });
  renderRoutesTable();
}

function renderRoutesTable() {
  const body = $('#routes tbody');
  if (!body) return;
  body.innerHTML = state.routes.map((r, i) => {
    const route = r.route; const m = route.match || {};
    const total = (route.backends || []).reduce((s, b) => s + weightOf(b), 0) || 1;
    const backends = (route.backends || []).map((b) => {
      const pct = Math.round(weightOf(b) * 100 / total);
      return '<div><span class="bar" style="width:' + Math.max(2, pct) + 'px"></span><code>' + esc(b.upstream) + '</code> ' + pct + '% <span class="muted">(' + esc(weightOf(b)) + ')</span></div>';
    }).join('');
    const mirrors = (route.mirrors || []).map((x) => '<div><code>' + esc(x.upstream) + '</code> ' + esc(mirroredOf(x)) + '%</div>').join('');
    const policies = [route.retries ? 'retries ' + (route.retries.attempts ?? defaultOf('Route', 'retries.attempts')) : '', route.timeout ? 'timeout ' + route.timeout : '',
      route.canary && route.canary.stickyOn ? 'sticky ' + route.canary.stickyOn : '',
      route.fault && ((route.fault.delay || {}).percentage > 0 || (route.fault.abort || {}).percentage > 0) ? 'fault' : '',
      route.rateLimit ? 'rate limit ' + route.rateLimit.maxTokens : '',
      route.requestHeaders ? 'request headers' : '', route.responseHeaders ? 'response headers' : '',
      route.rewrite ? 'rewrite ' + rewriteText(route.rewrite) : ''].filter(Boolean).map((p) => '<span class="badge">' + esc(p) + '</span>').join('');
    const health = (route.backends || []).map((b) => '<div><code>' + esc(b.upstream) + '</code> <span data-live-upstream="' + esc(b.upstream) + '">' + healthBadges(b.upstream) + '</span></div>').join('');
    const actions = r.readOnly ? '<span class="badge ro" title="owned by ' + esc(r.source) + '">read-only: ' + esc(r.source) + '</span>'
      : '<a href="#/routes/' + encodeURIComponent(route.id) + '" class="edit-route">' + (canWrite() ? 'Edit' : 'View') + '</a>';
    return '<tr data-index="' + i + '" data-route="' + esc(route.id) + '"><td><strong>' + esc(route.id) + '</strong></td>'
      + '<td>' + matchHtml(m) + '</td>'
      + '<td>' + (route.redirect ? '<div class="redirect">' + esc(redirectText(route.redirect)) + '</div>' : backends) + '</td><td class="wide-only">' + (mirrors || '<span class="muted">none</span>') + '</td><td class="wide-only">' + policies + '</td>'
      + '<td>' + health + '</td><td>' + actions + '</td></tr>';
  }).join('');
  state.routeTexts = state.routes.map(routeText);
  applyFilter();
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
}

// ---------- route editor ----------

/** An input for a field of a route: its placeholder and hint (default, else an example) from the schema. */
const field = (label, path, value, attrs = '') => {
  const hint = hintOf('Route', path);
  return '<label>' + label + '<input data-path="' + path + '" value="' + esc(value ?? '') + '" placeholder="' + esc(placeholderOf('Route', path)) + '" ' + attrs + '>'
    + (hint ? '<small class="hint" data-hint-for="' + path + '">' + esc(hint) + '</small>' : '') + '</label>';
};
const num = (v) => (v === '' || v === undefined || v === null ? undefined : (isNaN(Number(v)) ? v : Number(v)));
const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);

async function pageRouteEditor(id) {
  await loadConfig();
  state.editing = true;
  const isNew = id === 'new';
  let route = { match: { path: '' }, backends: [{ upstream: '' }] };
  let etagVersion = state.version;
  if (!isNew) route = await api('GET', '/api/routes/' + encodeURIComponent(id));
  etagVersion = state.version;
  const original = JSON.parse(JSON.stringify(route));
  const upstreamNames = state.upstreams.map((u) => u.upstream.name);
  const ro = !canWrite();
  const m = route.match || {};
  const canary = route.canary || {}; const retries = route.retries || {}; const fault = route.fault || {};
  const delay = fault.delay || {}; const abort = fault.abort || {};
  $('#app').innerHTML = '<h1>' + (isNew ? 'New route' : 'Route ' + esc(route.id)) + '</h1>'
    + '<form id="route-form" novalidate><div class="card"><h2>Match</h2><div class="grid">'
    + field('Id', 'id', route.id, 'id="route-id"' + (isNew ? '' : ' readonly'))
    + field('Path', 'match.path', m.path, 'id="route-path"')
    + '<label>Path type<select data-path="match.pathType" id="route-path-type">' + choices('Route', 'match.pathType').map((t) => '<option' + (t === (m.pathType || defaultOf('Route', 'match.pathType')) ? ' selected' : '') + '>' + esc(t) + '</option>').join('') + '</select></label>'
    + field('Methods (empty: any)', 'match.methods', (m.methods || []).join(', '), 'id="route-methods"')
    + field('Host (empty: any)', 'match.host', m.host, 'id="route-host"')
    + '<label>Headers (name: regular expression, one per line)<textarea data-path="match.headers" id="route-headers" rows="2">'
    + esc(Object.entries(m.headers || {}).map(([k, v]) => k + ': ' + v).join('\n')) + '</textarea></label>'
    + '<label>Query (parameter: regular expression, one per line)<textarea data-path="match.query" id="route-query" rows="2">'
    + esc(Object.entries(m.query || {}).map(([k, v]) => k + ': ' + v).join('\n')) + '</textarea></label></div>'
    + (route.redirect || route.rewrite || route.requestHeaders || route.responseHeaders
      ? '<div id="route-changes" class="muted">' + [route.redirect ? redirectText(route.redirect) : '', route.rewrite ? 'rewrite ' + rewriteText(route.rewrite) : '',
        route.requestHeaders ? headersText('request headers', route.requestHeaders) : '', route.responseHeaders ? headersText('response headers', route.responseHeaders) : '']
        .filter(Boolean).map((t) => '<div>' + esc(t) + '</div>').join('') + '<div>(edited through the API or an import; kept when you apply here)</div></div>' : '')
    + '</div>'
    + '<div class="card"><h2>Backends</h2><div id="backends"></div><button type="button" class="secondary" id="add-backend">Add backend</button>'
    + '<div id="canary" class="slider" hidden><span>Canary weight</span><input type="range" min="0" max="100" step="1" id="canary-slider" aria-label="Canary weight"><output id="canary-value"></output></div>'
    + '<div class="grid">' + field('Sticky key (canary.stickyOn; empty: each request draws)', 'canary.stickyOn', canary.stickyOn, 'id="sticky-on"')
    + field('Override header (canary.overrideHeader; empty: off)', 'canary.overrideHeader', canary.overrideHeader, 'id="override-header"') + '</div></div>'
    + '<div class="card"><h2>Mirrors</h2><div id="mirrors"></div><button type="button" class="secondary" id="add-mirror">Add mirror</button></div>'
    + '<div class="card"><h2>Retries, timeout, faults</h2><div class="grid">'
    + '<p class="muted wide">Retries are on when any retry field is filled in; an empty one takes its default.</p>'
    + field('Retry attempts', 'retries.attempts', retries.attempts, 'id="retry-attempts" inputmode="numeric"')
    + field('Per-try timeout (empty: none)', 'retries.perTryTimeout', retries.perTryTimeout, 'id="retry-per-try"')
    + field('Retry on', 'retries.retryOn', (retries.retryOn || []).join(', '), 'id="retry-on"')
    + field('Retry budget %', 'retries.budgetPercent', retries.budgetPercent, 'id="retry-budget"')
    + field('Route timeout (empty: the gateway\'s response timeout)', 'timeout', route.timeout, 'id="route-timeout"')
    + field('Fault delay %', 'fault.delay.percentage', delay.percentage, 'id="fault-delay-percentage"')
    + field('Fault delay', 'fault.delay.fixedDelay', delay.fixedDelay, 'id="fault-delay"')
    + field('Fault abort %', 'fault.abort.percentage', abort.percentage, 'id="fault-abort-percentage"')
    + field('Fault abort status', 'fault.abort.httpStatus', abort.httpStatus, 'id="fault-abort-status"')
    + '</div></div><div id="form-errors" class="errors"></div>'
    + (ro ? '<p class="muted">Read only: your role may not change routes.</p>' : '<div class="toolbar"><button type="button" id="preview-route" class="secondary">Show diff</button>'
      + '<button type="submit" id="save-route">Apply</button>' + (isNew ? '' : '<button type="button" id="delete-route" class="danger">Delete</button>') + '</div>')
    + '<div id="preview"></div></form>';
  const backends = route.backends || [];
  const mirrors = route.mirrors || [];
  const options = (selected) => '<option value=""></option>' + upstreamNames.map((n) => '<option' + (n === selected ? ' selected' : '') + '>' + esc(n) + '</option>').join('')
    + (selected && !upstreamNames.includes(selected) ? '<option selected>' + esc(selected) + '</option>' : '');
  function renderBackends() {
    $('#backends').innerHTML = backends.map((b, i) => '<div class="row" data-path="backends[' + i + ']"><label>Upstream<select data-path="backends[' + i + '].upstream" id="backend-upstream-' + i + '">' + options(b.upstream) + '</select></label>'
      + '<label>Weight<input data-path="backends[' + i + '].weight" id="backend-weight-' + i + '" value="' + esc(b.weight ?? '') + '" placeholder="' + esc(placeholderOf('Route', 'backends.weight')) + '" inputmode="numeric" size="5"></label>'
      + '<button type="button" class="secondary remove-backend" data-index="' + i + '">Remove</button></div>').join('');
    $$('#backends select, #backends input').forEach((el) => el.addEventListener('input', () => { readBackends(); syncSlider(); }));
    $$('.remove-backend').forEach((b) => b.addEventListener('click', () => { readBackends(); backends.splice(Number(b.dataset.index), 1); renderBackends(); }));
    syncSlider();
  }
  function readBackends() {
    backends.forEach((b, i) => { b.upstream = $('#backend-upstream-' + i).value; b.weight = num($('#backend-weight-' + i).value); });
  }
  function syncSlider() {
    const box = $('#canary');
    box.hidden = backends.length !== 2;
    if (backends.length === 2) {
      const a = Number(weightOf(backends[0])) || 0; const b = Number(weightOf(backends[1])) || 0;
      const pct = a + b > 0 ? Math.round(b * 100 / (a + b)) : 0;
      $('#canary-slider').value = pct;
      $('#canary-value').textContent = pct + '% to ' + (backends[1].upstream || 'the second backend');
    }
  }
  $('#canary-slider').addEventListener('input', (e) => {
    const pct = Number(e.target.value);
    $('#backend-weight-0').value = 100 - pct; $('#backend-weight-1').value = pct;
    readBackends(); $('#canary-value').textContent = pct + '% to ' + (backends[1].upstream || 'the second backend');
  });
  function renderMirrors() {
    $('#mirrors').innerHTML = mirrors.map((x, i) => '<div class="row" data-path="mirrors[' + i + ']"><label>Upstream<select data-path="mirrors[' + i + '].upstream" id="mirror-upstream-' + i + '">' + options(x.upstream) + '</select></label>'
      + '<label>Percentage<input data-path="mirrors[' + i + '].percentage" id="mirror-percentage-' + i + '" value="' + esc(x.percentage ?? '') + '" placeholder="' + esc(placeholderOf('Route', 'mirrors.percentage')) + '" size="5"></label>'
      + '<button type="button" class="secondary remove-mirror" data-index="' + i + '">Remove</button></div>').join('') || '<p class="muted">No mirrors.</p>';
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
    const v = (id) => $(id).value.trim();
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
    r.backends = r.redirect ? [] : backends.map((b) => ({ upstream: b.upstream, weight: b.weight }));
    r.canary = Object.assign({}, r.canary || {});
    set(r.canary, 'stickyOn', v('#sticky-on')); set(r.canary, 'overrideHeader', v('#override-header'));
    if (!Object.keys(r.canary).length) delete r.canary;
    set(r, 'mirrors', mirrors.map((x) => Object.assign({}, (original.mirrors || []).find((o) => o.upstream === x.upstream) || {}, { upstream: x.upstream, percentage: x.percentage })));
    r.retries = Object.assign({}, r.retries || {});
    set(r.retries, 'attempts', num(v('#retry-attempts'))); set(r.retries, 'perTryTimeout', v('#retry-per-try'));
    set(r.retries, 'retryOn', list(v('#retry-on'))); set(r.retries, 'budgetPercent', num(v('#retry-budget')));
    if (!Object.keys(r.retries).length) delete r.retries;
    set(r, 'timeout', v('#route-timeout'));
    r.fault = { delay: {}, abort: {} };
    set(r.fault.delay, 'percentage', num(v('#fault-delay-percentage'))); set(r.fault.delay, 'fixedDelay', v('#fault-delay'));
    set(r.fault.abort, 'percentage', num(v('#fault-abort-percentage'))); set(r.fault.abort, 'httpStatus', num(v('#fault-abort-status')));
    return r;
  }
  // Apply always shows the diff first (a dry run) and applies exactly that change on confirmation.
  async function submit(dryRun, confirmed) {
    clearErrors();
    const r = confirmed || build();
    const path = isNew ? '/api/routes' : '/api/routes/' + encodeURIComponent(id);
    const preview = dryRun || !confirmed;
    try {
      const result = await api(isNew ? 'POST' : 'PUT', path + (preview ? '?dryRun=true' : ''), r, { ifMatch: etagVersion });
      if (preview) {
        $('#preview').innerHTML = '<h2>This change would do</h2>' + diffHtml(result.diff)
          + (dryRun ? '' : '<div class="toolbar"><button type="button" id="confirm-apply">Apply this change</button><button type="button" class="secondary" id="cancel-apply">Keep editing</button></div>');
        if (!dryRun) {
          $('#confirm-apply').addEventListener('click', () => submit(false, r));
          $('#cancel-apply').addEventListener('click', () => { $('#preview').innerHTML = ''; });
          $('#confirm-apply').scrollIntoView();
        }
        return;
      }
      state.editing = false; toast('Route ' + r.id + ' saved: version ' + result.version); location.hash = '#/routes';
    } catch (e) { showErrors(e, 'routes[' + (r.id || '') + ']'); }
  }
  if (!ro) {
    $('#route-form').addEventListener('submit', (e) => { e.preventDefault(); submit(false); });
    $('#preview-route').addEventListener('click', () => submit(true));
    const del = $('#delete-route');
    if (del) del.addEventListener('click', async () => {
      if (!confirm('Delete route ' + id + '?')) return;
      try { const result = await api('DELETE', '/api/routes/' + encodeURIComponent(id), undefined, { ifMatch: etagVersion }); toast('Deleted: version ' + result.version); state.editing = false; location.hash = '#/routes'; }
      catch (e) { showErrors(e, 'routes[' + id + ']'); }
    });
  } else {
    $$('#route-form input, #route-form select, #route-form textarea, #route-form button').forEach((el) => { el.disabled = true; });
  }
}

function clearErrors() {
  $$('.field-error').forEach((el) => el.remove());
  $$('.invalid').forEach((el) => el.classList.remove('invalid'));
  const box = $('#form-errors'); if (box) box.innerHTML = '';
}

/** Puts each error next to its field: routes[orders].backends[1].weight goes to [data-path="backends[1].weight"]. */
function showErrors(error, prefix) {
  const box = $('#form-errors');
  if (error.status === 409) {
    box.innerHTML = '<p class="field-error" data-for="version">' + esc(error.message) + ' <button type="button" class="secondary" id="reload">Reload</button></p>';
    $('#reload').addEventListener('click', () => location.reload());
    return;
  }
  const errors = error.body.errors || [{ path: '', message: error.message }];
  const loose = [];
  errors.forEach((e) => {
    let path = e.path || '';
    const p = path.indexOf('].');
    if (path.startsWith(prefix.replace(/\[.*$/, '[')) && p > 0) path = path.slice(p + 2);
    let target = null;
    for (let candidate = path; candidate && !target; candidate = candidate.replace(/(\.[^.\[]+|\[[^\]]*\])$/, '')) {
      target = document.querySelector('[data-path="' + CSS.escape(candidate) + '"]');
      if (candidate === candidate.replace(/(\.[^.\[]+|\[[^\]]*\])$/, '')) break;
    }
    if (target) {
      const div = document.createElement('div');
      div.className = 'field-error'; div.dataset.for = e.path; div.textContent = e.message;
      if (target.matches('input, select, textarea')) { target.classList.add('invalid'); target.parentElement.after(div); }
      else target.appendChild(div);
    } else loose.push(e);
  });
  box.innerHTML = loose.map((e) => '<div class="field-error" data-for="' + esc(e.path) + '">' + esc(e.path ? e.path + ': ' : '') + esc(e.message) + '</div>').join('');
}

// ---------- upstreams ----------

async function pageUpstreams() {
  await loadConfig();
  await refreshLive();
  $('#app').innerHTML = '<h1>Upstreams</h1><div class="toolbar">' + (canWrite() ? '<a href="#/upstreams/new"><button type="button" id="new-upstream">New upstream</button></a>' : '') + '</div>'
    + '<div class="table-wrap"><table id="upstreams"><thead><tr><th>Upstream</th><th>Endpoints: health, ejection, requests in flight</th><th>Load balancing</th><th>Breaker</th><th>TLS</th><th></th></tr></thead><tbody></tbody></table></div>';
  renderUpstreams();
}

/** The upstream rows from the last configuration and live state; called again by every live refresh. */
function renderUpstreams() {
  const body = $('#upstreams tbody');
  if (!body) return;
  body.innerHTML = state.upstreams.map((entry) => {
      const u = entry.upstream; const live = state.live[u.name] || { endpoints: [] };
      const endpoints = live.endpoints.map((e) => '<div><code>' + esc(e.address) + '</code> <span class="badge ' + (e.health === 'serving' ? 'ok' : 'bad') + '">' + esc(e.health) + '</span>'
        + (e.ejectedUntil ? ' <span class="muted">until ' + esc(e.ejectedUntil) + '</span>' : '') + ' <span class="muted">w' + esc(e.weight) + ', ' + esc(e.inFlight) + ' in flight</span></div>').join('')
        || (u.discovery ? '<span class="muted">Kubernetes ' + esc(u.discovery.serviceId) + ': no ready endpoints</span>' : '<span class="badge warn">not running</span>');
      const lb = esc((u.loadBalancer || {}).policy || defaultOf('Upstream', 'loadBalancer.policy')) + (u.loadBalancer && u.loadBalancer.hashOn ? ' on ' + esc(u.loadBalancer.hashOn) : '');
      const tls = u.tls ? esc(u.tls.mode || 'on') + (live.certificateExpiry ? '<div class="muted">expires ' + esc(live.certificateExpiry) + '</div>' : '') : '<span class="muted">plain</span>';
      const breaker = live.breaker && live.breaker !== 'none' ? '<span class="badge">' + esc(live.breaker) + '</span>' : '<span class="muted">none</span>';
      const action = entry.readOnly ? '<span class="badge ro">read-only: ' + esc(entry.source) + '</span>' : '<a href="#/upstreams/' + encodeURIComponent(u.name) + '">' + (canWrite() ? 'Edit' : 'View') + '</a>';
      return '<tr data-upstream="' + esc(u.name) + '"><td><strong>' + esc(u.name) + '</strong></td><td>' + endpoints + '</td><td>' + lb + '</td><td>' + breaker + '</td><td>' + tls + '</td><td>' + action + '</td></tr>';
    }).join('');
}

async function pageUpstreamEditor(name) {
  state.editing = true;
  const isNew = name === 'new';
  const upstream = isNew ? { name: '', endpoints: [placeholderOf('Upstream', 'endpoints.uri')], loadBalancer: { policy: defaultOf('Upstream', 'loadBalancer.policy') } }
    : await api('GET', '/api/upstreams/' + encodeURIComponent(name));
  const etagVersion = state.version;
  $('#app').innerHTML = '<h1>' + (isNew ? 'New upstream' : 'Upstream ' + esc(name)) + '</h1><form id="upstream-form" class="card" novalidate>'
    + '<p class="muted">The whole upstream as JSON: every field of the model can be edited here, including ones added in later versions (health checks, outlier detection, breakers, TLS).</p>'
    + '<label>Upstream<textarea id="upstream-json" data-path="" rows="14">' + esc(JSON.stringify(upstream, null, 2)) + '</textarea></label>'
    + '<div id="form-errors" class="errors"></div>'
    + (canWrite() ? '<div class="toolbar"><button type="button" class="secondary" id="preview-upstream">Show diff</button><button type="submit" id="save-upstream">Apply</button>'
      + (isNew ? '' : '<button type="button" class="danger" id="delete-upstream">Delete</button>') + '</div>' : '')
    + '<div id="preview"></div></form>';
  async function submit(dryRun) {
    clearErrors();
    let body;
    try { body = JSON.parse($('#upstream-json').value); } catch (e) { $('#form-errors').textContent = 'Not valid JSON: ' + e.message; return; }
    try {
      const result = await api(isNew ? 'POST' : 'PUT', (isNew ? '/api/upstreams' : '/api/upstreams/' + encodeURIComponent(name)) + (dryRun ? '?dryRun=true' : ''), body, { ifMatch: etagVersion });
      $('#preview').innerHTML = diffHtml(result.diff);
      if (!dryRun) { state.editing = false; toast('Upstream saved: version ' + result.version); location.hash = '#/upstreams'; }
    } catch (e) { showErrors(e, 'upstreams[x]'); }
  }
  if (canWrite()) {
    $('#upstream-form').addEventListener('submit', (e) => { e.preventDefault(); submit(false); });
    $('#preview-upstream').addEventListener('click', () => submit(true));
    const del = $('#delete-upstream');
    if (del) del.addEventListener('click', async () => {
      if (!confirm('Delete upstream ' + name + '?')) return;
      try { await api('DELETE', '/api/upstreams/' + encodeURIComponent(name), undefined, { ifMatch: etagVersion }); state.editing = false; location.hash = '#/upstreams'; }
      catch (e) { showErrors(e, 'upstreams[x]'); }
    });
  }
}

// ---------- history ----------

async function pageHistory() {
  const data = await api('GET', '/api/history');
  $('#app').innerHTML = '<h1>History</h1><p class="muted">Every change is a version: who, when and what. Roll back to any version kept; a rollback is a new version.</p>'
    + '<div class="table-wrap"><table id="history"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>What</th><th></th></tr></thead><tbody>'
    + data.history.map((h, i) => '<tr data-version="' + h.version + '"><td>' + h.version + (i === 0 ? ' <span class="badge ok">current</span>' : '') + '</td><td>' + esc(new Date(h.time).toLocaleString()) + '</td><td>' + esc(h.author) + '</td><td>' + esc(h.summary) + '</td><td>'
      + (i < data.history.length - 1 ? '<button type="button" class="secondary show-diff" data-from="' + data.history[i + 1].version + '" data-to="' + h.version + '">Diff</button> ' : '')
      + (i > 0 && canWrite() ? '<button type="button" class="danger rollback" data-version="' + h.version + '">Roll back to this</button>' : '') + '</td></tr>').join('')
    + '</tbody></table></div><div id="history-diff"></div>';
  $$('.show-diff').forEach((b) => b.addEventListener('click', async () => {
    const d = await api('GET', '/api/history/diff?from=' + b.dataset.from + '&to=' + b.dataset.to);
    $('#history-diff').innerHTML = '<h2>Version ' + d.from + ' → ' + d.to + '</h2>' + diffHtml(d.diff);
  }));
  $$('.rollback').forEach((b) => b.addEventListener('click', async () => {
    const preview = await api('POST', '/api/history/' + b.dataset.version + '/rollback?dryRun=true', undefined, { ifMatch: data.version });
    $('#history-diff').innerHTML = '<h2>Rolling back to version ' + esc(b.dataset.version) + ' would do</h2>' + diffHtml(preview.diff)
      + '<button type="button" id="confirm-rollback" class="danger">Confirm rollback</button>';
    $('#confirm-rollback').addEventListener('click', async () => {
      try { const r = await api('POST', '/api/history/' + b.dataset.version + '/rollback', undefined, { ifMatch: data.version }); toast('Rolled back: version ' + r.version); pageHistory(); }
      catch (e) { $('#history-diff').innerHTML = '<p class="errors">' + esc(e.message) + '</p>'; }
    });
  }));
}

// ---------- route tester ----------

function pairs(text, sep) {
  const out = {};
  text.split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => { const c = l.indexOf(sep); if (c > 0) out[l.slice(0, c).trim()] = l.slice(c + 1).trim(); });
  return out;
}

function pageTester() {
  $('#app').innerHTML = '<h1>Route tester</h1><p class="muted">Which route, backend and status a request would meet, and what identity and access decide, as the gateway\'s own route lookup, authentication and policies answer. Nothing is sent; an auth service is never called; tokens and keys are never shown back.</p>'
    + '<form id="tester-form" class="card"><div class="grid"><label>Method<select id="tester-method">' + ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => '<option>' + m + '</option>').join('') + '</select></label>'
    + '<label>Path<input id="tester-path" value="/" required></label><label>Host<input id="tester-host" placeholder="optional"></label>'
    + '<label>Headers (name: value per line)<textarea id="tester-headers" rows="3"></textarea></label>'
    + '<label>Cookies (name=value per line)<textarea id="tester-cookies" rows="3"></textarea></label></div>'
    + '<h2>Identity and access</h2><div class="grid">'
    + '<label>Token (JWT, sent as Authorization: Bearer)<input id="tester-token" type="password" autocomplete="off" spellcheck="false" placeholder="optional"></label>'
    + '<label>API key<input id="tester-api-key" type="password" autocomplete="off" spellcheck="false" placeholder="optional"></label>'
    + '<label>Peer principal (as from a verified client certificate)<input id="tester-principal" placeholder="spiffe://cluster.local/ns/shop/sa/web"></label>'
    + '<label>Client address<input id="tester-client" placeholder="192.0.2.10"></label>'
    + '<label>Origin<input id="tester-origin" placeholder="https://shop.example.com"></label>'
    + '<label>Preflight for method (with OPTIONS)<input id="tester-preflight" placeholder="PUT"></label></div>'
    + '<div class="toolbar"><button type="submit" id="tester-run">Test</button></div></form><div id="tester-result"></div>';
  $('#tester-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = (id) => $(id).value.trim() || null;
    const headers = pairs($('#tester-headers').value, ':');
    if (value('#tester-preflight')) headers['Access-Control-Request-Method'] = value('#tester-preflight');
    try {
      const r = await api('POST', '/api/tester', { method: $('#tester-method').value, path: $('#tester-path').value, host: value('#tester-host'),
        headers, cookies: pairs($('#tester-cookies').value, '='), token: value('#tester-token'), apiKey: value('#tester-api-key'),
        clientAddress: value('#tester-client'), origin: value('#tester-origin'),
        identity: value('#tester-principal') ? { principal: value('#tester-principal') } : null });
      $('#tester-result').innerHTML = r.matched
        ? '<div class="card" id="tester-answer"><h2>Route <code>' + esc(r.route) + '</code> <span class="badge">' + esc(r.source) + '</span></h2>'
          + (r.redirect ? '<p id="tester-redirect">Redirect <strong>' + esc(r.redirect.statusCode) + '</strong> to <code>' + esc(r.redirect.location) + '</code></p>'
            : '<p>Backend: <strong>' + esc(r.backend ?? 'by weight') + '</strong> — ' + esc(r.why) + '</p>'
          + (r.backends ? '<p>' + r.backends.map((b) => '<span class="badge">' + esc(b.upstream) + ' ' + b.percent + '%</span>').join('') + '</p>' : '')
          + (r.uri ? '<p>URI <code>' + esc(r.uri) + '</code></p>' : ''))
          + (r.rewritten ? '<p id="tester-rewritten">Upstream receives ' + (r.rewritten.host ? 'Host <code>' + esc(r.rewritten.host) + '</code>, ' : '') + 'path <code>' + esc(r.rewritten.path) + '</code></p>' : '')
          + testerAccess(r.access)
          + (r.policies ? '<h2>Policies</h2><pre class="mono">' + esc(JSON.stringify(r.policies, null, 2)) + '</pre>' : '') + '</div>'
        : '<div class="card" id="tester-answer"><h2>No route: ' + esc(r.status) + '</h2><p>' + esc(r.message) + '</p></div>';
    } catch (err) { $('#tester-result').innerHTML = '<p class="errors">' + esc(err.message) + '</p>'; }
  });
}

// The tester's account of identity and access: one line per step the gateway runs, then each step's details.
function testerAccess(access) {
  if (!access) return '';
  const status = access.status == null ? '<span class="badge ok">passes to the backend</span>'
    : '<span class="badge ' + (access.status < 400 ? 'ok' : 'bad') + '">answers ' + esc(access.status) + '</span>';
  const detail = (name, part) => part ? '<details><summary>' + esc(name) + '</summary><pre class="mono">' + esc(JSON.stringify(part, null, 2)) + '</pre></details>' : '';
  return '<div id="tester-access" class="tester-access"><h2>Identity and access ' + status + '</h2>'
    + '<ol id="tester-access-steps">' + access.summary.map((line) => '<li>' + esc(line) + '</li>').join('') + '</ol>'
    + detail('Identity', access.identity) + detail('CORS', access.cors) + detail('Authentication', access.authentication)
    + detail('External authorization', access.extAuthz) + detail('Authorization', access.authorization) + '</div>';
}

// ---------- export / import ----------

function pageConfig() {
  $('#app').innerHTML = '<h1>Export and import</h1><div class="card"><p>The whole stored configuration as YAML (routes and upstreams from other sources are not included).</p>'
    + '<a href="/api/export" download="meshgate-config.yaml" id="export-link"><button type="button" class="secondary">Download YAML</button></a></div>'
    + '<div class="card"><h2>Import</h2><p class="muted">Replaces the stored configuration, validated like any edit.</p><textarea id="import-yaml" rows="14" placeholder="upstreams: [...]\nroutes: [...]"></textarea>'
    + '<div id="form-errors" class="errors"></div>' + (canWrite() ? '<div class="toolbar"><button type="button" id="import-check" class="secondary">Validate and show diff</button><button type="button" id="import-apply">Import</button></div>' : '')
    + '<div id="preview"></div></div>';
  const run = async (dryRun) => {
    clearErrors();
    try {
      const r = await api('POST', '/api/import' + (dryRun ? '?dryRun=true' : ''), $('#import-yaml').value, { contentType: 'application/yaml' });
      $('#preview').innerHTML = (dryRun ? '<h2>Importing would do</h2>' : '<h2>Imported: version ' + r.version + '</h2>') + diffHtml(r.diff);
    } catch (e) { showErrors(e, 'x'); }
  };
  if (canWrite()) { $('#import-check').addEventListener('click', () => run(true)); $('#import-apply').addEventListener('click', () => run(false)); }
}

// ---------- router ----------

function currentPage() { return (location.hash.replace(/^#\//, '').split('/')[0]) || 'routes'; }

async function route() {
  state.editing = false;
  const [page, arg] = location.hash.replace(/^#\//, '').split('/').map(decodeURIComponent);
  $$('nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + (page || 'routes')));
  try {
    if (page === 'routes' && arg) await pageRouteEditor(arg);
    else if (page === 'upstreams' && arg) await pageUpstreamEditor(arg);
    else if (page === 'upstreams') await pageUpstreams();
    else if (page === 'history') await pageHistory();
    else if (page === 'tester') pageTester();
    else if (page === 'config') pageConfig();
    else await pageRoutes();
  } catch (e) {
    $('#app').innerHTML = '<p class="errors">' + esc(e.message) + '</p>';
  }
}

async function logout() {
  const form = document.createElement('form');
  form.method = 'post'; form.action = '/logout';
  if (state.me.csrf) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = '_csrf'; input.value = state.me.csrf.token; form.appendChild(input);
  }
  document.body.appendChild(form); form.submit();
}

async function main() {
  [state.me] = await Promise.all([api('GET', '/api/me'), loadSchema()]);
  $('#user').textContent = state.me.user + ' (' + state.me.roles.join(', ') + ')';
  $('#logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  await route();
  setInterval(refreshLive, 2000);
}

main();
