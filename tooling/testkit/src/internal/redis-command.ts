import { connect } from 'node:net';

/**
 * Sends one command to a redis-server over a raw socket and returns the reply as text. Enough
 * for readiness checks (PING, CLUSTER INFO) without a client's retry and reconnect machinery.
 */
export function redisCommand(
  port: number,
  args: readonly string[],
  host = '127.0.0.1',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5_000, () => socket.destroy(new Error('redis did not reply within 5 s')));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(
        `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`,
      );
    });
    socket.on('data', (chunk: string) => {
      reply += chunk;
      const parsed = parseReply(reply);
      if (parsed === undefined) return;
      socket.end();
      if (parsed.error) reject(new Error(parsed.text));
      else resolve(parsed.text);
    });
  });
}

/** Parses a simple, error or bulk-string reply; undefined while incomplete. */
function parseReply(raw: string): { text: string; error: boolean } | undefined {
  const lineEnd = raw.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  const head = raw.slice(1, lineEnd);
  switch (raw[0]) {
    case '+':
    case ':':
      return { text: head, error: false };
    case '-':
      return { text: head, error: true };
    case '$': {
      const length = Number(head);
      if (length < 0) return { text: '', error: false };
      const body = Buffer.from(raw.slice(lineEnd + 2), 'utf8');
      if (body.length < length + 2) return undefined;
      return { text: body.subarray(0, length).toString('utf8'), error: false };
    }
    default:
      return { text: raw, error: false };
  }
}
