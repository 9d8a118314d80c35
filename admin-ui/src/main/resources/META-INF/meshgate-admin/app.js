// Meshgate admin UI: plain JavaScript, no build step, no external assets.
'use strict';

// nav counts page changes: a read that started before the latest one belongs to a page no longer shown
const state = { me: null, schema: null, version: null, routes: [], upstreams: [], live: {}, series: {}, editing: false, filter: '', nav: 0 };
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const canWrite = () => state.me && state.me.roles.includes('editor');

class ApiError extends Error {
  constructor(status, body) { super(body && body.message ? body.message : 'HTTP ' + status); this.status = status; this.body = body || {}; }
}

/** A read answered after the page that asked was left: its page must not render over the current one. */
class Superseded extends Error {}

async function api(method, path, body, options = {}) {
  const nav = state.nav;
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
  if (method === 'GET' && nav !== state.nav) throw new Superseded();
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

// ---------- forms built from the schema: one renderer and one reader for every record ----------

const WORDS = { uri: 'URI', jwks: 'JWKS', ip: 'IP', tls: 'TLS', jwt: 'JWT', api: 'API', ca: 'CA' };
/** A field's label from its name: notIpBlocks reads "Not IP blocks", consecutive5xx "Consecutive 5xx". */
const labelOf = (name) => name.replace(/([A-Z])/g, ' $1').replace(/(\d+xx)$/, ' $1').toLowerCase().split(' ')
  .map((w, i) => WORDS[w] || (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
const defName = (node) => node.$ref.replace('#/$defs/', '');
/** The record a field holds, whether written as a reference or in either of two forms. */
const recordDef = (node) => defName(node.$ref ? node : node.anyOf.find((n) => n.$ref));
const joined = (path, name) => (path ? path + '.' + name : name);
const negated = (name) => /^not[A-Z]/.test(name);
const copied = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isEmpty = (v) => v === undefined || (Array.isArray(v) ? !v.length : typeof v === 'object' && v !== null && !Object.keys(v).length);

/** How a field is edited, from its schema: a nested record, rows of records, a list, a map, a flag, a choice, a number or text. */
function kindOf(node) {
  if (node.type === 'array') return node.items.$ref || (node.items.anyOf || []).some((n) => n.$ref) ? 'rows' : ['integer', 'number'].includes(node.items.type) ? 'numbers' : 'list';
  const r = resolve(node);
  if (r.properties) return 'record';
  if (r.enum) return 'choice';
  if (r.type === 'boolean') return 'flag';
  if (r.type === 'object') return 'map';
  return ['integer', 'number'].includes(r.type) ? 'number' : 'text';
}

/** A value as its input shows it. */
function textOf(kind, v) {
  if (v === undefined || v === null) return '';
  if (kind === 'list' || kind === 'numbers') return v.join(', ');
  if (kind === 'map') return Object.entries(v).map(([k, x]) => k + ': ' + x).join('\n');
  return String(v);
}

/** What an input's text means, or undefined when empty. */
function valueOf(kind, text) {
  const t = text.trim();
  if (kind === 'list') return list(t);
  if (kind === 'numbers') return list(t).map(num);
  if (kind === 'map') return pairs(t, ':');
  return kind === 'number' ? num(t) : t || undefined;
}

/**
 * A form for one record of the schema (`def`) whose fields sit at `path` in what the admin API
 * checks (so that its errors find their fields). It shows `value`, and reads back a copy of it with
 * the edited fields changed: fields the form does not show, and fields left as shown (masked
 * secrets, numbers written as text), are sent exactly as they were read.
 * Options: only, skip (field names), readonly (field names), textareas (field names),
 * openRecords (nested records shown open), idPrefix (element ids), rowLabels (a row's name by field).
 */
class SchemaForm {
  constructor(def, path, value, options = {}) {
    this.def = def; this.path = path; this.value = copied(value) || {}; this.options = options;
    SchemaForm.count = (SchemaForm.count || 0) + 1;
    this.id = 'schema-form-' + SchemaForm.count;
  }

  html() { return '<div class="schema-form" id="' + this.id + '">' + this.fields(this.def, '', this.value) + '</div>'; }

  /** Rows are added and removed by reading the form, changing the value and showing it again. */
  bind() {
    $('#' + this.id).addEventListener('click', (e) => {
      const button = e.target.closest('.add-row, .remove-row');
      if (!button) return;
      const value = this.read();
      const rows = arrayAt(value, button.dataset.rel);
      if (button.classList.contains('add-row')) rows.push({}); else rows.splice(Number(button.dataset.index), 1);
      this.value = value;
      $('#' + this.id).innerHTML = this.fields(this.def, '', this.value);
    });
    return this;
  }

  /** The fields of def; only and skip choose among the form's own record's fields, never a nested one's. */
  names(def, rel) {
    const o = this.options;
    return Object.keys(resolve({ $ref: '#/$defs/' + def }).properties)
      .filter((n) => rel || ((!o.only || o.only.includes(n)) && !(o.skip || []).includes(n)));
  }

  fields(def, rel, value) {
    const names = this.names(def, rel);
    const shownNow = names.filter((n) => !negated(n)).map((n) => this.field(def, n, joined(rel, n), value[n]));
    const nots = names.filter(negated);
    return shownNow.join('') + (nots.length ? '<details class="wide nots"' + (nots.some((n) => value[n] !== undefined) ? ' open' : '') + '><summary>Exceptions (not …)</summary><div class="grid">'
      + nots.map((n) => this.field(def, n, joined(rel, n), value[n])).join('') + '</div></details>' : '');
  }

  field(def, name, rel, v) {
    const node = fieldSchema(def, name); const kind = kindOf(node); const o = this.options;
    const path = joined(this.path, rel);
    const id = (o.idPrefix || '') + rel.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
    const attrs = 'data-path="' + esc(path) + '" data-rel="' + esc(rel) + '" id="' + esc(id) + '"' + ((o.readonly || []).includes(name) ? ' readonly' : '');
    const hint = hintOf(def, name);
    const hintHtml = hint ? '<small class="hint" data-hint-for="' + esc(path) + '">' + esc(hint) + '</small>' : '';
    const label = labelOf(name);
    if (kind === 'record') {
      const open = v !== undefined || (o.openRecords || []).includes(name);
      return '<details class="wide nested" data-path="' + esc(path) + '"' + (open ? ' open' : '') + '><summary>' + esc(label) + '</summary><div class="grid">'
        + this.fields(recordDef(node), rel, v || {}) + '</div></details>';
    }
    if (kind === 'rows') {
      const item = recordDef(node.items);
      const one = (o.rowLabels || {})[name] || labelOf(item.split('.').pop().replace(/^./, (c) => c.toLowerCase()));
      return '<div class="wide rows" data-path="' + esc(path) + '"><div class="rows-title">' + esc(label) + '</div>'
        + (v || []).map((x, i) => '<fieldset class="row-item" data-path="' + esc(path + '[' + i + ']') + '"><legend>' + esc(one) + ' ' + (i + 1)
          + ' <button type="button" class="secondary remove-row" data-rel="' + esc(rel) + '" data-index="' + i + '" id="' + esc(id + '-remove-' + i) + '">Remove</button></legend>'
          + '<div class="grid">' + this.fields(item, rel + '[' + i + ']', x || {}) + '</div></fieldset>').join('')
        + '<button type="button" class="secondary add-row" data-rel="' + esc(rel) + '" id="' + esc(id + '-add') + '">Add ' + esc(one.toLowerCase()) + '</button></div>';
    }
    if (kind === 'flag') {
      const checked = v ?? node.default ?? false;
      return '<label class="check"><span><input type="checkbox" ' + attrs + (checked ? ' checked' : '') + '> ' + esc(label) + '</span>' + hintHtml + '</label>';
    }
    if (kind === 'choice') {
      const selected = String(v ?? node.default ?? '');
      const options = (node.default === undefined ? [''] : []).concat(choices(def, name));
      return '<label>' + esc(label) + '<select ' + attrs + '>' + options.map((c) => '<option' + (c === selected ? ' selected' : '') + ' value="' + esc(c) + '">' + esc(c) + '</option>').join('') + '</select>' + hintHtml + '</label>';
    }
    const placeholder = ' placeholder="' + esc(kind === 'map' ? Object.entries((node.examples || [])[0] || {}).map(([k, x]) => k + ': ' + x).join('\n') : placeholderOf(def, name)) + '"';
    if (kind === 'map' || (o.textareas || []).includes(name)) {
      return '<label class="' + (kind === 'map' ? '' : 'wide') + '">' + esc(label) + (kind === 'map' ? ' (name: value, one per line)' : '') + '<textarea rows="' + (kind === 'map' ? 2 : 4) + '" ' + attrs + placeholder + '>' + esc(textOf(kind, v)) + '</textarea>' + hintHtml + '</label>';
    }
    return '<label>' + esc(label) + '<input ' + attrs + placeholder + ' value="' + esc(textOf(kind, v)) + '"' + (kind === 'number' ? ' inputmode="numeric"' : '') + '>' + hintHtml + '</label>';
  }

  /** The value shown, with what was edited changed; an emptied record or list is left out. */
  read() { return this.readRecord(this.def, '', this.value); }

  readRecord(def, rel, before) {
    const out = copied(before) || {};
    const root = $('#' + this.id);
    this.names(def, rel).forEach((name) => {
      const r = joined(rel, name); const node = fieldSchema(def, name); const kind = kindOf(node);
      let value;
      if (kind === 'record') {
        value = this.readRecord(recordDef(node), r, out[name] || {});
      } else if (kind === 'rows') {
        value = (out[name] || []).map((x, i) => this.readRecord(recordDef(node.items), r + '[' + i + ']', x || {}));
      } else {
        const el = root.querySelector(':is(input, select, textarea)[data-rel="' + CSS.escape(r) + '"]');
        if (kind === 'flag') { if (el.checked === (out[name] ?? node.default ?? false)) return; out[name] = el.checked; return; }
        if (el.value === (kind === 'choice' ? String(out[name] ?? node.default ?? '') : textOf(kind, out[name]))) return;
        value = kind === 'choice' ? el.value || undefined : valueOf(kind, el.value);
      }
      if (same(value, out[name])) return;
      if (isEmpty(value)) delete out[name]; else out[name] = value;
    });
    return out;
  }
}

/** The list at a path such as rules[0].when in value, made when missing. */
function arrayAt(value, rel) {
  const keys = rel.match(/[^.[\]]+/g);
  let node = value;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    if (node[k] === undefined) node[k] = last || /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[k];
  });
  return node;
}

/** Sets a record read from a form, or leaves it out when the form was emptied. */
function setRecord(target, key, value) {
  if (isEmpty(value)) delete target[key]; else target[key] = value;
}

// ---------- live state: endpoint states (/api/state) and traffic (/api/traffic), polled every 2 s ----------

async function loadLive() {
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
function sparkHtml(key) {
  const series = state.series[key];
  if (!series || series.length < 2) return '';
  const w = 90; const h = 22; const max = Math.max(...series.map((p) => p[0])) || 1;
  const line = (i) => series.map((p, j) => (j * w / (series.length - 1)).toFixed(1) + ',' + (h - 1 - p[i] * (h - 2) / max).toFixed(1)).join(' ');
  const minutes = Math.max(1, Math.round(series.length * 2 / 60));
  return ' <svg class="spark" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="requests per second over the last ' + minutes + ' min">'
    + '<title>requests/s (blue) and 5xx/s (red), last ' + minutes + ' min, up to ' + esc(rateText(max)) + '</title>'
    + '<polyline class="spark-rate" points="' + line(0) + '"/><polyline class="spark-errors" points="' + line(1) + '"/></svg>';
}

async function refreshLive() {
  try {
    const live = await loadLive();
    renderLive();
    renderUpstreams();
    renderUpstreamCard();
    if (!state.editing && state.version !== null && live.version !== state.loadedVersion && currentPage() === 'routes') {
      await loadConfig();
      renderRoutesTable();
    }
    if (!state.editing) await renderKindRows();
    if (modulePage && modulePage.refresh) await modulePage.refresh(live);
  } catch (e) { /* next round */ }
}

/** Puts the newest live state into every element of the page that shows some. */
function renderLive() {
  $$('[data-live-upstream]').forEach((el) => { el.innerHTML = healthBadges(el.dataset.liveUpstream); });
  $$('[data-live-route]').forEach((el) => { el.innerHTML = trafficHtml(routeTraffic(el.dataset.liveRoute), 'route:' + el.dataset.liveRoute); });
  $$('[data-live-split]').forEach((el) => { el.textContent = observedText(el.dataset.liveSplit, el.dataset.backend); el.title = backendTitle(el.dataset.liveSplit, el.dataset.backend); });
}

const routeTraffic = (id) => ((state.traffic || {}).routes || {})[id];
const upstreamTraffic = (name) => ((state.traffic || {}).upstreams || {})[name];
const VERDICT_CLASS = { ok: 'ok', degraded: 'warn', failing: 'bad', down: 'bad' };

const rateText = (r) => (r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)) + '/s';
const msText = (ms) => (ms == null ? '–' : ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s' : (ms >= 10 ? Math.round(ms) : ms.toFixed(1)) + ' ms');
const shareText = (share) => (share > 0 && share < 0.01 ? '<1' : String(Math.round(share * 100))) + ' %';
const errorClass = (share) => (share >= 0.5 ? 'bad' : share >= 0.05 ? 'warn' : '');

/** A route's or upstream's traffic in the window: rate, 5xx share, p50 and p99; and its chart under key. */
function trafficHtml(t, key) {
  if (!state.traffic) return '<span class="muted">…</span>';
  if (!state.traffic.seconds) return '<span class="muted">measuring…</span>';
  if (!t || !t.requests) return '<span class="muted">no traffic</span>' + sparkHtml(key);
  return '<span class="traffic"><strong>' + rateText(t.rate) + '</strong>' + sparkHtml(key)
    + (t.errorShare > 0 ? ' <span class="badge ' + errorClass(t.errorShare) + '">5xx ' + shareText(t.errorShare) + '</span>' : ' <span class="badge ok">no 5xx</span>')
    + (t.p50Ms != null ? ' <span class="muted">p50 ' + msText(t.p50Ms) + ' · p99 ' + msText(t.p99Ms) + '</span>' : '') + '</span>';
}

/** The share of a route's requests a backend took in the window, beside its configured weight. */
function observedText(route, backend) {
  const t = routeTraffic(route);
  if (!t || !t.requests) return '';
  return 'seen ' + shareText(((t.backends || {})[backend] || { share: 0 }).share);
}

/** A backend's own traffic on a route, in words: rate, 5xx share, p50 and p99. */
function backendTitle(route, backend) {
  const b = ((routeTraffic(route) || {}).backends || {})[backend];
  return b ? rateText(b.rate) + ', 5xx ' + shareText(b.errorShare) + (b.p50Ms != null ? ', p50 ' + msText(b.p50Ms) + ', p99 ' + msText(b.p99Ms) : '') + ' (last ' + liveWindow() + ' s)' : '';
}

/**
 * An upstream's health: endpoints serving, and the verdict of /api/traffic, which also weighs
 * ejections, the breaker and the recent 5xx share (an upstream answering 502 is not green).
 */
function healthBadges(name) {
  const u = state.live[name];
  if (!u) return '<span class="badge warn" title="not running">no endpoints</span>';
  const t = upstreamTraffic(name);
  const serving = u.endpoints.filter((e) => e.health === 'serving').length;
  const verdict = t ? t.health.verdict : serving === 0 ? 'down' : serving < u.endpoints.length ? 'degraded' : 'ok';
  const reasons = t ? t.health.reasons.join('; ') : '';
  const errors = t && t.requests && t.errorShare > 0 ? ' <span class="badge ' + errorClass(t.errorShare) + '">5xx ' + shareText(t.errorShare) + '</span>' : '';
  const breaker = u.breaker && u.breaker !== 'none' ? ' <span class="badge ' + (u.breaker === 'closed' ? 'ok' : 'bad') + '">breaker ' + esc(u.breaker) + '</span>' : '';
  return '<span class="badge ' + VERDICT_CLASS[verdict] + '" data-verdict="' + verdict + '" title="' + esc(reasons || 'endpoints serving') + '">'
    + serving + '/' + u.endpoints.length + ' up' + (verdict === 'ok' ? '' : ' · ' + verdict) + '</span>' + errors + breaker;
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
    + Object.entries(m.query || {}).map(([k, v]) => '<div class="muted">?' + esc(k) + ' ~ ' + esc(v) + '</div>').join('')
    + Object.entries(m.claims || {}).map(([k, v]) => '<div class="muted">claim ' + esc(k) + ' ~ ' + esc(v) + '</div>').join('')
    + (m.principals && m.principals.length ? '<div class="muted">peer ' + esc(m.principals.join(', ')) + '</div>' : '');
}

function rewriteText(w) {
  return [w.hostname ? 'host ' + w.hostname : '', w.preserveHost ? "client's host" : '', w.replaceFullPath ? 'path ' + w.replaceFullPath : '',
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
  (r.route.backends || []).forEach((b) => parts.push(backendName(b)));
  (r.route.mirrors || []).forEach((b) => parts.push(b.upstream));
  return parts.filter(Boolean).join(' ').toLowerCase();
}

/** A backend's name: its upstream, or the status the gateway answers for its share. */
const backendName = (b) => b.upstream || (b.status ? 'status ' + b.status : '');
/** A backend as the gateway's meters name it (their backend tag). */
const backendKey = (b) => b.upstream || (b.status ? 'status:' + b.status : '');
/** The seconds live rates are taken over. */
const liveWindow = () => (state.traffic && state.traffic.window) || 10;
const weightOf = (b) => b.weight ?? defaultOf('Route', 'backends.weight');
const mirroredOf = (x) => x.percentage ?? defaultOf('Route', 'mirrors.percentage');

async function pageRoutes() {
  await Promise.all([loadConfig(), loadLive()]);
  $('#app').innerHTML = '<h1>Routes</h1><div class="toolbar">'
    + '<input type="search" id="search" placeholder="Search id, path, host, upstream, source" value="' + esc(state.filter) + '" aria-label="Search routes">'
    + '<span id="count" class="muted"></span>'
    + (canWrite() ? '<a href="#/routes/new"><button type="button" id="new-route">New route</button></a>' : '')
    + '</div><div class="table-wrap"><table id="routes" class="stack"><thead><tr><th>Route</th><th>Match</th><th>Backends: weight, seen</th>'
    + '<th>Traffic (last ' + esc(liveWindow()) + ' s)</th><th class="wide-only">Mirrors</th><th class="wide-only">Policies</th><th>Health</th><th></th></tr></thead><tbody></tbody></table></div>';
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
      return '<div><span class="bar" style="width:' + Math.max(2, pct) + 'px"></span><code>' + esc(backendName(b)) + '</code> ' + pct + '% <span class="muted">(' + esc(weightOf(b)) + ')</span>'
        + ' <span class="observed" data-live-split="' + esc(route.id) + '" data-backend="' + esc(backendKey(b)) + '" title="' + esc(backendTitle(route.id, backendKey(b))) + '">'
        + esc(observedText(route.id, backendKey(b))) + '</span></div>';
    }).join('');
    const mirrors = (route.mirrors || []).map((x) => '<div><code>' + esc(x.upstream) + '</code> ' + esc(mirroredOf(x)) + '%</div>').join('');
    const policies = [route.retries ? 'retries ' + (route.retries.attempts ?? defaultOf('Route', 'retries.attempts')) : '', route.timeout ? 'timeout ' + route.timeout : '',
      route.canary && route.canary.stickyOn ? 'sticky ' + route.canary.stickyOn : '',
      route.fault && ((route.fault.delay || {}).percentage > 0 || (route.fault.abort || {}).percentage > 0) ? 'fault' : '',
      route.rateLimit ? 'rate limit ' + route.rateLimit.maxTokens : '',
      route.requestHeaders ? 'request headers' : '', route.responseHeaders ? 'response headers' : '',
      route.rewrite ? 'rewrite ' + rewriteText(route.rewrite) : '', route.cors ? 'CORS' : '',
      ...((route.authentication || {}).jwt ? route.authentication.jwt.providers.map((p) => 'JWT ' + p) : []),
      (route.authentication || {}).apiKey ? 'API key' : '', route.extAuthz ? 'ext authz' : ''].filter(Boolean).map((p) => '<span class="badge">' + esc(p) + '</span>').join('');
    const health = (route.backends || []).filter((b) => b.upstream).map((b) => '<div><code>' + esc(b.upstream) + '</code> <span data-live-upstream="' + esc(b.upstream) + '">' + healthBadges(b.upstream) + '</span></div>').join('');
    const actions = r.readOnly ? '<span class="badge ro" title="owned by ' + esc(r.source) + '">read-only: ' + esc(r.source) + '</span>'
      : '<a href="#/routes/' + encodeURIComponent(route.id) + '" class="edit-route">' + (canWrite() ? 'Edit' : 'View') + '</a>';
    const trafficLink = ' <a href="#/traffic/' + encodeURIComponent(route.id) + '" class="route-traffic">Traffic</a>';
    return '<tr data-index="' + i + '" data-route="' + esc(route.id) + '"><td class="title-cell"><strong>' + esc(route.id) + '</strong></td>'
      + '<td>' + matchHtml(m) + '</td>'
      + '<td data-label="Backends">' + (route.redirect ? '<div class="redirect">' + esc(redirectText(route.redirect)) + '</div>' : backends) + '</td>'
      + '<td data-label="Traffic" data-live-route="' + esc(route.id) + '">' + trafficHtml(routeTraffic(route.id), 'route:' + route.id) + '</td>'
      + '<td class="wide-only">' + (mirrors || '<span class="muted">none</span>') + '</td><td class="wide-only">' + policies + '</td>'
      + '<td data-label="Health">' + health + '</td><td class="actions">' + actions + trafficLink + '</td></tr>';
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
  showEmpty('#routes', 'routes-empty', shown ? '' : state.routes.length ? 'No route matches “' + state.filter.trim() + '”.'
    : 'No routes yet.' + (canWrite() ? ' Create one with New route.' : ''));
}

/** Instead of a table with headers only: a sentence saying why it is empty (none: the table shows). */
function showEmpty(table, id, sentence) {
  const wrap = $(table) && $(table).closest('.table-wrap');
  if (!wrap) return;
  let note = $('#' + id);
  if (!note) { note = document.createElement('p'); note.id = id; note.className = 'empty'; wrap.after(note); }
  note.textContent = sentence;
  note.hidden = !sentence;
  wrap.hidden = Boolean(sentence);
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
  // stored routes reach stored upstreams only (a read-only source such as the demo may drop its own at any time)
  const upstreamNames = state.upstreams.filter((u) => !u.readOnly).map((u) => u.upstream.name);
  const providerNames = (await api('GET', '/api/jwtProviders', undefined, { notVersioned: true })).jwtProviders.map((p) => p.item.name);
  const identity = identityForms(route);
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
    + esc(Object.entries(m.query || {}).map(([k, v]) => k + ': ' + v).join('\n')) + '</textarea></label>' + identity.match.html() + '</div>'
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
    + '</div></div>' + identityCards(identity, route, providerNames)
    + editorButtons('route', ro, isNew) + '</form>';
  const backends = route.backends || [];
  const mirrors = route.mirrors || [];
  const options = (selected) => '<option value=""></option>' + upstreamNames.map((n) => '<option' + (n === selected ? ' selected' : '') + '>' + esc(n) + '</option>').join('')
    + (selected && !upstreamNames.includes(selected) && !/^status:/.test(selected) ? '<option selected>' + esc(selected) + '</option>' : '');
  // a backend share may be answered by the gateway itself with a 5xx status (backends[].status)
  const backendOptions = (b) => {
    const selected = b.status ? 'status:' + b.status : b.upstream;
    const statuses = [...new Set([500, 502, 503, 504].concat(b.status ? [b.status] : []))];
    return options(selected) + '<optgroup label="Answered by the gateway">' + statuses.map((c) => '<option value="status:' + c + '"'
      + (selected === 'status:' + c ? ' selected' : '') + '>status ' + c + '</option>').join('') + '</optgroup>';
  };
  function renderBackends() {
    $('#backends').innerHTML = backends.map((b, i) => '<div class="row" data-path="backends[' + i + ']"><label>Upstream<select data-path="backends[' + i + '].upstream" id="backend-upstream-' + i + '">' + backendOptions(b) + '</select></label>'
      + '<label>Weight<input data-path="backends[' + i + '].weight" id="backend-weight-' + i + '" value="' + esc(b.weight ?? '') + '" placeholder="' + esc(placeholderOf('Route', 'backends.weight')) + '" inputmode="numeric" size="5"></label>'
      + '<button type="button" class="secondary remove-backend" data-index="' + i + '">Remove</button>' + backendChanges(b, i) + '</div>').join('');
    $$('#backends select, #backends input').forEach((el) => el.addEventListener('input', () => { readBackends(); syncSlider(); }));
    $$('.remove-backend').forEach((b) => b.addEventListener('click', () => { readBackends(); backends.splice(Number(b.dataset.index), 1); renderBackends(); }));
    syncSlider();
  }
  // a backend's own header changes come from the API or an import (Gateway API backendRef filters); shown, kept on save
  function backendChanges(b, i) {
    const texts = [b.requestHeaders ? headersText('request headers', b.requestHeaders) : '', b.responseHeaders ? headersText('response headers', b.responseHeaders) : ''].filter(Boolean);
    return texts.length ? '<div class="muted wide" id="backend-changes-' + i + '">' + texts.map((t) => '<div>' + esc(t) + '</div>').join('') + '</div>' : '';
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
    // a share answered with a status calls no upstream: it has no other fields; an upstream's keeps those the form does not show
    r.backends = r.redirect ? [] : backends.map((b) => (b.status ? { status: b.status, weight: b.weight } : Object.assign({}, b, { upstream: b.upstream, weight: b.weight })));
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
    readIdentity(identity, r, original);
    return r;
  }
  Object.values(identity).forEach((f) => f.bind());
  wireEditor({ noun: 'route', kind: 'routes', what: 'Route', id: isNew ? null : id, etag: etagVersion, build, nameOf: (r) => r.id, readOnly: ro, back: '#/routes' });
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
  return '<div class="card" data-path="cors"><h2>Cross-origin requests (CORS)</h2><p class="muted">On when allowed origins are given: the gateway answers browsers\' preflights itself, before authentication.</p>'
    + '<div class="grid">' + forms.cors.html() + '</div></div>'
    + '<div class="card" data-path="authentication"><h2>Authentication</h2><p class="muted">Requests must carry a token of a chosen JWT provider, or a consumer\'s API key; with both, either passes.</p>'
    + '<div class="checks" data-path="authentication.jwt.providers" id="jwt-providers"><span class="rows-title">JWT providers</span>'
    + (names.length ? names.map((n) => '<label class="check"><span><input type="checkbox" class="jwt-provider" id="jwt-provider-' + esc(n) + '" value="' + esc(n) + '"' + (chosen.includes(n) ? ' checked' : '') + '> ' + esc(n) + '</span></label>').join('')
      : '<span class="muted">None configured: <a href="#/jwtProviders/new">add a JWT provider</a>.</span>') + '</div>'
    + '<div class="grid">' + forms.jwt.html() + '</div>'
    + '<div data-path="authentication.apiKey"><label class="check"><span><input type="checkbox" id="api-key-on"' + (auth.apiKey ? ' checked' : '') + '> API key of a <a href="#/consumers">consumer</a></span></label>'
    + '<div class="grid">' + forms.apiKey.html() + '</div></div></div>'
    + '<div class="card" data-path="extAuthz"><h2>External authorization</h2><p class="muted">On when a URI is given: an auth service decides on each request first (Envoy ext_authz, HTTP).</p>'
    + '<div class="grid">' + forms.extAuthz.html() + '</div></div>';
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

/**
 * A policy read from its card, or undefined when the fields its record requires were emptied:
 * clearing CORS's origins or the auth service's URI turns the policy off, whatever defaults
 * the other fields read back with.
 */
function switchedOn(def, value) {
  const required = resolve({ $ref: '#/$defs/' + def }).required || [];
  return required.length && required.every((n) => isEmpty(value[n]) || value[n] === '') ? undefined : value;
}

// ---------- editors: show the diff, confirm, apply; delete with confirmation ----------

function editorButtons(noun, readOnly, isNew) {
  return '<div id="form-errors" class="errors"></div>'
    + (readOnly ? '<p class="muted">Read only: your role may not change this.</p>' : '<div class="toolbar"><button type="button" id="preview-' + noun + '" class="secondary">Show diff</button>'
      + '<button type="submit" id="save-' + noun + '">Apply</button>' + (isNew ? '' : '<button type="button" id="delete-' + noun + '" class="danger">Delete</button>') + '</div>')
    + '<div id="preview"></div>';
}

/**
 * Wires the form #<noun>-form to the admin API's item endpoints of kind: Apply always shows the
 * diff first (a dry run) and applies exactly that change on confirmation. id is null for a new item.
 */
function wireEditor(o) {
  const form = $('#' + o.noun + '-form');
  if (o.readOnly) { $$('input, select, textarea, button', form).forEach((el) => { el.disabled = true; }); return; }
  const path = '/api/' + o.kind + (o.id === null ? '' : '/' + encodeURIComponent(o.id));
  const prefix = (name) => o.kind + '[' + (name || '') + ']';
  async function submit(dryRun, confirmed) {
    clearErrors();
    const item = confirmed || o.build();
    const preview = dryRun || !confirmed;
    try {
      const result = await api(o.id === null ? 'POST' : 'PUT', path + (preview ? '?dryRun=true' : ''), item, { ifMatch: o.etag });
      if (preview) {
        $('#preview').innerHTML = '<h2>This change would do</h2>' + diffHtml(result.diff)
          + (dryRun ? '' : '<div class="toolbar"><button type="button" id="confirm-apply">Apply this change</button><button type="button" class="secondary" id="cancel-apply">Keep editing</button></div>');
        if (!dryRun) {
          $('#confirm-apply').addEventListener('click', () => submit(false, item));
          $('#cancel-apply').addEventListener('click', () => { $('#preview').innerHTML = ''; });
          $('#confirm-apply').scrollIntoView();
        }
        return;
      }
      state.editing = false; toast(o.what + ' ' + o.nameOf(item) + ' saved: version ' + result.version); location.hash = o.back;
    } catch (e) {
      if (e.status === 409 && e.body.item) showConflict(e, item, () => { o.etag = e.body.currentVersion; submit(false); });
      else showErrors(e, prefix(o.nameOf(item)));
    }
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(false); });
  $('#preview-' + o.noun).addEventListener('click', () => submit(true));
  const del = $('#delete-' + o.noun);
  if (del) del.addEventListener('click', async () => {
    if (!confirm('Delete ' + lowerFirst(o.what) + ' ' + o.id + '?')) return;
    const remove = async () => {
      try { const result = await api('DELETE', path, undefined, { ifMatch: o.etag }); toast('Deleted: version ' + result.version); state.editing = false; location.hash = o.back; }
      catch (e) {
        if (e.status === 409 && e.body.item) showConflict(e, undefined, () => { if (confirm('Delete their version of ' + lowerFirst(o.what) + ' ' + o.id + '?')) { o.etag = e.body.currentVersion; remove(); } });
        else showErrors(e, prefix(o.id));
      }
    };
    remove();
  });
}

// ---------- conflicts: someone changed the same item since it was read; the user's edit stays ----------

/** The lines of a and b as a diff: "-" only in a, "+" only in b (longest common subsequence; bounded). */
function lineDiff(a, b) {
  const x = a.split('\n'); const y = b.split('\n');
  if (x.length * y.length > 1e6) return x.map((l) => '-' + l).concat(y.map((l) => '+' + l)).join('\n');
  const common = Array.from({ length: x.length + 1 }, () => new Int32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) common[i][j] = x[i] === y[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  }
  const out = []; let i = 0; let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { out.push(' ' + x[i]); i++; j++; }
    else if (j >= y.length || (i < x.length && common[i + 1][j] >= common[i][j + 1])) out.push('-' + x[i++]);
    else out.push('+' + y[j++]);
  }
  return out.join('\n');
}

