import * as core from '@actions/core';
import { context } from '@actions/github';
import { createChecker } from '../src/check/checker.js';
import type { PlaneCheckResult } from '../src/check/result.js';
import { storedToReport, toStoredResult } from '../src/check/stored-result.js';
import type { Config } from '../src/config/schema.js';
import { createSelfHeal, type SelfHeal } from '../src/heal/create-self-heal.js';
import { MemoryHealLog } from '../src/heal/memory-heal-log.js';
import { maintenanceAt } from '../src/maintenance/maintenance-window.js';
import { getErrorMessage } from '../src/log/logger.js';
import { pushResults } from '../src/metrics/pushgateway.js';
import { healActionView } from '../src/server/status-api.js';
import type { StoredResult } from '../src/check/stored-result.js';
import { buildConfig } from './action-config.js';
import { createActionsLogger } from './actions-logger.js';
import { readInputs, InputError } from './inputs.js';
import { renderSummary, type PlaneOutcome } from './summary.js';

/** The Action: check the planes once, optionally self-heal, then outputs, job summary and verdict. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    for (const secret of [inputs.platformApiKey, inputs.githubToken]) if (secret) core.setSecret(secret);
    const config = await buildConfig(inputs, process.env, {
      repository: process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : undefined,
      apiUrl: context.apiUrl,
    });
    // Secrets that came from the config file's ${ENV} references are masked too.
    for (const secret of [config.platform.apiKey, config.github?.token, config.github?.app?.privateKey]) {
      if (secret) core.setSecret(secret);
    }
    const unknown = inputs.planes.filter(
      (name) => !config.workloadPlanes.some((plane) => plane.name === name),
    );
    if (unknown.length > 0)
      throw new InputError('planes', `no plane named ${unknown.join(', ')} in the config`);
    const planes =
      inputs.planes.length > 0
        ? config.workloadPlanes.filter((plane) => inputs.planes.includes(plane.name))
        : config.workloadPlanes;

    const deadline = AbortSignal.timeout(inputs.timeoutMs);
    const outcomes = await checkAndHeal(config, planes, inputs.selfHeal, deadline);

    const statuses = Object.fromEntries(outcomes.map((plane) => [plane.name, plane.status]));
    const unhealthy = outcomes.filter((plane) => plane.status !== 'HEALTHY').map((plane) => plane.name);
    core.setOutput('statuses', JSON.stringify(statuses));
    core.setOutput('healthy', String(unhealthy.length === 0));
    core.setOutput('unhealthy-planes', unhealthy.join(','));
    core.setOutput('report', JSON.stringify({ planes: outcomes }));
    await core.summary.addRaw(renderSummary(outcomes, inputs.failOn, config.server.runbookUrl)).write();
    for (const plane of outcomes)
      core.info(`${plane.name}: ${plane.status}${plane.reason ? ` (${plane.reason})` : ''}`);

    if (inputs.pushgatewayUrl) {
      try {
        await pushResults(inputs.pushgatewayUrl, outcomes, process.env.GITHUB_REPOSITORY ?? 'ci');
        core.info(`pushed ${outcomes.length} planes to the Pushgateway`);
      } catch (error) {
        core.warning(`could not push to the Pushgateway: ${getErrorMessage(error)}`);
      }
    }

    const failing = outcomes.filter((plane) => inputs.failOn.includes(plane.status));
    if (failing.length > 0) {
      core.setFailed(`planecheck: ${failing.map((plane) => `${plane.name} is ${plane.status}`).join(', ')}`);
    }
  } catch (error) {
    core.setFailed(getErrorMessage(error));
  }
}

async function checkAndHeal(
  config: Config,
  planes: Config['workloadPlanes'],
  selfHeal: boolean,
  deadline: AbortSignal,
): Promise<PlaneOutcome[]> {
  const checker = createChecker(config);
  const checkedBy = actionInstance();
  const latest = new Map<string, StoredResult>();
  const history = new Map<string, StoredResult[]>();
  const keep = (result: PlaneCheckResult): StoredResult => {
    const stored = toStoredResult(result, checkedBy);
    latest.set(stored.plane, stored);
    history.set(stored.plane, [stored, ...(history.get(stored.plane) ?? [])]);
    return stored;
  };
  try {
    for (const result of await checker.check(planes, { signal: deadline })) keep(result);
    const heal = selfHeal ? startSelfHeal(config, checker, history, keep, deadline) : undefined;
    const healer = heal?.healer;
    if (heal) {
      // One run is one cycle: the same mass-incident hold applies as in the daemon.
      heal.healer.afterCycle([...latest.values()]);
      await Promise.race([
        heal.healer.idle(),
        new Promise((resolve) => deadline.addEventListener('abort', resolve)),
      ]);
      await heal.stop();
    }
    return planes.map((plane) => {
      const result = latest.get(plane.name);
      const report = result
        ? storedToReport(result)
        : {
            name: plane.name,
            status: 'NO_VALUE' as const,
            reason: 'no_result',
            checkedAt: new Date().toISOString(),
            durationMs: 0,
            steps: [],
          };
      return { ...report, selfHeal: healer?.recentActions(plane.name).map(healActionView) ?? [] };
    });
  } finally {
    await checker.close();
  }
}

/** Who checked, as a daemon's instance name would say it: this workflow run. */
function actionInstance(): string {
  return `action:${process.env.GITHUB_RUN_ID || 'local'}`;
}

function startSelfHeal(
  config: Config,
  checker: ReturnType<typeof createChecker>,
  history: Map<string, StoredResult[]>,
  keep: (result: PlaneCheckResult) => StoredResult,
  deadline: AbortSignal,
): SelfHeal | undefined {
  const log = createActionsLogger(core);
  return createSelfHeal({
    config,
    // One run sees one result per plane: act on the first.
    policy: { failureThreshold: 1 },
    healLog: new MemoryHealLog(),
    // The follower of its own runs: the same name its results carry.
    instance: actionInstance(),
    history: (plane, limit) => Promise.resolve((history.get(plane) ?? []).slice(0, limit)),
    recheck: async (plane, signal) => {
      const ref = config.workloadPlanes.find((candidate) => candidate.name === plane);
      const [result] = ref ? await checker.check([ref], { signal }) : [];
      return result && !signal.aborted ? keep(result) : undefined;
    },
    metrics: {
      recordDispatch: () => undefined,
      recordRun: () => undefined,
      recordHealOutcome: () => undefined,
      refresh: () => Promise.resolve(),
    },
    log,
    signal: deadline,
    // Configured windows hold here too: the Action never repairs a plane in maintenance.
    maintenanceUntil: (plane, now) =>
      maintenanceAt(
        config.workloadPlanes.find((candidate) => candidate.name === plane)?.maintenance ?? [],
        undefined,
        now,
      )?.until ?? null,
  });
}
