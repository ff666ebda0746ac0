import type { Cluster, Redis } from 'ioredis';
import { SessionBackendError } from '../errors.js';
import type {
  AtomicCommand,
  AtomicOutcome,
  SessionBackend,
  StoredFields,
  WriteCommand,
  WriteOutcome,
} from './backend.js';
import { LuaScript } from './lua-script.js';
import { ATOMIC_SCRIPT, WRITE_SCRIPT } from './redis-scripts.js';
import { WriteBatcher, type BatchedWrite, type ScriptReply } from './write-batcher.js';

const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);
const writeScript = new LuaScript(WRITE_SCRIPT);
const atomicScript = new LuaScript(ATOMIC_SCRIPT);

/** One Redis hash per session, `{prefix}{<id>}`: the braces keep it on one Cluster slot. */
export class RedisBackend implements SessionBackend {
  readonly kind = 'redis';
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  /** Standalone and Sentinel only: on a Cluster the keys of one call must share a slot. */
  readonly #batcher: WriteBatcher | undefined;

  constructor(client: Redis | Cluster, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
    if (!client.isCluster) {
      const standalone = client as Redis;
      this.#batcher = new WriteBatcher((writes) => {
        const [keys, argv] = callArguments(writes);
        return writeScript.sendAlone(standalone, keys, argv) as Promise<ScriptReply[]>;
      });
    }
  }

  key(id: string): string {
    return `${this.#prefix}{${id}}`;
  }

  async read(id: string): Promise<StoredFields | null> {
    const fields = await this.#client.hgetall(this.key(id));
    return Object.keys(fields).length > 0 ? fields : null;
  }

  async write(id: string, command: WriteCommand): Promise<WriteOutcome> {
    // This key's ARGV section of WRITE_SCRIPT.
    const set = Object.entries(command.set);
    const expect = command.expect ?? [];
    const args = [
      command.mustExist ? '1' : '0',
      String(command.ttlMs),
      String(set.length),
      String(command.del.length),
      String(expect.length),
    ];
    for (const [field, value] of set) args.push(field, value);
    for (const field of command.del) args.push(field);
    for (const [field, value] of expect) args.push(field, value === null ? '0' : '1', value ?? '');
    const key = this.key(id);
    const reply = this.#batcher
      ? await this.#batcher.write(key, args)
      : ((await writeScript.call(this.#client, [key], args)) as ScriptReply[])[0]!;
    if (reply === 'ok' || reply === 'gone') return { status: reply };
    if (typeof reply !== 'string' && reply[0] === 'conflict') {
      return { status: 'conflict', fields: reply.slice(1).filter((f): f is string => f !== null) };
    }
    throw new WriteReplyError(typeof reply === 'string' ? reply : String(reply[1] ?? reply[0]));
  }

  async destroy(id: string): Promise<void> {
    await this.#client.del(this.key(id));
  }

  async atomic(id: string, command: AtomicCommand): Promise<AtomicOutcome> {
    const [status, value] = (await atomicScript.call(
      this.#client,
      [this.key(id)],
      [
        command.kind,
        command.field,
        command.value,
        command.mustExist ? '1' : '0',
        String(command.ttlMs),
      ],
    )) as Array<string | null>;
    if (status === 'ok' && typeof value === 'string') return { status, value };
    if (status === 'gone') return { status };
    return { status: 'wrong-type' };
  }

  async ping(): Promise<void> {
    const client = this.#client;
    if (!client.isCluster) {
      await (client as Redis).ping();
      return;
    }
    // A session lives on any master: ping every connected one, and count them against the
    // masters the cluster itself lists. ioredis drops a dead node from nodes() and adds it back
    // only on a slots refresh, which it runs when a command meets a MOVED reply: without
    // traffic to that master, readiness would stay red after it returned. So a short count
    // asks for one refresh before it counts again. A node known to be disconnected does not
    // count (one not connected yet — ioredis connects lazily — is pinged and so connected).
    const cluster = client as Cluster;
    const ranges = await cluster.cluster('SLOTS');
    const listed = new Set(ranges.map(([, , master]) => `${master?.[0]}:${master?.[1]}`)).size;
    if (reachableMasters(cluster).length < listed) await refreshSlots(cluster);
    const reachable = reachableMasters(cluster);
    await Promise.all(reachable.map((node) => node.ping()));
    if (reachable.length < listed) {
      throw new SessionBackendError(
        `only ${reachable.length} of ${listed} Redis Cluster masters are reachable`,
      );
    }
  }
}

function reachableMasters(cluster: Cluster): Redis[] {
  return cluster.nodes('master').filter((node) => !DISCONNECTED.has(node.status));
}

function refreshSlots(cluster: Cluster): Promise<void> {
  return new Promise((resolve, reject) => {
    cluster.refreshSlotsCache((error) => (error ? reject(error) : resolve()));
  });
}

/**
 * The write script's error for one key (e.g. WRONGTYPE: the key holds no hash), named as
 * ioredis names a Redis error reply so it is classified the same: a command error, not an outage.
 */
class WriteReplyError extends Error {
  override name = 'ReplyError';
}

/** The keys and ARGV of one write-script call: each write's key, then each one's section. */
function callArguments(writes: readonly BatchedWrite[]): [string[], string[]] {
  const keys: string[] = [];
  const argv: string[] = [];
  for (const write of writes) {
    keys.push(write.key);
    for (const arg of write.args) argv.push(arg);
  }
  return [keys, argv];
}