/**
 * An item as the store keeps it, for comparing with what the store sent: keys sorted, and without
 * what the schema gives as the default or empty objects a form leaves (the store keeps neither).
 */
function stored(def, value) {
  if (Array.isArray(value)) return value.map((v) => stored(def, v));
  if (!value || typeof value !== 'object') return value;
  const properties = (def && resolve({ $ref: '#/$defs/' + def }).properties) || {};
  const out = {};
  Object.keys(value).sort().forEach((key) => {
    const node = properties[key];
    const ref = node && (node.$ref || (node.items && node.items.$ref) || (node.anyOf && (node.anyOf.find((n) => n.$ref) || {}).$ref));
    const v = stored(ref ? ref.replace('#/$defs/', '') : null, value[key]);
    if (v === undefined || v === null || v === '' || isEmpty(v) || (node && node.default !== undefined && same(v, node.default))) return;
    out[key] = v;
  });
  return out;
}

/**
 * A 409 on one item: what changed it since it was read, theirs against mine (undefined: mine deletes
 * it), and "Apply mine anyway", which goes through the usual diff-and-confirm on top of theirs.
 * The form is left as the user wrote it.
 */
function showConflict(error, mine, applyMine) {
  clearErrors();
  const b = error.body;
  const def = { routes: 'Route', upstreams: 'Upstream' }[b.item.kind] || (KINDS[b.item.kind] || {}).def;
  const text = (v) => (v === undefined || v === null ? '(deleted)' : JSON.stringify(stored(def, v), null, 2));
  $('#preview').innerHTML = '<div class="card conflict" id="conflict"><h2>Changed by someone else while you edited</h2>'
    + '<p id="conflict-message">' + esc(b.message) + '</p>'
    + '<ul class="conflict-changes">' + (b.changesSince || []).map((h) => '<li>version ' + esc(h.version) + ' by ' + esc(h.author) + ': ' + esc(h.summary) + '</li>').join('') + '</ul>'
    + '<h3>Theirs (version ' + esc(b.currentVersion) + ', lines marked −) and yours (+)</h3>'
    + diffHtml(lineDiff(text(b.theirs), text(mine))).replace('id="diff"', 'id="conflict-diff"')
    + '<p class="muted">Your edit is still in the form above.</p>'
    + '<div class="toolbar"><button type="button" id="apply-mine">Apply mine anyway</button>'
    + '<button type="button" class="secondary" id="take-theirs">Discard mine, show theirs</button></div></div>';
  $('#apply-mine').addEventListener('click', applyMine);
  $('#take-theirs').addEventListener('click', () => { state.editing = false; route(); });
  $('#conflict').scrollIntoView();
}

