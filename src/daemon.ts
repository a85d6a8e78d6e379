#!/usr/bin/env node
// The daemon's composition root: the only place that builds and wires config, store, checker,
// metrics, scheduler and server.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createChecker } from './check/checker.js';
import type { SelfHeal } from './heal/create-self-heal.js';
import { resolveInstanceName } from './config/instance-name.js';
import { loadConfigFile, resolveConfigPath } from './config/load.js';
import { ConfigError, parseConfig, parseListenAddress } from './config/parse.js';
import { selfHealOnForSomePlane, type Config } from './config/schema.js';
import { CheckCycle } from './daemon/check-cycle.js';
import { createLogger, getErrorMessage, type Logger } from './log/logger.js';
import { PlanecheckMetrics } from './metrics/metrics.js';
import { TlsExpiryTracker } from './platform/tls-expiry.js';
import { CycleScheduler } from './scheduler/cycle-scheduler.js';
import type { SandboxGithub } from './sandbox/sandbox-github.js';
import type { SandboxPlatform } from './sandbox/sandbox-platform.js';
import { closeServer, createDaemonServer, listen } from './server/http-server.js';
import { createRoutes } from './server/routes.js';
import { healActionView, statusResponse } from './server/status-api.js';
import { StoreError } from './store/store-error.js';
import { StorageHealth } from './store/storage-health.js';
import { openStorage } from './daemon/open-storage.js';
import { FleetShareCycle } from './fleet/fleet-share-cycle.js';
import { FleetKeeper, fleetTimings } from './fleet/fleet-keeper.js';
import { withTimeout } from './util/with-timeout.js';
import { SharedResultsSync } from './fleet/shared-results-sync.js';
import { loadStatusBoard } from './store/status-board.js';
import { AvailabilityCache } from './store/availability.js';
import { unsupportedNode } from './util/node-floor.js';
import { MaintenanceView } from './maintenance/maintenance-view.js';
import { AuditRecorder } from './audit/audit-recorder.js';
import { maintenanceRoute } from './server/maintenance-api.js';
import { actorOf, listensOnLoopback } from './server/auth.js';
import { LiveConfig, sighupHandler } from './daemon/reload.js';

const HELP = `Usage: planecheck-daemon --config FILE | --demo  [--listen HOST:PORT] [--instance NAME]

  --config FILE       run against the platform in FILE (or set PLANECHECK_CONFIG)
  --demo              run against a built-in sandbox platform with planes in every state
  --listen HOST:PORT  serve /metrics, /api and the status page here instead of server.listen
                      (default 127.0.0.1:9464; port 0 picks a free one)
  --instance NAME     this daemon's name, on every result it stores and in the status API
                      (or set PLANECHECK_INSTANCE; default HOSTNAME:PID); 1-100 printable characters,
                      no whitespace
`;

/**
 * What start-up has opened so far, newest last, closed if start-up fails part way: otherwise a demo whose
 * port is taken would print its error and then never exit, its sandbox servers holding the process.
 */
const openedAtStartup: (() => unknown)[] = [];

