import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { startDaemon } from './helpers/daemon.js';
import { startHttpServer } from './helpers/servers.js';
import { tempDir } from './helpers/tmp.js';

const GITHUB_TOKEN = 'ghp_definitive404Token000000000000';

/** nginx's own 404 page, as a proxy in front of a control plane serves it. */
const NGINX_404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n' +
  '<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n';

/** How the control plane, or whatever stands in front of it, answers the lookups of each plane. */
const NOT_FOUND_ANSWERS: Record<string, (res: ServerResponse) => void> = {
  // Not the platform's answer: the lookup proves nothing.
  'user-html': (res) => res.writeHead(404, { 'content-type': 'text/html' }).end(NGINX_404),
  'user-big-html': (res) =>
    res.writeHead(404, { 'content-type': 'text/html' }).end(`<html>${' '.repeat(40_000)}</html>`),
  'user-empty': (res) => res.writeHead(404, { 'content-length': '0' }).end(),
  'user-text': (res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'),
  'user-json-string': (res) => res.writeHead(404, { 'content-type': 'application/json' }).end('"Not Found"'),
  // The platform's own JSON error: a definitive "no such user".
  'user-json': (res) =>
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such user"}'),
};
const UNDEFINITIVE = ['user-html', 'user-big-html', 'user-empty', 'user-text', 'user-json-string'];

describe('a 404 that is not the platform answer', () => {
  it('is FAILED {step}_http_404 and dispatches nothing; the platform JSON 404 is NO_USER and heals', async () => {
    const seen = new Set<string>();
    const proxy = await startHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      if (url.pathname === '/v1/users') {
        const plane = (url.searchParams.get('email') ?? '').replace('admin__smoke_test_', '');
        seen.add(plane);
        if (plane === 'model-html') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ users: [{ id: 'u1', organization_id: 'org-1' }] }));
        }
        const answer = NOT_FOUND_ANSWERS[plane];
        if (answer) return answer(res);
      }
      // The model lookup of `model-html`, and anything else.
      res.writeHead(404, { 'content-type': 'text/html' }).end(NGINX_404);
    });
    const github = new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 60_000,
    });
    await github.start();
    const planes = [...Object.keys(NOT_FOUND_ANSWERS), 'model-html'];
    const dir = tempDir('planecheck-404-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 4s, concurrency: 8, planeTimeout: 900ms }
platform: { controlPlaneUrl: "${proxy.url}", apiKey: k, requestTimeout: 800ms }
workloadPlanes:
${planes.map((plane) => `  - { name: ${plane}, inferenceUrl: "${proxy.url}/planes/${plane}" }`).join('\n')}
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, cooldown: 10m }
github: { apiUrl: "${github.url}", token: "${GITHUB_TOKEN}" }
server: { listen: "127.0.0.1:0" }
`,
    );
    const daemon = await startDaemon(['--config', path]);
    try {
      // The platform's own 404 is dispatched for: proof that this daemon heals when it should.
      await daemon.waitForLog(
        (line) => line.msg === 'self-heal dispatched the smoke-test workflow' && line.plane === 'user-json',
      );
      // Two whole cycles: every plane was looked up, and its self-heal decided, at least twice.
      await daemon.waitForLog(
        (line) =>
          line.msg === 'cycle finished' && daemon.logs.filter((l) => l.msg === 'cycle finished').length >= 2,
      );
      for (const plane of planes) assert.ok(seen.has(plane), `${plane} was looked up`);

      const status = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
        planes: { name: string; status: string; lastStatus: string; reason: string }[];
      };
      const byPlane = new Map(status.planes.map((plane) => [plane.name, plane]));
      for (const plane of UNDEFINITIVE) {
        assert.equal(byPlane.get(plane)?.lastStatus, 'FAILED', plane);
        assert.equal(byPlane.get(plane)?.reason, 'user_lookup_http_404', plane);
      }
      assert.equal(byPlane.get('model-html')?.lastStatus, 'FAILED');
      assert.equal(byPlane.get('model-html')?.reason, 'oracle_lookup_http_404');
      assert.equal(byPlane.get('user-json')?.lastStatus, 'NO_USER');

      const dispatched = github.runs.map((run) => run.inputs.workload_plane);
      assert.deepEqual(dispatched, ['user-json'], 'only the platform answer was dispatched for');
      assert.ok(
        !daemon.logs.some((line) => line.msg === 'self-heal held back' && line.plane !== 'user-json'),
        'self-heal never even considered a plane whose 404 was not the platform answer',
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
      await github.close();
      await proxy.close();
    }
  });
});