function clearErrors() {
  $$('.field-error').forEach((el) => el.remove());
  $$('.invalid').forEach((el) => el.classList.remove('invalid'));
  const box = $('#form-errors'); if (box) box.innerHTML = '';
}

/**
 * Puts each error under its field: routes[orders].backends[1].weight goes to [data-path="backends[1].weight"];
 * the summary says how many there are and lists those that have no field here.
 */
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
      // inside the field's own wrapper, so that the cells of a grid keep their places
      if (target.matches('input, select, textarea')) { target.classList.add('invalid'); (target.closest('label') || target.parentElement).appendChild(div); }
      else target.appendChild(div);
      for (let d = div.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
    } else loose.push(e);
  });
  box.innerHTML = '<p class="error-summary" id="error-summary">' + esc(error.message)
    + (loose.length < errors.length ? ' (' + (errors.length - loose.length) + ' shown at their fields)' : '') + '</p>'
    + loose.map((e) => '<div class="field-error" data-for="' + esc(e.path) + '">' + esc(e.path ? e.path + ': ' : '') + esc(e.message) + '</div>').join('');
}

// ---------- upstreams ----------

async function pageUpstreams() {
  await Promise.all([loadConfig(), loadLive()]);
  $('#app').innerHTML = '<h1>Upstreams</h1><div class="toolbar">' + (canWrite() ? '<a href="#/upstreams/new"><button type="button" id="new-upstream">New upstream</button></a>' : '') + '</div>'
    + '<div class="table-wrap"><table id="upstreams" class="stack"><thead><tr><th>Upstream</th><th>Health</th><th>Traffic (last ' + esc(liveWindow()) + ' s)</th>'
    + '<th>Endpoints: state, rate, 5xx, in flight, ejections</th><th class="wide-only">Load balancing</th><th class="wide-only">TLS</th><th></th></tr></thead><tbody></tbody></table></div>';
  renderUpstreams();
}

