import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startFaultProxy } from './helpers/fault-proxy.js';
import { tempDir } from './helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const API_KEY = 'page-test-key';
const GITHUB_TOKEN = 'ghp_pageTestToken00000000000000';

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install the Debian package "chromium" (.ci/run does)`);
  }
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    throw new Error(
      `Chromium at ${CHROMIUM} could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Opens the page and records console errors and page errors. */
async function open(browser: Browser, url: string, credentials?: { username: string; password: string }) {
  const context = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const response = await page.goto(url);
  return { page, errors, response, close: () => context.close() };
}

const rowStatus = (page: Page, plane: string) =>
  page.locator(`tr[data-plane="${plane}"] .status`).textContent();

function writeConfig(dir: string, platform: SandboxPlatform, github: SandboxGithub, extra = ''): string {
  const planes = ['pg-ok', 'pg-nouser', 'pg-nomodel', 'pg-500', 'pg-slow', 'pg-changing'];
  const path = join(dir, 'planecheck.yaml');
  writeFileSync(
    path,
    `schedule: { interval: 1s, cacheTtl: 4s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 20ms }
workloadPlanes:
${planes.map((plane) => `  - { name: ${plane}, inferenceUrl: "${platform.inferenceUrl(plane)}" }`).join('\n')}
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 200ms, cooldown: 10m }
github: { apiUrl: "${github.url}", token: "${GITHUB_TOKEN}" }
${extra || 'server: { listen: "127.0.0.1:0" }'}
`,
  );
  return path;
}

