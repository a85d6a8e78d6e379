import type { Dispatcher } from 'undici';
import type { PlatformConfig } from '../config/schema.js';
import { fillTextTemplate, fillUrlTemplate } from '../config/template.js';
import { requestJson, type Failure, type JsonResult } from './http.js';
import { readPointer } from './json-pointer.js';
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
const BASE_URLS = ['controlPlaneUrl', 'inferenceUrl'];

/** The platform HTTP contract of DESIGN.md, with every URL and response field taken from config. */
export class HttpPlatform implements PlatformApi {
  readonly #config: PlatformConfig;
  readonly #dispatcher: Dispatcher;
  readonly #headers: Record<string, string>;

  constructor(config: PlatformConfig, dispatcher: Dispatcher) {
    this.#config = config;
    this.#dispatcher = dispatcher;
    this.#headers = {
      authorization: `Api-Key ${config.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'planecheck',
    };
  }

  async findUser(plane: PlaneRef, signal: AbortSignal): Promise<LookupOutcome<SmokeTestUser>> {
    const endpoint = this.#config.endpoints.userLookup;
    const email = fillTextTemplate(this.#config.smokeTestEmail, { plane: plane.name });
    const url = this.#url(endpoint.url, plane, { email });
    return this.#lookup(await this.#send('GET', url, signal), endpoint.list, 'users', (entry) => {
      const id = readId(entry, endpoint.id);
      const organizationId = readId(entry, endpoint.organizationId);
      if (id === undefined) return `user has no id at ${endpoint.id}`;
      if (organizationId === undefined) return `user has no organization id at ${endpoint.organizationId}`;
      return { id, organizationId };
    });
  }

  async findOracle(
    plane: PlaneRef,
    user: SmokeTestUser,
    signal: AbortSignal,
  ): Promise<LookupOutcome<Oracle>> {
    const endpoint = this.#config.endpoints.modelLookup;
    const url = this.#url(endpoint.url, plane, {
      organizationId: user.organizationId,
      userId: user.id,
      oracleName: this.#config.oracleName,
    });
    return this.#lookup(await this.#send('GET', url, signal), endpoint.list, 'models', (entry) => {
      const id = readId(entry, endpoint.id);
      return id === undefined ? `model has no id at ${endpoint.id}` : { id };
    });
  }

  async predict(plane: PlaneRef, oracle: Oracle, signal: AbortSignal): Promise<CallOutcome<void>> {
    const url = this.#url(this.#config.endpoints.predict.url, plane, { modelId: oracle.id });
    const result = await this.#send('POST', url, signal, this.#config.predictInput);
    return result.ok ? { ok: true, value: undefined } : result;
  }

  async submitAsyncPredict(
    plane: PlaneRef,
    oracle: Oracle,
    signal: AbortSignal,
  ): Promise<CallOutcome<string>> {
    const endpoint = this.#config.endpoints.asyncSubmit;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id });
    const result = await this.#send('POST', url, signal, { model_input: this.#config.predictInput });
    if (!result.ok) return result;
    const requestId = readId(result.body, endpoint.requestId);
    if (requestId === undefined) return invalid(`no request id at ${endpoint.requestId}`);
    return { ok: true, value: requestId };
  }

  async getAsyncStatus(
    plane: PlaneRef,
    oracle: Oracle,
    requestId: string,
    signal: AbortSignal,
  ): Promise<CallOutcome<AsyncRequestStatus>> {
    const endpoint = this.#config.endpoints.asyncStatus;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id, requestId });
    const result = await this.#send('GET', url, signal);
    if (!result.ok) return result;
    const status = readPointer(result.body, endpoint.status);
    if (typeof status !== 'string') return invalid(`no status string at ${endpoint.status}`);
    const state = PENDING.has(status)
      ? 'pending'
      : status === 'SUCCEEDED'
        ? 'succeeded'
        : FAILED.has(status)
          ? 'failed'
          : undefined;
    if (state === undefined) return invalid(`unknown async status "${status.slice(0, 32)}"`);
    const errors = readPointer(result.body, endpoint.errors);
    const errorCodes = Array.isArray(errors)
      ? errors.flatMap((error) => {
          const code = readPointer(error, '/code');
          return typeof code === 'string' ? [code.slice(0, 64)] : [];
        })
      : [];
    return { ok: true, value: { state, status, errorCodes } };
  }

  #url(template: string, plane: PlaneRef, values: Record<string, string>): string {
    return fillUrlTemplate(
      template,
      {
        ...values,
        plane: plane.name,
        controlPlaneUrl: this.#config.controlPlaneUrl,
        inferenceUrl: plane.inferenceUrl,
      },
      BASE_URLS,
    );
  }

  #send(method: 'GET' | 'POST', url: string, signal: AbortSignal, body?: unknown): Promise<JsonResult> {
    return requestJson(this.#dispatcher, {
      method,
      url,
      headers: this.#headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.#config.requestTimeout,
      maxBytes: this.#config.maxResponseBytes,
      signal,
    });
  }

  /** 404 or an empty list is a definitive "not found"; anything malformed is a failure, never "not found". */
  #lookup<T>(
    result: JsonResult,
    listPointer: string,
    what: string,
    pick: (entry: unknown) => T | string,
  ): LookupOutcome<T> {
    if (!result.ok) {
      return result.failure.httpStatus === 404
        ? { kind: 'not_found' }
        : { kind: 'failed', failure: result.failure };
    }
    const list = readPointer(result.body, listPointer);
    if (!Array.isArray(list))
      return { kind: 'failed', failure: invalidFailure(`no ${what} list at ${listPointer}`) };
    if (list.length === 0) return { kind: 'not_found' };
    const picked = pick(list[0]);
    return typeof picked === 'string'
      ? { kind: 'failed', failure: invalidFailure(picked) }
      : { kind: 'found', value: picked };
  }
}

function readId(document: unknown, pointer: string): string | undefined {
  const value = readPointer(document, pointer);
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function invalidFailure(detail: string): Failure {
  return { kind: 'invalid_response', detail };
}

function invalid(detail: string): { ok: false; failure: Failure } {
  return { ok: false, failure: invalidFailure(detail) };
}
