/** Where the time GitHub asked planecheck to stay away until is kept (the heal log; SQLite in the daemon). */
export interface GithubBackoffStore {
  /** Epoch ms before which no GitHub request may be sent; 0 when there is no stop. */
  githubBackoffUntil(): number;
  /** Records a stop; an earlier time than the one stored never shortens it. */
  stopGithubUntil(until: number): void;
}

/** What the stop is computed from: an answer's status, headers (lower-case names) and message. */
export interface GithubAnswer {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

/**
 * The longest stop planecheck honours. GitHub's own limits reset within an hour; a longer wait comes from a
 * proxy or a broken header (`retry-after: 999999999`) and would stop self-heal for good, since a stored
 * stop is never shortened, not even by a restart.
 */
export const MAX_RATE_LIMIT_STOP_MS = 3_600_000;

/** The stop actually kept for one GitHub asked for: at most `MAX_RATE_LIMIT_STOP_MS` from now. Pure. */
export function capRateLimitStop(until: number, now: number): number {
  return Math.min(until, now + MAX_RATE_LIMIT_STOP_MS);
}

/** GitHub's advice for a secondary rate limit that names no time: wait at least a minute. */
const SECONDARY_FALLBACK_MS = 60_000;

/**
 * Until when (epoch ms) GitHub asked for no more requests, or undefined when the answer asks nothing.
 * Pure. Follows GitHub's REST rules, whatever the message says:
 * - `retry-after` (seconds) on a 403 or 429: wait that long;
 * - `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (epoch seconds): wait until the reset, on any
 *   answer, since the next request would be refused anyway;
 * - a 429, or a 403 saying "secondary rate limit", with neither header: wait a minute.
 * A 403 without any of these is a permission problem, not a rate limit.
 */
export function rateLimitStopUntil(answer: GithubAnswer, now: number): number | undefined {
  const { status, headers } = answer;
  const limitStatus = status === 403 || status === 429;
  const retryAfter = Number(headers['retry-after']);
  if (limitStatus && headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) {
    return now + Math.max(0, retryAfter) * 1000;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset) && reset > 0) {
    // A reset already past (clocks differ) still gets a second: the request that hit it was refused.
    return Math.max(reset * 1000, now + 1000);
  }
  if (status === 429 || (status === 403 && /secondary rate limit/i.test(answer.message))) {
    return now + SECONDARY_FALLBACK_MS;
  }
  return undefined;
}
