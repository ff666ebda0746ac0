import { IpcUnknownTypeError } from '../../errors.js';

/** The handler a map lists for `key`: its own property only, never Object.prototype's. */
export function handlerOf<F>(map: { readonly [key: string]: F }, key: string): F | undefined {
  return Object.hasOwn(map, key) && typeof map[key] === 'function' ? map[key] : undefined;
}

/**
 * One function for what `handle(namespace, …)` was given: a catch-all function as it is, or a
 * map of types that answers a type it does not list with KF_IPC_UNKNOWN_TYPE. `Rest` is what a
 * handler gets after the payload (the sender, in the primary).
 */
export function dispatcher<Rest extends unknown[]>(
  namespace: string,
  handlers:
    | ((type: string, payload: unknown, ...rest: Rest) => unknown)
    | { readonly [type: string]: (payload: unknown, ...rest: Rest) => unknown },
): (type: string, payload: unknown, ...rest: Rest) => unknown {
  if (typeof handlers === 'function') return handlers;
  return (type, payload, ...rest) => {
    const handler = handlerOf(handlers, type);
    if (!handler) throw new IpcUnknownTypeError(namespace, type);
    return handler(payload, ...rest);
  };
}
