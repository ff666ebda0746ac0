import type { IncomingHttpHeaders } from 'node:http';
import { UpstreamIoError } from './upstream-io-error.js';

/** A response's head, as the parser read it. */
export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** Lower-case names; a repeated header is an array of its lines (as undici gives them too). */
  headers: IncomingHttpHeaders;
  /** The connection may carry another request after this response. */
  keepAlive: boolean;
  /** The backend's `Keep-Alive: timeout=N`, in ms, when it sent one. */
  keepAliveTimeoutMs: number | undefined;
}

/** What the parser found, in order; each call is synchronous, within `execute`. */
export interface ResponseEvents {
  /** A 1xx other than 101; the final response follows. */
  informational(status: number, headers: IncomingHttpHeaders): void;
  /** The final response's head (a 101 goes to `upgrade` instead). */
  head(head: ResponseHead): void;
  data(chunk: Buffer): void;
  /** The response is complete. */
  end(): void;
  /** 101: the bytes after its head belong to the new protocol. */
  upgrade(head: ResponseHead, rest: Buffer): void;
}

/** A head larger than this is not valid for us (nginx's `proxy_buffer_size` is smaller still). */
const MAX_HEAD_BYTES = 16 * 1024;
/** Hex digits of a chunk size at most: 2^52 bytes, beyond any real body and exact as a number. */
const MAX_CHUNK_SIZE_DIGITS = 13;
/** A chunk-size line (with extensions) or a trailer line is never longer than this. */
const MAX_LINE_BYTES = 4 * 1024;

const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** 1 for the characters of a token (RFC 9110 §5.6.2), by char code. */
const TOKEN_CHAR = charClass((code) =>
  /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(String.fromCharCode(code)),
);
/** 1 for the characters a field value may hold: HTAB, visible ASCII, space, obs-text. */
const VALUE_CHAR = charClass((code) => code === 9 || (code >= 0x20 && code !== 0x7f));
/** The end of a head, as bytes (searching for a string converts it on every call). */
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const DIGITS = /^\d+$/;
const HEX = /^[0-9A-Fa-f]+$/;

