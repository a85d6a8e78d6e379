export type GithubErrorKind =
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'auth_failed'
  | 'unexpected_status'
  | 'invalid_response';

export class GithubError extends Error {
  override name = 'GithubError';
  constructor(
    readonly kind: GithubErrorKind,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }

  /** For logs and the heal log: kind and status, never response bodies or headers. */
  get summary(): string {
    return this.status === undefined ? this.kind : `${this.kind} (${this.status})`;
  }

  /**
   * Whether GitHub may have carried the request out although no success came back: it timed out, the
   * connection broke, a 5xx came (from GitHub or a proxy in front of it, possibly after GitHub acted), or
   * any other status that is not one of GitHub's own refusals (a proxy's 408, say).
   */
  get outcomeUnknown(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      this.kind === 'server_error' ||
      this.kind === 'unexpected_status'
    );
  }
}

/** Statuses with which GitHub refuses a request without carrying it out (besides 401, 403, 404, 429). */
const DEFINITIVE_REFUSALS = new Set([400, 409, 410, 422]);

/** Maps whatever octokit threw to a GithubError with a fixed kind. */
export function toGithubError(error: unknown): GithubError {
  if (error instanceof GithubError) return error;
  const message =
    error instanceof Error ? (error.message.split('\n')[0]?.slice(0, 200) ?? '') : String(error);
  // octokit reports a request that got no answer (timeout, refused, reset) as status 500 without a
  // response; the cause says which.
  const answered = (error as { response?: unknown }).response !== undefined;
  const status = answered ? (error as { status?: unknown }).status : undefined;
  if (typeof status !== 'number') {
    const cause = (error as { cause?: unknown }).cause;
    const names = [error, cause].map((e) => (e as { name?: unknown } | undefined)?.name);
    if (names.includes('TimeoutError')) return new GithubError('timeout', undefined, message);
    // A failed fetch reaches here as octokit's RequestError ('HttpError', the fetch error as its cause)
    // or as fetch's own AbortError. Anything else failed before any request was made: the App auth could
    // not sign its token (a private key that is not a key, say).
    if (names[0] === 'HttpError' || names.includes('AbortError'))
      return new GithubError('network', undefined, message);
    return new GithubError('auth_failed', undefined, message);
  }
  if (status === 429 || (status === 403 && /rate limit/i.test(message)))
    return new GithubError('rate_limited', status, message);
  if (status === 401) return new GithubError('unauthorized', status, message);
  if (status === 403) return new GithubError('forbidden', status, message);
  if (status === 404) return new GithubError('not_found', status, message);
  if (DEFINITIVE_REFUSALS.has(status)) return new GithubError('invalid', status, message);
  if (status >= 500) return new GithubError('server_error', status, message);
  // Not an answer GitHub gives to refuse a request (a proxy's 408, a 3xx): it may have acted.
  return new GithubError('unexpected_status', status, message);
}

/** A request the rate-limit gate did not send: GitHub asked for none until `until` (epoch ms). */
export class GithubBackoffError extends GithubError {
  override name = 'GithubBackoffError';
  constructor(readonly until: number) {
    super('rate_limited', undefined, `GitHub asked for no requests until ${new Date(until).toISOString()}`);
  }
}
