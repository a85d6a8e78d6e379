import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toGithubError } from '../src/github/github-error.js';
import { rateLimitStopUntil, type GithubAnswer } from '../src/github/rate-limit-stop.js';

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

  it('a refused connection is `network`; a real 502 answer is `server_error (502)`', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      status: 500,
      request: {},
    });
    assert.equal(toGithubError(refused).summary, 'network');
    const answered = Object.assign(new Error('Bad Gateway'), {
      status: 502,
      request: {},
      response: { headers: {} },
    });
    assert.equal(toGithubError(answered).summary, 'server_error (502)');
    assert.equal(toGithubError(answered).outcomeUnknown, true);
  });

  it('a definitive refusal leaves no doubt', () => {
    for (const status of [401, 403, 404, 422, 429]) {
      const error = Object.assign(new Error('no'), { status, request: {}, response: { headers: {} } });
      assert.equal(toGithubError(error).outcomeUnknown, false, String(status));
    }
  });
});
