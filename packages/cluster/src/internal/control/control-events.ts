import type {
  ControlErrorInfo,
  ControlEvent,
  ControlWorkerEvent,
  FleetEvents,
  WorkerEvent,
} from '@koa-fleet/contracts';

/** An event line before the subscribers' stream numbers it. */
export type ControlEventBody = ControlEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'seq'>
    : never
  : never;

/** The slot's own port with per-worker ports, else undefined (a shared port says nothing). */
export type PortOf = (workerId: number) => number | undefined;

type Converters = {
  readonly [E in keyof FleetEvents]: (portOf: PortOf, ...args: FleetEvents[E]) => ControlEventBody;
};

/**
 * Every fleet event as its line on the socket: the same name and payload, errors as
 * `{ code, message }`. The compiler ties the table to FleetEvents, so a new event cannot be
 * left off the socket.
 */
export const CONTROL_EVENTS: Converters = {
  'worker-starting': (portOf, e) => ({ event: 'worker-starting', ...worker(portOf, e) }),
  'worker-ready': (portOf, e) => ({ event: 'worker-ready', ...worker(portOf, e) }),
  'worker-draining': (portOf, e) => ({ event: 'worker-draining', ...worker(portOf, e) }),
  'worker-exit': (portOf, e) => ({
    event: 'worker-exit',
    ...worker(portOf, e),
    code: e.code,
    signal: e.signal,
    expected: e.expected,
    reason: e.reason,
  }),
  'slot-given-up': (_portOf, e) => ({
    event: 'slot-given-up',
    workerId: e.workerId,
    error: errorInfo(e.error),
  }),
  status: (_portOf, status) => ({ event: 'status', status }),
  'reload-start': () => ({ event: 'reload-start' }),
  'reload-done': (_portOf, e) => ({
    event: 'reload-done',
    ok: e.ok,
    ...(e.error && { error: errorInfo(e.error) }),
  }),
  failed: (_portOf, error) => ({ event: 'failed', error: errorInfo(error) }),
};

export const CONTROL_EVENT_NAMES = Object.keys(CONTROL_EVENTS) as Array<keyof FleetEvents>;

function worker(portOf: PortOf, { workerId, pid, generation }: WorkerEvent): ControlWorkerEvent {
  const port = portOf(workerId);
  return { workerId, pid, generation, ...(port !== undefined && { port }) };
}

export function errorInfo(error: Error): ControlErrorInfo {
  const { code } = error as { code?: unknown };
  return { ...(typeof code === 'string' && { code }), message: error.message };
}
