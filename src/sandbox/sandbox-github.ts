import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody } from './request-body.js';
import { Ajv, type ValidateFunction } from 'ajv';
import openapi from './github-openapi.json' with { type: 'json' };

/** A fault the sandbox answers the next requests with, to exercise retries and rate-limit handling. */
export interface GithubFault {
  status: 403 | 429 | 500 | 502 | 503;
  /** How many API requests get it. */
  count: number;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
  /**
   * A 403/429 with GitHub's "secondary rate limit" message; otherwise a plain error (a 429 says only
   * "Too Many Requests", as a load balancer or GitHub Enterprise Server may).
   */
  secondaryRateLimit?: boolean;
  /** A 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` in `retryAfter` seconds. */
  primaryRateLimit?: boolean;
}

export interface SandboxGithubOptions {
  /** A personal access token the sandbox accepts. */
  token?: string;
  /** GitHub App auth: the sandbox verifies JWTs with this public key and mints installation tokens. */
  app?: { appId: number; installationId: number; publicKey: string; tokenLifetimeMs?: number };
  /** How long a run stays queued, then in progress. */
  queuedMs?: number;
  runMs?: number;
  conclusion?: 'success' | 'failure' | 'cancelled';
  /**
   * `return`: 200 with the run id when asked (github.com); `no_content`: always 204 (older servers);
   * `reject`: 422 when asked for run details (older GitHub Enterprise Server).
   */
  runDetails?: 'return' | 'no_content' | 'reject';
  /** The inputs the workflow declares; others are refused with 422 as GitHub does. */
  workflowInputs?: readonly string[];
  /** The workflow's `run-name`, from its inputs. */
  runName?: (inputs: Record<string, string>) => string;
  /** Called once per run that concludes `success`: what the smoke-test workflow repairs. */
  onRunSucceeded?: (inputs: Record<string, string>) => void;
}

/** An API request as a hook sees it, before it is answered. */
export interface GithubRequest {
  method: string;
  path: string;
  /** The client's port on 127.0.0.1: which process sent it, for tests that run several daemons. */
  remotePort: number | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  /** `token`, `installation-token`, `jwt` or `none`: never the credential itself. */
  auth: string;
  status: number;
  body?: unknown;
}

interface Run {
  id: number;
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  title: string;
  createdAt: number;
  conclusion: 'success' | 'failure' | 'cancelled';
  timers: NodeJS.Timeout[];
  status: 'queued' | 'in_progress' | 'completed';
}

const DEFAULT_RUN_NAME = (inputs: Record<string, string>) =>
  `Production smoke test plane=${inputs.workload_plane ?? ''} [${inputs.correlation_id ?? ''}]`;

/**
 * A local stand-in for the GitHub REST API endpoints that self-heal uses: workflow dispatch (request
 * bodies validated against GitHub's published OpenAPI description), workflow runs that go queued ->
 * in_progress -> completed, and GitHub App installation tokens. Faults on demand through `/admin`.
 */
export class SandboxGithub {
  readonly #options: SandboxGithubOptions;
  readonly #server: Server;
  readonly #runs = new Map<number, Run>();
  readonly #requests: RecordedRequest[] = [];
  readonly #installationTokens = new Map<string, number>();
  readonly #faults: GithubFault[] = [];
  readonly #validateDispatch: ValidateFunction;
  readonly #publicKey: KeyObject | undefined;
  /** Awaited before each API request is handled (admin calls excluded): a test can watch or hold requests. */
  onRequest: ((request: GithubRequest) => void | Promise<void>) | undefined;
  #nextRunId = 1000;
  #url = '';
  tokensMinted = 0;

