import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../src/config/duration.js';
import { loadConfigFile } from '../src/config/load.js';
import { ConfigError, parseConfig, parseListenAddress } from '../src/config/parse.js';
import { selfHealEnabledFor, selfHealOnForSomePlane } from '../src/config/schema.js';

const VALID = `
schedule: { interval: 60s, cacheTtl: 2m, concurrency: 16, planeTimeout: 45s }
platform:
  controlPlaneUrl: https://api.example.com
  apiKey: \${PLATFORM_API_KEY}
  smokeTestEmail: "admin__smoke_test_{plane}"
  oracleName: health-check-model
  predictInput: { prompt: ping }
  requestTimeout: 10s
  asyncTimeout: 30s
  pollInterval: 1s
  maxResponseBytes: 1048576
workloadPlanes:
  - { name: us-east-1, inferenceUrl: https://us-east-1.inference.example.com }
  - { name: eu-west-1, inferenceUrl: https://eu-west-1.inference.example.com/ }
selfHeal:
  enabled: true
  repository: acme/platform
  workflow: production-smoke-test.yml
  ref: main
  inputs: { workload_plane: "{plane}", reason: "{status}" }
  cooldown: 30m
github:
  apiUrl: https://api.github.com
  token: \${GITHUB_TOKEN}
server: { listen: 127.0.0.1:9464 }
storage: { path: ./planecheck.db }
`;
// GitHub App keys are RSA; an EC key is a PEM private key that cannot sign GitHub's tokens.
const RSA_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ENV = { PLATFORM_API_KEY: 'pk-very-secret-123', GITHUB_TOKEN: 'ghp_secretsecret' };

function issuesOf(text: string, env: Record<string, string> = ENV): { path: string; message: string }[] {
  try {
    parseConfig(text, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.issues];
  }
  assert.fail('expected the config to be rejected');
}

/** The valid example with one line replaced. */
function variant(search: string, replacement: string): string {
  assert.ok(VALID.includes(search), `fixture lacks ${search}`);
  return VALID.replace(search, () => replacement);
}

