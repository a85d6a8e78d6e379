import type { Dispatcher } from 'undici';
import type { Endpoints, PlatformConfig } from '../config/schema.js';
import { compileTemplate, type FilledTemplate } from '../config/template.js';
import type { Deadline } from '../util/deadline.js';
import { requestJson, type Failure, type JsonResult } from './http.js';
import { compilePointer, type CompiledPointer } from './json-pointer.js';
import type {
  AsyncRequestStatus,
  CallOutcome,
  LookupOutcome,
  Oracle,
  PlaneRef,
  PlatformApi,
  SmokeTestUser,
} from './platform-api.js';

const PENDING = new Set(['QUEUED', 'IN_PROGRESS']);
const FAILED = new Set(['FAILED', 'EXPIRED', 'CANCELED', 'WEBHOOK_FAILED']);
const readErrorCode = compilePointer('/code');

/** Endpoint templates and JSON pointers, compiled once: they are used on every request. */
function compileEndpoints(endpoints: Endpoints) {
  const url = (template: string) =>
    compileTemplate(template, { encode: true, raw: ['controlPlaneUrl', 'inferenceUrl'] });
  const pointer = (text: string) => ({ text, read: compilePointer(text) });
  return {
    userLookup: {
      url: url(endpoints.userLookup.url),
      list: pointer(endpoints.userLookup.list),
      id: pointer(endpoints.userLookup.id),
      organizationId: pointer(endpoints.userLookup.organizationId),
    },
    modelLookup: {
      url: url(endpoints.modelLookup.url),
      list: pointer(endpoints.modelLookup.list),
      id: pointer(endpoints.modelLookup.id),
    },
    predict: { url: url(endpoints.predict.url) },
    asyncSubmit: { url: url(endpoints.asyncSubmit.url), requestId: pointer(endpoints.asyncSubmit.requestId) },
    asyncStatus: {
      url: url(endpoints.asyncStatus.url),
      status: pointer(endpoints.asyncStatus.status),
      errors: pointer(endpoints.asyncStatus.errors),
    },
  };
}

interface Pointer {
  text: string;
  read: CompiledPointer;
}

/** The platform HTTP contract of DESIGN.md, with every URL and response field taken from config. */
export class HttpPlatform implements PlatformApi {
  readonly #config: PlatformConfig;
  readonly #dispatcher: Dispatcher;
  readonly #headers: Record<string, string>;
  readonly #endpoints: ReturnType<typeof compileEndpoints>;
  readonly #email: FilledTemplate;
  readonly #predictBody: string;
  readonly #asyncBody: string;

