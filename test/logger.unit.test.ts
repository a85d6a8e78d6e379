import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, formatPlainLine, type LogLevel } from '../src/log/logger.js';

describe('createLogger', () => {
  const linesAt = (level: LogLevel) => {
    const lines: string[] = [];
    const log = createLogger(level, (line) => lines.push(line));
    log.debug('d', { n: 1 });
    log.info('i');
    log.warn('w');
    log.error('e', { error: 'boom' });
    return lines;
  };

  it('writes one JSON object per line: time, level, message, then the fields', () => {
    const [line] = linesAt('debug');
    assert.ok(line !== undefined);
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['time', 'level', 'msg', 'n']);
    assert.equal(new Date(String(parsed.time)).toISOString(), parsed.time);
    assert.deepEqual({ ...parsed, time: undefined }, { time: undefined, level: 'debug', msg: 'd', n: 1 });
  });

  it('reads a level given as a function at every line (a config reload changes it)', () => {
    const lines: string[] = [];
    let level: LogLevel = 'warn';
    const log = createLogger(
      () => level,
      (line) => lines.push(line),
    );
    log.info('before');
    level = 'debug';
    log.debug('after');
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
      ['after'],
    );
  });

  it('writes only lines at or above its level', () => {
    const levels = (level: LogLevel) =>
      linesAt(level).map((line) => (JSON.parse(line) as { level: string }).level);
    assert.deepEqual(levels('debug'), ['debug', 'info', 'warn', 'error']);
    assert.deepEqual(levels('info'), ['info', 'warn', 'error']);
    assert.deepEqual(levels('warn'), ['warn', 'error']);
    assert.deepEqual(levels('error'), ['error']);
  });
});

describe('formatPlainLine (the Action log)', () => {
  const cases: [string, Record<string, unknown> | undefined, string][] = [
    ['self-heal finished', undefined, 'self-heal finished'],
    ['self-heal finished', {}, 'self-heal finished'],
    [
      'self-heal dispatched the smoke-test workflow',
      { plane: 'us-east-1', reason: 'NO_USER', runId: 42 },
      'self-heal dispatched the smoke-test workflow: plane=us-east-1 reason=NO_USER runId=42',
    ],
    ['x', { error: 'HTTP 403: rate limited', ok: false }, 'x: error="HTTP 403: rate limited" ok=false'],
    ['x', { detail: 'a"b', empty: '', eq: 'a=b' }, 'x: detail="a\\"b" empty="" eq="a=b"'],
    ['x', { skipped: undefined, list: ['a', 1], obj: { k: 'v' } }, 'x: list=["a",1] obj={"k":"v"}'],
    ['x', { error: new Error('boom') }, 'x: error="boom"'],
  ];
  for (const [msg, fields, expected] of cases) {
    it(`${msg} ${JSON.stringify(fields)} -> ${expected}`, () => {
      assert.equal(formatPlainLine(msg, fields), expected);
    });
  }
});
