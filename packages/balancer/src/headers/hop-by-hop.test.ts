import { describe, expect, it } from 'vitest';
import { connectionListed, isHopByHop } from './hop-by-hop.js';

describe('hop-by-hop headers (RFC 9110 §7.6.1)', () => {
  it('are the fixed names, every Proxy-* and each name Connection lists', () => {
    const listed = connectionListed({ connection: 'Keep-Alive, X-Trace-Hop' });
    expect([...listed!]).toEqual(['keep-alive', 'x-trace-hop']);
    const names = ['te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization'];
    for (const name of [...names, 'x-trace-hop']) expect(isHopByHop(name, listed), name).toBe(true);
    expect(isHopByHop('content-type', listed)).toBe(false);
    expect(isHopByHop('x-trace-hop', undefined)).toBe(false);
  });
});
