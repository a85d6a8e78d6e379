import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SandboxGithub,
  type GithubRequest,
  type RecordedRequest,
  type SandboxGithubOptions,
} from '../../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type PlaneRequest, type Scenario } from '../../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './daemon.js';
import { clientProcess } from './socket-owner.js';
import { tempDir } from './tmp.js';

/** Short enough that a test sees many intervals, long enough for several replicas on two CPUs. */
export const INTERVAL_MS = 2_000;
export const CACHE_TTL_MS = 5_000;
const SCHEDULE = '{ interval: 2s, cacheTtl: 5s, concurrency: 8, planeTimeout: 1500ms }';

export const FLEET_GITHUB_TOKEN = 'ghp_fleetSandboxToken0123456789abcdef';
const DISPATCH = /\/actions\/workflows\/[^/]+\/dispatches$/;

/** `GET /api/v1/status` as a replica of a fleet answers it (the parts these tests read). */
export interface FleetStatus {
  instance: string;
  storage: { up: boolean; since: string; error: string | null };
  fleet: { instances: string[] };
  planes: {
    name: string;
    status: string;
    reason: string | null;
    checkedAt: string | null;
    checkedBy: string | null;
    selfHeal: {
      correlationId: string;
      status: string;
      runId: number | null;
      conclusion: string | null;
      outcome: string | null;
    }[];
  }[];
}

/** A check as the platform saw it arrive: its first request, the user lookup. */
export interface CheckSeen {
  plane: string;
  at: number;
  /** The replica whose process sent it; undefined when that could not be told. */
  replica: string | undefined;
}

export interface FleetRigOptions {
  /** A fresh database for this test (`TestPostgres.createDatabase`); or `sqlitePath` for one daemon alone. */
  databaseUrl?: string;
  sqlitePath?: string;
  planes: Record<string, Scenario>;
  apiKey?: string;
  /** `selfHeal:` fields over the rig's defaults; self-heal is off without them. */
  selfHeal?: Record<string, string | number | boolean>;
  github?: Partial<SandboxGithubOptions>;
  githubToken?: string;
}

/**
 * A fleet under test: the sandbox platform in this process (every check it serves is recorded with the
 * replica that sent it), the sandbox GitHub when self-heal is on, one config file, and any number of
 * `node dist/daemon.js --instance NAME` replicas on one PostgreSQL database.
 */
export class FleetRig {
  readonly platform: SandboxPlatform;
  readonly github: SandboxGithub | undefined;
  readonly configPath: string;
  readonly checks: CheckSeen[] = [];
  /** Sees every plane request after it is recorded, with the replica that sent it; may hold it. */
  tap: ((request: PlaneRequest, replica: string | undefined) => void | Promise<void>) | undefined;
  /** Every GitHub API request, with the replica that sent it. */
  readonly githubRequests: (GithubRequest & { at: number; replica: string | undefined })[] = [];
  /** The same as `tap`, for GitHub API requests. */
  githubTap: ((request: GithubRequest, replica: string | undefined) => void | Promise<void>) | undefined;
  readonly #replicas = new Map<string, DaemonProcess>();
  readonly #env: NodeJS.ProcessEnv;
  readonly #platformPort: number;

  private constructor(
    platform: SandboxPlatform,
    github: SandboxGithub | undefined,
    configPath: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.platform = platform;
    this.github = github;
    this.configPath = configPath;
    this.#env = env;
    this.#platformPort = Number(new URL(platform.url).port);
    platform.onRequest = (request) => {
      const replica = this.#replicaOfPort(request.remotePort, this.#platformPort);
      if (request.step === 'user_lookup') this.checks.push({ plane: request.plane, at: Date.now(), replica });
      return this.tap?.(request, replica);
    };
    if (github) {
      const githubPort = Number(new URL(github.url).port);
      github.onRequest = (request) => {
        const replica = this.#replicaOfPort(request.remotePort, githubPort);
        this.githubRequests.push({ ...request, at: Date.now(), replica });
        return this.githubTap?.(request, replica);
      };
    }
  }

  static async start(options: FleetRigOptions): Promise<FleetRig> {
    const apiKey = options.apiKey ?? 'fleet-test-api-key';
    const githubToken = options.githubToken ?? FLEET_GITHUB_TOKEN;
    const platform = new SandboxPlatform({ apiKey, planes: options.planes });
    await platform.start();
    let github: SandboxGithub | undefined;
    try {
      if (options.selfHeal) {
        github = new SandboxGithub({
          token: githubToken,
          workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
          queuedMs: 500,
          runMs: 1_000,
          onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
          ...options.github,
        });
        await github.start();
      }
    } catch (error) {
      await platform.close();
      throw error;
    }
    const planes = Object.keys(options.planes)
      .map((name) => `  - { name: ${name}, inferenceUrl: "${platform.inferenceUrl(name)}" }`)
      .join('\n');
    const selfHeal = options.selfHeal && {
      enabled: true,
      repository: 'acme/platform',
      cooldown: '10m',
      runPollInterval: '500ms',
      runTimeout: '2m',
      ...options.selfHeal,
    };
    const configPath = join(tempDir('planecheck-fleet-'), 'planecheck.yaml');
    // Credentials come from the environment, as a deployment would give them (the config file is shared).
    writeFileSync(
      configPath,
      `schedule: ${SCHEDULE}
platform:
  controlPlaneUrl: "${platform.url}"
  apiKey: "\${PLATFORM_API_KEY}"
  requestTimeout: 1s
  asyncTimeout: 1s
  pollInterval: 50ms
workloadPlanes:
${planes}
server: { listen: "127.0.0.1:0" }
${options.sqlitePath === undefined ? 'storage: { url: "${PLANECHECK_PG_URL}" }' : `storage: { path: "${options.sqlitePath}" }`}
${
  selfHeal && github
    ? `selfHeal: ${JSON.stringify(selfHeal)}
github: { apiUrl: "${github.url}", token: "\${GITHUB_TOKEN}" }`
    : ''
}
`,
    );
    const env = {
      PLATFORM_API_KEY: apiKey,
      ...(options.databaseUrl === undefined ? {} : { PLANECHECK_PG_URL: options.databaseUrl }),
      GITHUB_TOKEN: githubToken,
    };
    return new FleetRig(platform, github, configPath, env);
  }

