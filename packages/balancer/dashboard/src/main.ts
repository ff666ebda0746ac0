import type {
  AdminBackend,
  AdminInfo,
  AdminStateEvent,
  AdminStatsEvent,
} from '../../src/admin/admin-types.js';
import { AdminApiError, AdminClient, UnauthorizedError } from './admin-client.js';
import { BackendsTable } from './backends-table.js';
import { runBrowserLoad } from './browser-load.js';
import { followEvents } from './event-feed.js';
import { FleetsPanel } from './fleets-panel.js';
import type { AdminFleetList, FleetWorkerEvent } from '../../src/discovery/discovery-types.js';
import { clock, element, percent, swatch } from './format.js';
import { Colours, ShareChart } from './share-chart.js';
import { TrafficMeter, type BackendRate } from './traffic-meter.js';

/**
 * The dashboard: reads only the admin API and its event stream (the same ones a user's tooling
 * reads), and acts through the same endpoints.
 */
const LOAD_SECONDS = 10;
const FLEETS_EVERY_MS = 1_000;
const MAX_EVENTS = 200;

const client = new AdminClient();
const colours = new Colours();
const meter = new TrafficMeter();
const chart = new ShareChart(byId<HTMLCanvasElement>('share'), colours);
let backends: AdminBackend[] = [];
let rates = new Map<string, BackendRate>();
let info: AdminInfo | undefined;

const table = new BackendsTable(byId<HTMLTableElement>('backends').tBodies[0]!, colours, {
  drain: (backend) => act(`drain ${backend.url}`, `backends/${backend.id}/drain`),
  undrain: (backend) => act(`undrain ${backend.url}`, `backends/${backend.id}/undrain`),
  setWeight: (backend, weight) =>
    act(`weight of ${backend.url} → ${weight}`, `backends/${backend.id}/weight`, { weight }, 'PUT'),
});

const fleets = new FleetsPanel(byId('fleet-list'), {
  reload: (fleet) =>
    act(`rolling reload of ${fleet.id}`, `fleets/${encodeURIComponent(fleet.id)}/reload`),
  restart: (fleet, worker) =>
    act(
      `restart of ${fleet.id} worker ${worker.workerId} (pid ${worker.pid})`,
      `fleets/${encodeURIComponent(fleet.id)}/workers/${worker.workerId}/restart`,
    ),
});
let fleetsTimer: number | undefined;
let fleetsRound = 0;

void start();

/** The followed fleets, every second and at once after a fleet event; none: the section stays hidden. */
async function refreshFleets(): Promise<void> {
  window.clearTimeout(fleetsTimer);
  // A fleet event starts a refresh while the timer's may be on its way: only the latest renders.
  const round = ++fleetsRound;
  try {
    const { fleets: list } = await client.get<AdminFleetList>('/api/v1/fleets');
    if (round !== fleetsRound) return;
    byId('fleets').hidden = list.length === 0;
    fleets.render(list);
  } catch (error) {
    if (error instanceof UnauthorizedError) return askForToken();
  }
  fleetsTimer = window.setTimeout(() => void refreshFleets(), FLEETS_EVERY_MS);
}

async function start(): Promise<void> {
  try {
    info = await client.get<AdminInfo>('/api/v1/info');
  } catch (error) {
    if (error instanceof UnauthorizedError) return askForToken();
    throw error;
  }
  byId('login').hidden = true;
  byId('main').hidden = false;
  byId('summary').textContent = `${info.strategy} · ${info.balancer.url}${
    info.workers > 1 ? ` · ${info.workers} processes` : ''
  }`;
  followEvents(client, {
    connection: (state) => {
      const pill = byId('connection');
      pill.dataset.state = state;
      pill.textContent = state === 'live' ? 'live' : 'reconnecting…';
    },
    unauthorized: askForToken,
    event: onEvent,
  });
  void refreshFleets();
}

