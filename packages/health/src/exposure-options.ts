import { checkBoolean, checkOneOf, checkString, InvalidOptionError } from '@koa-fleet/errors';

const EXPOSE_DETAILS = ['loopback', 'token', 'always', 'never'] as const;

export type ExposeDetails = (typeof EXPOSE_DETAILS)[number];

/** The options that decide who sees check outputs; the values are checked here. */
export interface ExposureInput {
  exposeDetails?: unknown;
  token?: unknown;
  trustProxy?: unknown;
}

export interface ResolvedExposureOptions {
  exposeDetails: ExposeDetails;
  token: string | undefined;
  trustProxy: boolean;
}

/** Details go to loopback callers (or token holders) by default; 'token' needs a token to match. */
export function resolveExposureOptions(input: ExposureInput): ResolvedExposureOptions {
  const exposeDetails = checkOneOf(
    'exposeDetails',
    input.exposeDetails ?? 'loopback',
    EXPOSE_DETAILS,
  );
  const token = input.token === undefined ? undefined : checkString('token', input.token);
  if (exposeDetails === 'token' && token === undefined) {
    throw new InvalidOptionError(
      'token',
      'a non-empty string when exposeDetails is "token"',
      token,
    );
  }
  return {
    exposeDetails,
    token,
    trustProxy: checkBoolean('trustProxy', input.trustProxy ?? false),
  };
}