/** host:port of an endpoint URI, as the meters name endpoints. */
const hostPort = (uri) => { const u = new URL(uri); return u.hostname + ':' + (u.port || (u.protocol === 'https:' ? 443 : 80)); };

/** One endpoint now: its state, and its calls in the window. */
function endpointHtml(upstream, e, t) {
  const cls = e.health === 'serving' ? 'ok' : 'bad';
  const numbers = ['w' + e.weight, t ? rateText(t.rate) : '', e.inFlight + ' in flight',
    t && t.ejections ? t.ejections + ' ejection' + (t.ejections === 1 ? '' : 's') : ''].filter(Boolean).join(' · ');
  return '<div class="endpoint" data-endpoint="' + esc(e.address) + '"><code>' + esc(e.address) + '</code> <span class="badge ' + cls + '">' + esc(e.health) + '</span>'
    + (t && t.calls && t.errorShare > 0 ? ' <span class="badge ' + errorClass(t.errorShare) + '">5xx ' + shareText(t.errorShare) + '</span>' : '')
    + (e.ejectedUntil ? ' <span class="muted">until ' + esc(new Date(e.ejectedUntil).toLocaleTimeString()) + '</span>' : '') + ' <span class="muted">' + esc(numbers) + '</span>'
    + (t ? sparkHtml('endpoint:' + upstream + '/' + t.address) : '') + '</div>';
}

