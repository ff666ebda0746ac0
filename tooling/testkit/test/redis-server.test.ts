import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../src/index.js';

describe('startRedis', () => {
  const servers: RedisServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  it('serves commands on a loopback port and restarts on the same port after a crash', async () => {
    const redis = await startRedis();
    servers.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    client.on('error', () => {}); // the crash below makes the client report errors by design
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');

      await redis.kill();
      await expect(client.ping()).rejects.toThrow();

      await redis.restart();
      // The same client reconnects to the same port; nothing was persisted.
      await expect
        .poll(() => client.ping().catch(() => 'down'), { timeout: 30_000, interval: 100 })
        .toBe('PONG');
      expect(await client.get('k')).toBeNull();
    } finally {
      client.disconnect();
    }
  });

  it('with durable, keeps every acknowledged write across a kill -9 and restart', async () => {
    const redis = await startRedis({ durable: true });
    servers.push(redis);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    client.on('error', () => {}); // the crash below makes the client report errors by design
    try {
      const keys = Array.from({ length: 50 }, (_, index) => `durable-${index}`);
      for (const key of keys) await client.set(key, key);
      await client.incrby('counter', 7);
      await redis.kill('SIGKILL');
      await redis.restart();
      await expect
        .poll(() => client.ping().catch(() => 'down'), { timeout: 30_000, interval: 100 })
        .toBe('PONG');
      expect(await client.mget(keys)).toEqual(keys);
      expect(await client.get('counter')).toBe('7');
    } finally {
      client.disconnect();
    }
  });

  it('listens on the address given and nowhere else', async () => {
    // 127.0.0.2 is this machine's too (all of 127/8 is loopback), but not 127.0.0.1.
    const redis = await startRedis({ host: '127.0.0.2' });
    servers.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.2:${redis.port}`);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    const elsewhere = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: redis.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(elsewhere).toBe('ECONNREFUSED');
  });

  it('rejects a host that is not an IPv4 address, naming the option', async () => {
    await expect(startRedis({ host: 'redis.example' })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"host"'),
    });
  });

  it('stops idempotently', async () => {
    const redis = await startRedis();
    await redis.stop();
    await redis.stop();
    const client = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow();
  });

  it('says how to install redis-server when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startRedis()).rejects.toMatchObject({
        code: 'KF_TESTKIT_MISSING_BINARY',
        message:
          'redis-server not found: install it with `apt-get install -y redis-server` (or run scripts/bootstrap.sh)',
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it('rejects a durable that is not a boolean naming the option', async () => {
    await expect(startRedis({ durable: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"durable"'),
    });
  });

  it('rejects non-string args naming the option', async () => {
    await expect(startRedis({ args: [42 as unknown as string] })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"args"'),
    });
  });
});