describe('parseConfig', () => {
  it('accepts the documented example and fills defaults', () => {
    const config = parseConfig(VALID, ENV);
    assert.equal(config.schedule.interval, 60_000);
    assert.equal(config.schedule.cacheTtl, 120_000);
    assert.equal(config.platform.apiKey, 'pk-very-secret-123');
    assert.equal(config.github?.token, 'ghp_secretsecret');
    assert.equal(config.workloadPlanes[1]?.inferenceUrl, 'https://eu-west-1.inference.example.com');
    assert.equal(config.platform.endpoints.userLookup.url, '{controlPlaneUrl}/v1/users?email={email}');
    assert.equal(config.selfHeal?.cooldown, 1_800_000);
    assert.equal(config.selfHeal?.maxPlanesAtOnce, 3);
    assert.equal(config.storage.historyRetention, 7 * 86_400_000);
    assert.equal(config.log.level, 'info');
  });

  it('fills defaults for a minimal config', () => {
    const config = parseConfig(
      'platform: { controlPlaneUrl: "http://cp", apiKey: k }\nworkloadPlanes: [{ name: a, inferenceUrl: "http://a" }]',
    );
    assert.deepEqual(config.schedule, {
      interval: 60_000,
      cacheTtl: 120_000,
      concurrency: 16,
      planeTimeout: 45_000,
    });
    assert.equal(config.platform.smokeTestEmail, 'admin__smoke_test_{plane}');
    assert.deepEqual(config.platform.predictInput, { prompt: 'ping' });
    assert.equal(config.server.listen, '127.0.0.1:9464');
    assert.equal(config.selfHeal, undefined);
  });

  it('merges endpoint overrides with the defaults', () => {
    const config = parseConfig(
      variant(
        '  maxResponseBytes: 1048576',
        '  maxResponseBytes: 1048576\n  endpoints:\n    userLookup: { url: "{controlPlaneUrl}/api/users/search?q={email}", list: /data }',
      ),
      ENV,
    );
    assert.deepEqual(config.platform.endpoints.userLookup, {
      url: '{controlPlaneUrl}/api/users/search?q={email}',
      list: '/data',
      id: '/id',
      organizationId: '/organization_id',
    });
  });

  it('interpolates ${VAR}, ${VAR:-default} and $$ after parsing YAML', () => {
    const config = parseConfig(
      variant('oracleName: health-check-model', 'oracleName: "${ORACLE:-hc-model}-$${x}"'),
      ENV,
    );
    assert.equal(config.platform.oracleName, 'hc-model-${x}');
    const tricky = parseConfig(VALID, { ...ENV, PLATFORM_API_KEY: 'a: b\n- c' });
    assert.equal(tricky.platform.apiKey, 'a: b\n- c', 'an env value cannot change the YAML structure');
  });

  const rejected: [string, string, string, string][] = [
    [
      'unknown top-level key',
      'storage: { path: ./planecheck.db }',
      'storage: { path: ./planecheck.db }\nfoo: 1',
      'foo',
    ],
    [
      'unknown nested key',
      '  oracleName: health-check-model',
      '  oracleName: health-check-model\n  oracle: x',
      'platform.oracle',
    ],
    ['bad duration', 'interval: 60s', 'interval: 60 seconds', 'schedule.interval'],
    ['bare number as duration', 'interval: 60s', 'interval: 60', 'schedule.interval'],
    ['zero duration', 'cacheTtl: 2m', 'cacheTtl: 0s', 'schedule.cacheTtl'],
    ['absurd duration', 'asyncTimeout: 30s', 'asyncTimeout: 30d', 'platform.asyncTimeout'],
    ['plane deadline not below interval', 'planeTimeout: 45s', 'planeTimeout: 60s', 'schedule.planeTimeout'],
    ['cache TTL not above interval', 'cacheTtl: 2m', 'cacheTtl: 1m', 'schedule.cacheTtl'],
    [
      'request timeout above the plane deadline',
      'requestTimeout: 10s',
      'requestTimeout: 50s',
      'platform.requestTimeout',
    ],
    [
      'bad inference URL',
      'inferenceUrl: https://eu-west-1.inference.example.com/',
      'inferenceUrl: not-a-url',
      'workloadPlanes[1].inferenceUrl',
    ],
    [
      'non-http URL',
      'controlPlaneUrl: https://api.example.com',
      'controlPlaneUrl: ftp://api.example.com',
      'platform.controlPlaneUrl',
    ],
    ['bad plane name', 'name: eu-west-1', 'name: EU_West', 'workloadPlanes[1].name'],
    ['duplicate plane name', 'name: eu-west-1', 'name: us-east-1', 'workloadPlanes[1].name'],
    [
      'missing control plane URL',
      '  controlPlaneUrl: https://api.example.com\n',
      '',
      'platform.controlPlaneUrl',
    ],
    ['concurrency not an integer', 'concurrency: 16', 'concurrency: 2.5', 'schedule.concurrency'],
    [
      'email without {plane}',
      'smokeTestEmail: "admin__smoke_test_{plane}"',
      'smokeTestEmail: admin',
      'platform.smokeTestEmail',
    ],
    ['bad repository', 'repository: acme/platform', 'repository: acme', 'selfHeal.repository'],
    [
      'maxPlanesAtOnce of 0',
      '  cooldown: 30m',
      '  cooldown: 30m\n  maxPlanesAtOnce: 0',
      'selfHeal.maxPlanesAtOnce',
    ],
    [
      'maxPlanesAtOnce not an integer',
      '  cooldown: 30m',
      '  cooldown: 30m\n  maxPlanesAtOnce: 2.5',
      'selfHeal.maxPlanesAtOnce',
    ],
    [
      'github token and app together',
      '  token: ${GITHUB_TOKEN}',
      '  token: x\n  app: { appId: 1, privateKey: k, installationId: 2 }',
      'github',
    ],
    [
      'self-heal without github',
      'github:\n  apiUrl: https://api.github.com\n  token: ${GITHUB_TOKEN}\n',
      '',
      'github',
    ],
    [
      'unknown placeholder in a workflow input',
      'reason: "{status}" }',
      'reason: "{reason}" }',
      'selfHeal.inputs.reason',
    ],
    [
      'correlation_id set by hand',
      'reason: "{status}" }',
      'reason: "{status}", correlation_id: x }',
      'selfHeal.inputs.correlation_id',
    ],
    ['bad listen address', 'listen: 127.0.0.1:9464', 'listen: 9464', 'server.listen'],
    [
      'unknown endpoint placeholder',
      '  maxResponseBytes: 1048576',
      '  maxResponseBytes: 1048576\n  endpoints: { predict: { url: "{inferenceUrl}/{model}" } }',
      'platform.endpoints.predict.url',
    ],
    [
      'bad JSON pointer',
      '  maxResponseBytes: 1048576',
      '  maxResponseBytes: 1048576\n  endpoints: { userLookup: { list: users } }',
      'platform.endpoints.userLookup.list',
    ],
  ];
  for (const [name, search, replacement, path] of rejected) {
    it(`rejects ${name} at ${path}`, () => {
      const issues = issuesOf(variant(search, replacement));
      assert.ok(
        issues.some((issue) => issue.path === path),
        `expected an issue at ${path}, got ${JSON.stringify(issues)}`,
      );
    });
  }

  it('gives one reason for a bad listen address, in the config and on the command line', () => {
    assert.deepEqual(issuesOf(variant('listen: 127.0.0.1:9464', 'listen: localhost')), [
      { path: 'server.listen', message: 'expected host:port, e.g. 127.0.0.1:9464' },
    ]);
    assert.deepEqual(issuesOf(variant('listen: 127.0.0.1:9464', 'listen: 127.0.0.1:70000')), [
      { path: 'server.listen', message: 'port must be at most 65535' },
    ]);
    assert.equal(parseListenAddress('[::1]:0', '--listen'), '[::1]:0');
    assert.throws(
      () => parseListenAddress('9464', '--listen'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === '--listen is invalid:\n  expected host:port, e.g. 127.0.0.1:9464',
    );
  });

  it('takes server.runbookUrl as an http(s) URL, and names the field when it is not one', () => {
    assert.equal(
      parseConfig(VALID, ENV).server.runbookUrl,
      'https://github.com/planecheck/planecheck/blob/main/docs/runbook.md',
    );
    const runbook = (url: string) =>
      variant('listen: 127.0.0.1:9464', `listen: 127.0.0.1:9464, runbookUrl: "${url}"`);
    assert.equal(
      parseConfig(runbook('https://wiki.example.com/display/OPS/planecheck?view=1'), ENV).server.runbookUrl,
      'https://wiki.example.com/display/OPS/planecheck?view=1',
    );
    assert.deepEqual(issuesOf(runbook('wiki/planecheck')), [
      { path: 'server.runbookUrl', message: 'invalid URL: expected an http(s) URL of the runbook' },
    ]);
    assert.deepEqual(issuesOf(runbook('ftp://files.example.com/runbook.md')), [
      { path: 'server.runbookUrl', message: 'invalid URL: only http and https are supported' },
    ]);
    assert.deepEqual(issuesOf(runbook('https://example.com/runbook.md#failed')), [
      {
        path: 'server.runbookUrl',
        message: 'invalid URL: no #fragment (the section anchor is added to it)',
      },
    ]);
  });

  it('names a missing environment variable and the field', () => {
    const issues = issuesOf(VALID, { GITHUB_TOKEN: 'x' });
    assert.deepEqual(issues, [
      { path: 'platform.apiKey', message: 'environment variable PLATFORM_API_KEY is not set' },
    ]);
  });

  it('reports YAML syntax errors with a position', () => {
    const issues = issuesOf('platform: {\n  apiKey: [\n');
    assert.match(issues[0]?.message ?? '', /YAML syntax error at line \d+, column \d+/);
  });

  it('rejects duplicate YAML keys', () => {
    const issues = issuesOf(`${VALID}\nstorage: { path: ./other.db }\n`);
    assert.match(
      issues[0]?.message ?? '',
      /YAML syntax error at line \d+, column \d+: duplicated mapping key/,
    );
  });

  it('refuses aliases that expand without bound ("billion laughs"), and keeps plain ones', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    assert.match(issuesOf(`${VALID}\n${bomb}`)[0]?.message ?? '', /more than 1,000,000 values/);

    const shared = parseConfig(
      VALID.replace(
        'inferenceUrl: https://us-east-1.inference.example.com',
        'inferenceUrl: &url https://u.example.com',
      ).replace('inferenceUrl: https://eu-west-1.inference.example.com/', 'inferenceUrl: *url'),
      ENV,
    );
    assert.equal(shared.workloadPlanes[1]?.inferenceUrl, 'https://u.example.com');
  });

  it('reads YAML 1.2: a date and "yes" stay strings', () => {
    const config = parseConfig(
      VALID.replace('oracleName: health-check-model', 'oracleName: 2024-01-01').replace(
        'prompt: ping',
        'prompt: yes',
      ),
      ENV,
    );
    assert.equal(config.platform.oracleName, '2024-01-01');
    assert.deepEqual(config.platform.predictInput, { prompt: 'yes' });
  });

  it('never echoes secrets from the environment in errors', () => {
    const secret = 'sk-live-abcdef123456';
    const text = variant('interval: 60s', 'interval: "${PLATFORM_API_KEY}"').replace(
      'controlPlaneUrl: https://api.example.com',
      () => 'controlPlaneUrl: ${PLATFORM_API_KEY}',
    );
    try {
      parseConfig(text, { ...ENV, PLATFORM_API_KEY: secret });
      assert.fail('expected rejection');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.issues.some((issue) => issue.path === 'schedule.interval'));
      assert.ok(!error.message.includes(secret), error.message);
    }
  });
});

