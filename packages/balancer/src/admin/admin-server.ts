import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FleetLogger } from '@koa-fleet/contracts';
import { InvalidOptionError, isFleetError } from '@koa-fleet/errors';
import {
  BalancerStateError,
  ConfigFileError,
  FleetCommandError,
  LastBackendError,
  ListenError,
  NoWorkerError,
  ReloadRestartError,
  ReloadUnavailableError,
  UnknownBackendError,
  UnknownFleetError,
} from '../errors.js';
import type { ResolvedAdmin } from './admin-options.js';
import type { AdminTarget } from './admin-target.js';
import type { AdminBackend, AdminErrorBody } from './admin-types.js';
import { DashboardAssets } from '../dashboard/dashboard-assets.js';
import { BearerToken } from './bearer-token.js';
import { EVENT_STREAM_DEFAULTS, EventStream, type EventStreamOptions } from './event-stream.js';
import { readJsonBody } from './json-body.js';

/** Where the admin listener listens, once it does. */
export interface AdminAddress {
  host: string;
  port: number;
  /** `http://host:port`. */
  url: string;
}

const API = '/api/v1/';

type Route = (req: IncomingMessage, res: ServerResponse, id: string | undefined) => Promise<void>;

/**
 * The admin listener, a plain node:http server apart from the balancer's own: the Admin API v1
 * under `/api/v1/` (JSON), its event stream (SSE) and Prometheus `/metrics`. With a token every
 * request must carry it, or gets a 401 that says nothing more.
 */
export class AdminServer {
  readonly #options: ResolvedAdmin;
  readonly #target: AdminTarget;
  readonly #logger: FleetLogger;
  readonly #token: BearerToken | undefined;
  readonly #events: EventStream;
  readonly #server: Server;
  readonly #unsubscribe: () => void;
  readonly #dashboard = new DashboardAssets();
  #address: AdminAddress | undefined;

  constructor(
    options: ResolvedAdmin,
    target: AdminTarget,
    logger: FleetLogger,
    events: Partial<EventStreamOptions> = {},
  ) {
    this.#options = options;
    this.#target = target;
    this.#logger = logger;
    this.#token = options.token === undefined ? undefined : new BearerToken(options.token);
    this.#events = new EventStream(
      async () => ({ backends: await target.list(), at: new Date().toISOString() }),
      { ...EVENT_STREAM_DEFAULTS, ...events },
    );
    this.#unsubscribe = target.subscribe((event) => this.#events.publish(event));
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  get address(): AdminAddress | undefined {
    return this.#address;
  }

