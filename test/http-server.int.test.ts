import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../src/log/logger.js';
import { closeServer, createDaemonServer, listen } from '../src/server/http-server.js';
import { createRoutes } from '../src/server/routes.js';
import type { StatusResponse } from '../src/server/status-api.js';

/** Sends one GET with the request target exactly as given (fetch would normalise it). */
function get(base: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path: target, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the daemon server with paths that do not decode', () => {
  const logLines: string[] = [];
  const server = createDaemonServer({
    log: createLogger('debug', (line) => logLines.push(line)),
    readiness: () => ({ ready: true, checks: {} }),
    protectedRoutes: createRoutes({
      metrics: { render: () => Promise.resolve([]), renderText: () => Promise.resolve([]), contentType: '' },
      status: () => ({}) as StatusResponse,
      planes: () => ['us-east-1'],
      history: () => Promise.resolve([]),
      planeStatus: () => 'HEALTHY',
      runbookUrl: () => 'https://runbooks.example.com/planecheck.md',
    }),
  });
  let url = '';
  before(async () => {
    url = await listen(server, '127.0.0.1:0');
  });
  after(() => closeServer(server));

  it('answers 400 to undecodable badge, history and request targets, and logs nothing', async () => {
    for (const target of [
      '/badge/%E0.svg',
      '/badge/%zz.svg',
      '/badge/us-east-1%ff.svg',
      '/api/v1/planes/%E0%A4/history',
      '//[zz]/metrics',
    ]) {
      const response = await get(url, target);
      assert.equal(response.status, 400, target);
      assert.match(response.body, /is not (a valid URL|valid percent-encoding)/, target);
    }
    assert.deepEqual(logLines, [], 'a client mistake is not a server error');
    // Well-formed paths still work, encoded or not.
    assert.equal((await get(url, '/badge/us-east-1.svg')).status, 200);
    assert.equal((await get(url, '/badge/us%2Deast%2D1.svg')).status, 200);
    assert.equal((await get(url, '/badge/mars.svg')).status, 404);
  });
});

describe('the history route when the result store does not answer', () => {
  const server = createDaemonServer({
    log: createLogger('error', () => undefined),
    readiness: () => ({ ready: true, checks: {} }),
    protectedRoutes: createRoutes({
      metrics: { render: () => Promise.resolve([]), renderText: () => Promise.resolve([]), contentType: '' },
      status: () => ({}) as StatusResponse,
      planes: () => ['us-east-1'],
      history: () => Promise.reject(new Error('connection refused')),
      planeStatus: () => 'HEALTHY',
      runbookUrl: () => 'https://runbooks.example.com/planecheck.md',
    }),
  });
  let url = '';
  before(async () => {
    url = await listen(server, '127.0.0.1:0');
  });
  after(() => closeServer(server));

  it('answers 503 and says why, rather than a bare internal error', async () => {
    const { status, body } = await get(url, '/api/v1/planes/us-east-1/history');
    assert.equal(status, 503);
    assert.deepEqual(JSON.parse(body), { error: 'the result store did not answer: connection refused' });
  });
});

describe('the daemon server taking changes (POST, DELETE)', () => {
  const received: string[] = [];
  const serverWith = (options: { auth?: { bearerToken: string }; writesOpen: boolean }) =>
    createDaemonServer({
      log: createLogger('error', () => undefined),
      readiness: () => ({ ready: true, checks: {} }),
      protectedRoutes: {},
      writeRoutes: {
        '/api/v1/planes/': (url, req) => {
          received.push(`${req.method ?? ''} ${url.pathname}`);
          return { status: 200, contentType: 'application/json', body: '{}' };
        },
      },
      writesOpen: options.writesOpen,
      auth: () => options.auth,
    });

  it('refuses them without auth when the server is not on loopback (403, saying why), and takes them on loopback', async () => {
    for (const writesOpen of [false, true]) {
      const server = serverWith({ writesOpen });
      const url = await listen(server, '127.0.0.1:0');
      try {
        const res = await fetch(`${url}/api/v1/planes/a/maintenance`, { method: 'POST', body: '{}' });
        if (writesOpen) assert.equal(res.status, 200);
        else {
          assert.equal(res.status, 403);
          assert.match(((await res.json()) as { error: string }).error, /need server\.auth .* loopback/);
        }
        assert.equal(
          (await fetch(`${url}/metrics`, { method: 'DELETE' })).status,
          405,
          'no write route there',
        );
        assert.equal((await fetch(`${url}/api/v1/planes/a/maintenance`, { method: 'PUT' })).status, 405);
      } finally {
        await closeServer(server);
      }
    }
    assert.deepEqual(received, ['POST /api/v1/planes/a/maintenance']);
  });

  it('with auth, takes them only with the credentials, wherever it listens', async () => {
    received.length = 0;
    const server = serverWith({ auth: { bearerToken: 'a-token-of-sixteen-chars' }, writesOpen: false });
    const url = await listen(server, '127.0.0.1:0');
    try {
      assert.equal((await fetch(`${url}/api/v1/planes/a/maintenance`, { method: 'DELETE' })).status, 401);
      const res = await fetch(`${url}/api/v1/planes/a/maintenance`, {
        method: 'DELETE',
        headers: { authorization: 'Bearer a-token-of-sixteen-chars' },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(received, ['DELETE /api/v1/planes/a/maintenance']);
    } finally {
      await closeServer(server);
    }
  });
});