/** The upstream rows from the last configuration and live state; called again by every live refresh. */
function renderUpstreams() {
  const body = $('#upstreams tbody');
  if (!body) return;
  body.innerHTML = state.upstreams.map((entry) => {
    const u = entry.upstream; const live = state.live[u.name] || { endpoints: [] }; const t = upstreamTraffic(u.name);
    const traffic = {};
    ((t || {}).endpoints || []).forEach((e) => { traffic[e.address] = e; });
    const endpoints = live.endpoints.map((e) => endpointHtml(u.name, e, traffic[hostPort(e.address)])).join('')
      || (u.discovery ? '<span class="muted">Kubernetes ' + esc(u.discovery.serviceId) + ': no ready endpoints</span>' : '<span class="badge warn">not running</span>');
    const reasons = t && t.health.reasons.length ? '<div class="reasons">' + t.health.reasons.map((r) => '<div>' + esc(r) + '</div>').join('') + '</div>' : '';
    const lb = esc((u.loadBalancer || {}).policy || defaultOf('Upstream', 'loadBalancer.policy')) + (u.loadBalancer && u.loadBalancer.hashOn ? ' on ' + esc(u.loadBalancer.hashOn) : '');
    const tls = u.tls && u.tls.mode !== 'DISABLE' ? esc(u.tls.mode) + (live.certificateExpiry ? '<div class="muted">expires ' + esc(live.certificateExpiry) + '</div>' : '') : '<span class="muted">plain</span>';
    const action = entry.readOnly ? '<span class="badge ro">read-only: ' + esc(entry.source) + '</span>' : '<a class="edit-upstream" href="#/upstreams/' + encodeURIComponent(u.name) + '">' + (canWrite() ? 'Edit' : 'View') + '</a>';
    return '<tr data-upstream="' + esc(u.name) + '"><td class="title-cell"><strong>' + esc(u.name) + '</strong></td>'
      + '<td data-label="Health" class="health">' + healthBadges(u.name) + reasons + '</td>'
      + '<td data-label="Traffic">' + trafficHtml(t, 'upstream:' + u.name) + '</td>'
      + '<td data-label="Endpoints">' + endpoints + '</td><td class="wide-only">' + lb + '</td><td class="wide-only">' + tls + '</td><td class="actions">' + action
      + ' <a class="upstream-traffic" href="#/upstream-traffic/' + encodeURIComponent(u.name) + '">Traffic</a></td></tr>';
  }).join('');
  showEmpty('#upstreams', 'upstreams-empty', state.upstreams.length ? '' : 'No upstreams yet.' + (canWrite() ? ' Create one with New upstream.' : ''));
}

/**
 * The upstream editor's cards after endpoints: one form per policy record of the schema. A policy
 * with a switch is on while it is ticked (with its defaults when no field is filled in); the
 * health check is on while it has a path; load balancing and TLS always apply.
 */