async function main(): Promise<number> {
  // Node's default for SIGHUP ends the process (and systemd counts that as a clean stop: no restart), so
  // it is caught before anything else; one during start-up reloads the config once the daemon has started.
  let sighupDuringStart = false;
  let onSighup = () => {
    sighupDuringStart = true;
  };
  process.on('SIGHUP', () => onSighup());
  const oldNode = unsupportedNode(process.versions.node);
  if (oldNode !== undefined) {
    process.stderr.write(`planecheck: ${oldNode}\n`);
    return 2;
  }
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      listen: { type: 'string' },
      instance: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  // Checked before anything starts, so a typo never leaves a half-started demo behind.
  const listenAt = values.listen === undefined ? undefined : parseListenAddress(values.listen, '--listen');
  const instance = resolveInstanceName(values.instance, process.env, {
    hostname: hostname(),
    pid: process.pid,
  });
  let sandbox: SandboxPlatform | undefined;
  let sandboxGithub: SandboxGithub | undefined;
  let demoDirectory: string | undefined;
  let config: Config;
  /** Reads the config file again (SIGHUP); none for the demo, which has no file. */
  let reloadConfig: (() => Promise<Config>) | undefined;
  if (values.demo) {
    // Demo-only code (and self-heal's GitHub client below) is loaded on demand: a production daemon
    // should not hold the sandbox, its OpenAPI schemas or Octokit in memory when it never uses them.
    const [{ SandboxPlatform }, { SandboxGithub }, demo] = await Promise.all([
      import('./sandbox/sandbox-platform.js'),
      import('./sandbox/sandbox-github.js'),
      import('./sandbox/demo.js'),
    ]);
    const { DEMO_API_KEY, DEMO_GITHUB_TOKEN, DEMO_PLANES, demoConfigYaml, demoSelfHealYaml } = demo;
    const platform = new SandboxPlatform({
      apiKey: DEMO_API_KEY,
      planes: DEMO_PLANES,
      slowDelayMs: 300,
      asyncDurationMs: 300,
    });
    sandbox = platform;
    const sandboxUrl = await platform.start();
    openedAtStartup.push(() => platform.close());
    const github = new SandboxGithub({
      token: DEMO_GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 2_000,
      runMs: 4_000,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
    });
    sandboxGithub = github;
    const githubUrl = await github.start();
    openedAtStartup.push(() => github.close());
    // The demo's database lives in a temp directory of its own, removed when the demo stops.
    const directory = mkdtempSync(join(tmpdir(), 'planecheck-demo-'));
    demoDirectory = directory;
    openedAtStartup.push(() => rmSync(directory, { recursive: true, force: true }));
    const storagePath = join(directory, 'planecheck.db');
    config = parseConfig(
      demoConfigYaml(sandboxUrl, `storage: { path: "${storagePath}" }\n${demoSelfHealYaml(githubUrl)}`),
    );
  } else {
    const path = resolveConfigPath(values.config, process.env);
    if (path === undefined) {
      process.stderr.write(
        `planecheck: no config: pass --config FILE or set PLANECHECK_CONFIG (or --demo)\n${HELP}`,
      );
      return 2;
    }
    config = await loadConfigFile(path, process.env);
    reloadConfig = async () => withListen(await loadConfigFile(path, process.env));
  }
  // --listen wins over server.listen, at start and at every reload.
  const withListen = (loaded: Config): Config =>
    listenAt === undefined ? loaded : { ...loaded, server: { ...loaded.server, listen: listenAt } };
  config = withListen(config);
  const live = new LiveConfig(config);

  // If whoever reads stdout goes away (EPIPE), checking, metrics and self-heal carry on, without logs:
  // an unhandled stream error would otherwise end the process.
  let stdoutOpen = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!stdoutOpen) return;
    stdoutOpen = false;
    process.stderr.write(
      `planecheck: stdout closed (${error.code ?? error.message}); carrying on without logs\n`,
    );
  });
  const log = createLogger(
    () => live.config.log.level,
    (line) => {
      if (stdoutOpen) process.stdout.write(line);
    },
  );
  const planeNames = live.planeNames;
  let recoveries = 0;
  const storage = await openStorage(config.storage, {
    onRecovered: (event) => {
      recoveries++;
      log.error(
        'database file was not a usable SQLite database: moved it aside and started a fresh one',
        event,
      );
    },
    onCheckpointError: (error) =>
      log.error('could not checkpoint the database WAL', { error: error.message }),
    onBackgroundError: (error) => log.warn('store error in the background', { error: error.message }),
  });
  const { store } = storage;
  openedAtStartup.push(() => storage.close());
  const storageHealth = new StorageHealth((view) => {
    if (view.up) log.info('store answering again', { storage: storage.kind });
    else log.error('store not answering', { storage: storage.kind, error: view.error });
  });
  // The live replicas, as the last heartbeat saw them; a daemon on SQLite is a fleet of one.
  let fleetInstances: readonly string[] = [instance];
  const board = await loadStatusBoard(store, planeNames, config.schedule.cacheTtl);
  // Which planes are in maintenance, in memory (config windows, and run-time maintenance from the store).
  const maintenance = new MaintenanceView({
    windows: new Map(config.workloadPlanes.map((plane) => [plane.name, plane.maintenance])),
    store: storage.maintenance,
    audit: storage.audit,
    instance,
  });
  const auditRecorder = new AuditRecorder(storage.audit, `daemon:${instance}`, (error) =>
    log.warn('could not record an event in the audit trail', { error: getErrorMessage(error) }),
  );
  const inMaintenance = () => live.planeNames.filter((plane) => maintenance.until(plane) !== null).join('\n');
  const tlsExpiry = new TlsExpiryTracker(config.workloadPlanes);
  tlsExpiry.start();
  const metrics = new PlanecheckMetrics(planeNames, board, {
    tlsExpiry: () => tlsExpiry.expiries(),
    selfHeal: selfHealOnForSomePlane(config) && config.github !== undefined,
    inMaintenance: (plane) => maintenance.until(plane) !== null,
    planeLabels: (plane) => live.plane(plane)?.labels ?? {},
    intervalMs: config.schedule.interval,
    cacheTtlMs: config.schedule.cacheTtl,
    onRenderError: (error) =>
      log.error('could not render metrics; serving the previous ones', { error: getErrorMessage(error) }),
  });
  const availability = new AvailabilityCache(store, planeNames, {
    onError: (error) => {
      metrics.recordStorageError('read');
      log.error('could not compute availability', { error: getErrorMessage(error) });
    },
  });
  for (let i = 0; i < recoveries; i++) metrics.recordStorageRecovery();
  metrics.watchStore(
    () => storageHealth.up,
    () => fleetInstances.length,
  );
  const { coordinator, feed } = storage;
  // A fleet: each interval, this replica checks its share of the planes and what nobody else took.
  const timings = fleetTimings(config.schedule.interval);
  const share =
    coordinator &&
    new FleetShareCycle({
      coordinator,
      instance,
      planes: planeNames,
      intervalMs: config.schedule.interval,
      leaseMs: timings.leaseMs,
      liveWindowMs: timings.liveWindowMs,
      timeoutMs: timings.timeoutMs,
      onStorageError: (error, during) => {
        metrics.recordStorageError('share');
        storageHealth.failed('share', error, during);
      },
      // While results cannot be written, claiming would leave this replica's share unstored for everyone:
      // it checks every plane for itself and lets the others claim and store its share.
      holdClaims: () => storageHealth.failing('write'),
      onInstances: (instances) => {
        fleetInstances = instances;
        storageHealth.succeeded('share');
      },
    });
  const sharedResults =
    feed &&
    new SharedResultsSync({
      feed,
      onResults: (results) => {
        for (const result of results) {
          const change = board.merge(result);
          if (change) log.info('status changed', { ...change, checkedBy: result.checkedBy });
        }
      },
      onError: (error, failures) => {
        metrics.recordStorageError('poll');
        storageHealth.failed('poll', error);
        if (failures === 1)
          log.warn('could not read what other replicas stored', { error: getErrorMessage(error) });
      },
      onRecovered: () => storageHealth.succeeded('poll'),
      // Often enough that a result another replica stored reaches this one well inside the cache TTL.
      pollMs: Math.min(2_000, timings.periodMs),
    });

  const checker = createChecker(config);
  openedAtStartup.push(() => checker.close());
  // Fires on SIGTERM/SIGINT before anything else stops: GitHub requests and re-checks end at once.
  const shutdown = new AbortController();
  let selfHeal: SelfHeal | undefined;
  let flushHealLog: () => Promise<void> | undefined = () => undefined;
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    instance,
    share,
    checkpoint: storage.checkpoint,
    onStored: () => storageHealth.succeeded('write'),
    onStoreFailed: (error) => storageHealth.failed('write', error),
    // Maintenance first (what other replicas started, windows that began), then self-heal decides on it.
    onCycleFinished: (states) => {
      void refreshMaintenance().finally(() => selfHeal?.healer.afterCycle(states));
    },
  });
  /** Re-reads run-time maintenance; re-renders planecheck_maintenance when a plane went in or out. */
  const refreshMaintenance = async () => {
    const before = inMaintenance();
    try {
      await maintenance.refresh();
    } catch (error) {
      metrics.recordStorageError('read');
      log.warn('could not read maintenance from the store; keeping what is known', {
        error: getErrorMessage(error),
      });
    }
    if (inMaintenance() !== before) await metrics.maintenanceChanged();
  };
  await refreshMaintenance();
  // Renews this replica's claims and checks, within the same interval, the planes of a replica that died.
  const keeper =
    coordinator &&
    new FleetKeeper({
      coordinator,
      instance,
      intervalMs: config.schedule.interval,
      ...timings,
      checkRescued: (planes) => cycle.checkPlanes(planes, shutdown.signal),
      onStorageError: (error, during) => {
        metrics.recordStorageError('share');
        storageHealth.failed('share', error, during);
      },
      onStorageAnswered: () => storageHealth.succeeded('share'),
      onRescued: (planes) =>
        log.info('checking planes a replica left unchecked', {
          planes: planes.length,
          planeNames: planes.slice(0, 20),
        }),
    });
  if (selfHealOnForSomePlane(config) && config.github) {
    const { createSelfHeal } = await import('./heal/create-self-heal.js');
    const healLog = await storage.openHealLog();
    flushHealLog = () => healLog.flush?.();
    metrics.watchGithubBackoff(() => healLog.githubBackoffUntil());
    selfHeal = createSelfHeal({
      config,
      healLog,
      instance,
      // Results wait up to 100 ms for their batch: self-heal counts a plane's results once they are written.
      history: (plane, limit) => cycle.flush().then(() => store.history(plane, limit)),
      recheck: (plane, signal) => cycle.checkNow(plane, signal),
      metrics,
      log,
      signal: shutdown.signal,
      maintenanceUntil: (plane, now) => maintenance.until(plane, now),
      // Read from the current config: turned off by a reload, no new dispatch (runs followed go on).
      enabledFor: (plane) => live.healsPlane(plane),
      audit: (kind, plane, reason) => auditRecorder.record(kind, plane, reason),
    });
  }
  const healer = selfHeal?.healer;
  const scheduler = new CycleScheduler({
    intervalMs: config.schedule.interval,
    runCycle: (signal) => cycle.run(signal),
    onOverrun: () => {
      metrics.recordOverrun();
      log.warn('cycle skipped: the previous cycle is still running');
    },
    onError: (error) => log.error('cycle failed', { error: getErrorMessage(error) }),
    log,
    onClockStep: (stepMs) => log.warn('wall clock stepped; schedule re-armed', { stepMs }),
    onMissedTicks: (count) => log.warn('scheduled ticks missed', { count }),
  });

  const currentStatus = () =>
    statusResponse(
      instance,
      board.states(),
      {
        intervalMs: config.schedule.interval,
        cacheTtlMs: live.config.schedule.cacheTtl,
        running: scheduler.running,
        lastCycleFinishedAt: cycle.lastFinishedAt,
      },
      {
        healActions: (plane) => healer?.recentActions(plane).map(healActionView) ?? [],
        healHold: healer ? () => healer.hold() : undefined,
        recent: (plane) => board.recent(plane),
        availability: (plane) => availability.get(plane),
        maintenance: (plane) => maintenance.state(plane),
        labels: (plane) => live.plane(plane)?.labels ?? {},
        selfHealEnabled: (plane) => live.healsPlane(plane),
      },
      Date.now(),
      { kind: storage.kind, ...storageHealth.view },
      fleetInstances,
    );
  let storeOpen = true;
  const server = createDaemonServer({
    log,
    auth: () => live.config.server.auth,
    readiness: () => ({
      ready: storeOpen && scheduler.running,
      checks: { store: storeOpen, scheduler: scheduler.running },
    }),
    protectedRoutes: createRoutes({
      metrics,
      status: currentStatus,
      planes: () => live.planeNames,
      history: (plane, limit) => store.history(plane, limit),
      planeStatus: (plane) => board.state(plane).status,
      audit: (limit, before) => storage.audit.page(limit, before),
      runbookUrl: () => live.config.server.runbookUrl,
    }),
    writeRoutes: {
      '/api/v1/planes/': maintenanceRoute({
        planes: () => live.planeNames,
        state: (plane, now) => maintenance.state(plane, now),
        start: async (asked) => {
          const state = await maintenance.start(asked);
          log.info('maintenance started', {
            plane: asked.plane,
            until: new Date(asked.until).toISOString(),
            note: asked.note,
            actor: asked.actor,
          });
          await metrics.maintenanceChanged();
          return state;
        },
        end: async (plane, actor, now) => {
          const ended = await maintenance.end(plane, actor, now);
          if (ended) log.info('maintenance ended', { plane, actor });
          await metrics.maintenanceChanged();
          return ended;
        },
        actor: () => actorOf(live.config.server.auth),
      }),
    },
    writesOpen: listensOnLoopback(config.server.listen),
  });
  const url = await listenOrFreePort(server, config.server.listen, {
    // Only the demo moves to a free port: a configured or explicit address is where Prometheus scrapes.
    fallBack: values.demo && listenAt === undefined,
    log,
  });
  openedAtStartup.length = 0; // started: from here on, shutdown closes everything in its own order
  healer?.resume();
  sharedResults?.start();
  keeper?.start();
  scheduler.start();
  const reconfigurable = { live, store, board, cycle, share, maintenance, tlsExpiry, availability, metrics };
  const reloads = sighupHandler(reloadConfig, { ...reconfigurable, healer, createChecker }, log);
  onSighup = reloads.onSighup;
  log.info('planecheck started', {
    url,
    instance,
    planes: planeNames.length,
    intervalSeconds: config.schedule.interval / 1000,
    storage: storage.where,
    selfHeal: healer ? (config.selfHeal?.dryRun ? 'dry-run' : 'on') : 'off',
  });
  if (sighupDuringStart) {
    // The file may have changed after start-up read it.
    log.info('SIGHUP came during start-up: reloading the config now');
    onSighup();
  }
  if (sandbox) {
    process.stderr.write(
      `\nplanecheck demo: ${planeNames.length} sandbox planes, checked every ${config.schedule.interval / 1000}s\n` +
        `  status page   ${url}/\n  status API    ${url}/api/v1/status\n  metrics       ${url}/metrics\n` +
        `  sandbox admin ${sandbox.url}/admin/planes   (break a plane: curl -X PUT ${sandbox.url}/admin/planes/us-east-1 -d '{"scenario":"no_user"}')\n` +
        `  sandbox GitHub ${sandboxGithub?.url ?? ''}/admin/runs   (self-heal dispatches the smoke-test workflow here; watch eu-west-1 and eu-central-1 heal)\n` +
        '  Ctrl-C stops it.\n\n',
    );
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  shutdown.abort();
  onSighup = () => log.info('SIGHUP during shutdown ignored');
  log.info('shutting down', { signal });
  // A safety net: if something still holds the event loop after a clean stop, leave anyway.
  setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000).unref();
  // Every step that waits on the store is bounded: a store that stopped answering must not turn a clean
  // stop into the safety net's exit 1. What could not be written is said, and is lost only with this process.
  const bounded = async (what: string, ms: number, work: Promise<unknown> | undefined) => {
    try {
      await withTimeout(Promise.resolve(work), ms, what);
    } catch (error) {
      log.error(`shutdown: ${what} did not finish`, { error: getErrorMessage(error) });
    }
  };
  await Promise.all([
    scheduler.stop(),
    bounded('self-heal', 3_000, selfHeal?.stop()),
    bounded('reading the shared store', 1_000, sharedResults?.stop()),
    bounded('the fleet keeper', 1_000, keeper?.stop()),
    // Before the checker closes: a reload applying now may replace it.
    bounded('the config reload under way', 1_000, reloads.stop()),
  ]);
  await closeServer(server);
  await cycle.closeChecker();
  await bounded(
    'storing the last results',
    2_000,
    cycle.flush(true).then((stored) => {
      if (!stored) throw new Error(`the store refused them`);
    }),
  );
  await bounded('the heal log', 1_000, flushHealLog());
  await bounded('the audit trail', 1_000, auditRecorder.flush());
  // Gives up this replica's claims and leaves the live list, so the others take its share at once.
  await bounded('leaving the fleet', 1_000, coordinator?.leave(instance));
  storeOpen = false;
  await bounded('closing the store', 1_000, storage.close());
  await sandbox?.close();
  await sandboxGithub?.close();
  if (demoDirectory !== undefined) rmSync(demoDirectory, { recursive: true, force: true });
  log.info('stopped');
  // A connection to a store that stopped answering may still hold the event loop: it does not delay the exit.
  setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  return 0;
}

/** Listens at `address`; with `fallBack`, a taken port is replaced by a free one on the same host, and said. */
async function listenOrFreePort(
  server: Server,
  address: string,
  { fallBack, log }: { fallBack: boolean; log: Logger },
): Promise<string> {
  try {
    return await listen(server, address);
  } catch (error) {
    if (!fallBack || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    const host = address.slice(0, address.lastIndexOf(':'));
    const url = await listen(server, `${host}:0`);
    log.warn('listen address in use; serving on a free port instead', { wanted: address, url });
    process.stderr.write(`planecheck demo: ${address} is in use; serving on ${url} instead\n`);
    return url;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof StoreError) {
    // A database from a newer planecheck, or a path that cannot be opened: a restart will not mend it.
    process.stderr.write(`planecheck: ${error.message}\n`);
    process.exitCode = 2;
  } else if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    process.stderr.write(`planecheck: cannot listen: ${getErrorMessage(error)}\n`);
    process.exitCode = 1;
  } else if ((error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`planecheck: ${getErrorMessage(error)}\n${HELP}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `planecheck: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
  for (const close of openedAtStartup.reverse()) {
    try {
      await close();
    } catch {
      // Already failing: the error above is the one to report.
    }
  }
}
