import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody } from './request-body.js';
import { fillTextTemplate } from '../config/template.js';

/** How a sandbox plane behaves; change it at run time through `PUT /admin/planes/{plane}`. */
export const SCENARIOS = [
  'healthy',
  'no_user',
  'no_model',
  'predict_500',
  'predict_hang',
  'slow',
  'async_stuck',
  'async_failed',
  'malformed_json',
  'huge_body',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_DESCRIPTIONS: Record<Scenario, string> = {
  healthy: 'everything works',
  no_user: 'the smoke-test user does not exist (user lookup returns an empty list)',
  no_model: 'the user exists but its health-check model does not',
  predict_500: '/predict answers HTTP 500',
  predict_hang: '/predict accepts the request and never answers',
  slow: 'every answer is delayed by slowDelayMs (default 2s), but correct',
  async_stuck: 'async requests stay QUEUED forever',
  async_failed: 'async requests end FAILED',
  malformed_json: 'the user lookup answers 200 with broken JSON',
  huge_body: '/predict answers with a 4 MiB body',
};

export interface SandboxPlatformOptions {
  apiKey: string;
  planes: Record<string, Scenario>;
  /** Must match the checker's `platform.smokeTestEmail`. */
  smokeTestEmail?: string;
  oracleName?: string;
  /** Added to every answer, to model a remote platform (benchmarks). */
  latencyMs?: number;
  /** Extra delay of the `slow` scenario. */
  slowDelayMs?: number;
  /** How long a healthy async request stays IN_PROGRESS. */
  asyncDurationMs?: number;
  /** Sees every plane request before it is answered (see `SandboxPlatform.onRequest`). */
  onRequest?: PlaneRequestHook;
}

/** A request the sandbox serves for a plane, as a hook sees it. */
export interface PlaneRequest {
  plane: string;
  /** `user_lookup` starts every check, so counting those counts checks. */
  step: 'user_lookup' | 'model_lookup' | 'inference';
  method: string;
  path: string;
  /** The client's port on 127.0.0.1: which process sent it, for tests that run several checkers. */
  remotePort: number | undefined;
}

/** Awaited before the request is answered: a test can count requests, or hold one for as long as it likes. */
export type PlaneRequestHook = (request: PlaneRequest) => void | Promise<void>;

interface AsyncRequest {
  plane: string;
  createdAt: number;
}

const HUGE_BODY_BYTES = 4 * 1024 * 1024;
const ASYNC_REQUEST_TTL_MS = 10 * 60_000;

/**
 * A local model-serving platform that speaks the platform HTTP contract for any number of planes.
 * The control plane is at `url`, each plane's inference endpoint at `url/planes/{plane}`.
 */
export class SandboxPlatform {
  readonly #options: Required<Omit<SandboxPlatformOptions, 'planes' | 'onRequest'>>;
  readonly #scenarios = new Map<string, Scenario>();
  readonly #planeByEmail = new Map<string, string>();
  readonly #requestCounts = new Map<string, number>();
  readonly #asyncRequests = new Map<string, AsyncRequest>();
  readonly #server: Server;
  /** Sees every plane request before it is answered; replaceable at run time. */
  onRequest: PlaneRequestHook | undefined;
  #nextRequestId = 1;
  #url = '';

  constructor(options: SandboxPlatformOptions) {
    this.#options = {
      apiKey: options.apiKey,
      smokeTestEmail: options.smokeTestEmail ?? 'admin__smoke_test_{plane}',
      oracleName: options.oracleName ?? 'health-check-model',
      latencyMs: options.latencyMs ?? 0,
      slowDelayMs: options.slowDelayMs ?? 2_000,
      asyncDurationMs: options.asyncDurationMs ?? 0,
    };
    this.onRequest = options.onRequest;
    for (const [plane, scenario] of Object.entries(options.planes)) this.setScenario(plane, scenario);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 120_000;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `http://${shownHost}:${address.port}`;
    return this.#url;
  }

  get url(): string {
    return this.#url;
  }

  inferenceUrl(plane: string): string {
    return `${this.#url}/planes/${plane}`;
  }

  scenario(plane: string): Scenario | undefined {
    return this.#scenarios.get(plane);
  }

  setScenario(plane: string, scenario: Scenario): void {
    this.#scenarios.set(plane, scenario);
    this.#planeByEmail.set(this.#email(plane), plane);
  }

  /** What a successful smoke-test workflow does: recreate the user and the model. */
  repair(plane: string): void {
    this.#scenarios.set(plane, 'healthy');
  }

  /** Requests served per plane, for tests and benchmarks. */
  requestCount(plane: string): number {
    return this.#requestCounts.get(plane) ?? 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'admin') return this.#admin(req, res, parts.slice(1));

    if (req.headers.authorization !== `Api-Key ${this.#options.apiKey}`) {
      return send(res, 401, { error: 'invalid API key' });
    }
    const body = await readBody(req);
    if (this.#options.latencyMs > 0) await delay(this.#options.latencyMs);

    // Control plane: GET /v1/users?email=..., GET /v1/organizations/{org}/models?name=...
    if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'users' && parts.length === 2) {
      const plane = this.#planeForEmail(url.searchParams.get('email') ?? '');
      if (plane === undefined) return send(res, 200, { users: [] });
      const scenario = await this.#enter(plane, 'user_lookup', req);
      if (scenario === 'malformed_json')
        return sendRaw(res, 200, '{"users": [{"id": "usr_', 'application/json');
      if (scenario === 'no_user') return send(res, 200, { users: [] });
      return send(res, 200, {
        users: [{ id: `usr_${plane}`, email: this.#email(plane), organization_id: `org_${plane}` }],
      });
    }
    if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'organizations' && parts[3] === 'models') {
      const plane = parts[2]?.startsWith('org_') ? parts[2].slice(4) : undefined;
      if (plane === undefined || !this.#scenarios.has(plane))
        return send(res, 404, { error: 'no such organization' });
      const scenario = await this.#enter(plane, 'model_lookup', req);
      if (scenario === 'no_user') return send(res, 404, { error: 'no such organization' });
      const found = scenario !== 'no_model' && url.searchParams.get('name') === this.#options.oracleName;
      return send(res, 200, {
        models: found ? [{ id: `mdl_${plane}`, name: this.#options.oracleName }] : [],
      });
    }

    // Inference: /planes/{plane}/models/{modelId}/...
    if (parts[0] === 'planes' && parts[2] === 'models' && parts[1] !== undefined) {
      const plane = parts[1];
      if (!this.#scenarios.has(plane) || parts[3] !== `mdl_${plane}`)
        return send(res, 404, { error: 'no such model' });
      const scenario = await this.#enter(plane, 'inference', req);
      if (scenario === 'no_model' || scenario === 'no_user')
        return send(res, 404, { error: 'no such model' });
      const action = parts.slice(4).join('/');
      if (req.method === 'POST' && action === 'production/predict') {
        if (!isJson(body)) return send(res, 400, { error: 'body must be JSON' });
        if (scenario === 'predict_500') return send(res, 500, { error: 'internal error' });
        if (scenario === 'predict_hang') return; // Never answered; the connection closes with the server.
        if (scenario === 'huge_body')
          return sendRaw(res, 200, `"${'x'.repeat(HUGE_BODY_BYTES)}"`, 'application/json');
        return send(res, 200, { output: 'pong' });
      }
      if (req.method === 'POST' && action === 'production/async_predict') {
        const parsed = parseJson(body);
        if (
          parsed === undefined ||
          typeof parsed !== 'object' ||
          parsed === null ||
          !('model_input' in parsed)
        ) {
          return send(res, 400, { error: 'body must be JSON with model_input' });
        }
        const requestId = `req_${this.#nextRequestId++}`;
        this.#pruneAsyncRequests();
        this.#asyncRequests.set(requestId, { plane, createdAt: Date.now() });
        return send(res, 201, { request_id: requestId });
      }
      if (req.method === 'GET' && parts[4] === 'async_request' && parts[5] !== undefined) {
        const request = this.#asyncRequests.get(parts[5]);
        if (request === undefined || request.plane !== plane)
          return send(res, 404, { error: 'no such request' });
        return send(res, 200, this.#asyncStatus(parts[5], request, scenario));
      }
    }
    return send(res, 404, { error: 'not found' });
  }

  #asyncStatus(requestId: string, request: AsyncRequest, scenario: Scenario): object {
    if (scenario === 'async_stuck') return { request_id: requestId, status: 'QUEUED', errors: [] };
    if (scenario === 'async_failed') {
      this.#asyncRequests.delete(requestId);
      return {
        request_id: requestId,
        status: 'FAILED',
        errors: [{ code: 'MODEL_PREDICT_ERROR', message: 'boom' }],
      };
    }
    if (Date.now() - request.createdAt < this.#options.asyncDurationMs) {
      return { request_id: requestId, status: 'IN_PROGRESS', errors: [] };
    }
    this.#asyncRequests.delete(requestId);
    return { request_id: requestId, status: 'SUCCEEDED', errors: [] };
  }

  /** Counts the request, shows it to the hook and applies the `slow` delay; returns the scenario as it is now. */
  async #enter(plane: string, step: PlaneRequest['step'], req: IncomingMessage): Promise<Scenario> {
    this.#requestCounts.set(plane, (this.#requestCounts.get(plane) ?? 0) + 1);
    await this.onRequest?.({
      plane,
      step,
      method: req.method ?? '',
      path: req.url ?? '',
      remotePort: req.socket.remotePort,
    });
    if (this.#scenarios.get(plane) === 'slow') await delay(this.#options.slowDelayMs);
    return this.#scenarios.get(plane) ?? 'healthy';
  }

  #admin(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> | void {
    if (req.method === 'GET' && parts.length === 1 && parts[0] === 'planes') {
      const planes = Object.fromEntries(
        [...this.#scenarios].map(([name, scenario]) => [
          name,
          { scenario, requests: this.requestCount(name) },
        ]),
      );
      return send(res, 200, { planes, scenarios: SCENARIO_DESCRIPTIONS });
    }
    const plane = parts[1];
    if (parts[0] !== 'planes' || plane === undefined) return send(res, 404, { error: 'not found' });
    if (req.method === 'POST' && parts[2] === 'repair' && parts.length === 3) {
      if (!this.#scenarios.has(plane)) return send(res, 404, { error: `no plane ${plane}` });
      this.repair(plane);
      return send(res, 200, { plane, scenario: 'healthy' });
    }
    if (req.method === 'PUT' && parts.length === 2) {
      return readBody(req).then((body) => {
        const scenario = (parseJson(body) as { scenario?: unknown } | undefined)?.scenario;
        if (!SCENARIOS.includes(scenario as Scenario)) {
          return send(res, 400, { error: `scenario must be one of ${SCENARIOS.join(', ')}` });
        }
        this.setScenario(plane, scenario as Scenario);
        return send(res, 200, { plane, scenario });
      });
    }
    return send(res, 404, { error: 'not found' });
  }

  #email(plane: string): string {
    return fillTextTemplate(this.#options.smokeTestEmail, { plane });
  }

  #planeForEmail(email: string): string | undefined {
    return this.#planeByEmail.get(email);
  }

  #pruneAsyncRequests(): void {
    if (this.#asyncRequests.size < 10_000) return;
    const cutoff = Date.now() - ASYNC_REQUEST_TTL_MS;
    for (const [id, request] of this.#asyncRequests)
      if (request.createdAt < cutoff) this.#asyncRequests.delete(id);
  }
}

/** Every answer is JSON, 404s included: planecheck takes a 404 as "not found" only with a JSON error body. */
function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), 'application/json');
}

function sendRaw(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function isJson(text: string): boolean {
  return parseJson(text) !== undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
