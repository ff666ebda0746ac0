import type { AdminBackend } from '../../src/admin/admin-types.js';
import { element, ms, percent, rate, swatch } from './format.js';
import type { Colours } from './share-chart.js';
import type { BackendRate } from './traffic-meter.js';

export interface BackendActions {
  drain(backend: AdminBackend): Promise<void>;
  undrain(backend: AdminBackend): Promise<void>;
  setWeight(backend: AdminBackend, weight: number): Promise<void>;
}

interface Row {
  row: HTMLTableRowElement;
  cells: Record<string, HTMLTableCellElement>;
  toggle: HTMLButtonElement;
  weight: HTMLInputElement;
  backend: AdminBackend;
}

const NUMERIC = ['weight', 'effective', 'share', 'rps', 'active', 'p50', 'p99', 'errors'];

/**
 * The backends table, one row per backend kept across updates (so a weight being typed is not
 * wiped by the next second's stats), rows added and removed as backends come and go.
 */
export class BackendsTable {
  readonly #body: HTMLTableSectionElement;
  readonly #colours: Colours;
  readonly #actions: BackendActions;
  readonly #rows = new Map<string, Row>();

  constructor(body: HTMLTableSectionElement, colours: Colours, actions: BackendActions) {
    this.#body = body;
    this.#colours = colours;
    this.#actions = actions;
  }

  render(backends: readonly AdminBackend[], rates: Map<string, BackendRate>): void {
    const seen = new Set<string>();
    backends.forEach((backend, index) => {
      seen.add(backend.url);
      const row = this.#rows.get(backend.url) ?? this.#add(backend);
      row.backend = backend;
      this.#fill(row, backend, rates.get(backend.url));
      // The balancer's order; a row is moved only when out of it, since moving one takes the
      // focus from its weight field.
      const there = this.#body.rows[index];
      if (there !== row.row) this.#body.insertBefore(row.row, there ?? null);
    });
    for (const [url, row] of this.#rows) {
      if (seen.has(url)) continue;
      row.row.remove();
      this.#rows.delete(url);
    }
  }

  #add(backend: AdminBackend): Row {
    const cells: Record<string, HTMLTableCellElement> = {};
    cells.url = element('td', {}, swatch(this.#colours.of(backend.url)), ` ${backend.url}`);
    cells.state = element('td', { class: 'state' });
    for (const name of NUMERIC) cells[name] = element('td', { class: 'num' });
    const toggle = element('button', { type: 'button', 'data-action': 'toggle-drain' });
    const weight = element('input', {
      type: 'number',
      min: '1',
      step: '1',
      'aria-label': `weight of ${backend.url}`,
    });
    weight.value = String(backend.weight);
    const setWeight = element('button', { type: 'button', 'data-action': 'set-weight' }, 'Set');
    const row: Row = {
      row: element('tr', { 'data-backend': backend.url }),
      cells,
      toggle,
      weight,
      backend,
    };
    toggle.addEventListener('click', () => {
      const { backend: now } = row;
      void (now.drained ? this.#actions.undrain(now) : this.#actions.drain(now));
    });
    const submitWeight = () => {
      const value = Number(weight.value);
      if (Number.isInteger(value) && value >= 1) void this.#actions.setWeight(row.backend, value);
    };
    setWeight.addEventListener('click', submitWeight);
    weight.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') submitWeight();
    });
    cells.actions = element('td', {}, toggle, ' ', weight, ' ', setWeight);
    row.row.append(cells.url, cells.state, ...NUMERIC.map((name) => cells[name]!), cells.actions);
    this.#rows.set(backend.url, row);
    return row;
  }

  #fill(row: Row, backend: AdminBackend, traffic: BackendRate | undefined): void {
    const { cells } = row;
    const errors = Object.values(backend.errors).reduce((sum, count) => sum + count, 0);
    const state = backend.drained ? 'draining' : backend.state;
    cells.state!.textContent = backend.drained ? 'drained' : backend.state;
    cells.state!.dataset.state = state;
    cells.weight!.textContent = String(backend.weight);
    cells.effective!.textContent = String(backend.effectiveWeight);
    cells.share!.textContent = traffic ? percent(traffic.share) : '–';
    cells.rps!.textContent = traffic ? rate(traffic.rps) : '–';
    cells.active!.textContent = String(backend.active);
    cells.p50!.textContent = ms(backend.latency.p50);
    cells.p99!.textContent = ms(backend.latency.p99);
    cells.errors!.textContent = String(errors);
    row.toggle.textContent = backend.drained ? 'Undrain' : 'Drain';
    // Only when the field is not being edited: the page must not fight the user's typing.
    if (document.activeElement !== row.weight) row.weight.value = String(backend.weight);
  }
}
