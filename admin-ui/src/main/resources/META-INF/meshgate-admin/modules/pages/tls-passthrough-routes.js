// #/tlsPassthroughRoutes: TLS connections to the HTTPS port whose server name is one of the route's
// hosts go, not terminated, to TCP upstreams (docs/l4.md).

import { html } from '../html.js';
import { kindPage, refreshKind } from '../kinds.js';
import { l4Backends, l4Live } from '../l4.js';

const TLS_PASSTHROUGH_ROUTES = {
  kind: 'tlsPassthroughRoutes', def: 'TlsPassthroughRoute', title: 'TLS passthrough routes', what: 'TLS passthrough route', idPrefix: 'passthrough-',
  intro: 'TLS connections to the HTTPS port naming one of these hosts (SNI) go to TCP upstreams without being terminated; every other name is terminated here.',
  head: ['Hosts', 'Backends', 'Open', 'Connections'],
  cells: (r, live) => [html`${(r.hosts || []).map((h, i) => html`${i > 0 ? ', ' : ''}<code>${h}</code>`)}`, l4Backends(r), ...l4Live(r, live)],
};

export const page = kindPage(TLS_PASSTHROUGH_ROUTES);
export const refresh = refreshKind;
