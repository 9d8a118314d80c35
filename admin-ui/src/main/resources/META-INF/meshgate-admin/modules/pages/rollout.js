// #/rollout/ID: a route's rollout. Where it stands (phase, step, weights), the step's numbers
// against the gates and what the gates would decide now, both sides' 5xx share and p99 over the
// last 15 minutes drawn against the gates, and the timeline of its moves (the decider's and the
// operators'). Editors pause, resume, promote and abort it, a stored route's or an HTTPRoute's
// alike (the admin API moves an HTTPRoute's rollout in Meshgate's own state, never the
// HTTPRoute); viewers see no buttons.

import { html, render } from '../html.js';
import { api, state, canWrite, loadConfig } from '../api.js';
import { $, $$, toast } from '../dom.js';
import { msText, percentText, duration } from '../format.js';
import { defaultOf } from '../schema.js';
import { lineChart, chartWidth, onResize } from '../charts.js';

/** How often a shown rollout is read again: its numbers change with every request. */
const REFETCH_MS = 4000;

/** The actions an operator may take in each phase, as the admin API allows them (409 otherwise). */
const ACTIONS = {
  RUNNING: ['pause', 'promote', 'abort'],
  PAUSED: ['resume', 'promote', 'abort'],
  ROLLED_BACK: ['resume'],
  ABORTED: ['resume'],
};

/** Phases in which the canary has weight 0 until resumed. */
const WITHDRAWN = ['ROLLED_BACK', 'ABORTED'];

const ACTION_TEXT = { pause: 'Pause', resume: 'Resume', promote: 'Promote to the next step', abort: 'Abort' };

const PHASE_CLASS = { RUNNING: 'ok', DONE: 'ok', PAUSED: 'warn', ROLLED_BACK: 'bad', ABORTED: 'bad' };

const KIND_CLASS = { start: '', promote: 'ok', done: 'ok', resume: '', pause: 'warn', rollback: 'bad', abort: 'bad' };

/** The rollout shown: its route, what was read last and when. */
let shown = null;

onResize(() => { if (shown && $('#rollout-charts')) drawCharts(); });

const path = (id) => '/api/routes/' + encodeURIComponent(id) + '/rollout';

/**
 * The rollout's view, timeline and traffic history; with {@code known}, the view an action's
 * answer gave is shown instead of reading it (an HTTPRoute's view reads the new state only once
 * the route is translated again).
 */
async function read(id, known) {
  const [view, timeline, history] = await Promise.all([
    known || api('GET', path(id)),
    readTimeline(id),
    api('GET', '/api/traffic/history?route=' + encodeURIComponent(id), undefined, { notVersioned: true }),
  ]);
  return { view, timeline: timeline.timeline, versions: timeline.versions, history };
}

const readTimeline = (id) => api('GET', path(id) + '/timeline', undefined, { notVersioned: true });

/** The route's gates: its rollout's settings, defaults filled in from the schema. */
function gatesOf(id) {
  const entry = state.routes.find((r) => r.route.id === id);
  const rollout = entry && entry.route.canary && entry.route.canary.rollout || {};
  const setting = (name) => rollout[name] ?? defaultOf('Route', 'canary.rollout.' + name);
  return { errorPoints: setting('maxErrorShareIncrease'), latencyRatio: setting('maxLatencyRatio'),
    minRequests: setting('minRequests'), stepDuration: setting('stepDuration') };
}

export async function page(main, id) {
  shown = null;
  let data;
  try {
    [data] = await Promise.all([read(id), loadConfig()]);
  } catch (e) {
    if (e.status !== 404) throw e;
    await noRollout(main, id);
    return;
  }
  shown = { main, id, ...data, gates: gatesOf(id), fetched: Date.now() };
  render(main, html`<h1>Rollout of route ${id}</h1>${toolbar(id)}
    <div class="card" id="rollout-now"></div>
    <div id="rollout-charts"></div>
    <div class="card" id="rollout-timeline"><h2>Timeline</h2><div id="rollout-moves"></div></div>`);
  $('#rollout-now').addEventListener('click', act);
  drawAll();
}

/**
 * A route without a rollout: one never declared, or one that ended by making its canary the
 * baseline (promoteToBaseline), whose moves are still versions of the route's history.
 */
async function noRollout(main, id) {
  const timeline = await readTimeline(id);
  render(main, html`<h1>Rollout of route ${id}</h1>${toolbar(id)}<p class="empty" id="rollout-none">This route has no rollout. A route rolls its second backend out over the first when its canary has a rollout (canary.rollout in the route editor).</p>
    ${timeline.timeline.length ? html`<div class="card" id="rollout-timeline"><h2>Timeline of its last rollout</h2>${movesMarkup(timeline.timeline, timeline.versions)}</div>` : ''}`);
}