type Body =
  | { kind: 'none' }
  | { kind: 'length'; left: number }
  | { kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailer'; left: number }
  | { kind: 'close' };

/**
 * A strict HTTP/1.1 response parser (RFC 9112) for one connection, fed the socket's chunks. It
 * frames the body by the rules a proxy must follow to stay in step with the backend: no body
 * for HEAD, 1xx, 204 and 304; Content-Length; chunked; otherwise until the connection closes.
 * What a proxy must not guess at is invalid: both Content-Length and Transfer-Encoding, differing
 * or malformed lengths, a transfer coding other than chunked, obs-fold, bytes after the end.
 * Throws an UpstreamIoError (`invalid`) from `execute`, after which the connection is useless.
 */
export class ResponseParser {
  readonly #events: ResponseEvents;
  #bodyless = false;
  #pending: Buffer | undefined;
  #body: Body | undefined;
  #done = false;
  #line = '';

  constructor(events: ResponseEvents) {
    this.#events = events;
  }

  /** Starts a new response, for a request of `method`. */
  reset(method: string): void {
    this.#bodyless = method === 'HEAD';
    this.#pending = undefined;
    this.#body = undefined;
    this.#done = false;
    this.#line = '';
  }

  execute(chunk: Buffer): void {
    if (this.#done) throw invalid('bytes after the end of the response');
    let rest: Buffer | undefined = chunk;
    while (rest && rest.length > 0 && !this.#done) {
      rest = this.#body === undefined ? this.#readHead(rest) : this.#readBody(rest);
    }
    if (rest && rest.length > 0 && this.#done) throw invalid('bytes after the end of the response');
  }

  /** The connection ended: a close-delimited body is complete, anything else was cut short. */
  finish(): void {
    if (this.#done) return;
    if (this.#body?.kind === 'close') {
      this.#complete();
      return;
    }
    throw new UpstreamIoError(
      'closed',
      'the backend closed the connection before the response ended',
    );
  }

  /** Returns what is left of `chunk` after the head, or undefined while the head is incomplete. */
  #readHead(chunk: Buffer): Buffer | undefined {
    const buffer = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    // The end of the head may straddle two chunks: search from a little before the new bytes.
    const from = this.#pending ? Math.max(0, this.#pending.length - 3) : 0;
    const end = buffer.indexOf(HEAD_END, from);
    if (end === -1) {
      if (buffer.length > MAX_HEAD_BYTES) throw invalid('the response head is too large');
      this.#pending = buffer;
      return undefined;
    }
    if (end > MAX_HEAD_BYTES) throw invalid('the response head is too large');
    this.#pending = undefined;
    const rest = buffer.subarray(end + 4);
    const head = parseHead(buffer.toString('latin1', 0, end));
    if (head.status < 200 && head.status !== 101) {
      this.#events.informational(head.status, head.headers);
      return rest;
    }
    if (head.status === 101) {
      this.#done = true;
      this.#events.upgrade(head, rest);
      return undefined;
    }
    this.#body = this.#framing(head);
    if (this.#body.kind === 'close') head.keepAlive = false;
    this.#events.head(head);
    if (this.#body.kind === 'none' || (this.#body.kind === 'length' && this.#body.left === 0)) {
      this.#complete();
    }
    return rest;
  }

  #framing(head: ResponseHead): Body {
    const { headers, status } = head;
    const coding = headers['transfer-encoding'];
    const length = headers['content-length'];
    if (coding !== undefined && length !== undefined) {
      throw invalid('the response has both Content-Length and Transfer-Encoding');
    }
    if (this.#bodyless || status === 204 || status === 304) return { kind: 'none' };
    if (coding !== undefined) {
      const codings = (Array.isArray(coding) ? coding.join(',') : coding).split(',');
      const last = codings[codings.length - 1]!.trim().toLowerCase();
      if (last !== 'chunked' || codings.length > 1) {
        throw invalid(`the response's Transfer-Encoding is not chunked alone: ${String(coding)}`);
      }
      return { kind: 'chunked', state: 'size', left: 0 };
    }
    if (length !== undefined) return { kind: 'length', left: contentLength(length) };
    return { kind: 'close' };
  }

  #readBody(chunk: Buffer): Buffer | undefined {
    const body = this.#body!;
    switch (body.kind) {
      case 'length': {
        if (chunk.length < body.left) {
          body.left -= chunk.length;
          this.#events.data(chunk);
          return undefined;
        }
        const data = chunk.subarray(0, body.left);
        body.left = 0;
        if (data.length > 0) this.#events.data(data);
        this.#complete();
        return chunk.subarray(data.length);
      }
      case 'close':
        this.#events.data(chunk);
        return undefined;
      case 'chunked':
        return this.#readChunked(body, chunk);
      default:
        return chunk;
    }
  }

  #readChunked(body: Extract<Body, { kind: 'chunked' }>, chunk: Buffer): Buffer | undefined {
    let at = 0;
    while (at < chunk.length && !this.#done) {
      if (body.state === 'data') {
        const take = Math.min(body.left, chunk.length - at);
        this.#events.data(chunk.subarray(at, at + take));
        at += take;
        body.left -= take;
        if (body.left === 0) body.state = 'data-end';
        continue;
      }
      const eol = chunk.indexOf(10, at); // LF
      if (eol === -1) {
        this.#line += chunk.toString('latin1', at);
        if (this.#line.length > MAX_LINE_BYTES) throw invalid('a chunk line is too long');
        return undefined;
      }
      const text = this.#line + chunk.toString('latin1', at, eol);
      this.#line = '';
      at = eol + 1;
      if (!text.endsWith('\r')) throw invalid('a chunk line does not end with CRLF');
      const line = text.slice(0, -1);
      if (body.state === 'data-end') {
        if (line !== '') throw invalid('a chunk is longer than its size');
        body.state = 'size';
      } else if (body.state === 'size') {
        const size = chunkSize(line);
        if (size === 0) body.state = 'trailer';
        else {
          body.state = 'data';
          body.left = size;
        }
      } else if (line === '') {
        this.#complete(); // trailers are read and dropped: a proxy does not forward them
      } else if (line.length > MAX_LINE_BYTES || INVALID_VALUE.test(line)) {
        throw invalid('a trailer line is not valid');
      }
    }
    return chunk.subarray(at);
  }

  #complete(): void {
    this.#done = true;
    this.#events.end();
  }
}

/**
 * The head after its status line, read one character at a time against the RFC's character
 * classes (a regex per line cost more than the rest of the proxy's work on a small response).
 */
function parseHead(text: string): ResponseHead {
  let eol = text.indexOf('\r\n');
  if (eol === -1) eol = text.length;
  const { status, statusMessage, http10 } = statusLine(text, eol);
  const headers: IncomingHttpHeaders = {};
  const raw = headers as Record<string, string | string[]>;
  const length = text.length;
  let at = eol + 2;
  while (at < length) {
    let i = at;
    while (i < length && TOKEN_CHAR[text.charCodeAt(i)] === 1) i++;
    if (i === at) {
      const first = text.charCodeAt(at);
      throw invalid(
        first === 32 || first === 9
          ? 'a header line is folded (obs-fold)'
          : 'a header name is not a token',
      );
    }
    if (text.charCodeAt(i) !== 58) throw invalid('a header name is not a token'); // ':'
    const name = text.slice(at, i);
    i++;
    while (i < length && isBlank(text.charCodeAt(i))) i++;
    const from = i;
    let to = i;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13) break; // CR
      // A control character, or a lone LF that would end the line for the client.
      if (VALUE_CHAR[code] !== 1) throw invalid(`the ${name} header has a control character`);
      if (code !== 32 && code !== 9) to = i + 1;
    }
    if (i < length && text.charCodeAt(i + 1) !== 10) throw invalid('a header line has a bare CR');
    at = i + 2;
    const value = text.slice(from, to);
    const key = name.toLowerCase();
    const before = raw[key];
    if (before === undefined) raw[key] = value;
    else if (Array.isArray(before)) before.push(value);
    else raw[key] = [before, value];
  }
  const connection = headers.connection;
  const keepAlive =
    connection === undefined
      ? !http10
      : http10
        ? /\bkeep-alive\b/i.test(connection)
        : !/\bclose\b/i.test(connection);
  const hint = headers['keep-alive'];
  return {
    status,
    statusMessage,
    headers,
    keepAlive,
    keepAliveTimeoutMs: hint === undefined ? undefined : keepAliveTimeout(hint),
  };
}

