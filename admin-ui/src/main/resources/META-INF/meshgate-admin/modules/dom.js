// Finding elements, the toast, and the empty-table sentence: small DOM helpers every page uses.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** The page the hash names (#/routes/shop: routes); the routes list when none. */
export const currentPage = () => (location.hash.replace(/^#\//, '').split('/')[0]) || 'routes';

let toastTimer;

/** A short message at the bottom of the window for 4 s. */
export function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 4000);
}

/** Instead of a table with headers only: a sentence saying why it is empty (none: the table shows). */
export function showEmpty(table, id, sentence) {
  const wrap = $(table) && $(table).closest('.table-wrap');
  if (!wrap) return;
  let note = $('#' + id);
  if (!note) { note = document.createElement('p'); note.id = id; note.className = 'empty'; wrap.after(note); }
  note.textContent = sentence;
  note.hidden = !sentence;
  wrap.hidden = Boolean(sentence);
}