const UPSTREAM_POLICIES = [
  { key: 'loadBalancer', def: 'LoadBalancerPolicy', title: 'Load balancing', idPrefix: 'lb-' },
  { key: 'healthCheck', def: 'HealthCheckPolicy', title: 'Active health check', idPrefix: 'health-check-', intro: 'On when a path is given: each endpoint is asked for it every interval; failing ones get no traffic.' },
  { key: 'outlierDetection', def: 'OutlierDetectionPolicy', title: 'Outlier detection', idPrefix: 'outlier-', switch: true, intro: 'Passive health: an endpoint that keeps answering 5xx is ejected for a while.' },
  { key: 'circuitBreaker', def: 'CircuitBreakerPolicy', title: 'Circuit breaker', idPrefix: 'breaker-', switch: true, intro: 'Stops calling the upstream while too many calls fail or are slow; caps concurrent requests.' },
  { key: 'tls', def: 'TlsPolicy', title: 'TLS', idPrefix: 'tls-' },
];

async function pageUpstreamEditor(name) {
  state.editing = true;
  const isNew = name === 'new';
  const upstream = isNew ? { endpoints: [{}] } : await api('GET', '/api/upstreams/' + encodeURIComponent(name));
  if (isNew) await loadConfig(); else await loadLive();
  const etag = state.version;
  const ro = !canWrite();
  // an endpoint may be written as its bare URI: the form shows every one as {uri, weight}
  upstream.endpoints = (upstream.endpoints || []).map((e) => (typeof e === 'string' ? { uri: e } : e));
  const main = new SchemaForm('Upstream', '', upstream, { only: ['name', 'endpoints', 'discovery', 'allowLinkLocal', 'allowGatewayPorts'],
    readonly: isNew ? [] : ['name'], idPrefix: 'upstream-', rowLabels: { endpoints: 'Endpoint' } });
  const policies = UPSTREAM_POLICIES.map((p) => Object.assign({ form: new SchemaForm(p.def, p.key, upstream[p.key], { idPrefix: p.idPrefix }) }, p));
  $('#app').innerHTML = '<h1>' + (isNew ? 'New upstream' : 'Upstream ' + esc(name)) + '</h1>'
    + (isNew ? '' : '<div class="card" id="upstream-live"><h2>Now</h2><div data-live-upstream-card="' + esc(name) + '"></div></div>')
    + '<form id="upstream-form" novalidate><div class="card"><h2>Name and endpoints</h2><div class="grid">' + main.html() + '</div></div>'
    + policies.map((p) => '<div class="card" data-path="' + p.key + '"><h2>' + esc(p.title) + '</h2>' + (p.intro ? '<p class="muted">' + esc(p.intro) + '</p>' : '')
      + (p.switch ? '<label class="check"><span><input type="checkbox" id="' + p.idPrefix + 'on"' + (upstream[p.key] ? ' checked' : '') + '> On</span></label>' : '')
      + '<div class="grid" id="' + p.idPrefix + 'fields"' + (p.switch && !upstream[p.key] ? ' hidden' : '') + '>' + p.form.html() + '</div></div>').join('')
    + editorButtons('upstream', ro, isNew) + '</form>';
  main.bind();
  policies.forEach((p) => {
    p.form.bind();
    // a policy switched off shows no fields; switched on, its defaults as placeholders
    if (p.switch) $('#' + p.idPrefix + 'on').addEventListener('change', (e) => { $('#' + p.idPrefix + 'fields').hidden = !e.target.checked; });
  });
  renderUpstreamCard();
  const build = () => {
    const u = main.read();
    policies.forEach((p) => {
      let value = p.form.read();
      if (p.switch) value = $('#' + p.idPrefix + 'on').checked ? withDefaultsOn(p.def, value) : undefined;
      else if (p.key === 'healthCheck') value = switchedOn(p.def, value);
      setRecord(u, p.key, value);
    });
    return u;
  };
  wireEditor({ noun: 'upstream', kind: 'upstreams', what: 'Upstream', id: isNew ? null : name, etag, build, nameOf: (u) => u.name, readOnly: ro, back: '#/upstreams' });
}

/** A policy switched on with every field left empty: one default written out, so that it binds as "on, with defaults". */
function withDefaultsOn(def, value) {
  if (!isEmpty(value)) return value;
  const properties = resolve({ $ref: '#/$defs/' + def }).properties;
  const first = Object.keys(properties).find((k) => properties[k].default !== undefined);
  return { [first]: properties[first].default };
}

/** The upstream editor's live card: health with its reasons, traffic, and each endpoint now. */
function renderUpstreamCard() {
  const card = $('[data-live-upstream-card]');
  if (!card) return;
  const name = card.dataset.liveUpstreamCard;
  const live = state.live[name] || { endpoints: [] }; const t = upstreamTraffic(name);
  const traffic = {};
  ((t || {}).endpoints || []).forEach((e) => { traffic[e.address] = e; });
  card.innerHTML = '<div>' + healthBadges(name) + ' ' + trafficHtml(t, 'upstream:' + name) + '</div>'
    + (t && t.health.reasons.length ? '<div class="reasons">' + t.health.reasons.map((r) => '<div>' + esc(r) + '</div>').join('') + '</div>' : '')
    + live.endpoints.map((e) => endpointHtml(name, e, traffic[hostPort(e.address)])).join('');
}

// ---------- JWT providers, consumers and authorization policies: lists with live metrics, editors ----------

/** Each kind's record in the schema, its words, and what its list shows at a glance. */
const KINDS = {
  jwtProviders: {
    def: 'JwtProvider', title: 'JWT providers', what: 'JWT provider', idPrefix: 'provider-', options: { textareas: ['jwks'] },
    intro: 'Token issuers the gateway trusts: tokens are verified before route lookup; routes require them under Authentication.',
    head: ['Issuer', 'Keys', 'Audiences', 'JWKS age', 'Tokens on routes', 'Used by routes'],
    cells: (p, live) => {
      const age = live.samples.find((s) => s.name === 'meshgate_jwt_jwks_age_seconds' && s.labels.provider === p.name);
      const failed = live.total('meshgate_jwt_jwks_fetches_total', { provider: p.name, outcome: 'failure' });
      const accepted = live.total('meshgate_authn_requests_total', { method: 'jwt', provider: p.name, outcome: 'success' });
      const all = live.total('meshgate_authn_requests_total', { method: 'jwt', provider: p.name });
      const routes = state.routes.filter((r) => ((r.route.authentication || {}).jwt || {}).providers?.includes(p.name)).map((r) => r.route.id);
      return ['<code>' + esc(p.issuer) + '</code>',
        p.jwksUri ? '<code>' + esc(p.jwksUri) + '</code>' : '<span class="badge">inline JWKS</span>',
        esc((p.audiences || []).join(', ')) || '<span class="muted">not checked</span>',
        (!age ? '<span class="muted">—</span>' : isNaN(age.value) ? '<span class="badge warn">not loaded</span>' : '<span class="badge ok">' + esc(duration(age.value)) + '</span>')
          + (failed ? ' <span class="badge bad">' + failed + ' failed fetches</span>' : ''),
        live.samples.length ? accepted + ' accepted, ' + (all - accepted) + ' refused' : '<span class="muted">—</span>',
        routes.map((id) => '<a href="#/routes/' + encodeURIComponent(id) + '">' + esc(id) + '</a>').join(', ') || '<span class="muted">none</span>'];
    },
  },
  consumers: {
    def: 'Consumer', title: 'Consumers', what: 'Consumer', idPrefix: 'consumer-', options: { skip: ['apiKeys'] },
    intro: 'Clients known by API keys: a request with one of a consumer\'s keys, on a route that takes API keys, is that consumer.',
    head: ['API keys', 'Named by policies'],
    cells: (c, live) => {
      const policies = live.policies.filter((p) => (p.rules || []).some((r) => [...((r.from || {}).consumers || []), ...((r.from || {}).notConsumers || [])].includes(c.name)));
      return [String((c.apiKeys || []).length),
        policies.map((p) => '<a href="#/authorizationPolicies/' + encodeURIComponent(p.name) + '">' + esc(p.name) + '</a>').join(', ') || '<span class="muted">none</span>'];
    },
  },
  authorizationPolicies: {
    def: 'AuthorizationPolicy', title: 'Authorization policies', what: 'Authorization policy', idPrefix: 'policy-', options: { openRecords: ['targets', 'from', 'to'] },
    intro: 'Who may call what, as Istio\'s AuthorizationPolicy: DENY policies first, then ALLOW (once one applies, one of its rules must match).',
    head: ['Action', 'Targets', 'Rules', 'Decisions'],
    cells: (p, live) => {
      const t = p.targets || {};
      const decisions = ['allow', 'deny', 'dry-run-deny'].map((d) => [d, live.total('meshgate_authz_decisions_total', { policy: p.name, decision: d })]).filter(([, n]) => n);
      return ['<span class="badge ' + (p.action === 'DENY' ? 'bad' : 'ok') + '">' + esc(p.action) + '</span>' + (p.dryRun ? ' <span class="badge warn">dry run</span>' : ''),
        [(t.routes || []).length ? 'routes ' + t.routes.join(', ') : '', (t.hosts || []).length ? 'hosts ' + t.hosts.join(', ') : ''].filter(Boolean).map(esc).join('<br>') || '<span class="muted">the whole gateway</span>',
        String((p.rules || []).length),
        decisions.map(([d, n]) => '<span class="badge">' + esc(d) + ' ' + n + '</span>').join('') || '<span class="muted">—</span>'];
    },
  },
};