describe('cross-field checks', () => {
  it('are reported beside other field errors, not in a second round', () => {
    const text = variant('concurrency: 16', 'concurrency: lots')
      .replace('  token: ${GITHUB_TOKEN}\n', '')
      .replace('github:\n  apiUrl: https://api.github.com\n', '')
      .replace('planeTimeout: 45s', 'planeTimeout: 90s');
    const issues = issuesOf(text).map((issue) => issue.path);
    assert.ok(issues.includes('schedule.concurrency'), issues.join(', '));
    assert.ok(
      issues.includes('github'),
      `selfHeal without github is reported in the same round: ${issues.join(', ')}`,
    );
  });

  it('wait for the fields they read: a bad interval gives its own error, not a second one about it', () => {
    const issues = issuesOf(variant('interval: 60s', 'interval: soon'));
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['schedule.interval'],
    );
  });
});

describe('loadConfigFile', () => {
  it('reads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'planecheck-config-'));
    const path = join(dir, 'planecheck.yaml');
    await writeFile(path, VALID);
    const config = await loadConfigFile(path, ENV);
    assert.equal(config.workloadPlanes.length, 2);
    await writeFile(path, 'schedule: { interval: nope }');
    await assert.rejects(loadConfigFile(path, ENV), (error: Error) =>
      error.message.startsWith(`${path} is invalid`),
    );
    await assert.rejects(loadConfigFile(join(dir, 'missing.yaml'), ENV), /file not found/);
  });

  it('reads github.app.privateKeyPath at load, naming the field when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'planecheck-config-'));
    const path = join(dir, 'planecheck.yaml');
    const keyPath = join(dir, 'app.pem');
    await writeFile(
      path,
      variant(
        '  token: ${GITHUB_TOKEN}',
        `  app: { appId: 1, installationId: 2, privateKeyPath: "${keyPath}" }`,
      ),
    );
    await assert.rejects(
      loadConfigFile(path, ENV),
      (error: Error) =>
        error.message ===
        `${path} is invalid:\n  github.app.privateKeyPath: cannot read ${keyPath}: file not found`,
    );
    await writeFile(keyPath, 'not a key');
    await assert.rejects(loadConfigFile(path, ENV), /github\.app\.privateKeyPath: .*: not a PEM private key/);
    await writeFile(keyPath, '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n');
    await assert.rejects(
      loadConfigFile(path, ENV),
      /privateKeyPath: .*: a PEM private key that cannot be read/,
    );
    await writeFile(keyPath, EC_KEY);
    await assert.rejects(loadConfigFile(path, ENV), /privateKeyPath: .*: a ec key: GitHub App keys are RSA/);
    await writeFile(keyPath, RSA_KEY);
    const config = await loadConfigFile(path, ENV);
    assert.equal(config.github?.app?.privateKey, RSA_KEY);
  });

  it('reports an unreadable key file in the same round as the other errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'planecheck-config-'));
    const path = join(dir, 'planecheck.yaml');
    const keyPath = join(dir, 'missing.pem');
    await writeFile(
      path,
      variant(
        '  token: ${GITHUB_TOKEN}',
        `  app: { appId: 1, installationId: 2, privateKeyPath: "${keyPath}" }`,
      ).replace('requestTimeout: 10s', 'requestTimeout: soon'),
    );
    await assert.rejects(loadConfigFile(path, ENV), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((issue) => issue.path),
        ['platform.requestTimeout', 'github.app.privateKeyPath'],
      );
      return true;
    });
  });

  it('checks an inline github.app.privateKey as PEM too, naming the field', () => {
    const app = (key: string) =>
      variant('  token: ${GITHUB_TOKEN}', `  app: { appId: 1, installationId: 2, privateKey: ${key} }`);
    assert.deepEqual(issuesOf(app('"not a key"')), [
      {
        path: 'github.app.privateKey',
        message: 'not a PEM private key (expected -----BEGIN ... PRIVATE KEY-----)',
      },
    ]);
    assert.deepEqual(issuesOf(app(JSON.stringify(EC_KEY))), [
      { path: 'github.app.privateKey', message: 'a ec key: GitHub App keys are RSA' },
    ]);
    const config = parseConfig(app(JSON.stringify(RSA_KEY)), ENV);
    assert.equal(config.github?.app?.privateKey, RSA_KEY);
  });
});

