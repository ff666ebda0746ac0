import { trickle } from '@koa-fleet/testkit';
import type { RawOutcome } from './raw-outcome.js';
import type { SessionCookieSample } from './session-cookie-sample.js';

/** The kinds of bad input, each counted on its own in the scenario's report. */
export type BadInputKind = 'smuggling' | 'oversized' | 'cookie' | 'method-url' | 'slow';

export interface BadRequestCase {
  kind: BadInputKind;
  name: string;
  /** As rawRequest() writes them: bytes, and pauses in ms. */
  parts: (string | Buffer | number)[];
  /** The outcomes that are right; a 5xx and a hang never are. */
  allowed: readonly RawOutcome[];
  /** For a slow client: the connection is given up this long after it opened (a hang). */
  deadline?: number;
}

/** The request a smuggling case hides in its body: no worker may ever see this path. */
export const SMUGGLED_PATH = '/smuggled';
const SMUGGLED = `GET ${SMUGGLED_PATH} HTTP/1.1\r\nHost: x\r\n\r\n`;

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const post = (...headers: string[]) => head(['POST /echo HTTP/1.1', 'Host: x', ...headers]);
const get = (target: string, ...headers: string[]) =>
  head([`GET ${target} HTTP/1.1`, 'Host: x', ...headers]);

const REFUSED: readonly RawOutcome[] = ['4xx', 'closed'];
/** Not a framing attack: answering it normally is right too. */
const ANSWERED_OR_REFUSED: readonly RawOutcome[] = ['2xx', '4xx', 'closed'];
const SLOW_REFUSED: readonly RawOutcome[] = ['4xx', 'closed'];

function smuggling(): BadRequestCase[] {
  const terminator = `0\r\n\r\n${SMUGGLED}`;
  const chunkedSmuggle = `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`;
  const cases: [string, string][] = [
    [
      'CL.TE',
      post(`Content-Length: ${terminator.length}`, 'Transfer-Encoding: chunked') + terminator,
    ],
    ['TE.CL', post('Transfer-Encoding: chunked', 'Content-Length: 3') + chunkedSmuggle],
    [
      'two differing Content-Length',
      post('Content-Length: 5', `Content-Length: ${5 + SMUGGLED.length}`) + `hello${SMUGGLED}`,
    ],
    [
      'a Content-Length list',
      post(`Content-Length: 5, ${5 + SMUGGLED.length}`) + `hello${SMUGGLED}`,
    ],
    ['Content-Length +5', post('Content-Length: +5') + `hello${SMUGGLED}`],
    ['Content-Length 5x', post('Content-Length: 5x') + `hello${SMUGGLED}`],
    ['Content-Length -1', post('Content-Length: -1') + `hello${SMUGGLED}`],
    [
      'obs-fold hiding Transfer-Encoding',
      post(`Content-Length: ${terminator.length}`, 'X-Folded: one', ' Transfer-Encoding: chunked') +
        terminator,
    ],
    ['obs-fold', get('/hello', 'X-Folded: one', ' two')],
    [
      'Transfer-Encoding chunked, gzip',
      post('Transfer-Encoding: chunked, gzip', `Content-Length: ${terminator.length}`) + terminator,
    ],
    ['Transfer-Encoding gzip', post('Transfer-Encoding: gzip') + terminator],
    ['Transfer-Encoding xchunked', post('Transfer-Encoding: xchunked') + terminator],
    ['space before the colon', post('Transfer-Encoding : chunked') + terminator],
    [
      'two Transfer-Encoding lines',
      post('Transfer-Encoding: chunked', 'Transfer-Encoding: identity') + chunkedSmuggle,
    ],
    ['a chunk size of 0x5', post('Transfer-Encoding: chunked') + `0x5\r\nhello\r\n${terminator}`],
    [
      'a chunk size over 64 bits',
      post('Transfer-Encoding: chunked') + `fffffffffffffffffff\r\nhello\r\n${terminator}`,
    ],
  ];
  return [
    ...cases.map(([name, raw]) => ({
      kind: 'smuggling' as const,
      name,
      parts: [raw],
      allowed: REFUSED,
    })),
    // An unknown coding before chunked: the balancer's 501 (it cannot decode it), Node's 400.
    {
      kind: 'smuggling',
      name: 'an unknown coding before chunked, on two lines',
      // Framed as chunked either way, so what follows the last chunk would be a pipelined
      // request, not a smuggled one: nothing follows it. Node passes the coding to the app.
      parts: [post('Transfer-Encoding: x.1', 'Transfer-Encoding: chunked') + '0\r\n\r\n'],
      allowed: ['2xx', '4xx', 'unsupported-coding', 'closed'],
    },
    // RFC 9112 wants a 400; the balancer gives one, Node's own parser keeps the first Host.
    {
      kind: 'smuggling',
      name: 'two Host lines',
      parts: [head(['GET /hello HTTP/1.1', 'Host: a', 'Host: b'])],
      allowed: ANSWERED_OR_REFUSED,
    },
  ];
}

