export { FleetError, isFleetError } from './fleet-error.js';
export type { FleetErrorCode } from './fleet-error.js';
export { InvalidOptionError } from './invalid-option-error.js';
export {
  checkBoolean,
  checkBytes,
  checkDuration,
  checkFunction,
  checkInteger,
  checkKnownKeys,
  checkMethods,
  checkNumber,
  checkOneOf,
  checkPort,
  checkString,
} from './option-checks.js';
export type { IntegerBounds } from './option-checks.js';
export { parseBytes, parseDuration } from './units.js';