function onEvent(name: string, data: unknown): void {
  if (name === 'stats') {
    const stats = data as AdminStatsEvent;
    backends = stats.backends;
    rates = meter.update(backends, stats.at);
    chart.push(new Map([...rates].map(([url, rate]) => [url, rate.share])));
    renderBackends();
    return;
  }
  if (name === 'backend-state') {
    // Shown at once, not at the next stats: a state change is visible within the second.
    const change = data as AdminStateEvent;
    backends = backends.map((backend) =>
      backend.url === change.backend && change.workerId === undefined
        ? {
            ...backend,
            state: change.state,
            drained: change.state === 'draining' && backend.drained,
          }
        : backend,
    );
    renderBackends();
  }
  if (name === 'fleet-worker' || name === 'fleet-connection') void refreshFleets();
  log(name, data);
}

function renderBackends(): void {
  table.render(backends, rates);
  const legend = byId('legend');
  legend.replaceChildren(
    ...backends.map((backend) =>
      element(
        'span',
        {},
        swatch(colours.of(backend.url)),
        `${backend.url} ${percent(rates.get(backend.url)?.share ?? 0)}`,
      ),
    ),
  );
}

function log(name: string, data: unknown): void {
  const { at } = data as { at?: string };
  const text = describe(name, data);
  const list = byId('events');
  list.prepend(element('li', { 'data-event': name }, element('time', {}, clock(at)), text));
  while (list.children.length > MAX_EVENTS) list.lastElementChild?.remove();
}

function describe(name: string, data: unknown): string {
  const event = data as Record<string, unknown>;
  if (name === 'backend-state') {
    const { backend, previous, state, workerId } = data as AdminStateEvent;
    const where = workerId === undefined ? '' : ` (balancer worker ${workerId})`;
    return `${backend}: ${previous} → ${state}${where}`;
  }
  if (name === 'fleet-worker') {
    const { fleet, event: what, workerId, pid, generation } = data as FleetWorkerEvent;
    return `${fleet} worker ${workerId} (pid ${pid}, generation ${generation}): ${what.replace('worker-', '')}`;
  }
  if (name === 'fleet-connection') {
    const { fleet, connected, reason } = event as {
      fleet: string;
      connected: boolean;
      reason?: string;
    };
    return `${fleet}: ${connected ? 'connected' : `connection lost${reason ? ` (${reason})` : ''}`}`;
  }
  if (name === 'backend-added') return `added ${(event.backend as AdminBackend).url}`;
  if (name === 'backend-removed') return `removed ${String(event.backend)}`;
  if (typeof event.message === 'string') return `${name}: ${event.message}`;
  return `${name} ${JSON.stringify(data)}`;
}

async function act(what: string, path: string, body?: unknown, method = 'POST'): Promise<void> {
  try {
    if (method === 'PUT') await client.put(`/api/v1/${path}`, body);
    else await client.post(`/api/v1/${path}`, body);
    log('action', { at: new Date().toISOString(), message: what });
  } catch (error) {
    if (error instanceof UnauthorizedError) return askForToken();
    const message = error instanceof AdminApiError ? error.message : String(error);
    log('action-failed', { at: new Date().toISOString(), message: `${what}: ${message}` });
  }
}

function askForToken(): void {
  byId('main').hidden = true;
  const form = byId<HTMLFormElement>('login');
  form.hidden = false;
  if (client.token) byId('login-error').textContent = 'That token was refused.';
  client.token = null;
  form.onsubmit = (event) => {
    event.preventDefault();
    client.token = byId<HTMLInputElement>('token').value;
    byId('login-error').textContent = '';
    void start();
  };
}

byId<HTMLButtonElement>('load').addEventListener('click', async (event) => {
  const button = event.currentTarget as HTMLButtonElement;
  if (!info) return;
  button.disabled = true;
  const status = byId('load-status');
  const done = await runBrowserLoad(`${info.balancer.url}/`, LOAD_SECONDS, (now) => {
    status.textContent = `${now.sent} requests, ${now.secondsLeft} s left`;
  });
  status.textContent = `load done: ${done.sent} requests${done.failed ? `, ${done.failed} failed` : ''}`;
  button.disabled = false;
});

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
