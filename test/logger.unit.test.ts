import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LogLevel } from '../src/log/logger.js';

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

  it('writes only lines at or above its level', () => {
    const levels = (level: LogLevel) =>
      linesAt(level).map((line) => (JSON.parse(line) as { level: string }).level);
    assert.deepEqual(levels('debug'), ['debug', 'info', 'warn', 'error']);
    assert.deepEqual(levels('info'), ['info', 'warn', 'error']);
    assert.deepEqual(levels('warn'), ['warn', 'error']);
    assert.deepEqual(levels('error'), ['error']);
  });
});
