import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/schema.js';

export type ServerAuth = NonNullable<Config['server']['auth']>;

/** Compares digests, so the comparison takes the same time whatever the input's length or content. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Whether an Authorization header satisfies the configured bearer token or basic credentials. */
export function isAuthorized(header: string | undefined, auth: ServerAuth | undefined): boolean {
  if (auth === undefined) return true;
  if (header === undefined) return false;
  if ('bearerToken' in auth) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return sameSecret(match?.[1] ?? '', auth.bearerToken);
  }
  const match = /^Basic\s+(.+)$/i.exec(header);
  const decoded = Buffer.from(match?.[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  // Both compared, always, so a wrong user name takes as long as a wrong password.
  const userOk = sameSecret(user, auth.username);
  const passwordOk = sameSecret(password, auth.password);
  return userOk && passwordOk;
}

export function challenge(auth: ServerAuth): string {
  return 'bearerToken' in auth ? 'Bearer realm="planecheck"' : 'Basic realm="planecheck", charset="UTF-8"';
}
