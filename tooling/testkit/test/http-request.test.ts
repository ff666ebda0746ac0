import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/index.js';

describe('httpRequest', () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, body, connection: req.headers.connection }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the method and body on a fresh connection and collects the reply', async () => {
    const reply = await httpRequest(url, { method: 'POST', body: 'hello' });
    expect(reply.status).toBe(200);
    expect(reply.setCookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(reply.json()).toEqual({ method: 'POST', body: 'hello', connection: 'close' });
  });

  it('refuses any address but loopback', async () => {
    await expect(httpRequest('http://192.0.2.1/')).rejects.toThrow(/loopback URL/);
  });
});
