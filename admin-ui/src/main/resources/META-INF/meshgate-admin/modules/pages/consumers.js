// #/consumers: clients known by API keys; the editor makes, hashes and removes keys.

import { html, render } from '../html.js';
import { $ } from '../dom.js';
import { copied, same, setRecord } from '../schema.js';
import { sha256Hex } from '../sha256.js';
import { kindPage, refreshKind } from '../kinds.js';

const CONSUMERS = {
  kind: 'consumers', def: 'Consumer', title: 'Consumers', what: 'Consumer', idPrefix: 'consumer-', options: { skip: ['apiKeys'] },
  intro: 'Clients known by API keys: a request with one of a consumer\'s keys, on a route that takes API keys, is that consumer.',
  head: ['API keys', 'Named by policies'],
  withPolicies: true,
  cells: (c, live) => {
    const policies = live.policies.filter((p) => (p.rules || []).some((r) => [...((r.from || {}).consumers || []), ...((r.from || {}).notConsumers || [])].includes(c.name)));
    return [String((c.apiKeys || []).length),
      policies.length ? policies.map((p, i) => html`${i > 0 ? ', ' : ''}<a href="${'#/authorizationPolicies/' + encodeURIComponent(p.name)}">${p.name}</a>`) : html`<span class="muted">none</span>`];
  },
  extraCard: apiKeysEditor,
};

export const page = kindPage(CONSUMERS);
export const refresh = refreshKind;

/**
 * A consumer's keys. The admin API takes only hashes (docs/design/api-key-hashes.md): a key made
 * or typed here is hashed in the browser, and only the hash is sent. A made key is shown once,
 * on this page, until it is left; nothing reads a key back.
 */
function apiKeysEditor(item) {
  const before = item.apiKeys || [];
  const keys = copied(before);
  const added = new Set();
  const show = () => {
    render($('#api-keys'), keys.length
      ? html`${keys.map((h, i) => html`<li data-path="${'apiKeys[' + i + ']'}"><code title="${h}">${h.length > 24 ? h.slice(0, 19) + '…' + h.slice(-4) : h}</code>${added.has(h) ? html` <span class="badge ok">new</span>` : ''} <button type="button" class="secondary remove-key" data-index="${i}">Remove</button></li>`)}`
      : html`<li class="muted">No keys: this consumer cannot authenticate.</li>`);
  };
  const add = (hash) => { keys.push(hash); added.add(hash); show(); };
  return {
    html: () => html`<div class="card" data-path="apiKeys"><h2>API keys</h2><p class="muted">Stored and shown only as SHA-256 hashes; several during a rotation.</p><ul id="api-keys" class="keys"></ul><div class="toolbar"><button type="button" class="secondary" id="generate-key">Generate a key</button></div><div id="new-key" class="new-key" hidden><strong>Copy this key now:</strong> it is stored only as its hash and is not shown again. <code id="new-key-value"></code></div><div class="row"><label>A key you have (hashed in this browser; the key itself is never sent)<input type="password" id="own-key" autocomplete="off"></label><button type="button" class="secondary" id="add-key">Add key</button></div></div>`,
    bind: () => {
      show();
      $('#api-keys').addEventListener('click', (e) => { const b = e.target.closest('.remove-key'); if (b) { keys.splice(Number(b.dataset.index), 1); show(); } });
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
