import { Agent } from 'node:http';
import { readJson, get, startSession } from '../internal/session-client.js';
import { assertLoopback } from '../run-scenario.js';
import type { Measure } from '../scenario.js';
import { fieldCounts } from './session-counts.js';

export interface FieldsOnOneSessionOptions {
  /** Route that creates a session; its cookie is sent with every write. */
  startPath: string;
  /** Route answering `{ fields }`, how many of the written fields the session holds. */
  readPath: string;
}

/**
 * A `measure` for one load: a fresh session, then as many concurrent requests as the load has
 * connections, the i-th GETting `<load path>?i=<i>` (which sets the field `f<i>`) on its own
 * connection with the session's cookie; then how many fields the session kept. With a store
 * that writes the whole session back, concurrent writers overwrite each other's fields.
 */
export function fieldsOnOneSession(options: FieldsOnOneSessionOptions): Measure {
  const { startPath, readPath } = options;
  return async (server, { load }) => {
    assertLoopback(server.url);
    const cookie = await startSession(server.url + startPath);
    const written = load.connections;
    const agent = new Agent({ keepAlive: false, maxSockets: written });
    try {
      const answers = await Promise.allSettled(
        Array.from({ length: written }, (_, i) =>
          get(`${server.url}${load.path}?i=${i}`, cookie, agent),
        ),
      );
      const acknowledged = answers.filter(
        (a) => a.status === 'fulfilled' && a.value.status >= 200 && a.value.status < 300,
      ).length;
      const { fields } = await readJson<{ fields: number }>(server.url + readPath, cookie);
      return fieldCounts({ written, acknowledged, kept: fields });
    } finally {
      agent.destroy();
    }
  };
}
