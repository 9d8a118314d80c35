// Escaping templates: the only way the admin UI turns data into markup.
//
//   html`<td title="${route.id}">${count}</td>`   every interpolated value is escaped
//   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`   nested templates and arrays of them are not
//   render(element, html`…`)   replaces the element's content
//
// Invariant: a value reaches the DOM unescaped only as a Markup made by html`` (or by raw() for
// markup the UI builds itself, such as an SVG path computed from numbers). Strings from the
// configuration, the API or the user are never passed to raw().

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Markup that is already safe to insert. */
export class Markup {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

export const escape = (value) => String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]);

const part = (value) => {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === undefined || value === null || value === false) return '';
  return escape(value);
};

export function html(strings, ...values) {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += part(values[i]) + strings[i + 1];
  return new Markup(text);
}

/** Markup the UI computed itself from trusted parts; never data from outside. */
export const raw = (text) => new Markup(String(text));

export function render(element, markup) {
  if (!(markup instanceof Markup)) throw new TypeError('render takes html`` markup');
  element.innerHTML = markup.text;
  return element;
}
