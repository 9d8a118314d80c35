// Editors: show the diff, confirm, apply; delete with confirmation; errors under their fields;
// a conflict on the same item shows theirs against mine and keeps the user's edit.

import { html, render } from './html.js';
import { api, state } from './api.js';
import { $, $$, toast } from './dom.js';
import { lowerFirst } from './format.js';
import { stored } from './schema.js';

/** A unified diff as lines coloured by what they do; id names the element (tests and links use it). */
export function diffMarkup(diff, id = 'diff') {
  if (!diff) return html`<p class="muted">No change.</p>`;
  const lines = diff.split('\n').map((line, i) => {
    const cls = line.startsWith('+++') || line.startsWith('---') ? '' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    return html`${i > 0 ? '\n' : ''}<span class="${cls}">${line}</span>`;
  });
  return html`<pre class="diff" id="${id}">${lines}</pre>`;
}

/** The error box, the Show diff / Apply / Delete buttons (or a read-only note) and the preview of an editor form. */
export function editorButtons(noun, readOnly, isNew) {
  return html`<div id="form-errors" class="errors"></div>${readOnly
    ? html`<p class="muted">Read only: your role may not change this.</p>`
    : html`<div class="toolbar"><button type="button" id="${'preview-' + noun}" class="secondary">Show diff</button><button type="submit" id="${'save-' + noun}">Apply</button>${isNew ? '' : html`<button type="button" id="${'delete-' + noun}" class="danger">Delete</button>`}</div>`}<div id="preview"></div>`;
}

/**
 * Wires the form #<noun>-form to the admin API's item endpoints of kind: Apply always shows the
 * diff first (a dry run) and applies exactly that change on confirmation. id is null for a new item;
 * def is the item's record in the schema (a conflict compares the item as the store keeps it).
 */
export function wireEditor(o) {
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
        render($('#preview'), html`<h2>This change would do</h2>${diffMarkup(result.diff)}${dryRun ? '' : html`<div class="toolbar"><button type="button" id="confirm-apply">Apply this change</button><button type="button" class="secondary" id="cancel-apply">Keep editing</button></div>`}`);
        if (!dryRun) {
          $('#confirm-apply').addEventListener('click', () => submit(false, item));
          $('#cancel-apply').addEventListener('click', () => { $('#preview').replaceChildren(); });
          $('#confirm-apply').scrollIntoView();
        }
        return;
      }
      state.editing = false; toast(o.what + ' ' + o.nameOf(item) + ' saved: version ' + result.version); location.hash = o.back;
    } catch (e) {
      if (e.status === 409 && e.body.item) showConflict(e, o.def, item, () => { o.etag = e.body.currentVersion; submit(false); });
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
        if (e.status === 409 && e.body.item) showConflict(e, o.def, undefined, () => { if (confirm('Delete their version of ' + lowerFirst(o.what) + ' ' + o.id + '?')) { o.etag = e.body.currentVersion; remove(); } });
        else showErrors(e, prefix(o.id));
      }
    };
    remove();
  });
}

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
 * A 409 on one item: what changed it since it was read, theirs against mine (undefined: mine deletes
 * it), and "Apply mine anyway", which goes through the usual diff-and-confirm on top of theirs.
 * The form is left as the user wrote it. "Discard mine" shows the page again from the store.
 */
function showConflict(error, def, mine, applyMine) {
  clearErrors();
  const b = error.body;
  const text = (v) => (v === undefined || v === null ? '(deleted)' : JSON.stringify(stored(def, v), null, 2));
  render($('#preview'), html`<div class="card conflict" id="conflict"><h2>Changed by someone else while you edited</h2><p id="conflict-message">${b.message}</p><ul class="conflict-changes">${(b.changesSince || []).map((h) => html`<li>version ${h.version} by ${h.author}: ${h.summary}</li>`)}</ul><h3>Theirs (version ${b.currentVersion}, lines marked −) and yours (+)</h3>${diffMarkup(lineDiff(text(b.theirs), text(mine)), 'conflict-diff')}<p class="muted">Your edit is still in the form above.</p><div class="toolbar"><button type="button" id="apply-mine">Apply mine anyway</button><button type="button" class="secondary" id="take-theirs">Discard mine, show theirs</button></div></div>`);
  $('#apply-mine').addEventListener('click', applyMine);
  $('#take-theirs').addEventListener('click', () => { state.editing = false; window.dispatchEvent(new HashChangeEvent('hashchange')); });
  $('#conflict').scrollIntoView();
}

export function clearErrors() {
  $$('.field-error').forEach((el) => el.remove());
  $$('.invalid').forEach((el) => el.classList.remove('invalid'));
  const box = $('#form-errors'); if (box) box.replaceChildren();
}

/**
 * Puts each error under its field: routes[orders].backends[1].weight goes to [data-path="backends[1].weight"];
 * the summary says how many there are and lists those that have no field here.
 */
export function showErrors(error, prefix) {
  const box = $('#form-errors');
  if (error.status === 409) {
    render(box, html`<p class="field-error" data-for="version">${error.message} <button type="button" class="secondary" id="reload">Reload</button></p>`);
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
  render(box, html`<p class="error-summary" id="error-summary">${error.message}${loose.length < errors.length ? ' (' + (errors.length - loose.length) + ' shown at their fields)' : ''}</p>${loose.map((e) => html`<div class="field-error" data-for="${e.path}">${e.path ? e.path + ': ' : ''}${e.message}</div>`)}`);
}
