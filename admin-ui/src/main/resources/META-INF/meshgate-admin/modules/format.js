// Numbers and names as the pages write them: rates, durations, shares, backends.

export const rateText = (r) => (r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)) + '/s';
export const msText = (ms) => (ms == null ? '–' : ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s' : (ms >= 10 ? Math.round(ms) : ms.toFixed(1)) + ' ms');
export const shareText = (share) => (share > 0 && share < 0.01 ? '<1' : String(Math.round(share * 100))) + ' %';
/** A share (0-1) in percent with a decimal below 10 %: 0.4 %, 2.5 %, 37 %. */
export const percentText = (share) => (share > 0 && share < 0.1 ? (share * 100).toFixed(1) : String(Math.round(share * 100))) + ' %';
/** The badge class of a 5xx share: red from half, amber from 5 %. */
export const errorClass = (share) => (share >= 0.5 ? 'bad' : share >= 0.05 ? 'warn' : '');
export const duration = (seconds) => (seconds < 120 ? Math.round(seconds) + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min' : Math.round(seconds / 3600) + ' h');

/** A noun in a sentence: "Consumer" reads "consumer", "JWT provider" keeps its capitals. */
export const lowerFirst = (noun) => noun.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());

/** A backend's name: its upstream, or the status the gateway answers for its share. */
export const backendName = (b) => b.upstream || (b.status ? 'status ' + b.status : '');
/** A backend as the gateway's meters name it (their backend tag). */
export const backendKey = (b) => b.upstream || (b.status ? 'status:' + b.status : '');

/** host:port of an endpoint URI, as the meters name endpoints. */
export const hostPort = (uri) => { const u = new URL(uri); return u.hostname + ':' + (u.port || (u.protocol === 'https:' ? 443 : 80)); };