  /** Starts replicas at the same moment; all of them must start. */
  async startReplicas(names: readonly string[], startTimeoutMs = 60_000): Promise<DaemonProcess[]> {
    const started = await Promise.allSettled(
      names.map(async (name) => {
        if (this.#replicas.has(name)) throw new Error(`replica ${name} is running already`);
        const daemon = await startDaemon(['--config', this.configPath, '--instance', name], this.#env, {
          startTimeoutMs,
        });
        this.#replicas.set(name, daemon);
        return daemon;
      }),
    );
    const failed = started.flatMap((result, i) =>
      result.status === 'rejected' ? [`${names[i]}: ${String(result.reason)}`] : [],
    );
    if (failed.length > 0) throw new Error(`replicas did not start:\n${failed.join('\n')}`);
    return started.map((result) => (result as PromiseFulfilledResult<DaemonProcess>).value);
  }

  /** The running replicas' names. */
  get names(): string[] {
    return [...this.#replicas.keys()];
  }

  replica(name: string): DaemonProcess {
    const daemon = this.#replicas.get(name);
    if (daemon === undefined) throw new Error(`no replica ${name}`);
    return daemon;
  }

  /** SIGKILL: no clean shutdown, no goodbye to the store. Resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    const daemon = this.replica(name);
    await daemon.stop('SIGKILL');
    this.#replicas.delete(name);
  }

  /** Replicas that exited on their own (none should). */
  exited(): string[] {
    return [...this.#replicas]
      .filter(([, daemon]) => daemon.child.exitCode !== null || daemon.child.signalCode !== null)
      .map(
        ([name, daemon]) =>
          `${name} (${daemon.child.exitCode ?? daemon.child.signalCode}): ${daemon.stderr()}`,
      );
  }

  async status(name: string): Promise<FleetStatus> {
    const response = await fetch(`${this.replica(name).url}/api/v1/status`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) throw new Error(`${name}: /api/v1/status answered ${response.status}`);
    return (await response.json()) as FleetStatus;
  }

  async metrics(name: string): Promise<string> {
    const response = await fetch(`${this.replica(name).url}/metrics`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) throw new Error(`${name}: /metrics answered ${response.status}`);
    return response.text();
  }

  /**
   * Waits until `check` passes (returns without throwing) for every running replica's status; the last
   * failure is in the timeout's message.
   */
  async everyReplica(
    what: string,
    check: (status: FleetStatus, name: string) => void,
    timeoutMs = 30_000,
  ): Promise<Map<string, FleetStatus>> {
    return eventually(
      async () => {
        const statuses = new Map<string, FleetStatus>();
        for (const name of this.names) {
          const status = await this.status(name);
          check(status, name);
          statuses.set(name, status);
        }
        return statuses;
      },
      timeoutMs,
      what,
    );
  }

  /** The same for every running replica's /metrics. */
  async everyScrape(
    what: string,
    check: (text: string, name: string) => void,
    timeoutMs = 30_000,
  ): Promise<Map<string, string>> {
    return eventually(
      async () => {
        const texts = new Map<string, string>();
        for (const name of this.names) {
          const text = await this.metrics(name);
          check(text, name);
          texts.set(name, text);
        }
        return texts;
      },
      timeoutMs,
      what,
    );
  }

  /** The workflow dispatches GitHub received. */
  dispatches(): RecordedRequest[] {
    return (this.github?.requests ?? []).filter((r) => r.method === 'POST' && DISPATCH.test(r.path));
  }

  /** Checks the platform saw per plane since `since` (epoch ms). */
  checksPerPlane(since: number, until = Infinity): Map<string, number> {
    const counts = new Map<string, number>();
    for (const check of this.checks) {
      if (check.at >= since && check.at < until) counts.set(check.plane, (counts.get(check.plane) ?? 0) + 1);
    }
    return counts;
  }

  /** Stops every replica (SIGKILL: cleanup must not wait on a stuck one) and the sandboxes. */
  async close(): Promise<void> {
    this.tap = undefined;
    this.githubTap = undefined;
    await Promise.all([...this.#replicas.values()].map((daemon) => daemon.stop('SIGKILL')));
    this.#replicas.clear();
    await Promise.allSettled([this.platform.close(), this.github?.close()]);
  }

  #replicaOfPort(port: number | undefined, serverPort: number): string | undefined {
    if (port === undefined) return undefined;
    const byPid = new Map([...this.#replicas].map(([name, daemon]) => [daemon.child.pid ?? -1, name]));
    const pid = clientProcess(port, serverPort, [...byPid.keys()]);
    return pid === undefined ? undefined : byPid.get(pid);
  }
}

/** The sum of a metric's samples whose labels include `labels`; undefined when there is none. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const given = match[3] ?? '';
    const has = ([key, value]: [string, string]) =>
      new RegExp(`(?:^|,)${key}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"(?:,|$)`).test(given);
    if (!Object.entries(labels).every(has)) continue;
    sum = (sum ?? 0) + Number(match[4]);
  }
  return sum;
}
