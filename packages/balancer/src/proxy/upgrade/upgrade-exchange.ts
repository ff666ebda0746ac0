import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Peer } from '../../backend.js';
import { admissionError } from '../../edge/admission.js';
import { NoBackendError, type ProxyError } from '../../errors.js';
import { requestOrigin, upstreamHeaders } from '../../headers/forwarded-headers.js';
import { BackendTries } from '../backend-tries.js';
import { errorAnswer } from '../error-answer.js';
import {
  CLIENT_CLOSED,
  proxiedRequest,
  type ProxiedRequest,
  type ProxyContext,
} from '../proxy-context.js';
import { endWithAnswer } from './raw-response.js';
import { TunnelAttempt } from './tunnel-attempt.js';

/**
 * Bytes a client may send after its upgrade request, before the backend switched. A WebSocket
 * client sends none; they are kept for the tunnel, and a client that sends more is cut off.
 */
const MAX_EARLY_BYTES = 64 * 1024;

/**
 * One upgrade request (`Connection: upgrade`, a WebSocket handshake) from arrival until its
 * tunnel closes: refused at the edge as a plain request would be, balanced and retried by the
 * same BackendTries, and answered on the raw socket Node's server handed over — the backend's
 * 101 and then the tunnel, the backend's refusal, or a short error. Nothing it does throws:
 * every socket has an error listener from the start (node-http-proxy #1468).
 */
export class UpgradeExchange {
  readonly #proxy: ProxyContext;
  readonly #req: IncomingMessage;
  readonly #client: Duplex;
  readonly #early: Buffer[];
  #earlyBytes: number;
  readonly #request: ProxiedRequest;
  readonly #tries: BackendTries;
  readonly #arrivedAt = Date.now();
  #attempt: TunnelAttempt | undefined;
  #gone = false;
  #reported = false;

  constructor(proxy: ProxyContext, req: IncomingMessage, client: Duplex, head: Buffer) {
    this.#proxy = proxy;
    this.#req = req;
    this.#client = client;
    this.#early = [head];
    this.#earlyBytes = head.length;
    this.#request = proxiedRequest(req, proxy.forwarding);
    this.#tries = new BackendTries(proxy, req, this.#request);
    client.on('error', () => this.#clientLeft());
    client.once('close', () => this.#clientLeft());
    // Read until the switch: a client that ends or resets first is seen leaving at once.
    client.on('data', this.#keepEarly);
    client.once('end', this.#clientLeft);
  }

  /** Resolves when the client's connection is over: the tunnel closed, or the answer was sent. */
  async run(): Promise<void> {
    const refused = admissionError(this.#req, this.#proxy.client);
    if (refused) return this.#answer(refused);
    const headers = upstreamHeaders(
      this.#req,
      this.#proxy.forwarding,
      requestOrigin(this.#req, this.#request.requestId),
    );
    let peer = this.#tries.first();
    if (!peer) return this.#answer(new NoBackendError());
    for (;;) {
      const attempt = this.#start(peer, headers);
      const result = await attempt.result;
      if (result.kind !== 'failed') {
        const status = result.kind === 'switched' ? 101 : result.status;
        this.#tries.answered(peer, status);
        this.#responded(status, peer); // for a tunnel: when it opens, as nginx logs a 101
        return attempt.done;
      }
      if (this.#gone) return;
      if (this.#tries.staleRetry(result.failure)) continue;
      const after = this.#tries.failed(peer, result.failure);
      if ('error' in after) return this.#answer(after.error, peer);
      peer = after.next;
    }
  }

  /** Cuts the connection, tunnel and all (the balancer is closing). */
  cut(): void {
    this.#client.destroy();
  }

  #start(peer: Peer, headers: string[]): TunnelAttempt {
    const attempt = new TunnelAttempt(
      peer,
      this.#client,
      () => this.#handOver(),
      this.#proxy.forwarding.via,
      (status, responseHeaders) => this.#tries.accepts(peer, status, responseHeaders),
    );
    this.#attempt = attempt;
    attempt.send(this.#proxy.pools.get(peer)!, {
      path: this.#request.url,
      method: this.#request.method,
      headers,
      body: null,
      upgrade: upgradeProtocols(this.#req),
    });
    return attempt;
  }

  #answer(error: ProxyError, backend?: Peer): void {
    if (this.#gone) return;
    const answer = errorAnswer(this.#req, error, {
      requestIdHeader: this.#proxy.forwarding.requestIdHeader,
      requestId: this.#request.requestId,
      retryAfterSeconds: this.#proxy.retryAfterSeconds,
      close: true,
    });
    endWithAnswer(this.#client, answer);
    this.#responded(error.status, backend);
  }

  #responded(status: number, backend: Peer | undefined): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#proxy.reporter.responded(this.#request, status, backend, Date.now() - this.#arrivedAt);
  }

  #keepEarly = (chunk: Buffer): void => {
    this.#early.push(chunk);
    this.#earlyBytes += chunk.length;
    if (this.#earlyBytes > MAX_EARLY_BYTES) this.#client.destroy();
  };

  /** The client's socket goes to the tunnel: what it sent so far, and it stops being read here. */
  #handOver(): Buffer {
    this.#client.pause(); // the tunnel's pipe reads it from here on
    this.#client.off('data', this.#keepEarly);
    this.#client.off('end', this.#clientLeft);
    return Buffer.concat(this.#early);
  }

  #clientLeft = (): void => {
    if (this.#gone) return;
    this.#gone = true;
    this.#client.destroy(); // Node's server no longer closes it: a half-closed socket would stay
    this.#responded(CLIENT_CLOSED, this.#attempt?.peer);
    this.#attempt?.cancel({
      kind: 'cancelled',
      sent: true,
      cause: new Error('the client closed the connection'),
    });
  };
}

/** The protocols the client asks for, as the pool sends them on (`Upgrade` is hop-by-hop). */
function upgradeProtocols(req: IncomingMessage): string {
  const value = req.headers.upgrade;
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
