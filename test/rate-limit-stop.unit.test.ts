import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { toGithubError } from '../src/github/github-error.js';
import { createGithubClient, type GithubConfig } from '../src/github/octokit-client.js';
import {
  capRateLimitStop,
  MAX_RATE_LIMIT_STOP_MS,
  rateLimitStopUntil,
  type GithubAnswer,
} from '../src/github/rate-limit-stop.js';
import { createLogger } from '../src/log/logger.js';

/** A real client, as the daemon builds it, with no stored stop. */
function clientFor(config: GithubConfig) {
  return createGithubClient(config, {
    log: createLogger('error', () => undefined),
    backoff: { githubBackoffUntil: () => 0, stopGithubUntil: () => undefined },
  });
}

const NOW = 1_800_000_000_000;
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

describe('rateLimitStopUntil', () => {
  const cases: [string, GithubAnswer, number | undefined][] = [
    [
      'plain 429 with retry-after',
      { status: 429, headers: { 'retry-after': '20' }, message: 'Too Many Requests' },
      NOW + 20_000,
    ],
    [
      '403 secondary limit with retry-after',
      { status: 403, headers: { 'retry-after': '15' }, message: SECONDARY },
      NOW + 15_000,
    ],
    [
      '403 with retry-after whatever the message',
      { status: 403, headers: { 'retry-after': '5' }, message: 'Forbidden' },
      NOW + 5_000,
    ],
    [
      '403 primary limit: remaining 0 and reset',
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 42) },
        message: 'API rate limit exceeded',
      },
      NOW + 42_000,
    ],
    [
      '429 with remaining 0 and reset',
      {
        status: 429,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 7) },
        message: '',
      },
      NOW + 7_000,
    ],
    [
      'a success that used the last request: wait for the reset',
      {
        status: 200,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 600) },
        message: '',
      },
      NOW + 600_000,
    ],
    [
      'a reset already past (clock skew) still pauses a second',
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 30) },
        message: '',
      },
      NOW + 1_000,
    ],
    [
      '429 naming no time: a minute',
      { status: 429, headers: {}, message: 'Too Many Requests' },
      NOW + 60_000,
    ],
    [
      '403 secondary limit naming no time: a minute',
      { status: 403, headers: {}, message: SECONDARY },
      NOW + 60_000,
    ],
    [
      '403 without rate-limit signs is a permission problem',
      { status: 403, headers: {}, message: 'Resource not accessible by integration' },
      undefined,
    ],
    [
      '403 with reset but requests remaining is not a stop',
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': String(NOW / 1000 + 60) },
        message: 'Forbidden',
      },
      undefined,
    ],
    [
      'retry-after on a 503 is not a rate limit',
      { status: 503, headers: { 'retry-after': '30' }, message: '' },
      undefined,
    ],
    [
      'a plain success',
      { status: 200, headers: { 'x-ratelimit-remaining': '4999' }, message: '' },
      undefined,
    ],
    [
      'unparseable retry-after on a 429 falls back to a minute',
      { status: 429, headers: { 'retry-after': 'soon' }, message: '' },
      NOW + 60_000,
    ],
  ];
  for (const [name, answer, expected] of cases) {
    it(name, () => assert.equal(rateLimitStopUntil(answer, NOW), expected));
  }
});

describe('capRateLimitStop', () => {
  it('keeps a stop of up to an hour and cuts a longer one (a bogus retry-after or reset) to an hour', () => {
    assert.equal(capRateLimitStop(NOW + 20_000, NOW), NOW + 20_000);
    assert.equal(capRateLimitStop(NOW + MAX_RATE_LIMIT_STOP_MS, NOW), NOW + 3_600_000);
    const bogus = rateLimitStopUntil(
      { status: 429, headers: { 'retry-after': '999999999' }, message: '' },
      NOW,
    );
    assert.equal(capRateLimitStop(bogus ?? 0, NOW), NOW + 3_600_000);
  });
});

describe('toGithubError: what happened to a request', () => {
  it('a request that timed out is `timeout`, not the 500 octokit gives it', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const octokitError = Object.assign(new Error('The operation was aborted due to timeout'), {
      status: 500,
      cause: timeout,
      request: {},
    });
    const failure = toGithubError(octokitError);
    assert.equal(failure.summary, 'timeout');
    assert.equal(failure.outcomeUnknown, true);
  });

  it('a refused connection is `network`; a real 502 answer is `server_error (502)`', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const github = clientFor({ apiUrl: `http://127.0.0.1:${port}`, token: 'ghp_x' });
    const refused = await github.request('GET /repos/{owner}/{repo}', { owner: 'a', repo: 'b' }).then(
      () => assert.fail('expected the connection to be refused'),
      (error: unknown) => error,
    );
    assert.equal(toGithubError(refused).summary, 'network');
    assert.equal(toGithubError(refused).outcomeUnknown, true);
    const answered = Object.assign(new Error('Bad Gateway'), {
      status: 502,
      request: {},
      response: { headers: {} },
    });
    assert.equal(toGithubError(answered).summary, 'server_error (502)');
    assert.equal(toGithubError(answered).outcomeUnknown, true);
  });

  it('an App private key that is no key is `auth_failed`, not `network`, and nothing is sent', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const github = clientFor({
        apiUrl: `http://127.0.0.1:${port}`,
        app: { appId: 1, installationId: 2, privateKey: 'not a key' },
      });
      const failed = await github.request('GET /repos/{owner}/{repo}', { owner: 'a', repo: 'b' }).then(
        () => assert.fail('expected the auth to fail'),
        (error: unknown) => error,
      );
      assert.equal(toGithubError(failed).summary, 'auth_failed');
      assert.deepEqual(seen, [], 'no request left the client');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a status GitHub does not refuse with (a proxy's 408, a 3xx) leaves the outcome unknown", () => {
    for (const status of [304, 307, 408, 418]) {
      const error = Object.assign(new Error('odd'), { status, request: {}, response: { headers: {} } });
      assert.equal(toGithubError(error).summary, `unexpected_status (${status})`);
      assert.equal(toGithubError(error).outcomeUnknown, true, String(status));
    }
  });

  it('a definitive refusal leaves no doubt', () => {
    for (const status of [400, 401, 403, 404, 409, 410, 422, 429]) {
      const error = Object.assign(new Error('no'), { status, request: {}, response: { headers: {} } });
      assert.equal(toGithubError(error).outcomeUnknown, false, String(status));
    }
  });
});