  async listen(): Promise<AdminAddress> {
    const { port, host } = this.#options;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(
          new ListenError(`${host}:${port} (admin)`, error.code ?? error.message, { cause: error }),
        );
      this.#server.once('error', failed);
      this.#server.listen(port, host, () => {
        this.#server.off('error', failed);
        resolve();
      });
    });
    const bound = (this.#server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    this.#address = { host, port: bound, url: `http://${urlHost}:${bound}` };
    return this.#address;
  }

  /** Stops listening, ends the event streams and closes every admin connection. */
  async close(): Promise<void> {
    this.#unsubscribe();
    this.#events.close();
    if (!this.#server.listening) return;
    const closed = new Promise((resolve) => this.#server.close(resolve));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://admin');
      if (this.#dashboard.has(pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
        return await this.#dashboard.send(pathname, res, req.method === 'HEAD');
      }
      if (this.#token && !this.#token.accepts(req.headers.authorization)) {
        res.setHeader('www-authenticate', 'Bearer');
        return send(res, 401, error('unauthorized', 'unauthorized'));
      }
      if (pathname === '/metrics') return await this.#only(req, res, { GET: this.#metrics });
      if (!pathname.startsWith(API)) return notFound(res);
      const [resource, id, action, ...more] = pathname.slice(API.length).split('/');
      if (resource === 'fleets') return await this.#fleetRoute(req, res, id, action, more);
      if (more.length > 0) return notFound(res);
      if (resource === 'info' && id === undefined) {
        return await this.#only(req, res, { GET: this.#info });
      }
      if (resource === 'events' && id === undefined) {
        return await this.#only(req, res, { GET: this.#subscribe });
      }
      if (resource === 'reload' && id === undefined) {
        return await this.#only(req, res, { POST: this.#reload });
      }
      if (resource !== 'backends') return notFound(res);
      if (id === undefined || id === '') {
        return await this.#only(req, res, { GET: this.#list, POST: this.#add });
      }
      const routes: Record<string, Partial<Record<string, Route>>> = {
        '': { GET: this.#one, DELETE: this.#remove },
        drain: { POST: this.#drain },
        undrain: { POST: this.#undrain },
        weight: { PUT: this.#weight },
      };
      const methods = routes[action ?? ''];
      if (!methods) return notFound(res);
      await this.#only(req, res, methods, decodeId(id));
    } catch (thrown) {
      this.#fail(res, thrown);
    }
  }

  /** The route for the request's method, or 405 with the methods there are. */
  async #only(
    req: IncomingMessage,
    res: ServerResponse,
    methods: Partial<Record<string, Route>>,
    id?: string,
  ): Promise<void> {
    const route = methods[req.method ?? 'GET'];
    if (!route) {
      res.setHeader('allow', Object.keys(methods).join(', '));
      return send(res, 405, error('method_not_allowed', `${req.method} is not allowed here`));
    }
    await route(req, res, id);
  }

  #info: Route = async (_req, res) => send(res, 200, await this.#target.info());

  #list: Route = async (_req, res) => send(res, 200, { backends: await this.#target.list() });

  #one: Route = async (_req, res, id) => {
    const url = normalised(id!);
    const found = (await this.#target.list()).find((backend) => backend.url === url);
    if (!found) throw new UnknownBackendError(id!);
    send(res, 200, found);
  };

  #add: Route = async (req, res) => {
    const added = await this.#target.add(await readJsonBody(req));
    res.setHeader('location', `${API}backends/${added.id}`);
    send(res, 201, added);
  };

  #remove: Route = async (_req, res, id) => send(res, 200, await this.#target.remove(id!));

  #drain: Route = async (_req, res, id) => send(res, 200, await this.#target.drain(id!));

  #undrain: Route = async (_req, res, id) => send(res, 200, await this.#target.undrain(id!));

  #weight: Route = async (req, res, id) => {
    const body = await readJsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidOptionError('body', 'an object such as { "weight": 3 }', body);
    }
    send(res, 200, await this.#target.setWeight(id!, (body as { weight?: unknown }).weight));
  };

  #reload: Route = async (_req, res) => send(res, 200, await this.#target.reload());

  /**
   * `/api/v1/fleets[/:id[/reload | /workers/:slot/restart]]`: the followed fleets, and the
   * commands forwarded to a fleet's control socket (answered once the fleet has done them).
   */
  async #fleetRoute(
    req: IncomingMessage,
    res: ServerResponse,
    id: string | undefined,
    action: string | undefined,
    more: string[],
  ): Promise<void> {
    const fleets = this.#target.fleets;
    if (id === undefined || id === '') {
      return this.#only(req, res, {
        GET: async () => send(res, 200, { fleets: (await fleets?.list()) ?? [] }),
      });
    }
    const known = () => {
      if (!fleets) throw new UnknownFleetError(id);
      return fleets;
    };
    if (action === undefined && more.length === 0) {
      return this.#only(req, res, { GET: async () => send(res, 200, await known().one(id)) });
    }
    if (action === 'reload' && more.length === 0) {
      return this.#only(req, res, { POST: async () => send(res, 200, await known().reload(id)) });
    }
    if (action === 'workers' && more.length === 2 && more[1] === 'restart') {
      return this.#only(req, res, {
        POST: async () => send(res, 200, await known().restartWorker(id, more[0])),
      });
    }
    notFound(res);
  }

  #subscribe: Route = async (req, res) => {
    const lastEventId = req.headers['last-event-id'];
    this.#events.subscribe(res, typeof lastEventId === 'string' ? lastEventId : undefined);
  };

  #metrics: Route = async (_req, res) => {
    const { contentType, text } = await this.#target.metrics();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(text);
  };

  #fail(res: ServerResponse, thrown: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (thrown instanceof InvalidOptionError) {
      const { code, message, option } = thrown;
      return send(res, 400, { ...error('bad_request', message, code), option });
    }
    if (thrown instanceof ConfigFileError) {
      return send(res, 400, error('bad_request', thrown.message, thrown.code));
    }
    if (thrown instanceof ReloadRestartError) {
      const { code, message, option } = thrown;
      return send(res, 409, { ...error('conflict', message, code), option });
    }
    if (thrown instanceof UnknownBackendError || thrown instanceof UnknownFleetError) {
      return send(res, 404, error('not_found', thrown.message, thrown.code));
    }
    if (
      thrown instanceof LastBackendError ||
      thrown instanceof BalancerStateError ||
      thrown instanceof ReloadUnavailableError
    ) {
      return send(res, 409, error('conflict', thrown.message, thrown.code));
    }
    if (thrown instanceof NoWorkerError || thrown instanceof FleetCommandError) {
      return send(res, 503, error('unavailable', thrown.message, thrown.code));
    }
    const fields = isFleetError(thrown) ? { code: thrown.code } : { err: thrown };
    this.#logger.error(fields, 'the admin API failed to answer');
    send(res, 500, error('internal', 'the request failed; see the balancer log'));
  }
}

function error(kind: AdminErrorBody['error'], message: string, code?: string): AdminErrorBody {
  return code === undefined ? { error: kind, message } : { error: kind, message, code };
}

function notFound(res: ServerResponse): void {
  send(res, 404, error('not_found', 'no such resource in the admin API v1'));
}

function send(res: ServerResponse, status: number, body: object | AdminBackend[]): void {
  const text = `${JSON.stringify(body)}\n`; // a line of its own in a terminal (curl)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** `:id` is the backend's URL, URL-encoded; one that does not decode names no backend. */
function decodeId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    throw new UnknownBackendError(id);
  }
}

/** A URL as the balancer keeps it (an origin), or the text itself when it is not one. */
export function normalised(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
