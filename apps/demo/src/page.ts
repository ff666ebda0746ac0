import type { SessionKind, WorkerView } from './worker-view.js';

export interface PageView extends WorkerView {
  visits: number;
  store: SessionKind;
  cart: Record<string, number>;
}

/** The page a browser gets at `/`: which worker answered, and the session every worker shares. */
export function renderPage({ pid, slot, generation, visits, store, cart }: PageView): string {
  const items = Object.entries(cart)
    .map(([item, count]) => `<li>${escapeHtml(item)} × ${count}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>koa-fleet demo</title>
<link rel="icon" href="data:,"><!-- no /favicon.ico request: one request per reload -->
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
code{background:#f2f2f2;padding:0 .25rem}.big{font-size:2.5rem;margin:.2rem 0}</style></head>
<body>
<h1>koa-fleet demo</h1>
<p>Served by <strong>slot <span id="slot">${slot}</span></strong> (pid <span id="pid">${pid}</span>,
generation ${generation}), through the balancer.</p>
<p class="big" id="visits">${visits}</p>
<p>visits in your session — the count lives in the <strong>${escapeHtml(store)}</strong> session
store, so every worker sees it. Reload: the balancer sends each request to the next worker by
weight: slot 0 weighs 2, every other slot 1.</p>
<ul id="cart">${items}</ul>
<p>Try <code>/session</code>, <code>/cpu</code>, <code>/slow?ms=500</code>. Probes:
<a href="/livez">/livez</a> · <a href="/readyz">/readyz</a> · <a href="/healthz">/healthz</a> ·
<a href="/healthz/fleet">/healthz/fleet</a> · <a href="/metrics">/metrics</a></p>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