/** `HTTP/1.x NNN reason`, read by hand: it is on every response. */
function statusLine(
  text: string,
  eol: number,
): { status: number; statusMessage: string; http10: boolean } {
  const minor = text.charCodeAt(7);
  const status =
    (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + text.charCodeAt(11) - 48;
  if (
    !text.startsWith('HTTP/1.') ||
    (minor !== 48 && minor !== 49) ||
    text.charCodeAt(8) !== 32 ||
    !isDigit(text.charCodeAt(9)) ||
    !isDigit(text.charCodeAt(10)) ||
    !isDigit(text.charCodeAt(11)) ||
    status < 100 ||
    (eol > 12 && text.charCodeAt(12) !== 32)
  ) {
    throw invalid('the status line is not HTTP/1.x');
  }
  return { status, statusMessage: eol > 13 ? text.slice(13, eol) : '', http10: minor === 48 };
}

function charClass(member: (code: number) => boolean): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, code) => (member(code) ? 1 : 0));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function contentLength(value: string | string[]): number {
  if (typeof value === 'string' && DIGITS.test(value)) return checkedLength(Number(value));
  const values = Array.isArray(value) ? value : [value];
  const first = values[0]!;
  // One value, or the same one repeated (RFC 9112 §6.3 rule 5); nothing else is a length.
  const lists = values.flatMap((line) => line.split(',').map((part) => part.trim()));
  if (!lists.every((part) => part === lists[0]) || !DIGITS.test(lists[0]!)) {
    throw invalid(`the response's Content-Length is not valid: ${first}`);
  }
  return checkedLength(Number(lists[0]));
}

function checkedLength(length: number): number {
  if (!Number.isSafeInteger(length)) throw invalid('the response Content-Length is too large');
  return length;
}

function chunkSize(line: string): number {
  const semicolon = line.indexOf(';');
  const digits = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
  if (!HEX.test(digits) || digits.length > MAX_CHUNK_SIZE_DIGITS) {
    throw invalid(`a chunk size is not valid: ${JSON.stringify(line.slice(0, 40))}`);
  }
  return parseInt(digits, 16);
}

function keepAliveTimeout(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value.join(',') : value;
  const match = text && /\btimeout\s*=\s*(\d+)/i.exec(text);
  return match ? Number(match[1]) * 1000 : undefined;
}

function invalid(message: string): UpstreamIoError {
  return new UpstreamIoError('invalid', message);
}
