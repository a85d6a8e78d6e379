import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startHttpsServer, TLS_FIXTURES, type RunningServer } from './helpers/servers.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'tls-expiry-key';

describe('planecheck_tls_cert_expiry_timestamp_seconds from a real daemon', () => {
  const platform = new SandboxPlatform({ apiKey: API_KEY, planes: { secure: 'healthy', plain: 'healthy' } });
  let proxy: RunningServer | undefined;
  let daemon: DaemonProcess | undefined;

  before(async () => {
    await platform.start();
    // The plane's inference endpoint over HTTPS, with the test CA's certificate: a proxy to the sandbox.
    proxy = await startHttpsServer((req, res) => {
      const upstream = httpRequest(new URL(req.url ?? '/', platform.url), {
        method: req.method,
        headers: req.headers,
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    const dir = tempDir('planecheck-tls-expiry-');
    const config = join(dir, 'planecheck.yaml');
    writeFileSync(
      config,
      // Generous deadlines: the first cycle (at start) must pass on a busy machine; nothing here waits for them.
      `schedule: { interval: 10s, cacheTtl: 30s, planeTimeout: 8s }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 5s, pollInterval: 20ms }
workloadPlanes:
  - { name: secure, inferenceUrl: "${proxy.url}/planes/secure" }
  - { name: plain, inferenceUrl: "${platform.inferenceUrl('plain')}" }
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    const ca = fileURLToPath(new URL('ca.pem', TLS_FIXTURES));
    daemon = await startDaemon(['--config', config], { NODE_EXTRA_CA_CERTS: ca });
  });

  after(async () => {
    await daemon?.stop();
    await proxy?.close();
    await platform.close();
  });

  it("exports the HTTPS plane's certificate expiry, and nothing for a plain HTTP plane", async () => {
    assert.ok(daemon);
    const url = daemon.url;
    const line = await eventually(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /^planecheck_tls_cert_expiry_timestamp_seconds\{workload_plane="secure"\} (\S+)$/m.exec(
          text,
        )?.[1];
      },
      20_000,
      'the expiry series',
    );
    const notAfter = execFileSync(
      'openssl',
      ['x509', '-noout', '-enddate', '-in', fileURLToPath(new URL('server.pem', TLS_FIXTURES))],
      { encoding: 'utf8' },
    )
      .trim()
      .replace('notAfter=', '');
    assert.equal(Number(line), Date.parse(notAfter) / 1000);
    // Once both planes have a result, the plain one has had its check too: it never gets an expiry series.
    const text = await eventually(
      async () => {
        const body = await (await fetch(`${url}/metrics`)).text();
        return /^planecheck_last_check_timestamp_seconds\{workload_plane="plain"\} /m.test(body) &&
          /^planecheck_last_check_timestamp_seconds\{workload_plane="secure"\} /m.test(body)
          ? body
          : undefined;
      },
      20_000,
      'a result for both planes',
    );
    assert.doesNotMatch(text, /planecheck_tls_cert_expiry_timestamp_seconds\{workload_plane="plain"\}/);
    assert.match(
      text,
      /^planecheck_check_success\{workload_plane="secure"\} 1$/m,
      'the HTTPS plane is checked',
    );
  });
});
