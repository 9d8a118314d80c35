// Forms built from the schema: one renderer and one reader for every record.

import { html, render } from './html.js';
import { $ } from './dom.js';
import { lowerFirst } from './format.js';
import { resolve, fieldSchema, choices, placeholderOf, hintOf, copied, same, isEmpty, num, list, pairs } from './schema.js';

const WORDS = { uri: 'URI', jwks: 'JWKS', ip: 'IP', tls: 'TLS', jwt: 'JWT', api: 'API', ca: 'CA', l4: 'L4', grpc: 'gRPC' };
/** A field's label from its name: notIpBlocks reads "Not IP blocks", consecutive5xx "Consecutive 5xx". */
const labelOf = (name) => name.replace(/([A-Z])/g, ' $1').replace(/(\d+xx)$/, ' $1').toLowerCase().split(' ')
  .map((w, i) => WORDS[w] || (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
const defName = (node) => node.$ref.replace('#/$defs/', '');
/** The record a field holds, whether written as a reference or in either of two forms. */
const recordDef = (node) => defName(node.$ref ? node : node.anyOf.find((n) => n.$ref));
const joined = (path, name) => (path ? path + '.' + name : name);
const negated = (name) => /^not[A-Z]/.test(name);

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

let forms = 0;

/**
 * A form for one record of the schema (`def`) whose fields sit at `path` in what the admin API
 * checks (so that its errors find their fields). It shows `value`, and reads back a copy of it with
 * the edited fields changed: fields the form does not show, and fields left as shown (masked
 * secrets, numbers written as text), are sent exactly as they were read.
 * Options: only, skip (field names), readonly (field names), textareas (field names),
 * openRecords (nested records shown open), idPrefix (element ids), rowLabels (a row's name by field).
 */
export class SchemaForm {
  constructor(def, path, value, options = {}) {
    this.def = def; this.path = path; this.value = copied(value) || {}; this.options = options;
    forms++;
    this.id = 'schema-form-' + forms;
  }

  html() { return html`<div class="schema-form" id="${this.id}">${this.fields(this.def, '', this.value)}</div>`; }

  /** Rows are added and removed by reading the form, changing the value and showing it again. */
  bind() {
    $('#' + this.id).addEventListener('click', (e) => {
      const button = e.target.closest('.add-row, .remove-row');
      if (!button) return;
      const value = this.read();
      const rows = arrayAt(value, button.dataset.rel);
      if (button.classList.contains('add-row')) rows.push({}); else rows.splice(Number(button.dataset.index), 1);
      this.value = value;
      render($('#' + this.id), this.fields(this.def, '', this.value));
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
    const nots = names.filter(negated);
    const field = (n) => this.field(def, n, joined(rel, n), value[n]);
    return html`${names.filter((n) => !negated(n)).map(field)}${nots.length > 0 && html`<details class="wide nots"${nots.some((n) => value[n] !== undefined) && html` open`}><summary>Exceptions (not …)</summary><div class="grid">${nots.map(field)}</div></details>`}`;
  }

  field(def, name, rel, v) {
    const node = fieldSchema(def, name); const kind = kindOf(node); const o = this.options;
    const path = joined(this.path, rel);
    const id = (o.idPrefix || '') + rel.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
    const attrs = html`data-path="${path}" data-rel="${rel}" id="${id}"${(o.readonly || []).includes(name) && html` readonly`}`;
    const hint = hintOf(def, name);
    const hintMarkup = hint && html`<small class="hint" data-hint-for="${path}">${hint}</small>`;
    const label = labelOf(name);
    if (kind === 'record') {
      const open = v !== undefined || (o.openRecords || []).includes(name);
      return html`<details class="wide nested" data-path="${path}"${open && html` open`}><summary>${label}</summary><div class="grid">${this.fields(recordDef(node), rel, v || {})}</div></details>`;
    }
    if (kind === 'rows') {
      const item = recordDef(node.items);
      const one = (o.rowLabels || {})[name] || labelOf(item.split('.').pop().replace(/^./, (c) => c.toLowerCase()));
      return html`<div class="wide rows" data-path="${path}"><div class="rows-title">${label}</div>${(v || []).map((x, i) => html`<fieldset class="row-item" data-path="${path + '[' + i + ']'}"><legend>${one} ${i + 1} <button type="button" class="secondary remove-row" data-rel="${rel}" data-index="${i}" id="${id + '-remove-' + i}">Remove</button></legend><div class="grid">${this.fields(item, rel + '[' + i + ']', x || {})}</div></fieldset>`)}<button type="button" class="secondary add-row" data-rel="${rel}" id="${id + '-add'}">Add ${lowerFirst(one)}</button></div>`;
    }
    if (kind === 'flag') {
      const checked = v ?? node.default ?? false;
      return html`<label class="check"><span><input type="checkbox" ${attrs}${checked ? html` checked` : ''}> ${label}</span>${hintMarkup}</label>`;
    }
    if (kind === 'choice') {
      const selected = String(v ?? node.default ?? '');
      const options = (node.default === undefined ? [''] : []).concat(choices(def, name));
      return html`<label>${label}<select ${attrs}>${options.map((c) => html`<option${c === selected && html` selected`} value="${c}">${c}</option>`)}</select>${hintMarkup}</label>`;
    }
    const placeholder = kind === 'map' ? Object.entries((node.examples || [])[0] || {}).map(([k, x]) => k + ': ' + x).join('\n') : placeholderOf(def, name);
    if (kind === 'map' || (o.textareas || []).includes(name)) {
      return html`<label class="${kind === 'map' ? '' : 'wide'}">${label}${kind === 'map' && ' (name: value, one per line)'}<textarea rows="${kind === 'map' ? 2 : 4}" ${attrs} placeholder="${placeholder}">${textOf(kind, v)}</textarea>${hintMarkup}</label>`;
    }
    return html`<label>${label}<input ${attrs} placeholder="${placeholder}" value="${textOf(kind, v)}"${kind === 'number' && html` inputmode="numeric"`}>${hintMarkup}</label>`;
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
