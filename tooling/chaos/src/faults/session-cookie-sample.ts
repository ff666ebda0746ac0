import { createHmac } from 'node:crypto';
import { httpRequest, StartupError } from '@koa-fleet/testkit';

/** The system app's `app.keys[0]` (fixtures/system-app.mjs): what signs its session cookies. */
export const SYSTEM_APP_KEY = 'koa-fleet-chaos-suite';

/** A real session's cookie, and a signer for forged ones that carry a valid signature. */
export interface SessionCookieSample {
  /** The cookie's name, e.g. `kf.sid`; its signature is `<name>.sig`. */
  name: string;
  id: string;
  sig: string;
  /** The field the real session holds: a forged cookie must never read it. */
  field: { name: string; value: string };
  sign(value: string): string;
}

/** Creates a session through `url` (one field set) and returns its cookie. */
export async function sessionCookieSample(url: string): Promise<SessionCookieSample> {
  const field = { name: 'owner', value: 'the-real-session' };
  const reply = await httpRequest(`${url}/session/field?name=${field.name}&value=${field.value}`, {
    method: 'POST',
  });
  const pairs = reply.setCookies.map((line) => line.split(';')[0]!.split('='));
  const sigPair = pairs.find(([cookieName]) => cookieName!.endsWith('.sig'));
  const idPair = pairs.find(([cookieName]) => `${cookieName}.sig` === sigPair?.[0]);
  if (reply.status !== 200 || !idPair || !sigPair) {
    throw new StartupError(
      `no signed session cookie from ${url}: ${reply.status} ${reply.setCookies}`,
    );
  }
  const name = idPair[0]!;
  return {
    name,
    id: idPair[1]!,
    sig: sigPair[1]!,
    field,
    sign: (value) =>
      createHmac('sha1', SYSTEM_APP_KEY).update(`${name}=${value}`).digest('base64url'),
  };
}
