import pg from 'pg';
import { redactStorageUrl, storageUrlProblem, storageUrlSecrets } from '../../config/storage-url.js';
import { StoreError } from '../store-error.js';

/** The server ends any statement running longer (a lock wait included): no query may hang a request. */
export const STATEMENT_TIMEOUT_MS = 10_000;
/** The server ends a session left idle inside a transaction longer (a replica stalled mid-transaction). */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;
/** A connection that is not made in this time fails (a server that drops packets). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Few connections per replica: each is a server process, and a fleet has several replicas. */
export const POOL_MAX = 4;

export interface PoolOptions {
  /** The server-side limit on each statement (and the client-side one, a little longer). */
  statementTimeoutMs?: number;
  max?: number;
  /** A connection failed while idle (the server restarted, a network cut); the pool replaces it. */
  onError?: (error: Error) => void;
}

/**
 * A pool for `url` with every wait bounded: connecting, each statement (on the server, and on the client for a
 * server that stops answering), and a transaction left idle. A bad URL is a StoreError naming storage.url that
 * never quotes the password.
 */
export function openPool(url: string, options: PoolOptions = {}): pg.Pool {
  const problem = storageUrlProblem(url);
  if (problem !== undefined) throw new StoreError(`storage.url: ${problem}`);
  const statementTimeout = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    application_name: 'planecheck',
    max: options.max ?? POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // A server that vanished without closing (a failover, a cut) is noticed on idle connections too.
    keepAlive: true,
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: Math.max(IDLE_IN_TRANSACTION_TIMEOUT_MS, statementTimeout + 1_000),
    // Past the server's own limit: this one only fires when the server (or the network) stopped answering.
    query_timeout: statementTimeout + 2_000,
  });
  const onError = options.onError ?? (() => undefined);
  // An idle connection's error is emitted here; without a listener it would end the process.
  pool.on('error', (error) => onError(redactError(error, url)));
  return pool;
}

/** `host:port` of the server `url` names, for messages. */
export function serverAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return '(unparsable storage.url)';
  }
}

/** `text` with the URL's secrets (its password and secret parameters, as written and decoded) replaced by `***`. */
export function redactSecret(text: string, url: string): string {
  let clean = url === '' ? text : text.split(url).join(redactStorageUrl(url));
  for (const secret of storageUrlSecrets(url)) {
    for (const form of new Set([secret, encodeURIComponent(secret), safeDecode(secret)])) {
      if (form.length > 0) clean = clean.split(form).join('***');
    }
  }
  return clean;
}

/** An error whose message is redacted, keeping the original as its cause (pg messages rarely hold it). */
export function redactError(error: Error, url: string): Error {
  const message = redactSecret(error.message, url);
  if (message === error.message) return error;
  const clean = new Error(message);
  clean.name = error.name;
  return clean;
}

/**
 * What went wrong, in words: Node's connection errors to a name with several addresses (`localhost`) are an
 * AggregateError with an empty message.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  const inner = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  const messages = inner.map((item) => (item instanceof Error ? item.message : String(item))).filter(Boolean);
  if (messages.length > 0) return [...new Set(messages)].join('; ');
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Runs `work` in one transaction on one connection: BEGIN, work, COMMIT; ROLLBACK when it throws. A connection
 * that broke is destroyed, not returned to the pool.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // While checked out, a connection's error has no pool listener: without this one it would end the process.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // Not an answer from the server (a client-side timeout, a cut): the connection's state is unknown.
    if (!isServerError(error)) broken ??= error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}

/** An error the server sent (it carries a SQLSTATE): the connection itself is fine. */
export function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
