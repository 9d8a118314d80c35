// #/authorizationPolicies: who may call what (Istio's AuthorizationPolicy), with decisions counted.

import { html } from '../html.js';
import { kindPage, refreshKind } from '../kinds.js';

const AUTHORIZATION_POLICIES = {
  kind: 'authorizationPolicies', def: 'AuthorizationPolicy', title: 'Authorization policies', what: 'Authorization policy', idPrefix: 'policy-', options: { openRecords: ['targets', 'from', 'to'] },
  intro: 'Who may call what, as Istio\'s AuthorizationPolicy: DENY policies first, then ALLOW (once one applies, one of its rules must match).',
  head: ['Action', 'Targets', 'Rules', 'Decisions'],
  cells: (p, live) => {
    const t = p.targets || {};
    const decisions = ['allow', 'deny', 'dry-run-deny'].map((d) => [d, live.total('meshgate_authz_decisions_total', { policy: p.name, decision: d })]).filter(([, n]) => n);
    const targets = [(t.routes || []).length ? 'routes ' + t.routes.join(', ') : '', (t.hosts || []).length ? 'hosts ' + t.hosts.join(', ') : ''].filter(Boolean);
    return [html`<span class="badge ${p.action === 'DENY' ? 'bad' : 'ok'}">${p.action}</span>${p.dryRun ? html` <span class="badge warn">dry run</span>` : ''}`,
      targets.length ? targets.map((x, i) => html`${i > 0 ? html`<br>` : ''}${x}`) : html`<span class="muted">the whole gateway</span>`,
      String((p.rules || []).length),
      decisions.length ? decisions.map(([d, n]) => html`<span class="badge">${d} ${n}</span>`) : html`<span class="muted">—</span>`];
  },
};

export const page = kindPage(AUTHORIZATION_POLICIES);
export const refresh = refreshKind;