describe('durations', () => {
  const cases: [string, number | undefined][] = [
    ['500ms', 500],
    ['45s', 45_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['60', undefined],
    ['', undefined],
    ['-1s', undefined],
    ['1 s', undefined],
    ['NaNs', undefined],
    ['1e3s', undefined],
  ];
  for (const [text, ms] of cases) it(`parses "${text}"`, () => assert.equal(parseDuration(text), ms));
  it('formats durations back', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(1_500), '1.5s');
    assert.equal(formatDuration(61_500), '1m1.5s');
    assert.equal(formatDuration(7 * 86_400_000), '7d');
  });

  it('formats exactly: every duration reads back as itself', () => {
    for (const ms of [
      1,
      999,
      1_000,
      1_001,
      1_500,
      59_999,
      90_000,
      3_723_004,
      86_400_000 + 1,
      366 * 86_400_000,
    ]) {
      assert.equal(parseDuration(formatDuration(ms)), ms, formatDuration(ms));
    }
  });
});

describe('examples/planecheck.yaml', () => {
  it('is a valid config', async () => {
    const config = await loadConfigFile(new URL('../examples/planecheck.yaml', import.meta.url).pathname, {
      PLATFORM_API_KEY: 'x',
    });
    assert.deepEqual(
      config.workloadPlanes.map((plane) => plane.name),
      ['us-east-1', 'eu-west-1'],
    );
  });
});

