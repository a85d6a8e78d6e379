import assert from 'node:assert/strict';
import { once, EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startHttpServer, type RunningServer } from './helpers/servers.js';
import { tempDir } from './helpers/tmp.js';

const PLANE = 'term-1';
const ORG = 'org-1';
const MODEL = 'model-1';

type PlatformMode = 'no_user' | 'healthy' | 'hang';

/**
 * A control plane and inference endpoint for one plane that speaks the platform contract. In `hang` mode
 * it accepts the user lookup and never answers, and says so (`held`), so a test can act while a check is
 * in flight.
 */
async function startFakePlatform() {
  const events = new EventEmitter();
  const state = { mode: 'no_user' as PlatformMode };
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://platform');
    if (url.pathname === '/v1/users') {
      if (state.mode === 'hang') {
        events.emit('held');
        return; // never answered
      }
      const users =
        state.mode === 'no_user'
          ? []
          : [{ id: 'u-1', email: url.searchParams.get('email'), organization_id: ORG }];
      return json(res, { users });
    }
    if (url.pathname === `/v1/organizations/${ORG}/models`)
      return json(res, { models: [{ id: MODEL, name: 'health-check-model' }] });
    if (url.pathname.endsWith('/production/predict')) return json(res, { output: 'pong' });
    if (url.pathname.endsWith('/production/async_predict')) return json(res, { request_id: 'r-1' });
    if (url.pathname.includes('/async_request/')) return json(res, { status: 'SUCCEEDED', errors: [] });
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
  return { server, events, state };
}

interface SeenRequest {
  method: string;
  path: string;
  at: number;
  body: string;
}

/**
 * A GitHub REST API stand-in whose answers each test decides (`handle`); it records every request with the
 * time it arrived and emits `request` as soon as one is seen, before it is answered.
 */
async function startFakeGithub(handle: (res: ServerResponse, seen: SeenRequest) => void) {
  const events = new EventEmitter();
  const requests: SeenRequest[] = [];
  const server = await startHttpServer((req, res) => {
    const seen = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://github').pathname,
      at: Date.now(),
      body: '',
    };
    requests.push(seen);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.body = body;
      events.emit('request', seen, body);
      handle(res, seen);
    });
  });
  /** Resolves with the first request (already seen or still to come) that `predicate` accepts. */
  const seen = (predicate: (request: SeenRequest) => boolean, timeoutMs = 15_000) =>
    new Promise<SeenRequest>((resolve, reject) => {
      const found = requests.find(predicate);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        events.off('request', onRequest);
        reject(new Error(`no such GitHub request within ${timeoutMs} ms: ${JSON.stringify(requests)}`));
      }, timeoutMs);
      const onRequest = (request: SeenRequest) => {
        if (!predicate(request)) return;
        clearTimeout(timer);
        events.off('request', onRequest);
        resolve(request);
      };
      events.on('request', onRequest);
    });
  return { server, events, requests, seen };
}

const DISPATCH_PATH = '/repos/acme/platform/actions/workflows/production-smoke-test.yml/dispatches';
const RUNS_PATH = '/repos/acme/platform/actions/workflows/production-smoke-test.yml/runs';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function writeConfig(platform: RunningServer, github: RunningServer, dir: string): string {
  const path = join(dir, 'planecheck.yaml');
  writeFileSync(
    path,
    `schedule: { interval: 10s, cacheTtl: 30s, planeTimeout: 8s }
platform: { controlPlaneUrl: "${platform.url}", apiKey: k, requestTimeout: 8s, asyncTimeout: 2s, pollInterval: 50ms }
workloadPlanes: [{ name: ${PLANE}, inferenceUrl: "${platform.url}/planes/${PLANE}" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 100ms }
github: { apiUrl: "${github.url}", token: ghp_shutdownTestToken }
`,
  );
  return path;
}

/** Sends SIGTERM and measures how long the daemon takes to exit. */
async function terminate(daemon: DaemonProcess): Promise<{ code: number | string; ms: number; at: number }> {
  const at = Date.now();
  daemon.child.kill('SIGTERM');
  const code = await daemon.exited;
  return { code, ms: Date.now() - at, at };
}