  constructor(options: SandboxGithubOptions) {
    this.#options = { ...options };
    const ajv = new Ajv({ strict: false, allErrors: true });
    const dispatch =
      openapi.operations['POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches'];
    this.#validateDispatch = ajv.compile(dispatch.requestBody ?? {});
    this.#publicKey = options.app ? createPublicKey(options.app.publicKey) : undefined;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { message: 'sandbox error' });
      });
    });
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#url = `http://${host}:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  get url(): string {
    return this.#url;
  }

  /** Every API request so far (admin calls excluded). */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  get runs(): { id: number; title: string; status: string; inputs: Record<string, string> }[] {
    return [...this.#runs.values()].map((run) => ({
      id: run.id,
      title: run.title,
      status: run.status,
      inputs: run.inputs,
    }));
  }

  injectFault(fault: GithubFault): void {
    this.#faults.push({ ...fault });
  }

  configure(
    patch: Partial<Pick<SandboxGithubOptions, 'conclusion' | 'runDetails' | 'queuedMs' | 'runMs'>>,
  ): void {
    Object.assign(this.#options, patch);
  }

  async close(): Promise<void> {
    for (const run of this.#runs.values()) run.timers.forEach(clearTimeout);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const raw = await readBody(req);
    if (parts[0] === 'admin') return this.#admin(req, res, parts.slice(1), raw);
    await this.onRequest?.({
      method: req.method ?? '',
      path: url.pathname + url.search,
      remotePort: req.socket.remotePort,
    });

    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      at: Date.now(),
      auth: 'none',
      status: 0,
    };
    this.#requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, body, headers);
    };

    const fault = this.#faults[0];
    if (fault) {
      if (--fault.count <= 0) this.#faults.shift();
      const headers: Record<string, string> = {};
      if (fault.primaryRateLimit) {
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + (fault.retryAfter ?? 1));
      } else if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const message = fault.secondaryRateLimit
        ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
        : fault.primaryRateLimit
          ? 'API rate limit exceeded for installation.'
          : fault.status >= 500
            ? 'Server Error'
            : fault.status === 429
              ? 'Too Many Requests'
              : 'Forbidden';
      return reply(fault.status, { message }, headers);
    }

    // POST /app/installations/{id}/access_tokens: authenticated by a JWT signed with the app's key.
    if (
      req.method === 'POST' &&
      parts[0] === 'app' &&
      parts[1] === 'installations' &&
      parts[3] === 'access_tokens'
    ) {
      record.auth = 'jwt';
      const app = this.#options.app;
      if (!app || Number(parts[2]) !== app.installationId) return reply(404, { message: 'Not Found' });
      const jwtError = this.#verifyJwt(bearer(req.headers.authorization));
      if (jwtError) return reply(401, { message: `A JSON web token could not be decoded: ${jwtError}` });
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      const expiresAt = Date.now() + (app.tokenLifetimeMs ?? 3_600_000);
      this.#installationTokens.set(token, expiresAt);
      this.tokensMinted++;
      return reply(201, {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        permissions: { actions: 'write', metadata: 'read' },
        repository_selection: 'selected',
      });
    }

    const auth = this.#authenticate(req.headers.authorization);
    record.auth = auth;
    if (auth === 'none') return reply(401, { message: 'Bad credentials' });

    // /repos/{owner}/{repo}/actions/...
    if (parts[0] !== 'repos' || parts[3] !== 'actions' || !parts[1] || !parts[2])
      return reply(404, { message: 'Not Found' });
    const [owner, repo] = [parts[1], parts[2]];
    if (req.method === 'POST' && parts[4] === 'workflows' && parts[6] === 'dispatches' && parts[5]) {
      const body = parseJson(raw);
      record.body = body;
      if (!this.#validateDispatch(body)) {
        return reply(422, {
          message: 'Invalid request.',
          errors: this.#validateDispatch.errors?.map((e) => e.message),
        });
      }
      const dispatch = body as {
        ref: string;
        inputs?: Record<string, unknown>;
        return_run_details?: boolean;
      };
      if (dispatch.return_run_details !== undefined && this.#options.runDetails === 'reject') {
        return reply(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' });
      }
      const inputs = Object.fromEntries(
        Object.entries(dispatch.inputs ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const declared = this.#options.workflowInputs;
      const unexpected = declared ? Object.keys(inputs).filter((name) => !declared.includes(name)) : [];
      if (unexpected.length > 0)
        return reply(422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}` });
      const run = this.#startRun(owner, repo, parts[5], dispatch.ref, inputs);
      if (dispatch.return_run_details && this.#options.runDetails !== 'no_content') {
        return reply(200, {
          workflow_run_id: run.id,
          run_url: this.#apiRunUrl(run),
          html_url: this.#htmlRunUrl(run),
        });
      }
      return reply(204);
    }
    if (req.method === 'GET' && parts[4] === 'workflows' && parts[6] === 'runs' && parts[5]) {
      const workflow = parts[5];
      const created = url.searchParams.get('created');
      const since = created?.startsWith('>=') ? Date.parse(created.slice(2)) : 0;
      if (created && !Number.isFinite(since)) return reply(422, { message: 'Invalid created filter' });
      const event = url.searchParams.get('event');
      const runs = [...this.#runs.values()]
        .filter((run) => run.owner === owner && run.repo === repo && run.workflow === workflow)
        .filter(
          (run) =>
            (event === null || event === 'workflow_dispatch') &&
            run.createdAt >= Math.floor(since / 1000) * 1000,
        )
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, Number(url.searchParams.get('per_page') ?? 30));
      return reply(200, { total_count: runs.length, workflow_runs: runs.map((run) => this.#runJson(run)) });
    }
    if (req.method === 'GET' && parts[4] === 'runs' && parts[5] && parts.length === 6) {
      const run = this.#runs.get(Number(parts[5]));
      if (!run || run.owner !== owner || run.repo !== repo) return reply(404, { message: 'Not Found' });
      return reply(200, this.#runJson(run));
    }
    return reply(404, { message: 'Not Found' });
  }

  #startRun(owner: string, repo: string, workflow: string, ref: string, inputs: Record<string, string>): Run {
    const queuedMs = this.#options.queuedMs ?? 500;
    const runMs = this.#options.runMs ?? 1_000;
    const run: Run = {
      id: this.#nextRunId++,
      owner,
      repo,
      workflow,
      ref,
      inputs,
      title: (this.#options.runName ?? DEFAULT_RUN_NAME)(inputs),
      createdAt: Date.now(),
      conclusion: this.#options.conclusion ?? 'success',
      timers: [],
      status: 'queued',
    };
    run.timers.push(
      setTimeout(() => (run.status = 'in_progress'), queuedMs),
      setTimeout(() => {
        if (run.conclusion === 'success') this.#options.onRunSucceeded?.(inputs);
        run.status = 'completed';
      }, queuedMs + runMs),
    );
    this.#runs.set(run.id, run);
    return run;
  }

  #runJson(run: Run) {
    return {
      id: run.id,
      name: 'Production smoke test',
      display_title: run.title,
      event: 'workflow_dispatch',
      status: run.status,
      conclusion: run.status === 'completed' ? run.conclusion : null,
      head_branch: run.ref,
      path: `.github/workflows/${run.workflow}`,
      created_at: new Date(run.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      url: this.#apiRunUrl(run),
      html_url: this.#htmlRunUrl(run),
    };
  }

  #apiRunUrl(run: Run): string {
    return `${this.#url}/repos/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }

  #htmlRunUrl(run: Run): string {
    return `${this.#url}/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }

  #authenticate(header: string | undefined): string {
    const credential = bearer(header);
    if (credential === undefined) return 'none';
    if (this.#options.token !== undefined && credential === this.#options.token) return 'token';
    const expiresAt = this.#installationTokens.get(credential);
    if (expiresAt !== undefined && expiresAt > Date.now()) return 'installation-token';
    return 'none';
  }

  /** Checks an RS256 JWT as GitHub does for apps: signature, issuer and times. Returns what is wrong. */
  #verifyJwt(jwt: string | undefined): string | undefined {
    const app = this.#options.app;
    if (!jwt || !app || !this.#publicKey) return 'missing';
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return 'malformed';
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.#publicKey, Buffer.from(signature, 'base64url'))) return 'bad signature';
    const claims = parseJson(Buffer.from(payload, 'base64url').toString('utf8')) as
      { iss?: unknown; exp?: unknown; iat?: unknown } | undefined;
    const now = Date.now() / 1000;
    if (String(claims?.iss) !== String(app.appId)) return 'wrong issuer';
    if (typeof claims?.exp !== 'number' || claims.exp < now) return 'expired';
    if (typeof claims.iat !== 'number' || claims.iat > now + 60) return 'issued in the future';
    return undefined;
  }

  #admin(req: IncomingMessage, res: ServerResponse, parts: string[], raw: string): void {
    if (req.method === 'GET' && parts[0] === 'requests') return send(res, 200, this.#requests);
    if (req.method === 'GET' && parts[0] === 'runs') return send(res, 200, this.runs);
    if (req.method === 'POST' && parts[0] === 'faults') {
      const fault = parseJson(raw) as GithubFault | undefined;
      if (!fault || ![403, 429, 500, 502, 503].includes(fault.status) || !(fault.count > 0)) {
        return send(res, 400, {
          message:
            'expected {"status": 403|429|500|502|503, "count": N, "retryAfter"?, "secondaryRateLimit"?, "primaryRateLimit"?}',
        });
      }
      this.injectFault(fault);
      return send(res, 200, { queued: this.#faults.length });
    }
    if (req.method === 'PUT' && parts[0] === 'config') {
      const patch = parseJson(raw) as Parameters<SandboxGithub['configure']>[0] | undefined;
      if (!patch) return send(res, 400, { message: 'expected JSON' });
      this.configure(patch);
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { message: 'Not Found' });
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
