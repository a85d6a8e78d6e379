import { readFileSync } from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from 'octokit';
import type { Config } from '../config/schema.js';
import { getErrorMessage, type Logger } from '../log/logger.js';
import { GithubBackoffError } from './github-error.js';
import {
  capRateLimitStop,
  rateLimitStopUntil,
  type GithubAnswer,
  type GithubBackoffStore,
} from './rate-limit-stop.js';

export type GithubConfig = NonNullable<Config['github']>;
export type GithubClient = Octokit;

export interface GithubClientOptions {
  log: Logger;
  /** Where a rate-limit stop is kept, so that it holds across attempts and restarts. */
  backoff: GithubBackoffStore;
  /** Mint a new installation token once the cached one has less than this left (GitHub's last 1 h). */
  tokenRefreshMarginMs?: number;
  /** Deadline of one HTTP request to GitHub. */
  requestTimeoutMs?: number;
  now?: () => number;
  /** Shutdown: aborts every request in flight and every later one (retries included), so none is sent after it. */
  signal?: AbortSignal;
}

/** Client errors worth no retry: bad credentials, no permission, bad request, rate limits (the gate's). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * The one place that builds the GitHub client: token or GitHub App auth, GitHub Enterprise Server through
 * `apiUrl`, octokit's retry plugin (5xx and network errors; never the dispatch, see `dispatchWorkflow`), a
 * deadline on every request, and the rate-limit gate (`gateOnRateLimits`). octokit's throttling plugin
 * still paces requests, but never waits out a rate limit inside a request: the gate holds every call.
 */
export function createGithubClient(config: GithubConfig, options: GithubClientOptions): GithubClient {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const common = {
    baseUrl: config.apiUrl,
    userAgent: 'planecheck',
    // One retry of a read after a 5xx or a dropped connection, after octokit's 1 s wait: the healer's own
    // polling retries later anyway, and a longer wait (octokit's default: 1, 4 and 9 s) is a timer that
    // shutdown cannot cancel.
    retry: { doNotRetry: DO_NOT_RETRY, retries: 1 },
    throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false },
    request: { fetch: clientFetch(), signal: options.signal },
  };
  const client = gateOnRateLimits(buildClient(config, common, options), options);
  sendReportingFetches.set(client, clientFetch);
  return client;

  function clientFetch(onSend?: () => void): typeof fetch {
    return fetchUnlessStopped(fetchWithDeadline(requestTimeoutMs, onSend), options.backoff, now);
  }
}

const sendReportingFetches = new WeakMap<GithubClient, (onSend: () => void) => typeof fetch>();

/**
 * The client's own fetch, calling `onSend` when a request really goes out: not while it waits in octokit's
 * queue, nor when the rate-limit stop or shutdown ends it there. For one request: `request: { fetch }`.
 */
export function fetchReportingSend(github: GithubClient, onSend: () => void): typeof fetch | undefined {
  return sendReportingFetches.get(github)?.(onSend);
}

function buildClient(
  config: GithubConfig,
  common: ConstructorParameters<typeof Octokit>[0],
  options: GithubClientOptions,
): Octokit {
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
 * Once GitHub asks for a pause (403/429 with `retry-after`, or `x-ratelimit-remaining: 0` with
 * `x-ratelimit-reset`, whatever the message), no request of any kind leaves this client until then:
 * dispatches, run polling, run listing and token minting all fail at once with `rate_limited`. The stop
 * is kept in `options.backoff` (the database), so neither a new attempt nor a restart ends it early.
 * Registered last, so it wraps octokit's plugins and sees what they finally made of a request.
 */
function gateOnRateLimits(octokit: Octokit, options: GithubClientOptions): Octokit {
  const { backoff, log } = options;
  const now = options.now ?? Date.now;
  const observe = (answer: GithubAnswer, request: string) => {
    const at = now();
    const asked = rateLimitStopUntil(answer, at);
    if (asked === undefined) return;
    const until = capRateLimitStop(asked, at);
    if (until < asked) {
      log.warn('GitHub rate limit asks for a longer stop than planecheck honours; stopping for at most 1 h', {
        asked: Number.isFinite(asked) ? new Date(asked).toISOString() : String(asked),
        until: new Date(until).toISOString(),
        status: answer.status,
        request,
      });
    }
    if (until <= backoff.githubBackoffUntil()) return;
    try {
      backoff.stopGithubUntil(until);
    } catch (error: unknown) {
      log.error('could not store the GitHub rate-limit stop', { error: getErrorMessage(error) });
    }
    log.warn('GitHub rate limit: no GitHub requests until then', {
      until: new Date(until).toISOString(),
      status: answer.status,
      request,
    });
  };
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const name = `${requestOptions.method} ${requestOptions.url}`;
    const until = backoff.githubBackoffUntil();
    if (now() < until) {
      throw new GithubBackoffError(until);
    }
    try {
      const response = await request(requestOptions);
      observe({ status: response.status, headers: response.headers, message: '' }, name);
      return response;
    } catch (error: unknown) {
      // The stop was found by the check at send time (fetchUnlessStopped): nothing was sent.
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof GithubBackoffError) throw cause;
      const { status, response, message } = error as {
        status?: unknown;
        response?: { headers?: GithubAnswer['headers'] };
        message?: unknown;
      };
      if (typeof status === 'number' && response?.headers) {
        observe({ status, headers: response.headers, message: String(message) }, name);
      }
      throw error;
    }
  });
  return octokit;
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

/**
 * The rate-limit stop checked again when a request is actually sent: octokit's throttling queue can hold
 * a request (writes go out 1 s apart) after the gate let it in, and a stop may have begun meanwhile.
 */
function fetchUnlessStopped(
  send: typeof fetch,
  backoff: GithubBackoffStore,
  now: () => number,
): typeof fetch {
  return (input, init) => {
    const until = backoff.githubBackoffUntil();
    if (now() < until) return Promise.reject(new GithubBackoffError(until));
    return send(input, init);
  };
}

/** fetch with a deadline, also when the caller brought a signal of its own (shutdown). */
function fetchWithDeadline(timeoutMs: number, onSend?: () => void): typeof fetch {
  return (input, init) => {
    // Shut down while queued: fetch would refuse it too, but `onSend` must not hear of it.
    if (init?.signal?.aborted) return Promise.reject(init.signal.reason as Error);
    onSend?.();
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}
