import { httpRequest } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { abandonedDownload, slowDownload, type Download } from './support/downloads.js';
import { useTestServers } from './support/test-servers.js';

const servers = useTestServers();

/** More than the balancer's socket to a client and the client's kernel buffers hold at once. */
const BODY_BYTES = 4_000_000;
const ROUNDS = 6;
const PAIRS = 2;

describe('upstream back-pressure', () => {
  it('a connection paused for a slow client reads again for the next request on it', async () => {
    const body = Buffer.alloc(BODY_BYTES, 'x');
    const backend = await servers.backend('a', (req, res) => {
      if (req.url === '/small') res.end('ok');
      else res.end(body);
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      // Few connections, so every one carries several requests; a request that lands on a
      // connection left paused gets no head, and the headers timeout answers it 504 instead
      // of letting the test hang.
      keepAlive: { connections: PAIRS },
      timeouts: { headers: '3s' },
    });
    const slow: Download[] = [];
    const abandoned: Download[] = [];
    const small: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round: slow readers whose responses end while the balancer waits on their socket,
      // clients that leave mid-body, then small requests that reuse the same connections.
      const downloads = await Promise.all(
        Array.from({ length: PAIRS * 2 }, (_, i) =>
          i % 2 === 0
            ? slowDownload(`${balancer.url}/big`)
            : abandonedDownload(`${balancer.url}/big`),
        ),
      );
      downloads.forEach((download, i) => (i % 2 === 0 ? slow : abandoned).push(download));
      const replies = await Promise.all(
        Array.from({ length: PAIRS * 2 }, () => httpRequest(`${balancer.url}/small`)),
      );
      small.push(...replies.map((reply) => reply.status));
    }
    const counts = {
      'slow downloads complete': slow.filter((d) => d.complete && d.receivedBytes === BODY_BYTES)
        .length,
      'abandoned downloads with a head': abandoned.filter((d) => d.status === 200).length,
      'small requests answered 200': small.filter((status) => status === 200).length,
    };
    console.log('upstream back-pressure', counts);
    expect(counts).toEqual({
      'slow downloads complete': slow.length,
      'abandoned downloads with a head': abandoned.length,
      'small requests answered 200': small.length,
    });
    expect(balancer.backends[0]!.active).toBe(0);
  }, 120_000);
});
