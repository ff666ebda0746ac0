import { describe, expect, it } from 'vitest';
import { parseAck, parseControlRequest } from './control-request.js';

describe('parseControlRequest', () => {
  it.each([
    ['{"command":"reload"}', { command: 'reload' }],
    ['{"command":"stop"}', { command: 'stop' }],
    ['{"command":"stats"}', { command: 'stats' }],
    ['{"command":"restart-worker","slot":1}', { command: 'restart-worker', slot: 1 }],
    ['{"command":"subscribe","version":1}', { command: 'subscribe', version: 1 }],
  ])('reads %s', (line, request) => {
    expect(parseControlRequest(line, 2)).toEqual(request);
  });

  it.each([
    ['reload', 'KF_FLEET_CONTROL_REQUEST', 'bad control request: not JSON'],
    ['[1]', 'KF_FLEET_CONTROL_REQUEST', 'expected a JSON object'],
    ['{"cmd":"reload"}', 'KF_FLEET_CONTROL_REQUEST', '"command" must be a string, got nothing'],
    ['{"command":"dance"}', 'KF_FLEET_CONTROL_COMMAND', 'unknown control command "dance"'],
    ['{"command":"toString"}', 'KF_FLEET_CONTROL_COMMAND', 'unknown control command'],
    ['{"command":"restart-worker"}', 'KF_WORKER_SLOT', 'from 0 to 1 (the fleet has 2 slots)'],
    ['{"command":"restart-worker","slot":2}', 'KF_WORKER_SLOT', 'got 2'],
    ['{"command":"restart-worker","slot":"1"}', 'KF_WORKER_SLOT', 'got "1"'],
    ['{"command":"restart-worker","slot":0.5}', 'KF_WORKER_SLOT', 'got 0.5'],
    ['{"command":"subscribe"}', 'KF_FLEET_CONTROL_VERSION', 'version undefined is not spoken'],
    ['{"command":"subscribe","version":2}', 'KF_FLEET_CONTROL_VERSION', 'speaks version 1'],
  ])('refuses %s with %s', (line, code, message) => {
    expect(() => parseControlRequest(line, 2)).toThrowError(
      expect.objectContaining({ code, message: expect.stringContaining(message) as string }),
    );
  });
});

describe('parseAck', () => {
  it('reads {"ack": seq}', () => {
    expect(parseAck('{"ack":7}')).toEqual({ ack: 7 });
  });

  it.each(['{"ack":-1}', '{"ack":"7"}', '{}', 'ack'])('refuses %s', (line) => {
    expect(() => parseAck(line)).toThrowError(
      expect.objectContaining({ code: 'KF_FLEET_CONTROL_REQUEST' }),
    );
  });
});