describe('maintenance windows on a plane', () => {
  const withWindows = (windows: string) =>
    variant(
      '  - { name: eu-west-1, inferenceUrl: https://eu-west-1.inference.example.com/ }',
      `  - { name: eu-west-1, inferenceUrl: https://eu-west-1.inference.example.com/, maintenance: ${windows} }`,
    );

  it('reads a window given once and a recurring one (UTC), none by default', () => {
    const config = parseConfig(
      withWindows(
        '[{ from: 2026-12-01T02:00:00Z, until: 2026-12-01T04:00:00+01:00, note: migration }, { cron: "0 2 * * 0", duration: 2h }]',
      ),
      ENV,
    );
    assert.deepEqual(config.workloadPlanes[0]?.maintenance, []);
    assert.deepEqual(config.workloadPlanes[1]?.maintenance, [
      {
        from: Date.parse('2026-12-01T02:00:00Z'),
        until: Date.parse('2026-12-01T03:00:00Z'),
        note: 'migration',
      },
      { cron: '0 2 * * 0', durationMs: 7_200_000, note: '' },
    ]);
  });

  it('names the plane index and the field of each mistake', () => {
    const cases: [string, string, RegExp][] = [
      ['[{ from: 2026-12-01T02:00:00Z }]', 'workloadPlanes[1].maintenance[0].until', /required/],
      [
        '[{ from: 2026-12-01T05:00:00Z, until: 2026-12-01T04:00:00Z }]',
        'workloadPlanes[1].maintenance[0].until',
        /later than from/,
      ],
      [
        '[{ from: "2026-12-01 02:00", until: 2026-12-01T04:00:00Z }]',
        'workloadPlanes[1].maintenance[0].from',
        /RFC 3339/,
      ],
      ['[{ cron: "0 2 * *", duration: 2h }]', 'workloadPlanes[1].maintenance[0].cron', /five fields/],
      ['[{ cron: "0 26 * * *", duration: 2h }]', 'workloadPlanes[1].maintenance[0].cron', /hour/],
      ['[{ cron: "0 2 * * 0" }]', 'workloadPlanes[1].maintenance[0].duration', /required/],
      ['[{ cron: "0 2 * * 0", duration: 10s }]', 'workloadPlanes[1].maintenance[0].duration', /out of range/],
      [
        '[{ cron: "0 2 * * 0", duration: 1h, until: 2026-12-01T04:00:00Z }]',
        'workloadPlanes[1].maintenance[0].cron',
        /not both/,
      ],
      [
        '[{ cron: "0 2 * * 0", duration: 1h, reason: x }]',
        'workloadPlanes[1].maintenance[0].reason',
        /unknown key/,
      ],
    ];
    for (const [windows, path, message] of cases) {
      const issues = issuesOf(withWindows(windows));
      assert.equal(issues.length, 1, `${windows}: ${JSON.stringify(issues)}`);
      assert.equal(issues[0]?.path, path, windows);
      assert.match(issues[0]?.message ?? '', message, windows);
    }
  });
});

