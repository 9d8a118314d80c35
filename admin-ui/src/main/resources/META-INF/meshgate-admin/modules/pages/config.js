// #/config: export the stored configuration as YAML; import a file or pasted YAML after a dry-run diff.

import { html, render } from '../html.js';
import { api, canWrite } from '../api.js';
import { $, toast } from '../dom.js';
import { diffMarkup, clearErrors, showErrors } from '../editor.js';

export function page(main) {
  const write = canWrite();
  render(main, html`<h1>Export and import</h1><div class="card"><p>The whole stored configuration as YAML (routes and upstreams from other sources are not included).</p><a href="/api/export" download="meshgate-config.yaml" id="export-link"><button type="button" class="secondary">Download YAML</button></a></div><div class="card"><h2>Import</h2><p class="muted">Replaces the stored configuration, validated like any edit. Choose a file or paste YAML; you see the diff and confirm before anything changes.</p>${
    write ? html`<label>YAML file<input type="file" id="import-file" accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml,text/plain"></label>` : ''}<label>Or paste<textarea id="import-yaml" rows="14" placeholder="${'upstreams: [...]\nroutes: [...]'}"></textarea></label><div id="form-errors" class="errors"></div>${
    write ? html`<div class="toolbar"><button type="button" id="import-check">Validate and show diff</button></div>` : ''}<div id="preview"></div></div>`);
  if (!write) return;
  const preview = $('#preview');
  // the text a diff was shown for, and the version it was computed on: Apply imports exactly that, or gets a 409
  const check = async () => {
    clearErrors();
    preview.replaceChildren();
    const text = $('#import-yaml').value;
    try {
      const r = await api('POST', '/api/import?dryRun=true', text, { contentType: 'application/yaml' });
      const read = r.version;
      render(preview, html`<h2>Importing would do</h2>${diffMarkup(r.diff)}${r.diff ? html`<div class="toolbar"><button type="button" id="import-apply">Import this</button><button type="button" class="secondary" id="import-cancel">Cancel</button></div>` : ''}`);
      if (!r.diff) return;
      $('#import-cancel').addEventListener('click', () => { preview.replaceChildren(); });
      $('#import-apply').addEventListener('click', async () => {
        try {
          const done = await api('POST', '/api/import', text, { contentType: 'application/yaml', ifMatch: read });
          render(preview, html`<h2 id="import-done">Imported: version ${done.version}</h2>${diffMarkup(done.diff)}`);
          toast('Imported: version ' + done.version);
        } catch (e) {
          if (e.status === 409) {
            render(preview, html`<p class="errors" id="import-conflict">${e.message}</p><button type="button" class="secondary" id="import-again">Show the diff again</button>`);
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