function oversized(): BadRequestCase[] {
  const twoMiB = 2 * 1024 * 1024;
  const cases: [string, (string | number)[], readonly RawOutcome[]][] = [
    ['a 64 KiB header', [get('/hello', `X-Big: ${'a'.repeat(65_536)}`)], REFUSED],
    [
      '4000 small headers',
      [get('/hello', ...Array.from({ length: 4000 }, (_, i) => `X-H${i}: ${i}`))],
      REFUSED,
    ],
    ['a 64 KiB URL', [get(`/hello?${'q'.repeat(65_536)}`)], REFUSED],
    // Over the balancer's client.maxBodySize (413); a worker reads it whole (200).
    [
      'a 2 MiB body',
      [post(`Content-Length: ${twoMiB}`, 'Connection: close'), 'x'.repeat(twoMiB)],
      ANSWERED_OR_REFUSED,
    ],
    [
      'a 2 MiB chunked body',
      [
        post('Transfer-Encoding: chunked', 'Connection: close'),
        ...Array.from({ length: 32 }, () => `10000\r\n${'x'.repeat(65_536)}\r\n`),
        '0\r\n\r\n',
      ],
      ANSWERED_OR_REFUSED,
    ],
    ['a Content-Length of 2^64', [post('Content-Length: 18446744073709551616'), 'x'], REFUSED],
  ];
  return cases.map(([name, parts, allowed]) => ({ kind: 'oversized', name, parts, allowed }));
}

function cookies(sample: SessionCookieSample): BadRequestCase[] {
  const { name } = sample;
  const signed = (value: string) => `${name}=${value}; ${name}.sig=${sample.sign(value)}`;
  const cases: [string, string | Buffer][] = [
    ['garbage id, no signature', `${name}=garbage`],
    ['garbage id and signature', `${name}=%zz%; ${name}.sig=%E0%A4%A`],
    ['a real id with a wrong signature', `${name}=${sample.id}; ${name}.sig=${'A'.repeat(27)}`],
    ['a real id signed for another name', `${name}=${sample.id}; ${name}.sig=${sample.sig}x`],
    ['a valid signature on an id that does not exist', signed('doesnotexist0123456789abc')],
    ['a valid signature on a 6 KiB id', signed('i'.repeat(6144))],
    ['a valid signature on a unicode id', Buffer.from(signed('ünïcødé☃🙂'), 'utf8')],
    ['a valid signature on an id with a quote', signed('"quoted"')],
    ['a 12 KiB cookie header', `${name}=${'c'.repeat(12_000)}`],
    ['the cookie twice', `${name}=${sample.id}; ${name}=garbage; ${name}.sig=garbage`],
    ['an empty cookie', `${name}=; ${name}.sig=`],
    ["koa-session's names with garbage", 'koa.sess=garbage; koa.sess.sig=garbage'],
    ['control characters', `${name}=\x01\x02\x7f; ${name}.sig=\x7f`],
  ];
  return cases.map(([caseName, cookie]) => ({
    kind: 'cookie',
    name: caseName,
    parts: [
      Buffer.concat([
        Buffer.from('GET /session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ', 'latin1'),
        typeof cookie === 'string' ? Buffer.from(cookie, 'latin1') : cookie,
        Buffer.from('\r\n\r\n', 'latin1'),
      ]),
    ],
    allowed: ANSWERED_OR_REFUSED,
  }));
}

