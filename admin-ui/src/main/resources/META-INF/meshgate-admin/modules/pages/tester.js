// #/tester: which route, backend and status a request would meet, and what identity and access decide.

import { html, render } from '../html.js';
import { api } from '../api.js';
import { $ } from '../dom.js';
import { backendName } from '../format.js';
import { pairs } from '../schema.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function page(main) {
  render(main, html`<h1>Route tester</h1><p class="muted">Which route, backend and status a request would meet, and what identity and access decide, as the gateway's own route lookup, authentication and policies answer. Nothing is sent; an auth service is never called; tokens and keys are never shown back.</p><form id="tester-form" class="card"><div class="grid"><label>Method<select id="tester-method">${METHODS.map((m) => html`<option>${m}</option>`)}</select></label><label>Path<input id="tester-path" value="/" required></label><label>Host<input id="tester-host" placeholder="optional"></label><label>Headers (name: value per line)<textarea id="tester-headers" rows="3"></textarea></label><label>Cookies (name=value per line)<textarea id="tester-cookies" rows="3"></textarea></label></div><h2>Identity and access</h2><div class="grid"><label>Token (JWT, sent as Authorization: Bearer)<input id="tester-token" type="password" autocomplete="off" spellcheck="false" placeholder="optional"></label><label>API key<input id="tester-api-key" type="password" autocomplete="off" spellcheck="false" placeholder="optional"></label><label>Peer principal (as from a verified client certificate)<input id="tester-principal" placeholder="spiffe://cluster.local/ns/shop/sa/web"></label><label>Client address<input id="tester-client" placeholder="192.0.2.10"></label><label>Origin<input id="tester-origin" placeholder="https://shop.example.com"></label><label>Preflight for method (with OPTIONS)<input id="tester-preflight" placeholder="PUT"></label></div><div class="toolbar"><button type="submit" id="tester-run">Test</button></div></form><div id="tester-result"></div>`);
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
      render($('#tester-result'), answerMarkup(r));
    } catch (err) { render($('#tester-result'), html`<p class="errors">${err.message}</p>`); }
  });
}

/** The tester's answer: the route, its backend or redirect, what the upstream receives, access, policies. */
function answerMarkup(r) {
  if (!r.matched) return html`<div class="card" id="tester-answer"><h2>No route: ${r.status}</h2><p>${r.message}</p></div>`;
  const target = r.redirect
    ? html`<p id="tester-redirect">Redirect <strong>${r.redirect.statusCode}</strong> to <code>${r.redirect.location}</code></p>`
    : html`<p>Backend: <strong>${r.backend ?? 'by weight'}</strong> — ${r.why}</p>${r.backends ? html`<p>${r.backends.map((b) => html`<span class="badge">${backendName(b)} ${b.percent}%</span>`)}</p>` : ''}${r.uri ? html`<p>URI <code>${r.uri}</code></p>` : ''}`;
  return html`<div class="card" id="tester-answer"><h2>Route <code>${r.route}</code> <span class="badge">${r.source}</span></h2>${target}${
    r.rewritten ? html`<p id="tester-rewritten">Upstream receives ${r.rewritten.host ? html`Host <code>${r.rewritten.host}</code>, ` : ''}path <code>${r.rewritten.path}</code></p>` : ''}${
    accessMarkup(r.access)}${r.policies ? html`<h2>Policies</h2><pre class="mono">${JSON.stringify(r.policies, null, 2)}</pre>` : ''}</div>`;
}

/** The tester's account of identity and access: one line per step the gateway runs, then each step's details. */
function accessMarkup(access) {
  if (!access) return '';
  const status = access.status == null ? html`<span class="badge ok">passes to the backend</span>`
    : html`<span class="badge ${access.status < 400 ? 'ok' : 'bad'}">answers ${access.status}</span>`;
  const detail = (name, part) => (part ? html`<details><summary>${name}</summary><pre class="mono">${JSON.stringify(part, null, 2)}</pre></details>` : '');
  return html`<div id="tester-access" class="tester-access"><h2>Identity and access ${status}</h2><ol id="tester-access-steps">${access.summary.map((line) => html`<li>${line}</li>`)}</ol>${
    detail('Identity', access.identity)}${detail('CORS', access.cors)}${detail('Authentication', access.authentication)}${
    detail('External authorization', access.extAuthz)}${detail('Authorization', access.authorization)}</div>`;
}
