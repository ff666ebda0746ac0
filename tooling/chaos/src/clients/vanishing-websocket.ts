import { createConnection, type NetConnectOpts, type Socket } from 'node:net';
import WebSocket from 'ws';

/**
 * How a WebSocket client disappears, never with a close frame: `destroy` closes its socket
 * (FIN), `reset` resets it (RST), `stop-reading` keeps it open but reads nothing more, as a
 * client whose network went away — only the server's pings can find that one.
 */
export type VanishStyle = 'destroy' | 'reset' | 'stop-reading';

export interface VanishedWebSocket {
  /** The echo of the message it sent came back before it vanished. */
  echoed: boolean;
  /** Ends what is left of it on this side (the stop-reading ones stay open until then). */
  dispose(): void;
}

/** Opens a WebSocket to `url`, sends one message, waits for its echo, then vanishes. */
export function vanishingWebSocket(url: string, style: VanishStyle): Promise<VanishedWebSocket> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    const ws = new WebSocket(url.replace(/^http/, 'ws'), {
      // Node's own option, to hold the TCP socket: a reset needs it.
      createConnection: ((options: NetConnectOpts) =>
        (socket = createConnection(options))) as typeof createConnection,
    });
    const dispose = () => socket?.destroy();
    ws.on('error', (error) => (socket?.destroyed ? undefined : reject(error)));
    ws.on('open', () => ws.send('hello'));
    ws.once('message', (data) => {
      const echoed = String(data) === 'echo: hello';
      if (style === 'destroy') ws.terminate();
      else if (style === 'reset') socket!.resetAndDestroy();
      else ws.pause();
      resolve({ echoed, dispose });
    });
  });
}
