// Meshgate admin UI: plain JavaScript modules, no build step, no external assets.
// The entry: the page table, the router, and the live refresh every 2 s.
//
// A page is a module in modules/pages/ exporting `page(main, arg)` (main: <main id="app">; arg:
// the hash's second part, #/routes/shop gives arg "shop") and optionally `refresh(live)`, called
// after each live refresh while its page is shown. A new page is one import and one line below.

import { html, render } from './modules/html.js';
import { api, state, loadSchema, Superseded } from './modules/api.js';
import { $, $$ } from './modules/dom.js';
import { loadLive, renderLive } from './modules/live.js';
import * as routes from './modules/pages/routes.js';
import * as upstreams from './modules/pages/upstreams.js';
import * as jwtProviders from './modules/pages/jwt-providers.js';
import * as consumers from './modules/pages/consumers.js';
import * as authorizationPolicies from './modules/pages/authorization-policies.js';
import * as history from './modules/pages/history.js';
import * as tester from './modules/pages/tester.js';
import * as config from './modules/pages/config.js';
import * as routeTraffic from './modules/pages/route-traffic.js';
import * as upstreamTraffic from './modules/pages/upstream-traffic.js';
import * as map from './modules/pages/map.js';
import * as tcpRoutes from './modules/pages/tcp-routes.js';
import * as tlsPassthroughRoutes from './modules/pages/tls-passthrough-routes.js';
import * as rollout from './modules/pages/rollout.js';
import * as mirrors from './modules/pages/mirrors.js';

/** The pages by the first part of the hash; an unknown or empty hash shows the routes. */
const PAGES = {
  routes, upstreams, jwtProviders, consumers, authorizationPolicies, history, tester, config,
  traffic: routeTraffic, 'upstream-traffic': upstreamTraffic, map, tcpRoutes, tlsPassthroughRoutes, rollout, mirrors,
};

/** The page module shown now. */
let shown = routes;

async function route() {
  state.nav++;
  state.editing = false;
  $('header.top').classList.remove('open');
  $('#menu').setAttribute('aria-expanded', 'false');
  const [name, arg] = location.hash.replace(/^#\//, '').split('/').map(decodeURIComponent);
  $$('nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + (name || 'routes')));
  shown = PAGES[name] || routes;
  const main = $('#app');
  try {
    await shown.page(main, PAGES[name] ? arg : undefined);
  } catch (e) {
    if (!(e instanceof Superseded)) render(main, html`<p class="errors">${e.message}</p>`);
  }
}

async function refreshLive() {
  try {
    const live = await loadLive();
    renderLive();
    if (shown.refresh) await shown.refresh(live);
  } catch (e) { /* next round */ }
}

function logout() {
  const form = document.createElement('form');
  form.method = 'post'; form.action = '/logout';
  if (state.me.csrf) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = '_csrf'; input.value = state.me.csrf.token; form.appendChild(input);
  }
  document.body.appendChild(form); form.submit();
}

async function start() {
  [state.me] = await Promise.all([api('GET', '/api/me'), loadSchema()]);
  $('#user').textContent = state.me.user + ' (' + state.me.roles.join(', ') + ')';
  $('#logout').addEventListener('click', logout);
  $('#menu').addEventListener('click', () => { $('#menu').setAttribute('aria-expanded', String($('header.top').classList.toggle('open'))); });
  window.addEventListener('hashchange', route);
  await route();
  setInterval(refreshLive, 2000);
}

start();
