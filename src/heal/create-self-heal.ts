import { selfHealEnabledFor, selfHealOnForSomePlane, type Config } from '../config/schema.js';
import { createGithubClient, type GithubClient, type GithubClientOptions } from '../github/octokit-client.js';
import type { Logger } from '../log/logger.js';
import type { StoredResult } from '../check/stored-result.js';
import type { HealLog } from './heal-log.js';
import type { HealPolicy } from './heal-policy.js';
import { selfHealSettings } from './self-heal-settings.js';
import { SelfHealer, shutdownReason, type HealMetrics, type SelfHealerDeps } from './self-healer.js';

export interface SelfHealParts {
  config: Pick<Config, 'selfHeal' | 'github' | 'workloadPlanes'>;
  /** Whether self-heal may dispatch for a plane now; by default what `config` says of each plane. */
  enabledFor?: SelfHealerDeps['enabledFor'];
  /** Where attempts are recorded: SQLite or PostgreSQL (shared by a fleet) for the daemon, memory for the Action. */
  healLog: HealLog;
  /** This replica's instance name: the follower of the runs it dispatches. */
  instance: string;
  /** A plane's recent results, newest first (for the failure threshold). */
  history: (plane: string, limit: number) => Promise<readonly StoredResult[]>;
  /** Checks one plane right now and publishes the result; gives up once `signal` fires. */
  recheck: (plane: string, signal: AbortSignal) => Promise<StoredResult | undefined>;
  metrics: HealMetrics;
  log: Logger;
  /** Shutdown (the daemon's signal handler, the Action's deadline): stops every GitHub request and re-check. */
  signal?: AbortSignal;
  /** Overrides of the configured policy (the Action sees one result per plane: a threshold of 1). */
  policy?: Partial<HealPolicy>;
  /** GitHub client tuning (tests shorten the token refresh margin and the request deadline). */
  githubOptions?: Pick<GithubClientOptions, 'tokenRefreshMarginMs' | 'requestTimeoutMs'>;
  /** The clock of cooldowns, run deadlines and the rate-limit stop (tests inject one). */
  now?: () => number;
  /** Until when a plane is in maintenance (no dispatch meanwhile); see SelfHealerDeps. */
  maintenanceUntil?: SelfHealerDeps['maintenanceUntil'];
  /** Where dispatches, holds and outcomes go in the audit trail. */
  audit?: SelfHealerDeps['audit'];
}

export interface SelfHeal {
  healer: SelfHealer;
  github: GithubClient;
  /** Aborts every GitHub request and re-check, waits for the tasks to wind down, hands back follow leases. */
  stop(): Promise<void>;
}

/**
 * The self-heal wiring, built once for the daemon, the Action and the tests: the GitHub client and the
 * healer share one shutdown signal, so stopping aborts requests in flight and sends none afterwards.
 * Undefined when self-heal is off or has no GitHub credentials.
 */
export function createSelfHeal(parts: SelfHealParts): SelfHeal | undefined {
  const settings = selfHealSettings(parts.config.selfHeal);
  const githubConfig = parts.config.github;
  if (!settings || !githubConfig || !selfHealOnForSomePlane(parts.config)) return undefined;
  const planes = new Map(parts.config.workloadPlanes.map((plane) => [plane.name, plane]));
  const { selfHeal } = parts.config;
  const stopping = new AbortController();
  const stopNow = () => stopping.abort(shutdownReason());
  if (parts.signal?.aborted) stopNow();
  else parts.signal?.addEventListener('abort', stopNow, { once: true });
  const github = createGithubClient(githubConfig, {
    ...parts.githubOptions,
    log: parts.log,
    // A rate-limit stop is kept with the attempts, so neither a new attempt nor a restart ends it early.
    backoff: parts.healLog,
    now: parts.now,
    signal: stopping.signal,
  });
  const healer = new SelfHealer({
    settings: { ...settings, policy: { ...settings.policy, ...parts.policy } },
    github,
    healLog: parts.healLog,
    instance: parts.instance,
    history: parts.history,
    recheck: parts.recheck,
    metrics: parts.metrics,
    log: parts.log,
    now: parts.now,
    signal: stopping.signal,
    maintenanceUntil: parts.maintenanceUntil,
    enabledFor: parts.enabledFor ?? ((plane) => selfHealEnabledFor({ selfHeal }, planes.get(plane))),
    audit: parts.audit,
  });
  return {
    healer,
    github,
    stop: async () => {
      stopNow();
      parts.signal?.removeEventListener('abort', stopNow);
      await healer.stop();
    },
  };
}
