import { CONTROL_PROTOCOL_VERSION } from '@koa-fleet/contracts';
import type { ControlAck, ControlRequest } from '@koa-fleet/contracts';
import { ControlCommandError, ControlRequestError, ControlVersionError } from '../../errors.js';
import { checkSlot } from '../shared/check-slot.js';

const COMMANDS = {
  reload: true,
  stop: true,
  stats: true,
  'restart-worker': true,
  subscribe: true,
} as const satisfies Record<ControlRequest['command'], true>;

/**
 * A client's first line as a request, or a coded error saying what is wrong with it; `slots` is
 * the fleet's slot count, so a bad `restart-worker` slot is refused before anything happens.
 */
export function parseControlRequest(line: string, slots: number): ControlRequest {
  const value = parseObject(line, '{"command": …}');
  const { command } = value;
  if (typeof command !== 'string') {
    throw new ControlRequestError(`"command" must be a string, got ${describe(command)}`);
  }
  if (!Object.hasOwn(COMMANDS, command)) throw new ControlCommandError(command);
  switch (command as ControlRequest['command']) {
    case 'restart-worker':
      return { command: 'restart-worker', slot: checkSlot(value.slot, slots) };
    case 'subscribe':
      if (value.version !== CONTROL_PROTOCOL_VERSION) {
        throw new ControlVersionError(value.version, CONTROL_PROTOCOL_VERSION);
      }
      return { command: 'subscribe', version: CONTROL_PROTOCOL_VERSION };
    default:
      return { command: command as 'reload' | 'stop' | 'stats' };
  }
}

/** A subscriber's line: `{"ack": seq}`, seq a non-negative integer. */
export function parseAck(line: string): ControlAck {
  const { ack } = parseObject(line, '{"ack": seq}');
  if (typeof ack !== 'number' || !Number.isSafeInteger(ack) || ack < 0) {
    throw new ControlRequestError(`"ack" must be a non-negative integer, got ${describe(ack)}`);
  }
  return { ack };
}

function parseObject(line: string, expected: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ControlRequestError(`not JSON (expected ${expected}): ${truncate(line)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlRequestError(`expected a JSON object ${expected}, got ${truncate(line)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : truncate(JSON.stringify(value));
}

/** A message quotes at most the start of what the client sent. */
function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
