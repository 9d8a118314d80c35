// Cells the two L4 route lists share: backends with their weights, and the route's live
// connections from the meshgate_l4_* meters.

import { html } from './html.js';

/** The route's backends, `name weight`, linked to their upstreams. */
export const l4Backends = (r) => html`${(r.backends || []).map((b, i) => html`${i > 0 ? ', ' : ''}<a href="${'#/upstreams/' + encodeURIComponent(b.upstream)}">${b.upstream}</a>${(r.backends || []).length > 1 ? ' ' + (b.weight ?? 1) : ''}`)}`;

/** Open connections now, and connections relayed and failed since start; dashes when no meter is read. */
export function l4Live(r, live) {
  if (!live.samples.length) return [html`<span class="muted">—</span>`, html`<span class="muted">—</span>`];
  const open = live.samples.filter((s) => s.name === 'meshgate_l4_active' && s.labels.route === r.name).reduce((sum, s) => sum + s.value, 0);
  const connected = live.total('meshgate_l4_connections_total', { route: r.name, outcome: 'connected' });
  const failed = live.total('meshgate_l4_connections_total', { route: r.name, outcome: 'connect_failure' });
  return [String(open), html`${connected} relayed${failed ? html` <span class="badge bad">${failed} failed to connect</span>` : ''}`];
}