/** A noun in a sentence: "Consumer" reads "consumer", "JWT provider" keeps its capitals. */
const lowerFirst = (noun) => noun.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
const duration = (seconds) => (seconds < 120 ? Math.round(seconds) + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min' : Math.round(seconds / 3600) + ' h');

/** The gateway's identity meters, from /actuator/prometheus: one read for every row; none when it cannot be read. */
async function loadMetrics() {
  let samples = [];
  try {
    const response = await fetch('/actuator/prometheus', { headers: { Accept: 'text/plain' }, credentials: 'same-origin' });
    if (response.ok) {
      samples = (await response.text()).split('\n').filter((l) => /^meshgate_(jwt|authn|authz)_/.test(l)).map(sampleOf).filter(Boolean);
    }
  } catch (e) { /* no metrics */ }
  const total = (name, labels) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
  return { samples, total };
}

function sampleOf(line) {
  const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
  if (!m) return null;
  const labels = {};
  for (const l of (m[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (x, c) => (c === 'n' ? '\n' : c));
  return { name: m[1], labels, value: Number(m[3]) };
}

async function pageKind(kind) {
  const k = KINDS[kind];
  const [data] = await Promise.all([api('GET', '/api/' + kind), loadConfig()]);
  state.kindList = { kind, items: data[kind] };
  $('#app').innerHTML = '<h1>' + esc(k.title) + '</h1><p class="muted">' + esc(k.intro) + '</p><div class="toolbar">'
    + (canWrite() ? '<a href="#/' + kind + '/new"><button type="button" id="new-item">New ' + esc(lowerFirst(k.what)) + '</button></a>' : '') + '</div>'
    + '<div class="table-wrap"><table id="items" class="stack"><thead><tr><th>Name</th>' + k.head.map((h) => '<th>' + esc(h) + '</th>').join('') + '<th></th></tr></thead><tbody></tbody></table></div>';
  await renderKindRows();
}

/** The rows of the list page shown, with the live metrics of now; called again by every live refresh. */
async function renderKindRows() {
  const list = state.kindList;
  if (!list || currentPage() !== list.kind || !$('#items tbody')) return;
  const k = KINDS[list.kind];
  const live = await loadMetrics();
  live.policies = list.kind === 'consumers' ? (await api('GET', '/api/authorizationPolicies', undefined, { notVersioned: true })).authorizationPolicies.map((p) => p.item) : [];
  const body = $('#items tbody');
  if (!body) return;
  const html = list.items.map(({ item, readOnly, source }) => '<tr data-item="' + esc(item.name) + '"><td data-label="Name"><strong>' + esc(item.name) + '</strong></td>'
    + k.cells(item, live).map((c, i) => '<td data-label="' + esc(k.head[i]) + '">' + c + '</td>').join('')
    + '<td>' + (readOnly ? '<span class="badge ro">read-only: ' + esc(source) + '</span>'
      : '<a class="edit-item" href="#/' + list.kind + '/' + encodeURIComponent(item.name) + '">' + (canWrite() ? 'Edit' : 'View') + '</a>') + '</td></tr>').join('')
    || '<tr><td colspan="' + (k.head.length + 2) + '" class="muted" id="items-empty">No ' + esc(lowerFirst(k.title)) + ' yet.</td></tr>';
  // rendered again only when something changed, so that a row being clicked stays in place
  if (html !== list.html) { body.innerHTML = html; list.html = html; }
}

async function pageKindEditor(kind, name) {
  const k = KINDS[kind];
  state.editing = true;
  const isNew = name === 'new';
  const item = isNew ? {} : await api('GET', '/api/' + kind + '/' + encodeURIComponent(name));
  if (isNew) await api('GET', '/api/' + kind);
  const etag = state.version;
  const ro = !canWrite();
  const form = new SchemaForm(k.def, '', item, Object.assign({ idPrefix: k.idPrefix, readonly: isNew ? [] : ['name'] }, k.options));
  const keys = kind === 'consumers' ? apiKeysEditor(item) : null;
  $('#app').innerHTML = '<h1>' + esc(isNew ? 'New ' + lowerFirst(k.what) : k.what + ' ' + name) + '</h1><p class="muted">' + esc(k.intro) + '</p>'
    + '<form id="item-form" novalidate><div class="card"><div class="grid">' + form.html() + '</div></div>' + (keys ? keys.html() : '')
    + editorButtons('item', ro, isNew) + '</form>';
  form.bind();
  if (keys) keys.bind();
  wireEditor({ noun: 'item', kind, what: k.what, id: isNew ? null : name, etag, readOnly: ro, back: '#/' + kind, nameOf: (x) => x.name,
    build: () => { const v = form.read(); if (keys) keys.readInto(v); return v; } });
}

/**
 * A consumer's keys. The admin API takes only hashes (docs/design/api-key-hashes.md): a key made
 * or typed here is hashed in the browser, and only the hash is sent. A made key is shown once,
 * on this page, until it is left; nothing reads a key back.
 */
function apiKeysEditor(item) {
  const before = item.apiKeys || [];
  const keys = copied(before);
  const added = new Set();
  const render = () => {
    $('#api-keys').innerHTML = keys.map((h, i) => '<li data-path="apiKeys[' + i + ']"><code title="' + esc(h) + '">' + esc(h.length > 24 ? h.slice(0, 19) + '…' + h.slice(-4) : h) + '</code>'
      + (added.has(h) ? ' <span class="badge ok">new</span>' : '') + ' <button type="button" class="secondary remove-key" data-index="' + i + '">Remove</button></li>').join('')
      || '<li class="muted">No keys: this consumer cannot authenticate.</li>';
  };
  const add = (hash) => { keys.push(hash); added.add(hash); render(); };
  return {
    html: () => '<div class="card" data-path="apiKeys"><h2>API keys</h2><p class="muted">Stored and shown only as SHA-256 hashes; several during a rotation.</p><ul id="api-keys" class="keys"></ul>'
      + '<div class="toolbar"><button type="button" class="secondary" id="generate-key">Generate a key</button></div>'
      + '<div id="new-key" class="new-key" hidden><strong>Copy this key now:</strong> it is stored only as its hash and is not shown again. <code id="new-key-value"></code></div>'
      + '<div class="row"><label>A key you have (hashed in this browser; the key itself is never sent)<input type="password" id="own-key" autocomplete="off"></label>'
      + '<button type="button" class="secondary" id="add-key">Add key</button></div></div>',
    bind: () => {
      render();
      $('#api-keys').addEventListener('click', (e) => { const b = e.target.closest('.remove-key'); if (b) { keys.splice(Number(b.dataset.index), 1); render(); } });
      $('#generate-key').addEventListener('click', () => {
        const key = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
        add('sha256:' + sha256Hex(key));
        $('#new-key-value').textContent = key; $('#new-key').hidden = false;
      });
      $('#add-key').addEventListener('click', () => {
        const key = $('#own-key').value;
        if (!key) return;
        add(/^sha256:[0-9a-f]{64}$/.test(key) ? key : 'sha256:' + sha256Hex(key));
        $('#own-key').value = '';
      });
    },
    readInto: (value) => { if (!same(keys, before)) setRecord(value, 'apiKeys', keys); },
  };
}

/** SHA-256 of a text's UTF-8 bytes, in hex (FIPS 180-4); in JavaScript because crypto.subtle exists only on HTTPS pages. */
function sha256Hex(text) {
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  const frac = (x) => ((x - Math.floor(x)) * 0x100000000) | 0;
  const K = []; const h = [];
  for (let n = 2; K.length < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (!prime) continue;
    if (h.length < 8) h.push(frac(Math.sqrt(n)));
    K.push(frac(Math.cbrt(n)));
  }
  const bytes = new TextEncoder().encode(text);
  const length = ((bytes.length + 9 + 63) >> 6) << 6;
  const data = new Uint8Array(length);
  data.set(bytes); data[bytes.length] = 0x80;
  const view = new DataView(data.buffer);
  view.setUint32(length - 8, Math.floor(bytes.length / 0x20000000)); view.setUint32(length - 4, (bytes.length * 8) >>> 0);
  const w = new Array(64);
  for (let off = 0; off < length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4) | 0;
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, x] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (x + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      x = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, x].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
  }
  return h.map((v) => (v >>> 0).toString(16).padStart(8, '0')).join('');
}

// ---------- history ----------

async function pageHistory() {
  const data = await api('GET', '/api/history');
  const versions = data.history;
  const options = (selected) => versions.map((h) => '<option value="' + h.version + '"' + (h.version === selected ? ' selected' : '') + '>' + h.version + '</option>').join('');
  $('#app').innerHTML = '<h1>History</h1><p class="muted">Every change is a version: who, when and what. Roll back to any version kept; a rollback is a new version.</p>'
    + (!versions.length ? '<p class="empty" id="history-empty">Nothing is stored yet: the first change creates version 1.</p>'
      : '<form class="toolbar" id="compare-form"><label class="inline">Compare version<select id="compare-from">' + options((versions[1] || versions[0]).version) + '</select></label>'
      + '<label class="inline">with<select id="compare-to">' + options(versions[0].version) + '</select></label>'
      + '<button type="submit" class="secondary" id="compare">Compare</button></form>'
      + '<div class="table-wrap"><table id="history" class="stack"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>What</th><th></th></tr></thead><tbody>'
      + versions.map((h, i) => '<tr data-version="' + h.version + '"><td data-label="Version">' + h.version + (i === 0 ? ' <span class="badge ok">current</span>' : '') + '</td>'
        + '<td data-label="When">' + esc(new Date(h.time).toLocaleString()) + '</td><td data-label="Who">' + esc(h.author) + '</td><td data-label="What" class="summary">' + esc(h.summary) + '</td><td><div class="actions">'
        + (i < versions.length - 1 ? '<button type="button" class="secondary show-diff" data-from="' + versions[i + 1].version + '" data-to="' + h.version + '">Diff</button>' : '')
        + (i > 0 && canWrite() ? '<button type="button" class="danger rollback" data-version="' + h.version + '">Roll back to this</button>' : '') + '</div></td></tr>').join('')
      + '</tbody></table></div>')
    + '<div id="history-diff"></div>';
  const compare = async (from, to) => {
    try {
      const d = await api('GET', '/api/history/diff?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to), undefined, { notVersioned: true });
      $('#history-diff').innerHTML = '<h2 id="diff-title">Version ' + esc(d.from) + ' → ' + esc(d.to) + '</h2>' + diffHtml(d.diff);
      $('#history-diff').scrollIntoView();
    } catch (e) { $('#history-diff').innerHTML = '<p class="errors">' + esc(e.message) + '</p>'; }
  };
  if (!versions.length) return;
  $('#compare-form').addEventListener('submit', (e) => { e.preventDefault(); compare($('#compare-from').value, $('#compare-to').value); });
  $$('.show-diff').forEach((b) => b.addEventListener('click', () => compare(b.dataset.from, b.dataset.to)));
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
          + (r.backends ? '<p>' + r.backends.map((b) => '<span class="badge">' + esc(backendName(b)) + ' ' + b.percent + '%</span>').join('') + '</p>' : '')
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
    + '<div class="card"><h2>Import</h2><p class="muted">Replaces the stored configuration, validated like any edit. Choose a file or paste YAML; you see the diff and confirm before anything changes.</p>'
    + (canWrite() ? '<label>YAML file<input type="file" id="import-file" accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml,text/plain"></label>' : '')
    + '<label>Or paste<textarea id="import-yaml" rows="14" placeholder="upstreams: [...]\nroutes: [...]"></textarea></label>'
    + '<div id="form-errors" class="errors"></div>' + (canWrite() ? '<div class="toolbar"><button type="button" id="import-check">Validate and show diff</button></div>' : '')
    + '<div id="preview"></div></div>';
  if (!canWrite()) return;
  // the text a diff was shown for, and the version it was computed on: Apply imports exactly that, or gets a 409
  const check = async () => {
    clearErrors();
    $('#preview').innerHTML = '';
    const text = $('#import-yaml').value;
    try {
      const r = await api('POST', '/api/import?dryRun=true', text, { contentType: 'application/yaml' });
      const read = r.version;
      $('#preview').innerHTML = '<h2>Importing would do</h2>' + diffHtml(r.diff)
        + (r.diff ? '<div class="toolbar"><button type="button" id="import-apply">Import this</button><button type="button" class="secondary" id="import-cancel">Cancel</button></div>' : '');
      if (!r.diff) return;
      $('#import-cancel').addEventListener('click', () => { $('#preview').innerHTML = ''; });
      $('#import-apply').addEventListener('click', async () => {
        try {
          const done = await api('POST', '/api/import', text, { contentType: 'application/yaml', ifMatch: read });
          $('#preview').innerHTML = '<h2 id="import-done">Imported: version ' + esc(done.version) + '</h2>' + diffHtml(done.diff);
          toast('Imported: version ' + done.version);
        } catch (e) {
          if (e.status === 409) {
            $('#preview').innerHTML = '<p class="errors" id="import-conflict">' + esc(e.message) + '</p><button type="button" class="secondary" id="import-again">Show the diff again</button>';
            $('#import-again').addEventListener('click', check);
          } else showErrors(e, 'x');
        }
      });
      $('#import-apply').scrollIntoView();
    } catch (e) { showErrors(e, 'x'); }
  };
  $('#import-check').addEventListener('click', check);
  $('#import-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    $('#import-yaml').value = await file.text();
    check();
  });
}

// ---------- router ----------

/** Pages written as ES modules (page(main, arg), refresh()), loaded when first shown. */
const MODULE_PAGES = { traffic: '/ui/modules/pages/route-traffic.js', 'upstream-traffic': '/ui/modules/pages/upstream-traffic.js', map: '/ui/modules/pages/map.js' };
let modulePage = null;

function currentPage() { return (location.hash.replace(/^#\//, '').split('/')[0]) || 'routes'; }

async function route() {
  state.nav++;
  state.editing = false;
  $('header.top').classList.remove('open');
  $('#menu').setAttribute('aria-expanded', 'false');
  const [page, arg] = location.hash.replace(/^#\//, '').split('/').map(decodeURIComponent);
  $$('nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + (page || 'routes')));
  modulePage = null;
  try {
    if (MODULE_PAGES[page]) {
      modulePage = await import(MODULE_PAGES[page]);
      await modulePage.page($('#app'), arg);
    }
    else if (page === 'routes' && arg) await pageRouteEditor(arg);
    else if (page === 'upstreams' && arg) await pageUpstreamEditor(arg);
    else if (page === 'upstreams') await pageUpstreams();
    else if (KINDS[page] && arg) await pageKindEditor(page, arg);
    else if (KINDS[page]) await pageKind(page);
    else if (page === 'history') await pageHistory();
    else if (page === 'tester') pageTester();
    else if (page === 'config') pageConfig();
    else await pageRoutes();
  } catch (e) {
    if (!(e instanceof Superseded)) $('#app').innerHTML = '<p class="errors">' + esc(e.message) + '</p>';
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
  $('#menu').addEventListener('click', () => { $('#menu').setAttribute('aria-expanded', String($('header.top').classList.toggle('open'))); });
  window.addEventListener('hashchange', route);
  await route();
  setInterval(refreshLive, 2000);
}

main();
