// @ts-check

/**
 * @param {{ worker: { id: number; generation: number }; pid: number; visits: number; store: string; notes: string[] }} view
 */
export function renderPage({ worker, pid, visits, store, notes }) {
  const items = notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>koa-fleet demo</title>
<link rel="icon" href="data:,"><!-- no /favicon.ico request: each reload is one connection -->
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
code{background:#f2f2f2;padding:0 .25rem}.big{font-size:2.5rem;margin:.2rem 0}</style></head>
<body>
<h1>koa-fleet demo</h1>
<p>Served by <strong>worker ${worker.id}</strong> (pid <span id="pid">${pid}</span>, generation ${worker.generation}).</p>
<p class="big" id="visits">${visits}</p>
<p>visits in your session — the count lives in the <strong>${escapeHtml(store)}</strong> session store,
so every worker sees it. Reload to land on another worker (the page closes its connection, so
each reload is a new one, which the cluster hands to the next worker).</p>
<ul id="notes">${items}</ul>
<p>Probes: <a href="/livez">/livez</a> · <a href="/readyz">/readyz</a> · <a href="/healthz">/healthz</a> ·
<a href="/healthz/fleet">/healthz/fleet</a> · <a href="/metrics">/metrics</a></p>
<p>Zero-downtime reload: <code>kill -HUP &lt;primary pid&gt;</code>. Stop: Ctrl-C.</p>
</body>
</html>`;
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