describe('the status page in a real browser (Debian Chromium)', () => {
  const platform = new SandboxPlatform({
    apiKey: API_KEY,
    planes: {
      'pg-ok': 'healthy',
      'pg-nouser': 'no_user',
      'pg-nomodel': 'no_model',
      'pg-500': 'predict_500',
      'pg-slow': 'slow',
      'pg-changing': 'healthy',
    },
    slowDelayMs: 3_000,
  });
  // Runs conclude "failure", so NO_USER and NO_ORACLE stay for the page to show, with their run links.
  const github = new SandboxGithub({
    token: GITHUB_TOKEN,
    workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
    queuedMs: 100,
    runMs: 200,
    conclusion: 'failure',
  });
  let browser: Browser;
  let daemon: DaemonProcess;

  before(async () => {
    browser = await launch();
    await platform.start();
    await github.start();
    daemon = await startDaemon([
      '--config',
      writeConfig(tempDir('planecheck-page-'), platform, github),
      '--instance',
      'page-replica',
    ]);
  });
  after(async () => {
    await daemon?.stop();
    await browser?.close();
    await platform.close();
    await github.close();
  });

  it('renders NO_VALUE for a plane whose first check is still in flight', async () => {
    // The platform holds the check's first request open, and the timeouts are far longer than the
    // test: the plane has no result while the page loads, however slow the machine.
    const proxy = await startFaultProxy(platform.url, 'hold');
    const dir = tempDir('planecheck-page-first-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1m, cacheTtl: 2m, planeTimeout: 50s }
platform: { controlPlaneUrl: "${proxy.url}", apiKey: "${API_KEY}", requestTimeout: 50s }
workloadPlanes: [{ name: pg-first, inferenceUrl: "${proxy.url}/planes/pg-first" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    const held = proxy.nextHeld();
    const waiting = await startDaemon(['--config', path]);
    try {
      await held; // the first check is waiting on the platform
      const { page, errors, close } = await open(browser, `${waiting.url}/`);
      try {
        assert.equal(await rowStatus(page, 'pg-first'), 'NO_VALUE');
        assert.equal(proxy.heldCount, 1, 'the check was still in flight');
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    } finally {
      assert.equal(await waiting.stop(), 0);
      await proxy.close();
    }
  });

  it('renders every status with its text, self-heal actions with run links, and no console errors', async () => {
    const { page, errors, response, close } = await open(browser, `${daemon.url}/`);
    try {
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'none'/);
      const expected: Record<string, string> = {
        'pg-ok': 'HEALTHY',
        'pg-nouser': 'NO_USER',
        'pg-nomodel': 'NO_ORACLE',
        'pg-500': 'FAILED',
      };
      await eventually(
        async () => {
          for (const [plane, status] of Object.entries(expected))
            if ((await rowStatus(page, plane)) !== status) return undefined;
          return true;
        },
        15_000,
        'every status on the page',
      );
      // Status is text, not only colour, and each carries its meaning.
      assert.match((await page.locator('tr[data-plane="pg-nouser"]').textContent()) ?? '', /does not exist/);
      assert.match(
        (await page.locator('tr[data-plane="pg-500"] .reason').textContent()) ?? '',
        /predict_http_500/,
      );

      // Who checked each plane, beside the time of its check; and who answered.
      assert.equal(
        await page.locator('tr[data-plane="pg-500"] .checked-by').textContent(),
        'checked by page-replica',
      );
      assert.match((await page.locator('#meta').textContent()) ?? '', /by page-replica$/);

      const link = page.locator('tr[data-plane="pg-nouser"] td a');
      await link.waitFor({ timeout: 15_000 });
      assert.match((await link.getAttribute('href')) ?? '', /\/acme\/platform\/actions\/runs\/\d+$/);

      const card = page.locator('article[data-plane="pg-500"]');
      assert.match((await card.textContent()) ?? '', /Diagnose:/);
      assert.match(
        (await card.locator('a', { hasText: 'Runbook' }).getAttribute('href')) ?? '',
        /runbook\.md#failed$/,
      );
      assert.match((await page.locator('#banner').textContent()) ?? '', /planes need attention/);

      // A real table for screen readers: caption, column headers, a row header per plane.
      assert.equal(await page.locator('table caption').count(), 1);
      assert.equal(await page.locator('thead th[scope="col"]').count(), 7);
      assert.equal(await page.locator('tbody th[scope="row"]').count(), 6);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('shows a plane changing state without a reload', async () => {
    const { page, errors, close } = await open(browser, `${daemon.url}/`);
    try {
      await eventually(
        async () => ((await rowStatus(page, 'pg-changing')) === 'HEALTHY' ? true : undefined),
        10_000,
      );
      await page.evaluate(() => {
        (globalThis as unknown as { marker: number }).marker = 42;
      });
      platform.setScenario('pg-changing', 'predict_500');
      await eventually(
        async () => ((await rowStatus(page, 'pg-changing')) === 'FAILED' ? true : undefined),
        15_000,
        'the change',
      );
      const marker = await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker);
      assert.equal(marker, 42, 'the page was not reloaded');
      assert.deepEqual(errors, []);
    } finally {
      platform.setScenario('pg-changing', 'healthy');
      await close();
    }
  });

  it('bounds the history endpoint', async () => {
    await eventually(async () => {
      const body = (await (await fetch(`${daemon.url}/api/v1/planes/pg-ok/history?limit=2`)).json()) as {
        results: unknown[];
      };
      return body.results.length === 2 ? true : undefined;
    });
    const big = (await (await fetch(`${daemon.url}/api/v1/planes/pg-ok/history?limit=5000`)).json()) as {
      limit: number;
      results: { status: string; checkedBy: string | null }[];
    };
    assert.equal(big.limit, 1000);
    assert.ok(big.results.length >= 2 && big.results.length <= 1000);
    assert.equal(big.results[0]?.status, 'HEALTHY');
    assert.equal(big.results[0]?.checkedBy, 'page-replica');
    const plain = (await (await fetch(`${daemon.url}/api/v1/planes/pg-ok/history`)).json()) as {
      limit: number;
    };
    assert.equal(plain.limit, 100);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      assert.equal((await fetch(`${daemon.url}/api/v1/planes/pg-ok/history?limit=${bad}`)).status, 400, bad);
    }
    assert.equal((await fetch(`${daemon.url}/api/v1/planes/mars/history`)).status, 404);
  });

  it('says in a banner when self-heal holds back for a mass incident, and marks the held planes', async () => {
    const dir = tempDir('planecheck-page-held-');
    const path = writeConfig(dir, platform, github);
    // pg-nouser and pg-nomodel need repair: more than one at once is a mass incident here.
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('cooldown: 10m }', 'cooldown: 10m, maxPlanesAtOnce: 1 }'),
    );
    const held = await startDaemon(['--config', path]);
    try {
      await held.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('self-heal held:'));
      const { page, errors, close } = await open(browser, `${held.url}/`);
      try {
        const banner = page.locator('#heal-hold');
        await banner.waitFor({ state: 'visible' });
        assert.match(
          (await banner.textContent()) ?? '',
          /^Self-heal is holding back: 2 planes need repair at once \(more than 1\).*: pg-nomodel, pg-nouser$/,
        );
        const healCell = (plane: string) =>
          page.locator(`tr[data-plane="${plane}"] td:last-child`).textContent();
        assert.match((await healCell('pg-nouser')) ?? '', /held \(mass incident\)/);
        assert.match((await healCell('pg-nomodel')) ?? '', /held \(mass incident\)/);
        assert.doesNotMatch((await healCell('pg-ok')) ?? '', /held/);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    } finally {
      assert.equal(await held.stop(), 0);
    }
  });

  it('serves a valid SVG badge per plane', async () => {
    const response = await fetch(`${daemon.url}/badge/pg-ok.svg`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await response.text();
    const { page, close } = await open(browser, 'about:blank');
    try {
      const parsed = await page.evaluate((text) => {
        interface Doc {
          querySelector(selector: string): { textContent: string | null } | null;
          documentElement: { nodeName: string; textContent: string | null };
        }
        const Parser = (
          globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } }
        ).DOMParser;
        const doc = new Parser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          root: doc.documentElement.nodeName,
          text: doc.documentElement.textContent,
        };
      }, svg);
      assert.equal(parsed.error, null);
      assert.equal(parsed.root, 'svg');
      assert.match(parsed.text ?? '', /pg-ok/);
      assert.match(parsed.text ?? '', /HEALTHY|NO_VALUE/);
    } finally {
      await close();
    }
    assert.equal((await fetch(`${daemon.url}/badge/mars.svg`)).status, 404);
  });
});

describe('the status page with auth on', () => {
  it('asks for credentials, and with them the page and its API calls work', async () => {
    const platform = new SandboxPlatform({ apiKey: API_KEY, planes: { 'pg-ok': 'healthy' } });
    const github = new SandboxGithub({ token: GITHUB_TOKEN });
    await platform.start();
    await github.start();
    const dir = tempDir('planecheck-page-auth-');
    const daemon = await startDaemon([
      '--config',
      writeConfig(
        dir,
        platform,
        github,
        'server: { listen: "127.0.0.1:0", auth: { username: oncall, password: "page-password-1234" } }',
      ),
    ]);
    const browser = await launch();
    try {
      const anonymous = await fetch(`${daemon.url}/`);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic/);

      const { page, errors, response, close } = await open(browser, `${daemon.url}/`, {
        username: 'oncall',
        password: 'page-password-1234',
      });
      try {
        assert.equal(response?.status(), 200);
        const polled = page.waitForResponse((r) => r.url().endsWith('/api/v1/status') && r.status() === 200, {
          timeout: 10_000,
        });
        await polled;
        await eventually(
          async () => ((await rowStatus(page, 'pg-ok')) === 'HEALTHY' ? true : undefined),
          10_000,
        );
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    } finally {
      await browser.close();
      await daemon.stop();
      await platform.close();
      await github.close();
    }
  });
});
