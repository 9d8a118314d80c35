// #/map: the traffic map. Routes, the upstreams their backends and mirrors go to, and those
// upstreams' endpoints, as a graph in three columns, with the rate, 5xx share and health of the
// last seconds on every node and edge (GET /api/traffic/map), redrawn at each live refresh.
//
// The layout is a function of the map alone: a node's column is its kind, its row its place in
// the configuration's order, so a refresh never moves anything and two viewers see one picture.
// Widths come from the page, so the map fits a phone (390 px) without scrolling sideways.

import { html, render } from '../html.js';
import { api } from '../api.js';
import { HEALTH, onResize } from '../charts.js';
import { rateText, shareText } from '../format.js';

const COLUMN = { route: 0, upstream: 1, status: 1, endpoint: 2 };
const TITLES = ['Routes', 'Upstreams', 'Endpoints'];
const NODE_H = 40;
const ROW_H = 52;
const TOP = 24;

let shown = null;

onResize(() => { if (shown && shown.main.isConnected) draw(); });

const fetchMap = () => api('GET', '/api/traffic/map', undefined, { notVersioned: true });

export async function page(main) {
  const map = await fetchMap();
  shown = { main, map };
  render(main, html`<h1>Traffic map</h1>
    <p class="muted">Routes, the upstreams they send to and their endpoints; rates and 5xx shares of the last
    ${map.window} s, refreshed every few seconds. Red: failing or down; amber: degraded; green: healthy; grey: no traffic.
    Select a route or upstream for its last 15 minutes.</p>
    <div id="traffic-map" class="card" style="padding:.5rem;overflow:hidden"></div>`);
  draw();
}

export async function refresh() {
  if (!shown || !shown.main.isConnected) return;
  const map = await fetchMap();
  if (shown) { shown.map = map; draw(); }
}

/** A name shortened to the characters a box has room for; the whole name is in the node's title. */
const fit = (text, chars) => (text.length <= chars ? text : text.slice(0, Math.max(1, chars - 1)) + '…');

const nodeLine = (n) => (n.kind === 'endpoint' && n.state !== 'serving' ? n.state
  : n.kind === 'status' ? 'answered by the gateway'
    : rateText(n.rate) + (n.errorShare > 0 ? ' · 5xx ' + shareText(n.errorShare) : ''));

const hrefOf = (n) => (n.kind === 'route' ? '#/traffic/' + encodeURIComponent(n.name)
  : n.kind === 'upstream' ? '#/upstream-traffic/' + encodeURIComponent(n.name) : null);

/** The positions of every node: column by kind, row by order within the column. */
export function layout(nodes, width) {
  const colW = width / 3;
  // at most 240 px a box: the rest of a wide column is room for the edges and their labels
  const nodeW = Math.min(240, Math.max(80, colW - 22));
  const rows = [0, 0, 0];
  const at = {};
  nodes.forEach((n) => {
    const c = COLUMN[n.kind] ?? 1;
    at[n.id] = { x: c * colW + 2, y: TOP + rows[c] * ROW_H, w: nodeW };
    rows[c]++;
  });
  return { at, height: TOP + Math.max(1, ...rows) * ROW_H, nodeW, colW };
}

function draw() {
  const target = shown.main.querySelector('#traffic-map');
  if (!target) return;
  const { nodes, edges } = shown.map;
  if (!nodes.length) {
    render(target, html`<p class="muted" id="traffic-map-empty">No routes or upstreams yet.</p>`);
    return;
  }
  const width = Math.min(1100, Math.max(300, target.clientWidth - 16));
  const { at, height, nodeW, colW } = layout(nodes, width);
  // a rate on an edge needs about 44 px between the columns; a phone has the rates on the nodes only
  const edgeLabels = colW - nodeW >= 44;
  const chars = Math.floor((nodeW - 12) / 6.6);
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const edgeMarkup = edges.filter((e) => at[e.from] && at[e.to]).map((e) => {
    const a = at[e.from]; const b = at[e.to];
    const x1 = a.x + a.w; const y1 = a.y + NODE_H / 2; const x2 = b.x; const y2 = b.y + NODE_H / 2; const mid = (x1 + x2) / 2;
    const stroke = e.kind === 'mirror' ? 'var(--muted)' : HEALTH[e.health] || 'var(--muted)';
    const widthPx = 1.5 + Math.min(5, Math.log2(1 + (e.rate || 0)));
    const words = e.kind === 'mirror' ? 'mirror ' + e.percentage + ' %'
      : (e.kind === 'backend' ? 'weight ' + e.weight + ', ' : '') + rateText(e.rate || 0) + ', 5xx ' + shareText(e.errorShare || 0);
    return html`<g data-edge="${e.from + ' ' + e.to}" data-health="${e.health}"><title>${byId[e.from].name} → ${byId[e.to].name}: ${words}</title>
      <path d="${'M' + x1.toFixed(1) + ',' + y1.toFixed(1) + ' C' + mid.toFixed(1) + ',' + y1.toFixed(1) + ' ' + mid.toFixed(1) + ',' + y2.toFixed(1) + ' ' + x2.toFixed(1) + ',' + y2.toFixed(1)}"
        style="fill:none;stroke:${stroke};stroke-width:${widthPx.toFixed(1)}${e.kind === 'mirror' ? ';stroke-dasharray:4 3' : ''}"/>
      ${edgeLabels && e.rate > 0 && e.kind === 'backend' ? html`<text x="${mid.toFixed(1)}" y="${((y1 + y2) / 2 - 3).toFixed(1)}" text-anchor="middle" font-size="10" style="fill:var(--fg);paint-order:stroke;stroke:#fff;stroke-width:3">${rateText(e.rate)}</text>` : ''}</g>`;
  });
  const nodeMarkup = nodes.map((n) => {
    const p = at[n.id];
    const color = HEALTH[n.health] || 'var(--muted)';
    const title = n.name + ': ' + n.health + (n.reasons && n.reasons.length ? ' (' + n.reasons.join('; ') + ')' : '')
      + (n.kind === 'status' ? '' : ', ' + rateText(n.rate) + ', 5xx ' + shareText(n.errorShare) + (n.inFlight ? ', ' + n.inFlight + ' in flight' : ''));
    const box = html`<g data-node="${n.id}" data-kind="${n.kind}" data-health="${n.health}"><title>${title}</title>
      <rect x="${p.x.toFixed(1)}" y="${p.y}" width="${p.w.toFixed(1)}" height="${NODE_H}" rx="5" style="fill:#fff;stroke:${color};stroke-width:2"/>
      <rect x="${p.x.toFixed(1)}" y="${p.y}" width="5" height="${NODE_H}" rx="2" style="fill:${color}"/>
      <text x="${(p.x + 10).toFixed(1)}" y="${p.y + 16}" font-size="12" font-weight="600" style="fill:var(--fg)">${fit(n.name, chars)}</text>
      <text x="${(p.x + 10).toFixed(1)}" y="${p.y + 31}" font-size="11" style="fill:${n.health === 'ok' || n.health === 'idle' ? 'var(--muted)' : color}">${fit(nodeLine(n), chars)}</text></g>`;
    const href = hrefOf(n);
    return href ? html`<a href="${href}">${box}</a>` : box;
  });
  const heads = TITLES.map((t, c) => html`<text x="${(c * colW + 2).toFixed(1)}" y="14" font-size="12" style="fill:var(--muted)">${t}</text>`);
  render(target, html`<svg id="traffic-map-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"
    aria-label="traffic map: routes, upstreams and endpoints" style="display:block;max-width:100%">${heads}${edgeMarkup}${nodeMarkup}</svg>`);
}
