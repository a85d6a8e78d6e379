import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthorized } from '../src/server/auth.js';
import { acceptsGzip } from '../src/server/routes.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('isAuthorized', () => {
  const bearer = { bearerToken: 'a-long-enough-token-123' };
  const userPass = { username: 'ops', password: 'correct horse battery' };
  const cases: [string, string | undefined, Parameters<typeof isAuthorized>[1], boolean][] = [
    ['no auth configured, no header', undefined, undefined, true],
    ['no auth configured, any header', 'Bearer x', undefined, true],
    ['bearer: right token', 'Bearer a-long-enough-token-123', bearer, true],
    ['bearer: scheme is case-insensitive', 'bearer a-long-enough-token-123', bearer, true],
    ['bearer: wrong token', 'Bearer a-long-enough-token-124', bearer, false],
    ['bearer: prefix of the token', 'Bearer a-long-enough', bearer, false],
    ['bearer: missing header', undefined, bearer, false],
    ['bearer: basic sent instead', basic('ops', 'a-long-enough-token-123'), bearer, false],
    ['basic: right credentials', basic('ops', 'correct horse battery'), userPass, true],
    [
      'basic: wrong password that matches up to a colon',
      basic('ops', 'correct horse battery:x'),
      userPass,
      false,
    ],
    ['basic: wrong password', basic('ops', 'wrong horse battery'), userPass, false],
    ['basic: wrong user', basic('dev', 'correct horse battery'), userPass, false],
    ['basic: no colon', `Basic ${Buffer.from('ops').toString('base64')}`, userPass, false],
    ['basic: bearer sent instead', 'Bearer correct horse battery', userPass, false],
  ];
  for (const [name, header, auth, expected] of cases) {
    it(name, () => assert.equal(isAuthorized(header, auth), expected));
  }
  it('accepts a password that itself contains a colon', () => {
    assert.equal(
      isAuthorized(basic('ops', 'a:b:c:d:e:f:g:h'), { username: 'ops', password: 'a:b:c:d:e:f:g:h' }),
      true,
    );
  });
});

describe('acceptsGzip', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['br, x-gzip', true],
  ];
  for (const [header, expected] of cases)
    it(`${header ?? '(none)'}`, () => assert.equal(acceptsGzip(header), expected));
});
