// What the two traffic-history pages share: reading GET /api/traffic/history for the route or
// upstream a page shows, reading it again after live refreshes (at most every 5 s: points come
// every 10 s), and redrawing when it changes or the window is resized.

import { html, render } from './html.js';
import { api } from './api.js';
import { onResize } from './charts.js';

/** How often a shown page asks for the history again. */
const REFETCH_MS = 5000;

/**
 * A page's history, for kind 'route' or 'upstream'. draw(main, history) draws the charts into
 * the element with id targetId; follow() returns the page's page() and refresh().
 */
export function follow(kind, targetId, heading, draw) {
  let shown = null;
  const read = (name) => api('GET', '/api/traffic/history?' + kind + '=' + encodeURIComponent(name), undefined, { notVersioned: true });
  const redraw = () => { if (shown && shown.main.querySelector('#' + targetId)) draw(shown.main.querySelector('#' + targetId), shown.history, shown.main); };
  onResize(redraw);
  return {
    async page(main, name) {
      const history = await read(name);
      shown = { main, name, history, fetched: Date.now() };
      render(main, html`${heading(name)}
        <p class="muted">The last ${Math.round(history.span / 60)} minutes, one point every ${history.interval} s, sampled by the gateway.</p>
        <div id="${targetId}" data-${kind}="${name}"></div>`);
      redraw();
    },
    /** Called after each live refresh while the page is shown. */
    async refresh() {
      if (!shown || Date.now() - shown.fetched < REFETCH_MS) return;
      const { name } = shown;
      const history = await read(name);
      if (shown && shown.name === name) { shown.history = history; shown.fetched = Date.now(); redraw(); }
    },
  };
}
