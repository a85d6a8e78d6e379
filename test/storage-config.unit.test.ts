import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../src/config/parse.js';

const BASE = `
platform:
  controlPlaneUrl: https://api.example.com
  apiKey: key
  smokeTestEmail: "admin__smoke_test_{plane}"
  oracleName: health-check-model
  predictInput: { prompt: ping }
workloadPlanes:
  - { name: us-east-1, inferenceUrl: https://us-east-1.inference.example.com }
`;

function storageOf(storage: string, env: Record<string, string> = {}) {
  return parseConfig(`${BASE}${storage}\n`, env).storage;
}

function issuesOf(storage: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(`${BASE}${storage}\n`, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  assert.fail('expected the config to be rejected');
}

describe('storage config', () => {
  it('defaults to SQLite in ./planecheck.db when neither path nor url is given', () => {
    assert.deepEqual(storageOf(''), { path: './planecheck.db', historyRetention: 7 * 86_400_000 });
    assert.deepEqual(storageOf('storage: { historyRetention: 1d }'), {
      path: './planecheck.db',
      historyRetention: 86_400_000,
    });
  });

  it('takes a PostgreSQL URL instead of a path, with the password from the environment', () => {
    const storage = storageOf('storage: { url: "postgres://planecheck:${PG_PASSWORD}@db:5432/planecheck" }', {
      PG_PASSWORD: 's3cret',
    });
    assert.deepEqual(storage, {
      url: 'postgres://planecheck:s3cret@db:5432/planecheck',
      historyRetention: 7 * 86_400_000,
    });
    assert.equal(storage.path, undefined);
    assert.equal(
      storageOf('storage: { url: "postgresql://u:p%2Fw%40rd@db/x?sslmode=require" }').url,
      'postgresql://u:p%2Fw%40rd@db/x?sslmode=require',
      'a percent-encoded password and connection parameters are kept as written',
    );
  });

  it('refuses both a path and a URL, naming the field', () => {
    const issues = issuesOf('storage: { path: ./p.db, url: "postgres://u:pw@db/x" }');
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /^storage\.url: give storage\.path .* or storage\.url .*, not both$/);
  });

  it('refuses a URL that is not PostgreSQL, naming the field and never quoting the URL', () => {
    for (const url of ['mysql://u:topsecret@db/x', 'https://u:topsecret@db/x']) {
      const issues = issuesOf(`storage: { url: "${url}" }`);
      assert.equal(issues.length, 1);
      assert.match(issues[0] ?? '', /^storage\.url: expected a postgres:\/\/ or postgresql:\/\/ URL/);
      assert.doesNotMatch(issues[0] ?? '', /topsecret/);
    }
  });

  it('says to percent-encode when a password from the environment breaks the URL, without echoing it', () => {
    const issues = issuesOf('storage: { url: "postgres://planecheck:${PG_PASSWORD}@db:5432/planecheck" }', {
      PG_PASSWORD: 'top/secret#1',
    });
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /^storage\.url: not a valid URL: .*percent-encode/);
    assert.doesNotMatch(issues[0] ?? '', /top\/secret|secret#1/);
  });

  it('refuses an empty URL and one without a host', () => {
    assert.match(issuesOf('storage: { url: "" }')[0] ?? '', /^storage\.url: not a valid URL/);
    assert.match(
      issuesOf('storage: { url: "postgres:///planecheck" }')[0] ?? '',
      /^storage\.url: names no host/,
    );
    assert.equal(
      storageOf('storage: { url: "postgres:///planecheck?host=/run/postgresql" }').url,
      'postgres:///planecheck?host=/run/postgresql',
      'a Unix socket',
    );
  });
});
