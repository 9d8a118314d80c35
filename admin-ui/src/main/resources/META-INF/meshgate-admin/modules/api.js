// The admin API and the state the pages share: who is logged in, the schema, the configuration
// last read, the live state, and the navigation counter that tells a stale read from a current one.

import { $ } from './dom.js';

// nav counts page changes: a read that started before the latest one belongs to a page no longer shown
export const state = { me: null, schema: null, version: null, routes: [], upstreams: [], live: {}, series: {}, editing: false, filter: '', nav: 0 };

export const canWrite = () => state.me && state.me.roles.includes('editor');

export class ApiError extends Error {
  constructor(status, body) { super(body && body.message ? body.message : 'HTTP ' + status); this.status = status; this.body = body || {}; }
}

/** A read answered after the page that asked was left: its page must not render over the current one. */
export class Superseded extends Error {}

/**
 * Calls the admin API with the session's CSRF token. Options: contentType (of a string body),
 * ifMatch (the configuration version the change was made on), notVersioned (the answer's ETag
 * is not the configuration's version).
 */
export async function api(method, path, body, options = {}) {
  const nav = state.nav;
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = options.contentType || 'application/json';
  if (options.ifMatch) headers['If-Match'] = '"' + options.ifMatch + '"';
  if (method !== 'GET' && state.me && state.me.csrf) headers[state.me.csrf.headerName] = state.me.csrf.token;
  const response = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  if (response.status === 401) { location.href = '/login'; throw new ApiError(401); }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  const etag = response.headers.get('ETag');
  if (etag && !options.notVersioned) setVersion(Number(etag.replace(/"/g, '')));
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { message: data });
  if (method === 'GET' && nav !== state.nav) throw new Superseded();
  return data;
}

function setVersion(version) {
  state.version = version;
  $('#version').textContent = 'version ' + version;
}

export async function loadSchema() {
  state.schema = await api('GET', '/api/schema', undefined, { notVersioned: true });
}

/** The routes and upstreams of every source, and the version they were read at. */
export async function loadConfig() {
  const [routes, upstreams] = await Promise.all([api('GET', '/api/routes'), api('GET', '/api/upstreams')]);
  state.routes = routes.routes;
  state.upstreams = upstreams.upstreams;
  state.loadedVersion = routes.version;
}
