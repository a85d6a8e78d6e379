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

/**
 * Who a request is, for the audit trail: the basic-auth user name (`api:alice`), `api:bearer` for the
 * bearer token, or `api:loopback` when no auth is configured (changes are then taken only on loopback).
 * Call only for an authorized request.
 */
export function actorOf(auth: ServerAuth | undefined): string {
  if (auth === undefined) return 'api:loopback';
  if ('bearerToken' in auth) return 'api:bearer';
  return `api:${auth.username}`;
}

/** Whether `host:port` (server.listen) is on a loopback address: only this machine can reach it. */
export function listensOnLoopback(address: string): boolean {
  const host = address
    .slice(0, address.lastIndexOf(':'))
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