/** After a live refresh: the rollout read again, at most every few seconds, and not while an abort waits for its confirmation. */
export async function refresh() {
  if (!shown || Date.now() - shown.fetched < REFETCH_MS || $('#rollout-now [data-confirm]')) return;
  await reload();
}

async function reload(known) {
  const { id } = shown;
  const data = await read(id, known);
  if (shown && shown.id === id) { Object.assign(shown, data, { fetched: Date.now() }); drawAll(); }
}

function toolbar(id) {
  const enc = encodeURIComponent(id);
  return html`<div class="toolbar"><a href="#/routes">Routes</a> · <a href="${'#/routes/' + enc}">Route</a> · <a href="${'#/traffic/' + enc}">Traffic</a> · <a href="#/history">History</a></div>`;
}

function drawAll() {
  if (!$('#rollout-now')) return;
  render($('#rollout-now'), nowMarkup(shown.view, shown.gates));
  drawCharts();
  render($('#rollout-moves'), movesMarkup(shown.timeline, shown.versions));
}

/** Where the rollout stands, the step's numbers against the gates, and the operator's buttons. */
function nowMarkup(v, gates) {
  const steps = v.steps.length;
  const weights = html`<code>${v.baseline}</code> ${v.weights[0]} · <code>${v.canary}</code> ${v.weights[1]}`;
  const buttons = canWrite() ? (ACTIONS[v.phase] || []).map((a) => html`<button type="button" class="${a === 'abort' ? 'danger' : 'secondary'}" id="${'rollout-' + a}" data-action="${a}">${ACTION_TEXT[a]}</button>`) : [];
  return html`<h2>Now <span class="badge ${PHASE_CLASS[v.phase] || ''}" id="rollout-phase" data-phase="${v.phase}">${v.phase.replace('_', ' ').toLowerCase()}</span></h2>
    <p>${!v.step ? html`Not started: the decider starts it at its next look. `
    : WITHDRAWN.includes(v.phase) ? html`Stopped at step <strong id="rollout-step">${v.step}</strong> of ${steps} (${v.share} %): the canary takes no traffic. `
      : html`Step <strong id="rollout-step">${v.step}</strong> of ${steps}: the canary takes ${v.share} %. `}Weights: ${weights}.
      ${v.elapsedSeconds != null ? html`<span class="muted">The step has run ${duration(v.elapsedSeconds)} (at least ${durationText(gates.stepDuration)} and ${gates.minRequests} canary requests before it is promoted).</span>` : ''}</p>
    ${v.reason ? html`<p class="muted" id="rollout-reason">${v.reason}</p>` : ''}
    ${v.canaryNumbers ? numbersMarkup(v, gates) : ''}
    ${buttons.length ? html`<div class="actions" id="rollout-actions">${buttons}</div>` : ''}`;
}

/** A duration as the store writes it ("3600s") in words ("60 min"); any other form as written. */
const durationText = (d) => (/^\d+s$/.test(String(d)) ? duration(parseInt(d, 10)) : d);

/** A p99 as the rollout's view writes it ("120 ms", "-" without requests) in milliseconds, or null. */
const msOf = (text) => { const ms = parseFloat(text); return Number.isFinite(ms) ? ms : null; };

/** This step's numbers, each side and the gate it is held to; the gates' verdict on them now. */
function numbersMarkup(v, gates) {
  const b = v.baselineNumbers; const c = v.canaryNumbers;
  const errorGate = b.errorShare + gates.errorPoints / 100;
  const p99Gate = msOf(b.p99) == null ? null : msOf(b.p99) * gates.latencyRatio;
  const over = (value, gate) => value != null && gate != null && value > gate;
  return html`<div class="table-wrap"><table id="rollout-numbers" class="stack"><thead><tr><th>This step</th><th>Requests</th><th>5xx or failed</th><th>p99</th></tr></thead><tbody>
    <tr data-side="baseline"><td class="title-cell">Baseline <code>${v.baseline}</code></td><td data-label="Requests">${b.requests}</td><td data-label="5xx or failed">${percentText(b.errorShare)} <span class="muted">(${b.failed})</span></td><td data-label="p99">${b.p99}</td></tr>
    <tr data-side="canary"><td class="title-cell">Canary <code>${v.canary}</code></td><td data-label="Requests">${c.requests}</td><td data-label="5xx or failed"><span class="${over(c.errorShare, errorGate) ? 'error' : ''}">${percentText(c.errorShare)}</span> <span class="muted">(${c.failed}${v.canaryFailuresInARow ? ', ' + v.canaryFailuresInARow + ' in a row' : ''})</span></td><td data-label="p99"><span class="${over(msOf(c.p99), p99Gate) ? 'error' : ''}">${c.p99}</span></td></tr>
    <tr data-side="gate"><td class="title-cell">Gate</td><td data-label="Requests" class="muted">canary at least ${gates.minRequests}</td><td data-label="5xx or failed">at most ${percentText(errorGate)} <span class="muted">(baseline + ${gates.errorPoints} points)</span></td><td data-label="p99">${p99Gate == null ? 'none until the baseline has one' : 'at most ' + msText(p99Gate)} <span class="muted">(baseline × ${gates.latencyRatio})</span></td></tr>
  </tbody></table></div>
  ${v.gates ? html`<p id="rollout-verdict">The gates now: <strong>${v.gates.outcome.replace('_', ' ').toLowerCase()}</strong>${v.gates.reason ? html` <span class="muted">(${v.gates.reason})</span>` : ''}</p>` : ''}
  <p class="muted">The gates decide on the whole step with a statistical test, not on the share alone: a canary a little over a gate line is rolled back only once the test is sure.</p>`;
}