function methodsAndUrls(): BadRequestCase[] {
  const line = (requestLine: string) => head([requestLine, 'Host: x', 'Connection: close']);
  const refused: [string, string][] = [
    ['an unknown method', line('BREW /hello HTTP/1.1')],
    ['a method with @', line('G@T /hello HTTP/1.1')],
    ['a 300-byte method', line(`${'A'.repeat(300)} /hello HTTP/1.1`)],
    ['CONNECT to another port', line('CONNECT 127.0.0.1:1 HTTP/1.1')],
    ['a space in the target', line('GET /hel lo HTTP/1.1')],
    ['a NUL in the target', line('GET /hello\0 HTTP/1.1')],
    ['HTTP/9.9', line('GET /hello HTTP/9.9')],
    ['a header without a colon', head(['GET /hello HTTP/1.1', 'Host: x', 'Broken header'])],
    ['a space in a header name', head(['GET /hello HTTP/1.1', 'Host: x', 'X Bad: 1'])],
    ['a NUL in a header value', head(['GET /hello HTTP/1.1', 'Host: x', 'X-Bad: a\0b'])],
    // Found by the fuzz (seed 1240130949): repeat(-1) threw, and the app answered 500.
    ['a negative length for /slow', line('GET /slow?bytes=-1 HTTP/1.1')],
    ['a length for /slow that is no number', line('GET /slow?bytes=x HTTP/1.1')],
    ['a TLS ClientHello', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'.padEnd(64, '\x00')],
  ];
  const answeredOrRefused: [string, string][] = [
    ['a lowercase method', line('get /hello HTTP/1.1')],
    ['a bad percent-encoding', line('GET /session/%zz%E0%A4%A?name=%zz HTTP/1.1')],
    ['an absolute-form target', line('GET http://other.example/hello HTTP/1.1')],
    ['an asterisk target for GET', line('GET * HTTP/1.1')],
    ['OPTIONS *', line('OPTIONS * HTTP/1.1')],
    ['dot segments', line('GET /hello/../../../etc/passwd HTTP/1.1')],
    ['TRACE', line('TRACE /hello HTTP/1.1')],
    ['an incr with a bad name', line('POST /session/incr?name=%00%zz HTTP/1.1')],
    ['bare LF line ends', 'GET /hello HTTP/1.1\nHost: x\nConnection: close\n\n'],
    ['HTTP/1.0 without Host', 'GET /hello HTTP/1.0\r\n\r\n'],
    // Both parsers answer these as HTTP/1.1 (llhttp takes any one-digit version, and a request
    // line without one as HTTP/0.9): lenient, not ambiguous, so an answer is right too.
    ['HTTP/2.0 as text', line('GET /hello HTTP/2.0')],
    ['no version (HTTP/0.9)', 'GET /hello\r\n\r\n'],
  ];
  return [
    ...refused.map(([name, raw]) => ({ name, raw, allowed: REFUSED })),
    ...answeredOrRefused.map(([name, raw]) => ({ name, raw, allowed: ANSWERED_OR_REFUSED })),
  ].map(({ name, raw, allowed }) => ({
    kind: 'method-url' as const,
    name,
    parts: [Buffer.from(raw, 'latin1')],
    allowed,
  }));
}

/** Slow clients, given up at `deadline`: longer than any server timeout they must meet. */
function slow(deadline: number): BadRequestCase[] {
  const sending = Math.ceil((deadline * 2) / 200); // a part every 200 ms for twice the deadline
  return [
    {
      kind: 'slow',
      name: 'slowloris (a header line every 200 ms)',
      parts: ['GET /hello HTTP/1.1\r\nHost: x\r\n', ...trickle('X-Slow: 1\r\n', 200, sending)],
      allowed: SLOW_REFUSED,
      deadline,
    },
    {
      kind: 'slow',
      name: 'a slow body (a byte every 200 ms)',
      parts: [post(`Content-Length: ${sending + 1}`), ...trickle('x', 200, sending)],
      allowed: SLOW_REFUSED,
      deadline,
    },
  ];
}

/** Every bad-input case, in the order of the report's classes. */
export function badRequestCases(
  sample: SessionCookieSample,
  { slowDeadline }: { slowDeadline: number },
): BadRequestCase[] {
  return [
    ...smuggling(),
    ...oversized(),
    ...cookies(sample),
    ...methodsAndUrls(),
    ...slow(slowDeadline),
  ];
}
