import type { Checker } from '../check/checker.js';
import type { ResultStore } from '../check/result-store.js';
import { ConfigError } from '../config/parse.js';
import { planReload, type ReloadChanges } from '../config/reload-plan.js';
import { selfHealEnabledFor, type Config, type WorkloadPlane } from '../config/schema.js';
import type { FleetShareCycle } from '../fleet/fleet-share-cycle.js';
import { selfHealSettings } from '../heal/self-heal-settings.js';
import type { SelfHealer } from '../heal/self-healer.js';
import { getErrorMessage, type Logger } from '../log/logger.js';
import type { MaintenanceView } from '../maintenance/maintenance-view.js';
import type { PlanecheckMetrics } from '../metrics/metrics.js';
import type { TlsExpiryTracker } from '../platform/tls-expiry.js';
import type { AvailabilityCache } from '../store/availability.js';
import { readStrips, type StatusBoard } from '../store/status-board.js';
import type { CheckCycle } from './check-cycle.js';

/**
 * The config the daemon runs on now, read by whatever must follow a reload (the routes, the status API,
 * the logger, self-heal's choice of planes) instead of a copy taken at start.
 */
export class LiveConfig {
  #config!: Config;
  #planeNames!: readonly string[];
  #byName!: ReadonlyMap<string, WorkloadPlane>;

  constructor(config: Config) {
    this.set(config);
  }

  get config(): Config {
    return this.#config;
  }

  /** The configured planes' names, in the config's order. */
  get planeNames(): readonly string[] {
    return this.#planeNames;
  }

  /** A configured plane's settings; undefined for a plane not (or no longer) configured. */
  plane(name: string): WorkloadPlane | undefined {
    return this.#byName.get(name);
  }

  set(config: Config): void {
    this.#config = config;
    this.#planeNames = config.workloadPlanes.map((plane) => plane.name);
    this.#byName = new Map(config.workloadPlanes.map((plane) => [plane.name, plane]));
  }

