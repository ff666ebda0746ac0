import { engineDuration } from './engine-units.js';
import type { ExportInput } from './export-options.js';
import type { ExportNotes } from './export-notes.js';

/** How one engine names the things the notes both engines share talk about. */
export interface EngineTerms {
  engine: 'nginx' | 'HAProxy';
  /** The one timeout that bounds a backend's silence, for headers and body alike. */
  readTimeout: string;
  /** What takes a draining backend out instead of the drain signal. */
  drainedBy: string;
}

/** The virtual nodes per unit of weight both engines' consistent hashes use, as the balancer's default. */
const ENGINE_VIRTUAL_NODES = 160;

/** Differences that hold for nginx and HAProxy alike. */
export function addCommonNotes(input: ExportInput, notes: ExportNotes, terms: EngineTerms): void {
  const { balancer } = input;
  const { engine, readTimeout } = terms;
  notes.add(
    `${engine} does not read the drain signal (answers with Fleet-Draining: 1): a draining ` +
      `backend stays in rotation until ${terms.drainedBy}.`,
  );
  notes.add(
    `Error answers are ${engine}'s own pages, not koa-fleet's short JSON or text bodies ` +
      `with the request id.`,
  );
  const { strategy } = balancer;
  if (strategy.name === 'hash') {
    notes.add(
      `A hash key lands on another backend than koa-fleet's ring puts it on (another hash ` +
        `function); keys spread by weight alike and move as little when a backend leaves.`,
    );
    if (strategy.virtualNodes !== ENGINE_VIRTUAL_NODES) {
      notes.add(
        `strategy.virtualNodes (${strategy.virtualNodes}) is not configurable in ${engine} ` +
          `(it places ${ENGINE_VIRTUAL_NODES} points per unit of weight): left out.`,
      );
    }
    if (strategy.key.from === 'ip' && balancer.forwarding.trust.trusted !== false) {
      notes.add(
        `The ip hash is on the address the connection comes from, not on the client address ` +
          `a trusted hop (trustProxy) names in X-Forwarded-For.`,
      );
    }
  }
  const { headersMs, idleMs, totalMs } = balancer.timeouts;
  if (headersMs !== idleMs) {
    notes.add(
      `${readTimeout} is one timeout for both timeouts.headers (${engineDuration(headersMs)}) ` +
        `and timeouts.idle (${engineDuration(idleMs)}): set to the larger.`,
    );
  }
  if (totalMs > 0) {
    notes.add(
      `timeouts.total (${engineDuration(totalMs)}, the whole exchange with its retries) has no ` +
        `${engine} counterpart: left out.`,
    );
  }
  notes.add(
    `A WebSocket (upgraded) connection is closed after ${readTimeout} ` +
      `(${engineDuration(Math.max(headersMs, idleMs))}) without traffic; koa-fleet's tunnels ` +
      `have no idle timeout.`,
  );
  const { logging } = balancer;
  if (logging.logger !== undefined || logging.level !== 'info') {
    notes.add(`logger and logLevel are koa-fleet's own: ${engine} logs as its own settings say.`);
  }
}
