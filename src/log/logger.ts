export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON object per line: `{"time","level","msg",...fields}`. Callers never pass secrets. `level` may be
 * read per line (the daemon's follows a config reload).
 */
export function createLogger(
  level: LogLevel | (() => LogLevel),
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const levelNow = typeof level === 'function' ? level : () => level;
  const log =
    (at: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      if (RANK[at] < RANK[levelNow()]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * One log record as a line of text for people, `msg: key=value key=value`: values with spaces, quotes or `=`
 * are quoted as JSON strings, objects as JSON, undefined fields left out. The daemon logs JSON for
 * machines; the GitHub Action's log is read by people.
 */
export function formatPlainLine(msg: string, fields: LogFields = {}): string {
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${plainValue(value)}`);
  return pairs.length > 0 ? `${msg}: ${pairs.join(' ')}` : msg;
}

function plainValue(value: unknown): string {
  if (typeof value === 'string') return value !== '' && !/[\s"=]/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}
