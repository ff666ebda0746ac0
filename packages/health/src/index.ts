// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