  /**
   * Whether self-heal may dispatch for the plane under the current config (its own `selfHeal.enabled`, else
   * the section's); never for a plane no longer configured.
   */
  healsPlane(name: string): boolean {
    const plane = this.#byName.get(name);
    return plane !== undefined && selfHealEnabledFor(this.#config, plane);
  }
}

/** The components a reload reconfigures: each follows the plane set (and its own settings) from then on. */
export interface Reconfigurable {
  live: LiveConfig;
  store: Pick<ResultStore, 'history'>;
  board: StatusBoard;
  cycle: CheckCycle;
  share: FleetShareCycle | undefined;
  maintenance: MaintenanceView;
  tlsExpiry: TlsExpiryTracker;
  availability: AvailabilityCache;
  metrics: PlanecheckMetrics;
  healer: SelfHealer | undefined;
  /** Builds the checker of a changed platform or schedule (the HTTP adapter of the new settings). */
  createChecker: (config: Config) => Checker;
}

/**
 * Applies a config the plan accepted. The one step that can fail (reading the added planes' stored results)
 * comes first, so a failure changes nothing.
 */
export async function applyConfig(
  parts: Reconfigurable,
  next: Config,
  changes: ReloadChanges,
): Promise<void> {
  const strips = await readStrips(parts.store, changes.added);
  const checker = changes.checker ? parts.createChecker(next) : undefined;
  const { live, board, cycle, share, maintenance, tlsExpiry, availability, metrics, healer } = parts;
  live.set(next);
  const names = live.planeNames;
  board.setPlanes(names, (plane) => strips.get(plane) ?? [], next.schedule.cacheTtl);
  cycle.reconfigure(next.workloadPlanes, checker);
  share?.setPlanes(names);
  maintenance.setWindows(new Map(next.workloadPlanes.map((plane) => [plane.name, plane.maintenance])));
  tlsExpiry.setPlanes(next.workloadPlanes);
  availability.setPlanes(names);
  const settings = selfHealSettings(next.selfHeal);
  // Whether self-heal may dispatch for a plane is read from `live` (healsPlane). A config without a selfHeal
  // section leaves the healer its previous settings, for the runs it still follows.
  if (healer && settings) healer.reconfigure(settings);
  metrics.setCacheTtl(next.schedule.cacheTtl);
  await metrics.setPlanes(names);
}

/** What SIGHUP does once the daemon has started, and how shutdown ends it. */
export interface SighupHandler {
  onSighup: () => void;
  /** No reload from now on; resolves once a reload under way has applied or given up. */
  stop: () => Promise<void>;
}

/**
 * Reloads the config file with `load` and applies it to `parts`, or, without a file (the demo), says there
 * is nothing to reload.
 */
export function sighupHandler(
  load: (() => Promise<Config>) | undefined,
  parts: Reconfigurable,
  log: Logger,
): SighupHandler {
  if (load === undefined) {
    return {
      onSighup: () => log.warn('SIGHUP: the demo has no config file; nothing to reload'),
      stop: () => Promise.resolve(),
    };
  }
  const reloader = new ConfigReloader({
    load,
    live: parts.live,
    healerRunning: parts.healer !== undefined,
    apply: (next, changes) => applyConfig(parts, next, changes),
    metrics: parts.metrics,
    log,
    stderr: (text) => process.stderr.write(text),
  });
  return {
    onSighup: () => {
      reloader
        .request()
        .catch((error: unknown) => log.error('config reload failed', { error: getErrorMessage(error) }));
    },
    stop: () => reloader.stop(),
  };
}

export interface ConfigReloaderDeps {
  /** Reads and validates the config file as at start; throws a ConfigError when it is invalid. */
  load: () => Promise<Config>;
  live: LiveConfig;
  /** Whether the daemon started a self-healer: without one, turning self-heal on needs a restart. */
  healerRunning: boolean;
  apply: (next: Config, changes: ReloadChanges) => Promise<void>;
  metrics: Pick<PlanecheckMetrics, 'recordReload'>;
  log: Logger;
  /** Where an invalid config's error lines go, as at start. */
  stderr: (text: string) => void;
}

/**
 * Reloads the config on request (SIGHUP). Reloads run one at a time: a request during a reload runs one
 * more reload after it (however many came), which reads the file as it is then. An invalid or restart-only
 * config is refused and the daemon runs on the old one; either way the result is logged and counted.
 */
export class ConfigReloader {
  readonly #deps: ConfigReloaderDeps;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: ConfigReloaderDeps) {
    this.#deps = deps;
  }

  /** Reloads now, or after the reload under way; resolves once no reload is pending. */
  request(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * Shutdown: no reload starts or applies from now on (it would build a checker after the last one closed).
   * Resolves once a reload already applying has finished.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    return this.#running ?? Promise.resolve();
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      await this.#reloadOnce();
    } while (this.#again && !this.#stopped);
  }

  async #reloadOnce(): Promise<void> {
    const { load, live, log, metrics, stderr } = this.#deps;
    log.info('reloading the config');
    let next: Config;
    try {
      next = await load();
    } catch (error) {
      const message = getErrorMessage(error);
      // The same lines a start with this file prints, so the fix is the same.
      stderr(error instanceof ConfigError ? `${message}\n` : `planecheck: ${message}\n`);
      log.error('config reload refused: the new config is invalid; running on the previous one', {
        error: message,
      });
      await metrics.recordReload(false);
      return;
    }
    const plan = planReload(live.config, next, this.#deps.healerRunning);
    if ('refused' in plan) {
      stderr(`planecheck: config reload refused: ${plan.refused}\n`);
      log.error('config reload refused; running on the previous one', { error: plan.refused });
      await metrics.recordReload(false);
      return;
    }
    const { added, removed, changed, fields } = plan.changes;
    if (this.#stopped) {
      log.info('config reload not applied: planecheck is shutting down');
      return;
    }
    try {
      await this.#deps.apply(next, plan.changes);
    } catch (error) {
      log.error('config reload failed; running on the previous one', { error: getErrorMessage(error) });
      await metrics.recordReload(false);
      return;
    }
    // At most 50 names of each, so that a reload of thousands of planes stays one readable line.
    log.info('config reloaded', {
      planes: live.planeNames.length,
      added: added.slice(0, 50),
      removed: removed.slice(0, 50),
      changed: changed.slice(0, 50),
      fields,
    });
    await metrics.recordReload(true);
  }
}
