import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactStorageUrl } from '../src/config/storage-url.js';
import { describeError, redactSecret, serverAddress } from '../src/store/postgres/pg-pool.js';

describe('PostgreSQL connection messages', () => {
  const url = 'postgres://planecheck:p%40ss%2Fw0rd@db.example.com:6432/planecheck';

  it('hides the password, as written in the URL and decoded', () => {
    assert.equal(
      redactSecret(`failed for ${url}; password p@ss/w0rd; raw p%40ss%2Fw0rd`, url),
      'failed for postgres://planecheck:***@db.example.com:6432/planecheck; password ***; raw ***',
    );
    assert.equal(redactSecret('nothing to hide', 'not a url'), 'nothing to hide');
    assert.equal(redactStorageUrl('postgres://u@h/d'), 'postgres://u@h/d', 'no password, nothing replaced');
    assert.equal(redactStorageUrl('::'), '(unparsable URL)');
  });

  it('hides a password given as a query parameter (libpq password=, sslpassword=), in the URL and in text', () => {
    const url = 'postgres://planecheck@db:5432/planecheck?password=p%40ss-word-1&sslpassword=key-phrase-2';
    const shown = redactStorageUrl(url);
    assert.ok(!shown.includes('ss-word-1') && !shown.includes('key-phrase-2'), shown);
    const message = redactSecret(`connecting to ${url} as p@ss-word-1 with key-phrase-2`, url);
    assert.ok(!message.includes('ss-word-1') && !message.includes('key-phrase-2'), message);
  });

  it('names the server as host:port, with the default port', () => {
    assert.equal(serverAddress(url), 'db.example.com:6432');
    assert.equal(serverAddress('postgres://u:p@db/x'), 'db:5432');
  });

  it("describes Node's connection errors whose own message is empty", () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const both = Object.assign(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')], ''), {
      code: 'ECONNREFUSED',
    });
    assert.equal(describeError(both), 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    assert.equal(describeError(Object.assign(new Error(''), { code: 'ETIMEDOUT' })), 'ETIMEDOUT');
    assert.equal(describeError(new Error('plain')), 'plain');
    assert.equal(describeError('text'), 'text');
  });
});