function healRows(dir: string): { status: string; outcome: string | null; run_id: number | null }[] {
  const db = new Database(join(dir, 'planecheck.db'), { readonly: true });
  try {
    return db.prepare('SELECT status, outcome, run_id FROM heal_actions ORDER BY id').all() as {
      status: string;
      outcome: string | null;
      run_id: number | null;
    }[];
  } finally {
    db.close();
  }
}

describe('the daemon stops promptly on SIGTERM in every self-heal state', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('with the dispatch request in flight: exit 0 within 5 s, no request after the signal, and the restart finds the run instead of dispatching again', async () => {
    const platform = await startFakePlatform();
    // Before the restart GitHub holds the dispatch open; after it, the run that dispatch started shows up.
    const later: { run?: Record<string, unknown> } = {};
    const github = await startFakeGithub((res, seen) => {
      if (seen.method === 'GET' && seen.path === RUNS_PATH)
        return sendJson(res, 200, {
          total_count: later.run ? 1 : 0,
          workflow_runs: later.run ? [later.run] : [],
        });
      if (
        seen.method === 'GET' &&
        later.run &&
        seen.path === `/repos/acme/platform/actions/runs/${String(later.run.id)}`
      )
        return sendJson(res, 200, later.run);
      // The dispatch: GitHub has it and does not answer (yet).
    });
    closers.push(
      () => platform.server.close(),
      () => github.server.close(),
    );
    const dir = tempDir('planecheck-term-');
    const config = writeConfig(platform.server, github.server, dir);
    const daemon = await startDaemon(['--config', config]);
    const dispatch = await github.seen((request) => request.method === 'POST');
    assert.equal(dispatch.path, DISPATCH_PATH);

    // What the fake has seen when the signal goes out came before it (one thread here); the rest came after.
    const seenBefore = github.requests.length;
    const stopped = await terminate(daemon);
    assert.equal(stopped.code, 0, daemon.stderr());
    assert.ok(stopped.ms < 5_000, `exited ${stopped.ms} ms after SIGTERM`);
    assert.deepEqual(github.requests.slice(seenBefore), [], 'no GitHub request after the signal');
    assert.ok(daemon.logs.some((line) => line.msg === 'stopped'));
    // GitHub may have started the run: the attempt is left to be looked for by correlation id, not failed.
    assert.deepEqual(healRows(dir), [{ status: 'dispatching', outcome: null, run_id: null }]);

    const inputs = (JSON.parse(dispatch.body) as { inputs: Record<string, string> }).inputs;
    later.run = {
      id: 777,
      display_title: `Production smoke test plane=${PLANE} [${inputs.correlation_id ?? ''}]`,
      status: 'completed',
      conclusion: 'success',
      html_url: 'http://github.example/acme/platform/actions/runs/777',
      created_at: new Date().toISOString(),
    };
    platform.state.mode = 'healthy';
    const restarted = await startDaemon(['--config', config]);
    try {
      const finished = await restarted.waitForLog((line) => line.msg === 'self-heal finished', 15_000);
      assert.equal(finished.outcome, 'fixed');
      assert.deepEqual(healRows(dir), [{ status: 'completed', outcome: 'fixed', run_id: 777 }]);
      assert.equal(github.requests.filter((r) => r.method === 'POST').length, 1, 'never dispatched again');
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  });

  it('while looking for the run of a dispatch answered 502: exit 0 within 5 s, and no second POST', async () => {
    const platform = await startFakePlatform();
    let posts = 0;
    const github = await startFakeGithub((res, seen) => {
      if (seen.method === 'GET' && seen.path === RUNS_PATH)
        return sendJson(res, 200, { total_count: 0, workflow_runs: [] });
      posts++;
      if (posts === 1) {
        // A proxy's 502: GitHub may have started the run, so planecheck never sends the POST again; it looks
        // for the run by correlation id instead.
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
      }
      // Any later POST is held open.
    });
    closers.push(
      () => platform.server.close(),
      () => github.server.close(),
    );
    const dir = tempDir('planecheck-term-');
    const daemon = await startDaemon(['--config', writeConfig(platform.server, github.server, dir)]);
    const dispatch = await github.seen((r) => r.method === 'POST');
    // Two listings after the 502: the daemon is polling for the run, between two polls or in one.
    await github.seen(
      (r) => r.method === 'GET' && r.path === RUNS_PATH && r.at > dispatch.at && r !== dispatch,
    );
    await github.seen(
      (r) =>
        r.method === 'GET' &&
        r.path === RUNS_PATH &&
        github.requests.indexOf(r) > github.requests.indexOf(dispatch) + 1,
    );
    const seenBefore = github.requests.length;
    const stopped = await terminate(daemon);
    assert.equal(stopped.code, 0, daemon.stderr());
    assert.ok(stopped.ms < 5_000, `exited ${stopped.ms} ms after SIGTERM`);
    assert.deepEqual(github.requests.slice(seenBefore), [], 'no GitHub request after the signal');
    assert.equal(github.requests.filter((r) => r.method === 'POST').length, 1, 'the dispatch was sent once');
    assert.deepEqual(healRows(dir), [{ status: 'dispatching', outcome: null, run_id: null }]);
  });

  it('during the re-check after a successful run: exit 0 within 5 s, and the restart finishes the attempt', async () => {
    const platform = await startFakePlatform();
    const run = {
      id: 4242,
      display_title: `Production smoke test plane=${PLANE} [x]`,
      status: 'completed',
      conclusion: 'success',
      html_url: 'http://github.example/acme/platform/actions/runs/4242',
      created_at: new Date().toISOString(),
    };
    let runReads = 0;
    const github = await startFakeGithub((res, seen) => {
      if (seen.method === 'GET' && seen.path === RUNS_PATH)
        return sendJson(res, 200, { total_count: 0, workflow_runs: [] });
      if (seen.method === 'POST') {
        return sendJson(res, 200, { workflow_run_id: run.id, run_url: '', html_url: run.html_url });
      }
      if (seen.path === `/repos/acme/platform/actions/runs/${run.id}`) {
        // The run repaired the plane, but the control plane now hangs: the first re-check stays in flight.
        runReads++;
        if (runReads === 1) platform.state.mode = 'hang';
        return sendJson(res, 200, run);
      }
      sendJson(res, 404, { message: 'Not Found' });
    });
    closers.push(
      () => platform.server.close(),
      () => github.server.close(),
    );
    const dir = tempDir('planecheck-term-');
    const config = writeConfig(platform.server, github.server, dir);
    const daemon = await startDaemon(['--config', config]);
    await once(platform.events, 'held', { signal: AbortSignal.timeout(15_000) });

    const stopped = await terminate(daemon);
    assert.equal(stopped.code, 0, daemon.stderr());
    assert.ok(stopped.ms < 5_000, `exited ${stopped.ms} ms after SIGTERM`);
    assert.deepEqual(healRows(dir), [{ status: 'completed', outcome: null, run_id: run.id }]);

    // The control plane answers again; the restarted daemon re-checks and records the outcome.
    platform.state.mode = 'healthy';
    const restarted = await startDaemon(['--config', config]);
    try {
      const finished = await restarted.waitForLog((line) => line.msg === 'self-heal finished', 15_000);
      assert.equal(finished.outcome, 'fixed');
      assert.deepEqual(healRows(dir), [{ status: 'completed', outcome: 'fixed', run_id: run.id }]);
      assert.equal(github.requests.filter((r) => r.method === 'POST').length, 1, 'dispatched once');
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  });
});

describe('SIGHUP', () => {
  it('reloads the config rather than ending the daemon, which keeps running and serving', async () => {
    const platform = await startFakePlatform();
    platform.state.mode = 'healthy';
    const dir = tempDir('planecheck-hup-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `platform: { controlPlaneUrl: "${platform.server.url}", apiKey: k }
workloadPlanes: [{ name: ${PLANE}, inferenceUrl: "${platform.server.url}/planes/${PLANE}" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    const daemon = await startDaemon(['--config', path]);
    try {
      daemon.child.kill('SIGHUP');
      const reloaded = await daemon.waitForLog((line) => line.msg === 'config reloaded');
      assert.deepEqual(reloaded.fields, [], 'the file did not change');
      assert.equal(daemon.child.exitCode, null, 'still running');
      assert.equal(daemon.child.signalCode, null);
      const health = await fetch(`${daemon.url}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      assert.equal(await daemon.stop(), 0);
      await platform.server.close();
    }
  });
});
