// A route's parts in words, as the routes list and the route editor show them.

import { html } from './html.js';
import { defaultOf } from './schema.js';

export const weightOf = (b) => b.weight ?? defaultOf('Route', 'backends.weight');
export const mirroredOf = (x) => x.percentage ?? defaultOf('Route', 'mirrors.percentage');

/** A route's match, briefly: methods, path type (unless a pattern) and path, gRPC service and method, listener, host, headers, query. */
export function matchMarkup(m) {
  const muted = (entries, prefix, sep) => entries.map(([k, v]) => html`<div class="muted">${prefix}${k}${sep}${v}</div>`);
  return html`${m.pathType && m.pathType !== defaultOf('Route', 'match.pathType') ? html`<span class="badge">${m.pathType.toLowerCase()}</span> ` : ''}${m.path || m.methods ? html`<code>${(m.methods || []).join(',')} ${m.path || ''}</code>` : ''}${m.grpc ? grpcMarkup(m.grpc) : ''}${m.listener ? html`<div class="muted">port ${m.listener.port}${(m.listener.exceptHosts || []).length ? ' except ' + m.listener.exceptHosts.join(', ') : ''}</div>` : ''}${m.host ? html`<div class="muted">host ${m.host}</div>` : ''}${muted(Object.entries(m.headers || {}), '', ' ~ ')}${muted(Object.entries(m.query || {}), '?', ' ~ ')}${muted(Object.entries(m.claims || {}), 'claim ', ' ~ ')}${m.principals && m.principals.length ? html`<div class="muted">peer ${m.principals.join(', ')}</div>` : ''}`;
}

/** A gRPC match as service/method, either side * when the route leaves it open. */
function grpcMarkup(g) {
  const regex = (g.type || defaultOf('GrpcMatch', 'type')) !== defaultOf('GrpcMatch', 'type');
  return html`<div>${regex ? html`<span class="badge">regex</span> ` : ''}<code>gRPC ${g.service || '*'}/${g.method || '*'}</code></div>`;
}

export function rewriteText(w) {
  return [w.hostname ? 'host ' + w.hostname : '', w.preserveHost ? "client's host" : '', w.replaceFullPath ? 'path ' + w.replaceFullPath : '',
    w.replacePrefixMatch ? 'prefix → ' + w.replacePrefixMatch : ''].filter(Boolean).join(', ');
}

export function redirectText(d) {
  const parts = [d.scheme ? d.scheme + '://' : '', d.hostname || '', d.port ? ':' + d.port : '',
    d.replaceFullPath || (d.replacePrefixMatch ? 'prefix → ' + d.replacePrefixMatch : '')].join('');
  return 'redirect ' + (d.statusCode ?? defaultOf('Route', 'redirect.statusCode')) + (parts ? ' to ' + parts : '');
}

export function headersText(name, h) {
  return name + ': ' + [Object.entries(h.set || {}).map(([k, v]) => 'set ' + k + ': ' + v),
    Object.entries(h.add || {}).map(([k, v]) => 'add ' + k + ': ' + v),
    (h.remove || []).map((k) => 'remove ' + k)].flat().join('; ');
}
