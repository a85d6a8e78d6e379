import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import type { Agent, Dispatcher } from 'undici';
// Only undici's Agent, not its index: the index loads all of undici (fetch, WebSocket, caches, mocks),
// ~8 MB of RSS the daemon never uses. undici has no "exports" map, so the path resolves; the lockfile
// pins the version, and every request test fails if the file moves.
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import { Deadline } from '../util/deadline.js';

/** Every way a request can fail. Fixed, so that reasons built from it are safe as metric label values. */
export type FailureKind =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns_error'
  | 'tls_error'
  | 'network_error'
  | 'http_status'
  | 'response_too_large'
  | 'invalid_response'
  | 'redirect_blocked'
  | 'aborted';

export interface Failure {
  kind: FailureKind;
  /** Set when kind is `http_status`. */
  httpStatus?: number;
  /** For people: what happened, without secrets or response bodies. */
  detail: string;
}

export type Failed = { ok: false; failure: Failure };
/**
 * A non-2xx answer carries its body when that was small JSON (`errorBody`), so that a caller can tell
 * the platform's own error (`{"error": "no such user"}`) from a proxy's HTML page or an empty body.
 */
export type HttpStatusFailed = Failed & { errorBody?: unknown };
export type JsonResult = { ok: true; status: number; body: unknown } | HttpStatusFailed;

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
  /** Cancels the request; a reason named `TimeoutError` reads as a timeout, anything else as aborted. */
  signal?: Deadline;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One connection pool for every check, kept open across cycles: the idle timeout outlives the
 * interval so the next cycle reuses warm connections instead of paying for TCP and TLS again.
 */
