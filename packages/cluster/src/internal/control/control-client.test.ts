import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlSocketClosedError } from '../../errors.js';
import { sendControl } from './control-client.js';

describe('sendControl', () => {
  it('rejects with KF_FLEET_CONTROL_CLOSED when the primary closes the socket without answering', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kf-control-')), 'app.pid.sock');
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const error = await sendControl(path, { command: 'reload' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlSocketClosedError);
      expect(error).toMatchObject({
        code: 'KF_FLEET_CONTROL_CLOSED',
        message: 'the primary closed the control socket without answering',
      });
    } finally {
      server.close();
    }
  });
});
