import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

// A minimal RFC 6455 WebSocket, enough for tests to speak it on both sides of the balancer:
// the handshake, and unfragmented text and close frames (payloads under 64 KiB).

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TEXT = 0x1;
const CLOSE = 0x8;

const acceptKey = (key: string) =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64');

/** A frame; a client's are masked (§5.3). */
function frame(opcode: number, payload: Buffer, masked: boolean): Buffer {
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 2 : 4);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  header[1]! |= 0x80;
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** Reads frames from a socket as they complete. */
function onFrames(socket: Duplex, handle: (opcode: number, payload: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const masked = (buffered[1]! & 0x80) !== 0;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      }
      const maskAt = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < length; i++) payload[i]! ^= buffered[maskAt + (i % 4)]!;
      handle(buffered[0]! & 0x0f, payload);
      buffered = buffered.subarray(offset + length);
    }
  });
}

/**
 * Makes a test backend's server a WebSocket echo server: it answers each text message with
 * `<name>: <message>`. Like the `ws` package, it ends its side when the client ends its own.
 */
export function echoWebSockets(server: Server, name: string): void {
  server.on('upgrade', (req, socket: Duplex) => {
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(String(req.headers['sec-websocket-key']))}\r\n` +
        `X-Backend: ${name}\r\n\r\n`,
    );
    onFrames(socket, (opcode, payload) => {
      if (opcode === TEXT) socket.write(frame(TEXT, Buffer.from(`${name}: ${payload}`), false));
      if (opcode === CLOSE) socket.end(frame(CLOSE, payload, false));
    });
  });
}

/** A client's open WebSocket. */
export interface TestWebSocket {
  socket: Duplex;
  /** The 101's headers. */
  headers: IncomingHttpHeaders;
  send(text: string): void;
  /** The next text message. */
  next(): Promise<string>;
  /** The close handshake: sends a close frame and resolves once the connection is closed. */
  close(): Promise<void>;
}

/**
 * Opens a WebSocket to `url` (http://…, or https://… trusting `ca`); rejects with the answer when
 * the server refuses it.
 */
export function openWebSocket(url: string, ca?: Buffer): Promise<TestWebSocket> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : request)(url, {
      ca,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () =>
        reject(Object.assign(new Error(`refused: ${res.statusCode}`), { res, body })),
      );
    });
    req.on('upgrade', (res, socket, head) => {
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        return reject(new Error('wrong Sec-WebSocket-Accept'));
      }
      socket.on('error', () => {});
      if (head.length > 0) socket.unshift(head);
      const messages: string[] = [];
      const waiting: ((text: string) => void)[] = [];
      onFrames(socket, (opcode, payload) => {
        if (opcode !== TEXT) return;
        const wake = waiting.shift();
        if (wake) wake(String(payload));
        else messages.push(String(payload));
      });
      resolve({
        socket,
        headers: res.headers,
        send: (text) => socket.write(frame(TEXT, Buffer.from(text), true)),
        next: () => {
          const message = messages.shift();
          return message === undefined
            ? new Promise((wake) => waiting.push(wake))
            : Promise.resolve(message);
        },
        close: () =>
          new Promise((closed) => {
            socket.once('close', () => closed());
            socket.write(frame(CLOSE, Buffer.from([0x03, 0xe8]), true));
          }),
      });
    });
    req.end();
  });
}