  constructor(config: PlatformConfig, dispatcher: Dispatcher) {
    this.#config = config;
    this.#dispatcher = dispatcher;
    this.#headers = {
      authorization: `Api-Key ${config.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'planecheck',
    };
    this.#endpoints = compileEndpoints(config.endpoints);
    this.#email = compileTemplate(config.smokeTestEmail, { encode: false });
    this.#predictBody = JSON.stringify(config.predictInput);
    this.#asyncBody = JSON.stringify({ model_input: config.predictInput });
  }

  async findUser(plane: PlaneRef, signal: Deadline): Promise<LookupOutcome<SmokeTestUser>> {
    const endpoint = this.#endpoints.userLookup;
    const url = this.#url(endpoint.url, plane, { email: this.#email({ plane: plane.name }) });
    return lookup(await this.#send('GET', url, plane, signal), endpoint.list, 'users', (entry) => {
      const id = readId(entry, endpoint.id.read);
      const organizationId = readId(entry, endpoint.organizationId.read);
      if (id === undefined) return `user has no id at ${endpoint.id.text}`;
      if (organizationId === undefined)
        return `user has no organization id at ${endpoint.organizationId.text}`;
      return { id, organizationId };
    });
  }

  async findOracle(plane: PlaneRef, user: SmokeTestUser, signal: Deadline): Promise<LookupOutcome<Oracle>> {
    const endpoint = this.#endpoints.modelLookup;
    const url = this.#url(endpoint.url, plane, {
      organizationId: user.organizationId,
      userId: user.id,
      oracleName: this.#config.oracleName,
    });
    return lookup(await this.#send('GET', url, plane, signal), endpoint.list, 'models', (entry) => {
      const id = readId(entry, endpoint.id.read);
      return id === undefined ? `model has no id at ${endpoint.id.text}` : { id };
    });
  }

  async predict(plane: PlaneRef, oracle: Oracle, signal: Deadline): Promise<CallOutcome<void>> {
    const url = this.#url(this.#endpoints.predict.url, plane, { modelId: oracle.id });
    const result = await this.#send('POST', url, plane, signal, this.#predictBody);
    return result.ok ? { ok: true, value: undefined } : result;
  }

  async submitAsyncPredict(plane: PlaneRef, oracle: Oracle, signal: Deadline): Promise<CallOutcome<string>> {
    const endpoint = this.#endpoints.asyncSubmit;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id });
    const result = await this.#send('POST', url, plane, signal, this.#asyncBody);
    if (!result.ok) return result;
    const requestId = readId(result.body, endpoint.requestId.read);
    if (requestId === undefined) return invalid(`no request id at ${endpoint.requestId.text}`);
    return { ok: true, value: requestId };
  }

  async getAsyncStatus(
    plane: PlaneRef,
    oracle: Oracle,
    requestId: string,
    signal: Deadline,
  ): Promise<CallOutcome<AsyncRequestStatus>> {
    const endpoint = this.#endpoints.asyncStatus;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id, requestId });
    const result = await this.#send('GET', url, plane, signal);
    if (!result.ok) return result;
    const status = endpoint.status.read(result.body);
    if (typeof status !== 'string') return invalid(`no status string at ${endpoint.status.text}`);
    const state = PENDING.has(status)
      ? 'pending'
      : status === 'SUCCEEDED'
        ? 'succeeded'
        : FAILED.has(status)
          ? 'failed'
          : undefined;
    if (state === undefined) return invalid(`unknown async status "${status.slice(0, 32)}"`);
    const errors = endpoint.errors.read(result.body);
    const errorCodes = Array.isArray(errors)
      ? errors.flatMap((error) => {
          const code = readErrorCode(error);
          return typeof code === 'string' ? [code.slice(0, 64)] : [];
        })
      : [];
    return { ok: true, value: { state, status, errorCodes } };
  }

  #url(template: FilledTemplate, plane: PlaneRef, values: Record<string, string>): string {
    values.plane = plane.name;
    values.controlPlaneUrl = plane.controlPlaneUrl ?? this.#config.controlPlaneUrl;
    values.inferenceUrl = plane.inferenceUrl;
    return template(values);
  }

  #send(
    method: 'GET' | 'POST',
    url: string,
    plane: PlaneRef,
    signal: Deadline,
    body?: string,
  ): Promise<JsonResult> {
    return requestJson(this.#dispatcher, {
      method,
      url,
      headers: this.#headers,
      body,
      timeoutMs: plane.requestTimeout ?? this.#config.requestTimeout,
      maxBytes: this.#config.maxResponseBytes,
      signal,
    });
  }
}

/**
 * "Not found" only when the platform itself says so: a list of the expected shape that is empty, or a
 * 404 whose body is a JSON object (the platform's error). A 404 with an HTML page, an empty or a
 * non-JSON body may come from a proxy, a load balancer or a wrong URL, and proves nothing: it fails as
 * `http_404`, so it can never trigger a self-heal. Anything malformed is a failure, never "not found".
 */
function lookup<T>(
  result: JsonResult,
  list: Pointer,
  what: string,
  pick: (entry: unknown) => T | string,
): LookupOutcome<T> {
  if (!result.ok) {
    if (result.failure.httpStatus !== 404) return { kind: 'failed', failure: result.failure };
    if (isJsonObject(result.errorBody)) return { kind: 'not_found' };
    return {
      kind: 'failed',
      failure: { ...result.failure, detail: "HTTP 404 without a JSON error body: not the platform's answer" },
    };
  }
  const entries = list.read(result.body);
  if (!Array.isArray(entries))
    return { kind: 'failed', failure: invalidFailure(`no ${what} list at ${list.text}`) };
  if (entries.length === 0) return { kind: 'not_found' };
  const picked = pick(entries[0]);
  return typeof picked === 'string'
    ? { kind: 'failed', failure: invalidFailure(picked) }
    : { kind: 'found', value: picked };
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A lone UTF-16 surrogate: valid in JSON (`"\ud800"`), but no URL can carry it (encodeURIComponent throws). */
const LONE_SURROGATE = /\p{Cs}/u;

/** An id that can go into the next request's URL, or undefined. */
function readId(document: unknown, read: CompiledPointer): string | undefined {
  const value = read(document);
  if (typeof value === 'string' && value.length > 0 && value.length <= 256 && !LONE_SURROGATE.test(value))
    return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function invalidFailure(detail: string): Failure {
  return { kind: 'invalid_response', detail };
}

function invalid(detail: string): { ok: false; failure: Failure } {
  return { ok: false, failure: invalidFailure(detail) };
}
