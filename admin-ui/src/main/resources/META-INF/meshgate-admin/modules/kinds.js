// Pages for the named objects besides routes and upstreams (JWT providers, consumers,
// authorization policies, TCP and TLS passthrough routes): a list with
// live metrics and an editor built from the schema. Each page module describes its kind:
//   { kind, def, title, what, idPrefix, options (SchemaForm's), intro, head (column titles),
//     cells(item, live) (html`` markup per column), withPolicies (live.policies is read),
//     extraCard(item) (a card of the editor: {html, bind, readInto}) }

import { html, render } from './html.js';
import { api, state, canWrite, loadConfig } from './api.js';
import { $, currentPage, showEmpty } from './dom.js';
import { lowerFirst } from './format.js';
import { SchemaForm } from './schema-form.js';
import { editorButtons, wireEditor } from './editor.js';

/** The page function of a kind: its list, or with an argument its editor. */
export const kindPage = (k) => (main, arg) => (arg ? kindEditor(main, k, arg) : kindList(main, k));

/** The gateway's identity and L4 meters, from /actuator/prometheus: one read for every row; none when it cannot be read. */
async function loadMetrics() {
  let samples = [];
  try {
    const response = await fetch('/actuator/prometheus', { headers: { Accept: 'text/plain' }, credentials: 'same-origin' });
    if (response.ok) {
      samples = (await response.text()).split('\n').filter((l) => /^meshgate_(jwt|authn|authz|l4)_/.test(l)).map(sampleOf).filter(Boolean);
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

/** The list shown now: its kind's description, its items, and the markup of its rows last rendered. */
let shownList = null;

async function kindList(main, k) {
  const [data] = await Promise.all([api('GET', '/api/' + k.kind), loadConfig()]);
  shownList = { k, items: data[k.kind] };
  render(main, html`<h1>${k.title}</h1><p class="muted">${k.intro}</p><div class="toolbar">${canWrite() ? html`<a href="${'#/' + k.kind + '/new'}"><button type="button" id="new-item">New ${lowerFirst(k.what)}</button></a>` : ''}</div><div class="table-wrap"><table id="items" class="stack"><thead><tr><th>Name</th>${k.head.map((h) => html`<th>${h}</th>`)}<th></th></tr></thead><tbody></tbody></table></div>`);
  await renderKindRows();
}

/** After a live refresh: the rows of the list shown, with the live metrics of now. */
export async function refreshKind() {
  if (!state.editing) await renderKindRows();
}

async function renderKindRows() {
  const list = shownList;
  if (!list || currentPage() !== list.k.kind || !$('#items tbody')) return;
  const k = list.k;
  const live = await loadMetrics();
  live.policies = k.withPolicies ? (await api('GET', '/api/authorizationPolicies', undefined, { notVersioned: true })).authorizationPolicies.map((p) => p.item) : [];
  const body = $('#items tbody');
  if (!body) return;
  const rows = list.items.length ? html`${list.items.map(({ item, readOnly, source }) => html`<tr data-item="${item.name}"><td data-label="Name"><strong>${item.name}</strong></td>${k.cells(item, live).map((c, i) => html`<td data-label="${k.head[i]}">${c}</td>`)}<td>${readOnly
    ? html`<span class="badge ro">read-only: ${source}</span>`
    : html`<a class="edit-item" href="${'#/' + k.kind + '/' + encodeURIComponent(item.name)}">${canWrite() ? 'Edit' : 'View'}</a>`}</td></tr>`)}`
    : html``;
  // an empty list is a sentence, not a table header over no rows
  showEmpty('#items', 'items-empty', list.items.length ? '' : 'No ' + lowerFirst(k.title) + ' yet.');
  // rendered again only when something changed, so that a row being clicked stays in place
  if (rows.text !== list.rendered) { render(body, rows); list.rendered = rows.text; }
}

async function kindEditor(main, k, name) {
  state.editing = true;
  const isNew = name === 'new';
  const item = isNew ? {} : await api('GET', '/api/' + k.kind + '/' + encodeURIComponent(name));
  if (isNew) await api('GET', '/api/' + k.kind);
  const etag = state.version;
  const ro = !canWrite();
  const form = new SchemaForm(k.def, '', item, Object.assign({ idPrefix: k.idPrefix, readonly: isNew ? [] : ['name'] }, k.options));
  const extra = k.extraCard ? k.extraCard(item) : null;
  render(main, html`<h1>${isNew ? 'New ' + lowerFirst(k.what) : k.what + ' ' + name}</h1><p class="muted">${k.intro}</p><form id="item-form" novalidate><div class="card"><div class="grid">${form.html()}</div></div>${extra ? extra.html() : ''}${editorButtons('item', ro, isNew)}</form>`);
  form.bind();
  if (extra) extra.bind();
  wireEditor({ noun: 'item', kind: k.kind, what: k.what, def: k.def, id: isNew ? null : name, etag, readOnly: ro, back: '#/' + k.kind, nameOf: (x) => x.name,
    build: () => { const v = form.read(); if (extra) extra.readInto(v); return v; } });
}
