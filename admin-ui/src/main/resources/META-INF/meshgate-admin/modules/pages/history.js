// #/history: every version with who, when and what; diffs between any two; rollback with a preview.

import { html, render } from '../html.js';
import { api, canWrite } from '../api.js';
import { $, $$, toast } from '../dom.js';
import { diffMarkup } from '../editor.js';

function historyMarkup(versions) {
  if (!versions.length) return html`<p class="empty" id="history-empty">Nothing is stored yet: the first change creates version 1.</p>`;
  const options = (selected) => versions.map((h) => html`<option value="${h.version}"${h.version === selected ? html` selected` : ''}>${h.version}</option>`);
  const row = (h, i) => html`<tr data-version="${h.version}"><td data-label="Version">${h.version}${i === 0 ? html` <span class="badge ok">current</span>` : ''}</td><td data-label="When">${new Date(h.time).toLocaleString()}</td><td data-label="Who">${h.author}</td><td data-label="What" class="summary">${h.summary}</td><td><div class="actions">${
    i < versions.length - 1 ? html`<button type="button" class="secondary show-diff" data-from="${versions[i + 1].version}" data-to="${h.version}">Diff</button>` : ''}${
    i > 0 && canWrite() ? html`<button type="button" class="danger rollback" data-version="${h.version}">Roll back to this</button>` : ''}</div></td></tr>`;
  return html`<form class="toolbar" id="compare-form"><label class="inline">Compare version<select id="compare-from">${options((versions[1] || versions[0]).version)}</select></label><label class="inline">with<select id="compare-to">${options(versions[0].version)}</select></label><button type="submit" class="secondary" id="compare">Compare</button></form><div class="table-wrap"><table id="history" class="stack"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>What</th><th></th></tr></thead><tbody>${versions.map(row)}</tbody></table></div>`;
}

export async function page(main) {
  const data = await api('GET', '/api/history');
  const versions = data.history;
  render(main, html`<h1>History</h1><p class="muted">Every change is a version: who, when and what. Roll back to any version kept; a rollback is a new version.</p>${historyMarkup(versions)}<div id="history-diff"></div>`);
  const shown = $('#history-diff');
  const failed = (e) => render(shown, html`<p class="errors">${e.message}</p>`);
  const compare = async (from, to) => {
    try {
      const d = await api('GET', '/api/history/diff?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to), undefined, { notVersioned: true });
      render(shown, html`<h2 id="diff-title">Version ${d.from} → ${d.to}</h2>${diffMarkup(d.diff)}`);
      shown.scrollIntoView();
    } catch (e) { failed(e); }
  };
  if (!versions.length) return;
  $('#compare-form').addEventListener('submit', (e) => { e.preventDefault(); compare($('#compare-from').value, $('#compare-to').value); });
  $$('.show-diff').forEach((b) => b.addEventListener('click', () => compare(b.dataset.from, b.dataset.to)));
  $$('.rollback').forEach((b) => b.addEventListener('click', async () => {
    const preview = await api('POST', '/api/history/' + b.dataset.version + '/rollback?dryRun=true', undefined, { ifMatch: data.version });
    render(shown, html`<h2>Rolling back to version ${b.dataset.version} would do</h2>${diffMarkup(preview.diff)}<button type="button" id="confirm-rollback" class="danger">Confirm rollback</button>`);
    $('#confirm-rollback').addEventListener('click', async () => {
      try { const r = await api('POST', '/api/history/' + b.dataset.version + '/rollback', undefined, { ifMatch: data.version }); toast('Rolled back: version ' + r.version); page(main); }
      catch (e) { failed(e); }
    });
  }));
}
