import type { AdminClient } from './admin-client.js';
import { UnauthorizedError } from './admin-client.js';

export interface FeedHandlers {
  event(name: string, data: unknown): void;
  /** `live` once the stream answers, `lost` while it reconnects. */
  connection(state: 'live' | 'lost'): void;
  unauthorized(): void;
}

const RECONNECT_MS = 1_000;

/**
 * `GET /api/v1/events` read with fetch rather than EventSource, which cannot send the
 * Authorization header. Parses the SSE lines itself and reconnects after a second whenever the
 * stream ends, so a restarted balancer is followed without a reload of the page.
 */
export function followEvents(client: AdminClient, handlers: FeedHandlers): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/api/v1/events', {
          headers: client.headers({ accept: 'text/event-stream' }),
          signal: controller.signal,
        });
        if (response.status === 401) throw new UnauthorizedError();
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        handlers.connection('live');
        await readEvents(response.body, handlers.event);
      } catch (error) {
        if (error instanceof UnauthorizedError) {
          handlers.unauthorized();
          return;
        }
      }
      if (stopped) return;
      handlers.connection('lost');
      await new Promise((resolve) => window.setTimeout(resolve, RECONNECT_MS));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (name: string, data: unknown) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    // An event ends at a blank line; a comment (": …") or a `retry:` alone carries no data.
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')) as unknown);
    }
  }
}
