import { Agent, request, type Dispatcher } from 'undici';
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

export type JsonResult = { ok: true; status: number; body: unknown } | { ok: false; failure: Failure };

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
export function createHttpAgent(options: { connectTimeoutMs: number; keepAliveMs: number }): Agent {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs },
    keepAliveTimeout: options.keepAliveMs,
    keepAliveMaxTimeout: options.keepAliveMs,
    // Our own deadline covers the whole exchange; these only stop a stuck socket from lingering.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
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
    return await follow(dispatcher, req, limit);
  } catch (error) {
    return { ok: false, failure: failureFromError(error, limit) };
  } finally {
    limit.dispose();
  }
}

async function follow(dispatcher: Dispatcher, req: JsonRequest, signal: Deadline): Promise<JsonResult> {
  // A string until a redirect needs the origin: undici parses it anyway.
  let url: string = req.url;
  let method = req.method;
  let body = req.body;
  for (let hop = 0; ; hop++) {
    signal.throwIfAborted();
    const response = await request(url, {
      dispatcher,
      method,
      headers: req.headers,
      body,
      signal,
    });
    const { statusCode } = response;
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(statusCode) && typeof location === 'string') {
      await discard(response.body);
      const current = new URL(url);
      const next = new URL(location, current);
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
      await discard(response.body);
      return {
        ok: false,
        failure: { kind: 'http_status', httpStatus: statusCode, detail: `HTTP ${statusCode}` },
      };
    }
    return readJson(response, req.maxBytes);
  }
}

async function readJson(response: Dispatcher.ResponseData, maxBytes: number): Promise<JsonResult> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abandon(response.body);
    return fail('response_too_large', `response of ${declared} bytes exceeds the ${maxBytes}-byte cap`);
  }
  let text: string;
  if (Number.isFinite(declared)) {
    // The length is declared and within the cap; undici fails a body that runs past it.
    text = await response.body.text();
  } else {
    const read = await readCapped(response.body, maxBytes);
    if (read === undefined) return fail('response_too_large', `response exceeds the ${maxBytes}-byte cap`);
    text = read;
  }
  try {
    return { ok: true, status: response.statusCode, body: JSON.parse(text) as unknown };
  } catch {
    const type = String(response.headers['content-type'] ?? 'no content type').split(';')[0];
    return fail('invalid_response', `response is not JSON (${type})`);
  }
}

/** Reads a body of unknown length up to `maxBytes`; undefined (and the body closed) past that. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      abandon(body);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Drains a body we do not need (small ones keep the connection reusable; large ones close it). */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 });
  } catch {
    // The status line already told us what we need.
  }
}

/** Closes a body we will not read; its connection is not reused. */
function abandon(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined); // destroy() emits an abort error nobody else listens for
  body.destroy();
}

function fail(kind: FailureKind, detail: string): JsonResult {
  return { ok: false, failure: { kind, detail } };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

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
