// The configuration's schema (/api/schema): defaults, examples and choices come from the records.
// And the small value helpers that reading forms back into records needs.

import { state } from './api.js';

/** Follows a reference, a list's items or the object form of a field written either way. */
export function resolve(node) {
  for (;;) {
    if (node.$ref) node = state.schema.$defs[node.$ref.replace('#/$defs/', '')];
    else if (node.items) node = node.items;
    else if (node.anyOf && !node.properties) node = node.anyOf.find((n) => n.$ref) || node.anyOf[0];
    else return node;
  }
}

/** The schema of a field of a record: fieldSchema('Route', 'retries.attempts'). */
export function fieldSchema(record, path) {
  let node = { $ref: '#/$defs/' + record };
  for (const key of path.split('.')) {
    node = (resolve(node).properties || {})[key];
    if (!node) throw new Error('the schema has no field ' + record + '.' + path);
  }
  return node;
}

export const defaultOf = (record, path) => fieldSchema(record, path).default;
export const choices = (record, path) => resolve(fieldSchema(record, path)).enum || [];
const shown = (v) => (Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v));

/** What an empty field means: its default, else an example of what to write. */
export function placeholderOf(record, path) {
  const node = fieldSchema(record, path);
  return shown(node.default !== undefined ? node.default : (node.examples || [])[0]);
}

/** The line under a field: its default, when it has one, or what the default follows. */
export function hintOf(record, path) {
  const node = fieldSchema(record, path);
  if (node.default !== undefined && (Array.isArray(node.default) || typeof node.default !== 'object')) return 'default ' + shown(node.default);
  return node['x-defaultFrom'] ? 'default: follows ' + node['x-defaultFrom'].join(', ') : '';
}

export const copied = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
export const isEmpty = (v) => v === undefined || (Array.isArray(v) ? !v.length : typeof v === 'object' && v !== null && !Object.keys(v).length);
export const num = (v) => (v === '' || v === undefined || v === null ? undefined : (isNaN(Number(v)) ? v : Number(v)));
export const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** Lines "name<sep>value" as an object; lines without the separator are left out. */
export function pairs(text, sep) {
  const out = {};
  text.split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => { const c = l.indexOf(sep); if (c > 0) out[l.slice(0, c).trim()] = l.slice(c + 1).trim(); });
  return out;
}

/** Sets a record read from a form, or leaves it out when the form was emptied. */
export function setRecord(target, key, value) {
  if (isEmpty(value)) delete target[key]; else target[key] = value;
}

/**
 * A policy read from its card, or undefined when the fields its record requires were emptied:
 * clearing CORS's origins or the auth service's URI turns the policy off, whatever defaults
 * the other fields read back with.
 */
export function switchedOn(def, value) {
  const required = resolve({ $ref: '#/$defs/' + def }).required || [];
  return required.length && required.every((n) => isEmpty(value[n]) || value[n] === '') ? undefined : value;
}

/** A policy switched on with every field left empty: one default written out, so that it binds as "on, with defaults". */
export function withDefaultsOn(def, value) {
  if (!isEmpty(value)) return value;
  const properties = resolve({ $ref: '#/$defs/' + def }).properties;
  const first = Object.keys(properties).find((k) => properties[k].default !== undefined);
  return { [first]: properties[first].default };
}

/**
 * An item as the store keeps it, for comparing with what the store sent: keys sorted, and without
 * what the schema gives as the default or empty objects a form leaves (the store keeps neither).
 */
export function stored(def, value) {
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