/** Both sides' 5xx share and p99 in each 10 s of the last 15 minutes, with the gate each line is held to. */
function drawCharts() {
  const { view: v, history, gates, main } = shown;
  const axis = { from: history.now - history.span * 1000, to: history.now, width: chartWidth(main) };
  const side = (p, name) => p.backends[name] || null;
  const share = (b) => (b && b.requests ? b.errors / b.requests : null);
  const p99 = (b) => (b && b.requests ? b.p99Ms : null);
  const points = history.points;
  const errors = [
    { name: 'baseline ' + v.baseline, points: points.map((p) => [p.t, share(side(p, v.baseline))]) },
    { name: 'canary ' + v.canary, color: '#e08a00', points: points.map((p) => [p.t, share(side(p, v.canary))]) },
    { name: 'gate: baseline + ' + gates.errorPoints + ' points', color: 'var(--bad)', dashed: true,
      points: points.map((p) => { const b = share(side(p, v.baseline)); return [p.t, b == null ? null : b + gates.errorPoints / 100]; }) },
  ];
  const latency = [
    { name: 'baseline ' + v.baseline, points: points.map((p) => [p.t, p99(side(p, v.baseline))]) },
    { name: 'canary ' + v.canary, color: '#e08a00', points: points.map((p) => [p.t, p99(side(p, v.canary))]) },
    { name: 'gate: baseline × ' + gates.latencyRatio, color: 'var(--bad)', dashed: true,
      points: points.map((p) => { const b = p99(side(p, v.baseline)); return [p.t, b == null ? null : b * gates.latencyRatio]; }) },
  ];
  render($('#rollout-charts'), html`<div class="card" data-chart="rollout-errors"><h2>5xx share against the gate</h2>
      ${lineChart({ ...axis, unit: 'share', label: '5xx share of baseline and canary, and the gate', series: errors })}</div>
    <div class="card" data-chart="rollout-latency"><h2>p99 latency against the gate</h2>
      ${lineChart({ ...axis, unit: 'ms', label: 'p99 latency of baseline and canary, and the gate', series: latency })}</div>
    <p class="muted">One point every ${history.interval} s, sampled by the gateway; a side without requests in an interval has no point.</p>`);
}

/**
 * The moves, newest first. A stored route's are versions of the configuration; an HTTPRoute's
 * (versions: 'rollouts') are versions of Meshgate's own rollout history, numbered apart.
 */
function movesMarkup(moves, versions) {
  if (!moves.length) return html`<p class="muted" id="rollout-moves-none">No move yet: the first is the rollout's start.</p>`;
  const label = versions === 'rollouts' ? 'rollout version ' : 'version ';
  return html`<ol class="timeline" id="rollout-moves-list">${moves.map((m) => html`<li data-version="${m.version}" data-kind="${m.kind}"><span class="badge ${KIND_CLASS[m.kind] || ''}">${m.kind}</span> <span class="muted">${new Date(m.time).toLocaleString()} · ${label}${m.version} · ${m.author}</span><div class="summary">${m.summary}</div></li>`)}</ol>`;
}

/** A button of the card: abort asks once more; the others act at once. Each action is a version. */
async function act(e) {
  const button = e.target.closest('button[data-action]');
  if (!button || !shown) return;
  const action = button.dataset.action;
  if (action === 'abort' && !button.dataset.confirm) {
    button.dataset.confirm = 'true';
    button.textContent = 'Confirm abort: the canary to weight 0';
    return;
  }
  $$('#rollout-actions button').forEach((b) => { b.disabled = true; });
  let answer = null;
  try {
    answer = await api('POST', path(shown.id) + '/' + action);
    toast('Rollout of ' + shown.id + ': ' + action + ' stored as a version');
  } catch (error) {
    toast(error.message);
  }
  if (answer && !answer.rollout) {
    // the promotion made the canary the baseline: the route has no rollout any more
    const { main, id } = shown;
    shown = null;
    await noRollout(main, id);
    return;
  }
  // the answer says where the action left the rollout: shown at once, not read again
  await reload(answer && answer.rollout);
}
