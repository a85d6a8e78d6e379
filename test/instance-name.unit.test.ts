import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveInstanceName } from '../src/config/instance-name.js';
import { ConfigError } from '../src/config/parse.js';

const host = { hostname: 'box-1', pid: 4242 };

describe('resolveInstanceName', () => {
  it('takes --instance first, then PLANECHECK_INSTANCE, then host:pid', () => {
    assert.equal(resolveInstanceName('flag-name', { PLANECHECK_INSTANCE: 'env-name' }, host), 'flag-name');
    assert.equal(resolveInstanceName(undefined, { PLANECHECK_INSTANCE: 'pod-7' }, host), 'pod-7');
    assert.equal(resolveInstanceName(undefined, {}, host), 'box-1:4242');
  });

  it('accepts 100 printable characters, non-ASCII ones too', () => {
    assert.equal(resolveInstanceName('x'.repeat(100), {}, host), 'x'.repeat(100));
    assert.equal(resolveInstanceName('zürich/ß-1:9464', {}, host), 'zürich/ß-1:9464');
  });

  const bad: [string, RegExp][] = [
    ['', /is empty/],
    ['x'.repeat(101), /101 characters long, more than 100/],
    ['two words', /contains whitespace/],
    ['tab\there', /contains whitespace/],
    ['bell\u0007', /does not print/],
    ['zero\u200bwidth', /does not print/],
  ];
  for (const [name, message] of bad) {
    it(`refuses ${JSON.stringify(name.slice(0, 20))}, naming the flag or the variable`, () => {
      assert.throws(
        () => resolveInstanceName(name, {}, host),
        (error: unknown) =>
          error instanceof ConfigError &&
          /^--instance is invalid/.test(error.message) &&
          message.test(error.message),
      );
      assert.throws(
        () => resolveInstanceName(undefined, { PLANECHECK_INSTANCE: name }, host),
        (error: unknown) =>
          error instanceof ConfigError &&
          /^PLANECHECK_INSTANCE is invalid/.test(error.message) &&
          message.test(error.message),
      );
    });
  }

  it('refuses a host name that makes a bad default, saying so', () => {
    assert.throws(
      () => resolveInstanceName(undefined, {}, { hostname: 'a b', pid: 1 }),
      /the host name is invalid:\n.*contains whitespace/,
    );
  });
});
