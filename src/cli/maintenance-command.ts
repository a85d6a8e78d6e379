import { parseArgs } from 'node:util';

export const MAINTENANCE_HELP = `planecheck maintenance start --plane NAME (--for DURATION | --until TIME) [--note TEXT] [--url URL]
planecheck maintenance end --plane NAME [--url URL]
    Put a plane in maintenance on a running daemon, or end it: still checked, never self-healed, its alerts
    quiet. --for takes a duration (2h, 30m), --until an RFC 3339 time; --note says why (in the audit trail).
    --url is the daemon (default PLANECHECK_URL, else http://127.0.0.1:9464). With server.auth configured,
    set PLANECHECK_API_TOKEN (bearer), or PLANECHECK_API_USERNAME and PLANECHECK_API_PASSWORD (basic).
    Exit code: 0 done, 1 the daemon refused or did not answer, 2 usage error.
`;

export const DEFAULT_DAEMON_URL = 'http://127.0.0.1:9464';
const REQUEST_TIMEOUT_MS = 15_000;

export interface MaintenanceCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export class MaintenanceUsageError extends Error {}

/** `planecheck maintenance start|end`: talks to the daemon's maintenance API. Returns the exit code. */
export async function maintenanceCommand(args: readonly string[], io: MaintenanceCommandIo): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      plane: { type: 'string' },
      for: { type: 'string' },
      until: { type: 'string' },
      note: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || action === '--help' || action === '-h') {
    io.out(MAINTENANCE_HELP);
    return 0;
  }
  if (action !== 'start' && action !== 'end')
    throw new MaintenanceUsageError('maintenance: expected "start" or "end"');
  if (values.plane === undefined || values.plane === '') throw new MaintenanceUsageError('--plane: required');
  if (action === 'start' && (values.for === undefined) === (values.until === undefined))
    throw new MaintenanceUsageError('maintenance start: give --for DURATION or --until TIME');
  if (action === 'end' && (values.for ?? values.until ?? values.note) !== undefined)
    throw new MaintenanceUsageError('maintenance end: takes only --plane and --url');
  const base = daemonUrl(values.url ?? io.env.PLANECHECK_URL ?? DEFAULT_DAEMON_URL);
  const target = new URL(`api/v1/planes/${encodeURIComponent(values.plane)}/maintenance`, base);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = authHeader(io.env);
  if (authorization !== undefined) headers.authorization = authorization;
  const body =
    action === 'start'
      ? JSON.stringify({
          ...(values.for !== undefined ? { for: values.for } : { until: values.until }),
          ...(values.note !== undefined ? { note: values.note } : {}),
        })
      : undefined;
  let response: Response;
  try {
    response = await fetch(target, {
      method: action === 'start' ? 'POST' : 'DELETE',
      headers,
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    io.err(
      `planecheck: the daemon at ${base.origin} did not answer: ${cause?.code ?? cause?.message ?? String(error)}`,
    );
    return 1;
  }
  const text = await response.text();
  let answer: {
    error?: string;
    ended?: boolean;
    maintenance?: { until: string; note: string; source: string } | null;
  };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    io.err(`planecheck: the daemon answered HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    return 1;
  }
  if (!response.ok) {
    io.err(`planecheck: the daemon refused (HTTP ${response.status}): ${answer.error ?? text.slice(0, 200)}`);
    return 1;
  }
  const current = answer.maintenance;
  if (action === 'start') {
    io.out(
      `${values.plane} is in maintenance until ${current?.until ?? '?'}${current?.note ? ` (${current.note})` : ''}`,
    );
  } else {
    const ended = answer.ended ? 'maintenance ended' : 'had no maintenance started through the API';
    const still = current ? `; still in a configured window until ${current.until}` : '';
    io.out(`${values.plane}: ${ended}${still}`);
  }
  return 0;
}

function daemonUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.endsWith('/') ? text : `${text}/`);
  } catch {
    throw new MaintenanceUsageError(`--url: not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new MaintenanceUsageError('--url: only http and https are supported');
  return url;
}

/** From the environment only: a secret on the command line shows in every process listing. */
function authHeader(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.PLANECHECK_API_TOKEN;
  if (token) return `Bearer ${token}`;
  const user = env.PLANECHECK_API_USERNAME;
  const password = env.PLANECHECK_API_PASSWORD;
  if (user && password !== undefined) return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  if (user) throw new MaintenanceUsageError('PLANECHECK_API_USERNAME is set without PLANECHECK_API_PASSWORD');
  return undefined;
}