export function createHttpAgent(options: {
  connectTimeoutMs: number;
  keepAliveMs: number;
  /** Resolves host names; Node's getaddrinfo (on libuv's thread pool) when not given. */
  lookup?: LookupFunction;
}): Agent {
  keepHttpParserOnBaselineCompiler();
  return new UndiciAgent({
    connect: { timeout: options.connectTimeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) },
    keepAliveTimeout: options.keepAliveMs,
    keepAliveMaxTimeout: options.keepAliveMs,
    // Our own deadline covers the whole exchange; these only stop a stuck socket from lingering.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/**
 * undici parses HTTP with llhttp, compiled to WebAssembly when its first connection opens. Once the
 * parser is hot, V8 recompiles its main function with the optimizing compiler on a background
 * thread: measured at ~280 ms of CPU and ~30-40 MB of compiler memory at once, in the first cycle,
 * which made it the daemon's peak RSS. Baseline (Liftoff) code parses our few-hundred-byte
 * responses as fast in practice (npm run bench). Both flags are read when a WebAssembly module is
 * compiled, so setting them before the first connection is safe; they affect WebAssembly only.
 */
function keepHttpParserOnBaselineCompiler(): void {
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
}

/**
 * Sends one request and reads a JSON response under a deadline that covers connecting, headers and
 * the whole body (undici's own idle timers restart on every chunk, so a trickling body would never
 * trip them). Follows redirects only within the same origin, so credentials never leave it.
 */
export async function requestJson(dispatcher: Dispatcher, req: JsonRequest): Promise<JsonResult> {
  // The message reads "request deadline of 10s passed".
  const limit = new Deadline(req.timeoutMs, 'request deadline', req.signal);
  try {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const response = await exchange(dispatcher, url, method, req.headers, body, limit, req.maxBytes);
      if ('failure' in response) return response;
      const { statusCode, headers } = response;
      const location = headers.location;
      if (REDIRECT_STATUSES.has(statusCode) && typeof location === 'string') {
        const current = new URL(url);
        const next = parseUrl(location, current);
        if (next === null) return fail('invalid_response', 'redirect to a Location that is not a URL');
        if (next.origin !== current.origin) {
          return fail('redirect_blocked', `redirect to another origin (${next.origin}) refused`);
        }
        if (hop + 1 > MAX_REDIRECTS) return fail('redirect_blocked', `more than ${MAX_REDIRECTS} redirects`);
        if (statusCode === 303 || ((statusCode === 301 || statusCode === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next.href;
        continue;
      }
      if (statusCode < 200 || statusCode > 299) {
        const failed: HttpStatusFailed = {
          ok: false,
          failure: { kind: 'http_status', httpStatus: statusCode, detail: `HTTP ${statusCode}` },
        };
        const errorBody = parseErrorBody(response.body);
        if (errorBody !== undefined) failed.errorBody = errorBody;
        return failed;
      }
      return parseJson(response);
    }
  } catch (error) {
    // Anything that is not a network failure is a bug here, for the check's internal-error path,
    // not a network_error that would blame the platform.
    if (!limit.aborted && !isNetworkError(error)) throw error;
    return { ok: false, failure: failureFromError(error, limit) };
  } finally {
    limit.dispose();
  }
}

/**
 * A response read whole: its body when the status is 2xx, or when an error body is no larger than
 * ERROR_BODY_LIMIT (larger error bodies are drained, not kept).
 */
interface Response {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

function parseJson(response: Response): JsonResult {
  try {
    const text = response.body === undefined ? '' : response.body.toString('utf8');
    return { ok: true, status: response.statusCode, body: JSON.parse(text) as unknown };
  } catch {
    const type = String(response.headers['content-type'] ?? 'no content type').split(';')[0];
    return fail('invalid_response', `response is not JSON (${type})`);
  }
}

/** The URL, or null when it does not parse (URL.parse needs Node 20.18; our floor is lower). */
function parseUrl(text: string, base: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

/** How much of a body we do not need is read to keep its connection reusable; past it, the connection closes. */
const DISCARD_LIMIT = 64 * 1024;
/** An error body up to this size is kept: a platform's JSON error is far smaller. */
const ERROR_BODY_LIMIT = 8 * 1024;

/** The JSON in a small error body, or undefined when there is none (empty, HTML, too large, not JSON). */
function parseErrorBody(body: Buffer | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * One request/response exchange on undici's dispatcher API: the response body is gathered into one
 * buffer, with no stream in between (undici's `request` wraps each body in a Readable, which costs a
 * third of the CPU of a small JSON exchange and more garbage). Settles once: with the response, or
 * with a failure when the deadline fires, the body passes `maxBytes`, or the exchange errors.
 */
function exchange(
  dispatcher: Dispatcher,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  deadline: Deadline,
  maxBytes: number,
): Promise<Response | Failed> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let statusCode = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    /** The body is kept whole for a 2xx (up to maxBytes); an error body only while it is small. */
    let keep = false;
    let chunks: Buffer[] = [];
    let size = 0;
    let cancelDeadline = (): void => undefined;

    const settle = (outcome: Response | Failed) => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      resolve(outcome);
    };
    /** A network failure settles as one; anything else (a bug) rejects, for the caller to report. */
    const settleError = (error: unknown) => {
      if (deadline.aborted || isNetworkError(error))
        return settle({ ok: false, failure: failureFromError(error, deadline) });
      if (settled) return;
      settled = true;
      cancelDeadline();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    /** Ends the exchange early; the connection is closed, not reused. */
    const stop = (outcome: Failed, reason: Error) => {
      settle(outcome);
      if (controller && !controller.aborted) controller.abort(reason);
    };
    const onDeadline = () => {
      const reason = deadline.reason ?? new Error('aborted');
      stop({ ok: false, failure: failureFromError(reason, deadline) }, reason);
    };
    if (deadline.aborted) return onDeadline();
    cancelDeadline = deadline.onAbort(onDeadline);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        // The deadline passed while the request waited for a connection.
        if (settled) started.abort(deadline.reason ?? new Error('aborted'));
      },
      onResponseStart(_controller, status, received) {
        if (status < 200) return; // informational; the real response follows
        statusCode = status;
        responseHeaders = received;
        keep = status >= 200 && status <= 299;
        const declared = Number(received['content-length']);
        if (keep && Number.isFinite(declared) && declared > maxBytes) {
          const detail = `response of ${declared} bytes exceeds the ${maxBytes}-byte cap`;
          stop(fail('response_too_large', detail), new Error(detail));
        }
      },
      onResponseData(_controller, chunk) {
        size += chunk.length;
        if (keep && size <= maxBytes) chunks.push(chunk);
        else if (keep) {
          const detail = `response exceeds the ${maxBytes}-byte cap`;
          stop(fail('response_too_large', detail), new Error(detail));
        } else if (size <= ERROR_BODY_LIMIT) chunks.push(chunk);
        else if (size > DISCARD_LIMIT) {
          settle({ statusCode, headers: responseHeaders, body: undefined });
          controller?.abort(new Error('response body not needed'));
        }
      },
      onResponseEnd() {
        const complete = keep || size <= ERROR_BODY_LIMIT;
        const whole = !complete ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        chunks = [];
        settle({ statusCode, headers: responseHeaders, body: whole });
      },
      onResponseError(_controller, error) {
        settleError(error);
      },
    };
    try {
      const { origin, path } = splitUrl(url);
      dispatcher.dispatch({ origin, path, method, headers, body: body ?? null }, handler);
    } catch (error) {
      settleError(error);
    }
  });
}

/** `http(s)://authority`, then a path or query (no `@`: credentials are the parser's business). */
const PLAIN_URL = /^(https?:\/\/[^/?#@\\]+)([/?][^#]*)?(?:#.*)?$/;
/** What the WHATWG parser would change: characters it encodes or rewrites, and dot segments. */
const NEEDS_PARSING = /[^\x21-\x7e]|["'<>`{}\\]|\/(?:\.|%2e){1,2}(?:[/?#]|$)/i;

/**
 * The origin and path of a URL. Config URLs and filled templates are plain ASCII, so they are split
 * as they are, with no URL object per request; anything else goes through the WHATWG parser.
 */
export function splitUrl(url: string): { origin: string; path: string } {
  const plain = NEEDS_PARSING.test(url) ? null : PLAIN_URL.exec(url);
  if (plain) {
    const rest = plain[2] ?? '';
    return { origin: plain[1] ?? '', path: rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname + parsed.search };
}

function fail(kind: FailureKind, detail: string): Failed {
  return { ok: false, failure: { kind, detail } };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * Whether an error is a failure of the network rather than of our code: an errno-style code
 * (ECONNRESET, ENOTFOUND, c-ares's ETIMEOUT...), one of undici's UND_ERR_* codes, or a TLS error.
 * Node's own ERR_* codes (ERR_INVALID_URL, ERR_INVALID_ARG_TYPE) and errors without a code are bugs.
 */
export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code !== undefined && (/^E[A-Z0-9_]+$/.test(code) || code.startsWith('UND_ERR_') || TLS_CODE.test(code))
  );
}

/** Maps whatever undici or Node threw to a fixed failure kind. */
export function failureFromError(error: unknown, signal?: { aborted: boolean; reason: unknown }): Failure {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const message = reason instanceof Error ? reason.message : 'aborted';
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return { kind: timedOut ? 'timeout' : 'aborted', detail: message };
  }
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'connection_refused', detail: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'ENODATA': // this and below: c-ares (host-lookup.ts), e.g. ETIMEOUT for a silent name server
    case 'ESERVFAIL':
    case 'EREFUSED':
    case 'ETIMEOUT':
    case 'EBADRESP':
    case 'EFORMERR':
    case 'EBADNAME':
    case 'ECANCELLED':
    case 'EDESTRUCTION':
      return { kind: 'dns_error', detail: `host name lookup failed (${code})` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return {
        kind: 'connection_reset',
        detail: 'connection closed by the server before the response ended',
      };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'timeout', detail: 'the server did not answer in time' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { kind: 'connection_reset', detail: 'response body shorter than its content-length' };
    default:
      if (code && TLS_CODE.test(code)) return { kind: 'tls_error', detail: `TLS error (${code})` };
      return { kind: 'network_error', detail: code ? `network error (${code})` : 'network error' };
  }
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
