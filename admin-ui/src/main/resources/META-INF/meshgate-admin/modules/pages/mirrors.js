// #/mirrors/ID: a route's mirrors with their shadows' answers compared with the primary's: per
// mirror the match rate, the JSON paths that differ most with their counts, and the latest
// differing pairs side by side (primary and shadow, masked by the gateway as everywhere).

import { html, render } from '../html.js';
import { api } from '../api.js';
import { $ } from '../dom.js';
import { percentText } from '../format.js';

/** How often a shown page asks again: comparisons come with mirrored requests. */
const REFETCH_MS = 5000;

let shown = null;

const read = (id) => api('GET', '/api/traffic/comparisons?route=' + encodeURIComponent(id), undefined, { notVersioned: true });

export async function page(main, id) {
  shown = null;
  const view = await read(id);
  const enc = encodeURIComponent(id);
  render(main, html`<h1>Mirrors of route ${id}</h1>
    <div class="toolbar"><a href="#/routes">Routes</a> · <a href="${'#/routes/' + enc}">Route</a> · <a href="${'#/traffic/' + enc}">Traffic</a></div>
    <div id="mirror-findings"></div>`);
  shown = { id, view, fetched: Date.now() };
  draw();
}

export async function refresh() {
  if (!shown || Date.now() - shown.fetched < REFETCH_MS) return;
  const { id } = shown;
  const view = await read(id);
  if (shown && shown.id === id) { shown.view = view; shown.fetched = Date.now(); draw(); }
}

function draw() {
  const target = $('#mirror-findings');
  if (!target) return;
  const { mirrors } = shown.view;
  render(target, mirrors.length ? html`${mirrors.map(mirrorMarkup)}`
    : html`<p class="empty" id="mirrors-none">This route has no mirrors. A mirror copies requests to another upstream without waiting for it; with compare set, its answers are compared with the primary's.</p>`);
}

function mirrorMarkup(m) {
  const head = html`<h2>Mirror <code>${m.upstream}</code></h2>`;
  if (!m.compared) return html`<div class="card" data-mirror="${m.upstream}">${head}<p class="muted">Its answers are not compared: set compare on the mirror to compare them with the primary's.</p></div>`;
  if (!m.comparisons) return html`<div class="card" data-mirror="${m.upstream}">${head}<p class="muted">Nothing compared yet: a comparison comes with each mirrored request both sides answered.</p></div>`;
  const rate = m.matchRate;
  return html`<div class="card" data-mirror="${m.upstream}">${head}
    <p class="match-rate"><strong data-match-rate="${rate}">${percentText(rate)}</strong> of ${m.comparisons} compared answers matched
      <span class="badge ${rate >= 0.99 ? 'ok' : rate >= 0.9 ? 'warn' : 'bad'}">${m.comparisons - m.matches} differed</span></p>
    ${m.topPaths.length ? html`<h3>Where they differ most</h3><div class="table-wrap"><table class="top-paths"><thead><tr><th>Path</th><th>Answers</th></tr></thead><tbody>${m.topPaths.map((p) => html`<tr data-path="${p.path}"><td><code>${p.path}</code></td><td>${p.count}</td></tr>`)}</tbody></table></div>` : ''}
    ${m.latest.length ? html`<h3>The latest differing answers</h3>${m.latest.map(pairMarkup)}` : ''}</div>`;
}

function pairMarkup(p) {
  return html`<div class="pair"><p class="muted">${new Date(p.time).toLocaleString()}: ${p.paths.map((x, i) => html`${i ? ', ' : ''}<code>${x}</code>`)}</p>
    <div class="side-by-side">${answerMarkup('Primary', p.primary)}${answerMarkup('Shadow', p.shadow)}</div></div>`;
}

function answerMarkup(title, a) {
  const headers = Object.entries(a.headers || {});
  return html`<div class="answer" data-side="${title.toLowerCase()}"><h4>${title} <span class="badge">${a.status}</span></h4>${headers.length ? html`<div class="muted">${headers.map(([k, v]) => html`<div><code>${k}: ${v}</code></div>`)}</div>` : ''}<pre>${pretty(a.body)}</pre></div>`;
}

/** A JSON body indented to be read; one cut at the gateway's excerpt length, or not JSON, as it came. */
function pretty(body) {
  if (!body) return '(no body)';
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
}
