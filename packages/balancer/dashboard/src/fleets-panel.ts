import type { WorkerStats } from '@koa-fleet/contracts';
import type { AdminFleet, AdminFleetWorkerHealth } from '../../src/discovery/discovery-types.js';
import { element, megabytes, ms, rate } from './format.js';

export interface FleetActions {
  reload(fleet: AdminFleet): Promise<void>;
  restart(fleet: AdminFleet, worker: WorkerStats): Promise<void>;
}

/**
 * The fleets the balancer follows (`GET /api/v1/fleets`): each one's status, its `/healthz`
 * checks (the session store's mode and health among them), and each worker — pid, slot,
 * generation, state, requests per second, RSS, event-loop lag, restarts — with a rolling reload
 * of the fleet and a restart of one worker, both sent through the balancer.
 */
export class FleetsPanel {
  readonly #root: HTMLElement;
  readonly #actions: FleetActions;
  /** Each worker's request total when its rate was last measured, and that rate, by pid. */
  #requests = new Map<number, Sample>();

  constructor(root: HTMLElement, actions: FleetActions) {
    this.#root = root;
    this.#actions = actions;
  }

  render(fleets: readonly AdminFleet[], now = performance.now()): void {
    const requests = new Map<number, Sample>();
    this.#root.replaceChildren(...fleets.map((fleet) => this.#fleet(fleet, now, requests)));
    this.#requests = requests;
  }

  #fleet(fleet: AdminFleet, now: number, requests: Map<number, Sample>): HTMLElement {
    const reload = element('button', { type: 'button', 'data-action': 'reload' }, 'Rolling reload');
    reload.addEventListener('click', () => {
      reload.disabled = true;
      void this.#actions.reload(fleet).finally(() => (reload.disabled = false));
    });
    const status = fleet.stats?.status ?? (fleet.connected ? '…' : 'not connected');
    const head = element(
      'div',
      { class: 'fleet-head' },
      element('strong', {}, fleet.id),
      element('span', { class: 'state', 'data-state': stateOf(status) }, status),
      element('span', { class: 'muted' }, fleet.control),
      element('span', { class: 'spacer' }),
      reload,
    );
    const rows = (fleet.stats?.workers ?? []).map((worker) => {
      const sample = sampled(this.#requests.get(worker.pid), worker.requests, now);
      requests.set(worker.pid, sample);
      const { rps } = sample;
      const restart = element('button', { type: 'button', 'data-action': 'restart' }, 'Restart');
      restart.addEventListener('click', () => {
        restart.disabled = true;
        void this.#actions.restart(fleet, worker);
      });
      return element(
        'tr',
        { 'data-slot': String(worker.workerId), 'data-pid': String(worker.pid) },
        element('td', { class: 'num' }, String(worker.workerId)),
        element('td', { class: 'num' }, String(worker.pid)),
        element('td', { class: 'num' }, String(worker.generation)),
        element('td', { class: 'state', 'data-state': stateOf(worker.state) }, worker.state),
        element('td', { class: 'num' }, String(worker.port)),
        element('td', { class: 'num' }, rate(rps)),
        element('td', { class: 'num' }, megabytes(worker.rssBytes)),
        element('td', { class: 'num' }, ms(worker.eventLoopLagMs)),
        element('td', { class: 'num' }, String(worker.restarts)),
        element('td', {}, restart),
      );
    });
    const table = element(
      'table',
      { class: 'workers' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ...[
            'Slot',
            'Pid',
            'Gen',
            'State',
            'Port',
            'Req/s',
            'RSS',
            'Loop lag',
            'Restarts',
            '',
          ].map((name, index) =>
            element('th', index === 3 || index === 9 ? {} : { class: 'num' }, name),
          ),
        ),
      ),
      element('tbody', {}, ...rows),
    );
    const parts: HTMLElement[] = [head, checksOf(fleet.health)];
    if (fleet.error) parts.push(element('div', { class: 'error' }, fleet.error));
    parts.push(table);
    return element('div', { class: 'fleet', 'data-fleet': fleet.id }, ...parts);
  }
}

interface Sample {
  total: number;
  at: number;
  rps: number;
}

/** Refreshes come every second and after each fleet event: a rate over less than this is noise. */
const MIN_SAMPLE_MS = 800;

/** A worker's request rate: measured again once MIN_SAMPLE_MS have passed, else the last one. */
function sampled(before: Sample | undefined, total: number, now: number): Sample {
  if (!before) return { total, at: now, rps: 0 };
  if (now - before.at < MIN_SAMPLE_MS) return before;
  return { total, at: now, rps: Math.max(0, ((total - before.total) * 1_000) / (now - before.at)) };
}

/** The fleet's checks as its first answering worker reports them: "name: status (output)". */
function checksOf(health: readonly AdminFleetWorkerHealth[]): HTMLElement {
  const answered = health.find((worker) => worker.checks !== undefined);
  if (!answered?.checks) {
    const why = health.find((worker) => worker.error)?.error;
    return element('div', { class: 'checks' }, why ? `health: ${why}` : 'health: no answer yet');
  }
  const items = Object.entries(answered.checks).map(([name, results]) => {
    const first = (results[0] ?? {}) as {
      status?: string;
      output?: string;
      observedValue?: unknown;
    };
    const detail =
      first.output ?? (first.observedValue === undefined ? '' : String(first.observedValue));
    return element(
      'span',
      { class: 'check', 'data-check': name },
      `${name}: ${first.status ?? '?'}${detail ? ` (${detail})` : ''}`,
    );
  });
  return element('div', { class: 'checks' }, `health ${answered.status ?? '?'} · `, ...items);
}

function stateOf(state: string): string {
  if (state === 'ready') return 'up';
  if (
    state === 'draining' ||
    state === 'reloading' ||
    state === 'starting' ||
    state === 'degraded'
  ) {
    return 'draining';
  }
  if (state === 'crashed' || state === 'stopped' || state === 'not connected') return 'down';
  return state;
}
