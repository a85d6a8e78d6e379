import { readFileSync } from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from 'octokit';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';

export type GithubConfig = NonNullable<Config['github']>;
export type GithubClient = Octokit;

export interface GithubClientOptions {
  log: Logger;
  /** Mint a new installation token once the cached one has less than this left (GitHub's last 1 h). */
  tokenRefreshMarginMs?: number;
  /** How often a rate-limited request is retried after waiting what GitHub asked for. */
  rateLimitRetries?: number;
  /** Deadline of one HTTP request to GitHub. */
  requestTimeoutMs?: number;
  /** Shutdown: aborts every request in flight and every later one (retries included), so none is sent after it. */
  signal?: AbortSignal;
}

/** Client errors worth no retry: bad credentials, no permission, bad request. 429 goes to the throttler. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * The one place that builds the GitHub client: token or GitHub App auth, GitHub Enterprise Server through
 * `apiUrl`, octokit's retry (5xx, network) and throttling (403/429 rate limits, waiting for `retry-after`
 * or `x-ratelimit-reset`) plugins, and a deadline on every request.
 */
export function createGithubClient(config: GithubConfig, options: GithubClientOptions): GithubClient {
  const { log } = options;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _: unknown, retryCount: number) => {
      const retry = retryCount < rateLimitRetries;
      log.warn('GitHub rate limit', {
        kind,
        retryAfterSeconds: retryAfter,
        request: `${request.method} ${request.url}`,
        retry,
      });
      return retry;
    };
  const common = {
    baseUrl: config.apiUrl,
    userAgent: 'planecheck',
    retry: { doNotRetry: DO_NOT_RETRY },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    request: { fetch: fetchWithDeadline(requestTimeoutMs), signal: options.signal },
  };
  if (config.token !== undefined) return new Octokit({ ...common, auth: config.token });

  const app = config.app;
  if (app === undefined) throw new Error('github: set token or app');
  const privateKey = app.privateKey ?? readFileSync(app.privateKeyPath ?? '', 'utf8');
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: Number(app.appId),
      privateKey,
      installationId: Number(app.installationId),
      cache: expiryAwareCache(options.tokenRefreshMarginMs ?? 5 * 60_000),
    },
  });
}

/**
 * auth-app keeps installation tokens for a fixed 59 minutes whatever their `expires_at`; this cache
 * hands a token out only while it has more than `marginMs` left, so a fresh one is minted before expiry.
 */
function expiryAwareCache(marginMs: number) {
  const entries = new Map<string, string>();
  return {
    get(key: string): string | undefined {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      // Stored as token|createdAt|expiresAt|...
      const expiresAt = Date.parse(value.split('|')[2] ?? '');
      if (!Number.isFinite(expiresAt) || expiresAt - Date.now() <= marginMs) {
        entries.delete(key);
        return undefined;
      }
      return value;
    },
    set(key: string, value: string): void {
      entries.set(key, value);
    },
  };
}

/** fetch with a deadline, also when the caller brought a signal of its own (shutdown). */
function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}
