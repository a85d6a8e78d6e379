import assert from 'node:assert/strict';
import type { MaintenanceState } from '../src/maintenance/maintenance-window.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { createLogger } from '../src/log/logger.js';
import { closeServer, createDaemonServer, listen } from '../src/server/http-server.js';
import { createRoutes } from '../src/server/routes.js';
import { statusResponse } from '../src/server/status-api.js';
import type { PlaneState } from '../src/store/plane-state.js';
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
      // Status is text, not only colour, and each carries its meaning: in a tooltip, and in the explanation
      // of what to do.
      assert.match(
        (await page.locator('tr[data-plane="pg-nouser"] .status').getAttribute('title')) ?? '',
        /does not exist/,
      );
      assert.match(
        (await page.locator('article[data-planes~="pg-nouser"]').textContent()) ?? '',
        /does not exist/,
      );
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

      const card = page.locator('article[data-planes~="pg-500"]');
      assert.match((await card.textContent()) ?? '', /Diagnose:/);
      assert.match(
        (await card.locator('a', { hasText: 'Runbook' }).getAttribute('href')) ?? '',
        /runbook\.md#failed$/,
      );
      assert.match(
        (await page.locator('#banner').textContent()) ?? '',
        /^\d planes need attention: pg-500, .*pg-nouser/,
      );

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
    // The plane's status as the API says it just before and just after: checked every second with an 800 ms
    // deadline, a loaded machine may see it fail, and the badge must say whatever the API said.
    const apiStatus = async () => {
      const body = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
        planes: { name: string; status: string }[];
      };
      return body.planes.find((plane) => plane.name === 'pg-ok')?.status ?? 'missing';
    };
    const before = await apiStatus();
    const response = await fetch(`${daemon.url}/badge/pg-ok.svg`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await response.text();
    const after = await apiStatus();
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
      const shown = /HEALTHY|NO_USER|NO_ORACLE|FAILED|NO_VALUE/.exec(parsed.text ?? '')?.[0];
      assert.ok(shown === before || shown === after, `badge ${shown}, API ${before} then ${after}`);
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

describe('the status page at 100 planes, 3 of them broken, in a 1440x900 window', () => {
  const RUNBOOK = 'https://runbooks.example.com/planecheck/runbook.md';
  const names = Array.from({ length: 100 }, (_, i) => `plane-${String(i + 1).padStart(3, '0')}`);
  // Spread through the list and in config order the least urgent first, so the page has to sort them.
  const broken: Record<string, 'predict_500' | 'no_user' | 'no_model'> = {
    'plane-017': 'no_model',
    'plane-054': 'no_user',
    'plane-088': 'predict_500',
  };
  const platform = new SandboxPlatform({
    apiKey: API_KEY,
    planes: Object.fromEntries(names.map((name) => [name, broken[name] ?? 'healthy'])),
  });
  let browser: Browser;
  let daemon: DaemonProcess;

  before(async () => {
    browser = await launch();
    await platform.start();
    const dir = tempDir('planecheck-page-100-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      // Timeouts far above what a loaded machine needs: the 97 healthy planes must stay healthy.
      `schedule: { interval: 10s, cacheTtl: 1m, planeTimeout: 8s, concurrency: 20 }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 5s, pollInterval: 20ms }
workloadPlanes:
${names.map((name) => `  - { name: ${name}, inferenceUrl: "${platform.inferenceUrl(name)}" }`).join('\n')}
storage: { path: "${join(dir, 'planecheck.db')}" }
server: { listen: "127.0.0.1:0", runbookUrl: "${RUNBOOK}" }
`,
    );
    daemon = await startDaemon(['--config', path]);
    await eventually(
      async () => {
        const status = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
          summary: Record<string, number>;
        };
        const { HEALTHY, FAILED, NO_USER, NO_ORACLE } = status.summary;
        return HEALTHY === 97 && FAILED === 1 && NO_USER === 1 && NO_ORACLE === 1 ? true : undefined;
      },
      30_000,
      'every plane checked',
    );
  });
  after(async () => {
    await daemon?.stop();
    await browser?.close();
    await platform.close();
  });

  async function open100() {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${daemon.url}/`);
    return { page, errors, close: () => context.close() };
  }
  const shownPlanes = (page: Page) => page.locator('tbody th[scope="row"]').allTextContents();

  it('puts the broken planes first, all in view, names them in the banner, and links the configured runbook', async () => {
    const { page, errors, close } = await open100();
    try {
      assert.equal(
        await page.locator('#banner').textContent(),
        '3 planes need attention: plane-088, plane-054, plane-017',
      );
      assert.deepEqual((await shownPlanes(page)).slice(0, 4), [
        'plane-088',
        'plane-054',
        'plane-017',
        'plane-001',
      ]);
      for (const plane of Object.keys(broken)) {
        const box = await page.locator(`tr[data-plane="${plane}"]`).boundingBox();
        assert.ok(
          box && box.y >= 0 && box.y + box.height <= 900,
          `${plane} in the first 900 px: ${JSON.stringify(box)}`,
        );
      }
      // The explanations are there for each broken plane, and for no healthy one.
      const cards = await page.locator('article.card').all();
      assert.deepEqual(await Promise.all(cards.map((card) => card.getAttribute('data-planes'))), [
        'plane-088',
        'plane-054',
        'plane-017',
      ]);
      assert.equal(
        await page.locator('article[data-planes="plane-088"] a', { hasText: 'Runbook' }).getAttribute('href'),
        `${RUNBOOK}#failed`,
      );
      assert.match(
        (await page.locator('article[data-planes="plane-054"]').textContent()) ?? '',
        /does not exist/,
      );
      assert.equal(
        await page.locator('tr[data-plane="plane-001"] .reason, tr[data-plane="plane-001"] .small').count(),
        0,
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('shows each healthy plane on one compact line', async () => {
    const { page, close } = await open100();
    try {
      const lineHeight = await page
        .locator('tr[data-plane="plane-001"] th')
        .evaluate((th) =>
          parseFloat(
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string } }
            ).getComputedStyle(th).lineHeight,
          ),
        );
      const heights = await page
        .locator('tr.compact')
        .evaluateAll((rows) =>
          rows.map(
            (row) =>
              (row as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect()
                .height,
          ),
        );
      assert.equal(heights.length, 97);
      for (const height of heights)
        assert.ok(height < 2 * lineHeight, `row ${height} px high, a line is ${lineHeight} px`);
      const broken = await page.locator('tr[data-plane="plane-088"]').boundingBox();
      assert.ok(broken && broken.height >= 2 * lineHeight, 'a broken plane shows more than one line');
    } finally {
      await close();
    }
  });

  it('filters by name and by status chip, and keeps the filter across refreshes', async () => {
    const { page, errors, close } = await open100();
    try {
      const chip = (label: string) => page.locator('#chips .chip', { hasText: label });
      assert.equal(await chip('All').locator('.count').textContent(), '100');
      assert.equal(await chip('HEALTHY').locator('.count').textContent(), '97');
      assert.equal(await chip('FAILED').locator('.count').textContent(), '1');
      assert.equal(await chip('NO_VALUE').locator('.count').textContent(), '0');
      assert.ok(await chip('In maintenance').isHidden(), 'no plane is in maintenance');

      await page.locator('#filter').fill('plane-05');
      assert.deepEqual(await shownPlanes(page), [
        'plane-054',
        ...names.filter((name) => name.startsWith('plane-05') && name !== 'plane-054'),
      ]);
      const before = await page.locator('body').getAttribute('data-fetched-at');
      await page.waitForFunction(
        (previous) =>
          (
            globalThis as unknown as { document: { body: { getAttribute(name: string): string | null } } }
          ).document.body.getAttribute('data-fetched-at') !== previous,
        before,
        { timeout: 10_000 },
      );
      assert.equal((await shownPlanes(page)).length, 10, 'the name filter survives a refresh');
      await page.locator('#filter').fill('mars');
      assert.deepEqual(await shownPlanes(page), []);
      assert.match((await page.locator('#other-rows').textContent()) ?? '', /No plane matches/);
      await page.locator('#filter').fill('');

      await chip('FAILED').click();
      assert.equal(await chip('FAILED').getAttribute('aria-pressed'), 'true');
      assert.deepEqual(await shownPlanes(page), ['plane-088']);
      await chip('HEALTHY').click();
      assert.equal((await shownPlanes(page)).length, 97);
      assert.ok(await page.locator('#guidance').isHidden(), 'no explanations among healthy planes');
      await chip('HEALTHY').click(); // again: back to all
      assert.equal(await chip('All').getAttribute('aria-pressed'), 'true');
      assert.equal((await shownPlanes(page)).length, 100);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('the status page with planes in maintenance (the per-plane maintenance field of the status API)', () => {
  const now = Date.now();
  const state = (plane: string, status: PlaneState['status'], reason: string | null = null): PlaneState => ({
    plane,
    status,
    reason,
    checkedAt: now - 5_000,
    expiresAt: now + 600_000,
    durationMs: 42,
    steps: [{ step: 'user_lookup', outcome: status === 'NO_USER' ? 'not_found' : 'ok', durationMs: 42 }],
    checkedBy: 'replica-a',
    lastStatus: null,
  });
  const maintenance: Record<string, MaintenanceState> = {
    'b-draining': {
      startedAt: now - 60_000,
      until: now + 7_200_000,
      note: 'node pool upgrade',
      actor: 'api:alice',
      source: 'api',
    },
    'd-rebuild': {
      startedAt: now - 60_000,
      until: now + 3_600_000,
      note: 'rebuilt from scratch',
      actor: 'config',
      source: 'config',
      window: 0,
    },
  };
  const status = statusResponse(
    'replica-a',
    [
      state('a-ok', 'HEALTHY'),
      state('b-draining', 'FAILED', 'predict_http_503'),
      state('c-broken', 'FAILED', 'predict_timeout'),
      state('d-rebuild', 'HEALTHY'),
      state('e-nouser', 'NO_USER', 'user_not_found'),
      state('f-lookup', 'FAILED', 'user_lookup_timeout'),
    ],
    { intervalMs: 60_000, cacheTtlMs: 120_000, running: true, lastCycleFinishedAt: now - 5_000 },
    { healActions: () => [], maintenance: (plane) => maintenance[plane] },
    now,
  );
  const server = createDaemonServer({
    log: createLogger('error', () => undefined),
    readiness: () => ({ ready: true, checks: {} }),
    protectedRoutes: createRoutes({
      metrics: { render: () => Promise.resolve([]), renderText: () => Promise.resolve([]), contentType: '' },
      status: () => status,
      planes: () => status.planes.map((plane) => plane.name),
      history: () => Promise.resolve([]),
      planeStatus: () => 'HEALTHY',
      runbookUrl: () => 'https://runbooks.example.com/planecheck',
    }),
  });
  let url = '';
  let browser: Browser;
  before(async () => {
    url = await listen(server, '127.0.0.1:0');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await closeServer(server);
  });

  it('sorts planes in maintenance after those that need attention, on one line with their note, and leaves them out of the banner', async () => {
    const { page, errors, close } = await open(browser, `${url}/`);
    try {
      assert.deepEqual(await page.locator('tbody th[scope="row"]').allTextContents(), [
        'c-broken',
        'f-lookup',
        'e-nouser',
        'b-draining',
        'd-rebuild',
        'a-ok',
      ]);
      assert.equal(
        await page.locator('#banner').textContent(),
        '3 planes need attention: c-broken, f-lookup, e-nouser',
      );
      const draining = page.locator('tr[data-plane="b-draining"]');
      assert.equal(await draining.getAttribute('class'), 'compact');
      assert.match(
        (await draining.textContent()) ?? '',
        /FAILED.*maintenance until .* · node pool upgrade \(api:alice\)/,
      );
      assert.equal(
        await page.locator('article[data-planes~="b-draining"]').count(),
        0,
        'no explanation: expected',
      );
      // One explanation per status, with the runbook's sub-step for each of its planes' reasons.
      const failed = page.locator('article[data-planes="c-broken f-lookup"]');
      assert.equal(
        await failed.locator('a', { hasText: 'Runbook' }).getAttribute('href'),
        'https://runbooks.example.com/planecheck#failed',
      );
      const failedText = (await failed.textContent()) ?? '';
      assert.match(failedText, /predict_\*/);
      assert.match(failedText, /the control plane is failing/);
      assert.equal(await page.locator('article.card').count(), 2);

      const chip = page.locator('#chips .chip', { hasText: 'In maintenance' });
      assert.equal(await chip.locator('.count').textContent(), '2');
      await chip.click();
      assert.deepEqual(await page.locator('tbody th[scope="row"]').allTextContents(), [
        'b-draining',
        'd-rebuild',
      ]);
      assert.ok(await page.locator('#guidance').isHidden());
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