describe('per-plane settings', () => {
  const withPlane = (settings: string) =>
    variant(
      '  - { name: eu-west-1, inferenceUrl: https://eu-west-1.inference.example.com/ }',
      `  - { name: eu-west-1, inferenceUrl: https://eu-west-1.inference.example.com/, ${settings} }`,
    );

  it('reads overrides and labels on a plane; a plane without them keeps the platform values', () => {
    const config = parseConfig(
      withPlane(
        'controlPlaneUrl: "https://eu.api.example.com/", requestTimeout: 20s, asyncTimeout: 2m, pollInterval: 5s, selfHeal: { enabled: false }, labels: { team: payments, region: eu }',
      ),
      ENV,
    );
    const [plain, tuned] = config.workloadPlanes;
    assert.deepEqual(
      [plain?.controlPlaneUrl, plain?.requestTimeout, plain?.selfHeal, plain?.labels],
      [undefined, undefined, undefined, {}],
    );
    assert.equal(tuned?.controlPlaneUrl, 'https://eu.api.example.com');
    assert.deepEqual(
      [tuned?.requestTimeout, tuned?.asyncTimeout, tuned?.pollInterval],
      [20_000, 120_000, 5_000],
    );
    assert.deepEqual(tuned?.selfHeal, { enabled: false });
    assert.deepEqual(tuned?.labels, { team: 'payments', region: 'eu' });
  });

  it('names the plane (index and name) and the field of each mistake', () => {
    const cases: [string, string, RegExp][] = [
      [
        'requestTimeout: 50s',
        'workloadPlanes[1].requestTimeout',
        /must not exceed schedule.planeTimeout \(45s\)/,
      ],
      ['requestTimeout: 10', 'workloadPlanes[1].requestTimeout', /duration/],
      ['asyncTimeout: 2x', 'workloadPlanes[1].asyncTimeout', /invalid duration/],
      ['pollInterval: 1ms', 'workloadPlanes[1].pollInterval', /out of range/],
      ['controlPlaneUrl: "ftp://x"', 'workloadPlanes[1].controlPlaneUrl', /only http and https/],
      ['selfHeal: { enabled: yes }', 'workloadPlanes[1].selfHeal.enabled', /boolean/],
      ['selfHeal: { enabled: true, cooldown: 1m }', 'workloadPlanes[1].selfHeal.cooldown', /unknown key/],
      ['labels: { "team-name": x }', 'workloadPlanes[1].labels.team-name', /invalid label name/],
      ['labels: { __team: x }', 'workloadPlanes[1].labels.__team', /reserved by Prometheus/],
      ['labels: { instance: x }', 'workloadPlanes[1].labels.instance', /reserved label name/],
      ['labels: { team: 3 }', 'workloadPlanes[1].labels.team', /expected a string/],
      ['timeout: 3s', 'workloadPlanes[1].timeout', /unknown key/],
    ];
    for (const [settings, path, message] of cases) {
      const issues = issuesOf(withPlane(settings));
      assert.equal(issues.length, 1, `${settings}: ${JSON.stringify(issues)}`);
      assert.equal(issues[0]?.path, path, settings);
      assert.match(issues[0]?.message ?? '', message, settings);
      assert.match(issues[0]?.message ?? '', /\(plane eu-west-1\)$/, settings);
    }
  });

  it('turns self-heal on for one plane alone, which then needs the repository and GitHub credentials', () => {
    const base = `
platform: { controlPlaneUrl: https://api.example.com, apiKey: k }
workloadPlanes:
  - { name: a, inferenceUrl: https://a.example.com }
  - { name: b, inferenceUrl: https://b.example.com, selfHeal: { enabled: true } }
`;
    assert.deepEqual(
      issuesOf(base).map((issue) => `${issue.path}: ${issue.message}`),
      [
        'selfHeal.repository: required when workloadPlanes[1].selfHeal.enabled is true (owner/repo of the smoke-test workflow)',
        'github: required when workloadPlanes[1].selfHeal.enabled is true (token or app credentials to dispatch the workflow)',
      ],
    );
    const config = parseConfig(`${base}selfHeal: { repository: acme/platform }\ngithub: { token: t }\n`);
    assert.equal(config.selfHeal?.enabled, false);
    assert.deepEqual(
      config.workloadPlanes.map((plane) => selfHealEnabledFor(config, plane)),
      [false, true],
    );
    assert.equal(selfHealOnForSomePlane(config), true);
    // Every plane opting out of a section that is on: nothing to dispatch, so no credentials needed.
    const off = parseConfig(`
platform: { controlPlaneUrl: https://api.example.com, apiKey: k }
workloadPlanes: [{ name: a, inferenceUrl: https://a.example.com, selfHeal: { enabled: false } }]
selfHeal: { enabled: true }
`);
    assert.equal(selfHealOnForSomePlane(off), false);
  });
});
