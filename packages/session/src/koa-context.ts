import type { Session } from './session-object.js';

// `ctx.session` typed for TypeScript users (Koa's own context types have it as `any`): what
// session() — and koa-session with one of these stores — puts there. Needs @types/koa, as any
// typed Koa app does. ExtendableContext is part of every context type Koa hands a middleware.
//
// A plain property of a type declared inside the augmentation, so that two copies of these
// declarations (this package's sources next to its build in its own tests, or two installed
// versions) merge instead of clashing: accessors, or a property typed with each copy's own
// class, may be declared only once.
declare module 'koa' {
  interface ExtendableContext {
    /**
     * The request's session; `null` once the route set `ctx.session = null` (destroyed). Setting
     * an object replaces the fields; TypeScript wants it cast (`{ … } as unknown as Session`), as
     * a property has one type for reading and writing.
     */
    session: KoaFleetSession | null;
  }

  /** `ctx.session` of @koa-fleet/session: its `Session`. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a name that merges
  interface KoaFleetSession extends Session {}
}
