// #/tcpRoutes: listener ports of their own relayed, bytes untouched, to TCP upstreams (docs/l4.md).

import { html } from '../html.js';
import { kindPage, refreshKind } from '../kinds.js';
import { l4Backends, l4Live } from '../l4.js';

const TCP_ROUTES = {
  kind: 'tcpRoutes', def: 'TcpRoute', title: 'TCP routes', what: 'TCP route', idPrefix: 'tcp-',
  intro: 'A listener port of its own, relayed byte for byte to weighted TCP upstreams (upstreams of protocol TCP).',
  head: ['Port', 'Backends', 'Open', 'Connections'],
  cells: (r, live) => [String(r.port), l4Backends(r), ...l4Live(r, live)],
};

export const page = kindPage(TCP_ROUTES);
export const refresh = refreshKind;
