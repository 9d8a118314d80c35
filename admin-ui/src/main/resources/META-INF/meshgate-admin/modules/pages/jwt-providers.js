// #/jwtProviders: token issuers the gateway trusts, with key age and accepted/refused tokens.

import { html } from '../html.js';
import { state } from '../api.js';
import { duration } from '../format.js';
import { kindPage, refreshKind } from '../kinds.js';

const JWT_PROVIDERS = {
  kind: 'jwtProviders', def: 'JwtProvider', title: 'JWT providers', what: 'JWT provider', idPrefix: 'provider-', options: { textareas: ['jwks'] },
  intro: 'Token issuers the gateway trusts: tokens are verified before route lookup; routes require them under Authentication.',
  head: ['Issuer', 'Keys', 'Audiences', 'JWKS age', 'Tokens on routes', 'Used by routes'],
  cells: (p, live) => {
    const age = live.samples.find((s) => s.name === 'meshgate_jwt_jwks_age_seconds' && s.labels.provider === p.name);
    const failed = live.total('meshgate_jwt_jwks_fetches_total', { provider: p.name, outcome: 'failure' });
    const accepted = live.total('meshgate_authn_requests_total', { method: 'jwt', provider: p.name, outcome: 'success' });
    const all = live.total('meshgate_authn_requests_total', { method: 'jwt', provider: p.name });
    const routes = state.routes.filter((r) => ((r.route.authentication || {}).jwt || {}).providers?.includes(p.name)).map((r) => r.route.id);
    const ageBadge = !age ? html`<span class="muted">—</span>` : isNaN(age.value) ? html`<span class="badge warn">not loaded</span>` : html`<span class="badge ok">${duration(age.value)}</span>`;
    return [html`<code>${p.issuer}</code>`,
      p.jwksUri ? html`<code>${p.jwksUri}</code>` : html`<span class="badge">inline JWKS</span>`,
      (p.audiences || []).join(', ') || html`<span class="muted">not checked</span>`,
      html`${ageBadge}${failed ? html` <span class="badge bad">${failed} failed fetches</span>` : ''}`,
      live.samples.length ? accepted + ' accepted, ' + (all - accepted) + ' refused' : html`<span class="muted">—</span>`,
      routes.length ? routes.map((id, i) => html`${i > 0 ? ', ' : ''}<a href="${'#/routes/' + encodeURIComponent(id)}">${id}</a>`) : html`<span class="muted">none</span>`];
  },
};

export const page = kindPage(JWT_PROVIDERS);
export const refresh = refreshKind;
