import { IPC_ERROR_CODES, isIpcError } from '@koa-fleet/contracts';
import { describe, expect, it } from 'vitest';
import {
  IpcClosedError,
  IpcNoHandlerError,
  IpcRemoteError,
  IpcTimeoutError,
  IpcUnknownTypeError,
} from './errors.js';

// Other packages match IPC failures by the codes in @koa-fleet/contracts, never by importing
// these classes: the two lists must say the same.
describe('the IPC errors carry the codes the contracts publish', () => {
  it('gives each error class its contract code', () => {
    const codes = {
      timeout: new IpcTimeoutError('ns', 'get', 10).code,
      noHandler: new IpcNoHandlerError('ns').code,
      unknownType: new IpcUnknownTypeError('ns', 'get').code,
      remote: new IpcRemoteError('boom').code,
      closed: new IpcClosedError('ns', 'get').code,
    };
    expect(codes).toEqual(IPC_ERROR_CODES);
    expect(isIpcError(new IpcNoHandlerError('ns'), IPC_ERROR_CODES.noHandler)).toBe(true);
  });
});
