import type { SeededRandom } from './seeded-random.js';

// Valid requests to the system app, the starting points of the mutations: a mutated valid
// request reaches deeper into a parser than noise, which the first byte already refutes.
const TEMPLATES: readonly string[] = [
  'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world',
  'POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
  'GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: kf.sid=abc; kf.sid.sig=def\r\n\r\n',
  'POST /session/incr?name=visits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n',
  'GET /slow?bytes=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
  'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n',
];

// Pieces that break framing rules, spliced in by the `insert` mutation.
const NASTY: readonly string[] = [
  '\r\n',
  '\n',
  '\r',
  '\0',
  ' ',
  '\t',
  ':',
  '\r\n ',
  '\r\nContent-Length: 5',
  '\r\nContent-Length: -1',
  '\r\nTransfer-Encoding: chunked',
  '\r\nTransfer-Encoding: gzip',
  '\r\nHost: other',
  '\r\nExpect: 100-continue',
  '\r\nConnection: upgrade\r\nUpgrade: websocket',
  '%',
  '%zz',
  '\u00ff',
  'ffffffffffffffff',
  'HTTP/1.1',
];

type Mutation = (bytes: Buffer, random: SeededRandom) => Buffer;

const at = (bytes: Buffer, random: SeededRandom) => random.int(bytes.length + 1);

const MUTATIONS: readonly Mutation[] = [
  // one byte flipped
  (bytes, random) => {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[random.int(copy.length)] = random.int(256);
    return copy;
  },
  // a nasty piece inserted
  (bytes, random) => {
    const i = at(bytes, random);
    return Buffer.concat([
      bytes.subarray(0, i),
      Buffer.from(random.pick(NASTY), 'latin1'),
      bytes.subarray(i),
    ]);
  },
  // a range deleted
  (bytes, random) => {
    const i = at(bytes, random);
    return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1 + random.int(16))]);
  },
  // a range repeated
  (bytes, random) => {
    const i = at(bytes, random);
    const range = bytes.subarray(i, i + 1 + random.int(32));
    return Buffer.concat([bytes.subarray(0, i), range, range, bytes.subarray(i)]);
  },
  // random bytes inserted
  (bytes, random) => {
    const i = at(bytes, random);
    const noise = Buffer.from(Array.from({ length: 1 + random.int(8) }, () => random.int(256)));
    return Buffer.concat([bytes.subarray(0, i), noise, bytes.subarray(i)]);
  },
  // truncated
  (bytes, random) => bytes.subarray(0, at(bytes, random)),
  // a digit made huge (lengths, chunk sizes)
  (bytes, random) => {
    const text = bytes.toString('latin1');
    const digits = [...text.matchAll(/\d+/g)];
    if (digits.length === 0) return bytes;
    const match = random.pick(digits);
    const big = random.pick(['99999999999999999999', '-1', '0x10', '1e3', '']);
    return Buffer.from(
      text.slice(0, match.index) + big + text.slice(match.index + match[0].length),
      'latin1',
    );
  },
];

/** One fuzz request: the bytes, and how they were made (to name it when it finds something). */
export interface FuzzRequest {
  bytes: Buffer;
  template: number;
  mutations: number[];
}

/** A valid request with 1–4 seeded mutations; one in ten is pure noise. */
export function fuzzRequest(random: SeededRandom): FuzzRequest {
  if (random.int(10) === 0) {
    const noise = Buffer.from(Array.from({ length: 1 + random.int(200) }, () => random.int(256)));
    return { bytes: noise, template: -1, mutations: [] };
  }
  const template = random.int(TEMPLATES.length);
  let bytes: Buffer = Buffer.from(TEMPLATES[template]!, 'latin1');
  const mutations = Array.from({ length: 1 + random.int(4) }, () => random.int(MUTATIONS.length));
  for (const mutation of mutations) bytes = MUTATIONS[mutation]!(bytes, random);
  return { bytes, template, mutations };
}
