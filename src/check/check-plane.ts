import { formatDuration } from '../config/duration.js';
import { failureFromError } from '../platform/http.js';
import { Deadline, sleep } from '../util/deadline.js';
import type { Oracle, PlaneRef, PlatformApi } from '../platform/platform-api.js';
import type { PlaneCheckResult, StepFailure, StepName, StepResult } from './result.js';

export interface CheckSettings {
  /** The whole plane check, all steps together. */
  planeTimeout: number;
  /** From async submit until a terminal status. */
  asyncTimeout: number;
  pollInterval: number;
}

export interface CheckDeps {
  platform: PlatformApi;
  settings: CheckSettings;
  /** Cancels the check (shutdown); its steps then fail as `aborted`. */
  signal?: Deadline;
  /** Sees what a step threw when that was not its deadline: a bug, reported as `internal_error`. */
  onInternalError?: (report: InternalError) => void;
}

/** An exception a check step threw that was no cancellation: a bug in planecheck, not the platform's fault. */
export interface InternalError {
  plane: string;
  step: StepName;
  error: unknown;
}

/**
 * Checks one plane: user lookup, oracle lookup, then predict and async predict side by side, all under
 * one deadline. Never throws: every failure becomes part of the returned result.
 */
export async function checkPlane(plane: PlaneRef, deps: CheckDeps): Promise<PlaneCheckResult> {
  const startedAt = Date.now();
  const started = performance.now();
  const planeDeadline = new Deadline(deps.settings.planeTimeout, 'plane deadline', deps.signal);
  const steps: StepResult[] = [];
  try {
    await runSteps(plane, deps, planeDeadline, steps);
  } finally {
    planeDeadline.dispose();
  }
  return {
    plane: plane.name,
    startedAt,
    checkedAt: Date.now(),
    durationMs: round(performance.now() - started),
    steps,
  };
}

async function runSteps(
  plane: PlaneRef,
  deps: CheckDeps,
  signal: Deadline,
  steps: StepResult[],
): Promise<void> {
  const { platform } = deps;
  const onThrow = (step: StepName, error: unknown): StepFailure => {
    if (signal.aborted && error === signal.reason) return failureFromError(error, signal);
    deps.onInternalError?.({ plane: plane.name, step, error });
    return { kind: 'internal_error', detail: internalErrorDetail(error) };
  };
  const user = await timed('user_lookup', steps, onThrow, async () =>
    lookupStep(await platform.findUser(plane, signal)),
  );
  if (user === undefined) return;
  const oracle = await timed('oracle_lookup', steps, onThrow, async () =>
    lookupStep(await platform.findOracle(plane, user, signal)),
  );
  if (oracle === undefined) return;
  await Promise.all([
    timed('predict', steps, onThrow, async () => callStep(await platform.predict(plane, oracle, signal))),
    timed('async_predict', steps, onThrow, () => asyncPredict(plane, oracle, deps, signal)),
  ]);
  // Keep steps in contract order whatever finished first.
  steps.sort((a, b) => ORDER[a.step] - ORDER[b.step]);
}

const ORDER: Record<StepName, number> = { user_lookup: 0, oracle_lookup: 1, predict: 2, async_predict: 3 };

type StepOutcome<T> =
  { ok: true; value: T } | { ok: false; notFound: true } | { ok: false; failure: StepFailure };

/**
 * Runs one step, records its timing and outcome, and returns its value when it succeeded. Platform
 * adapters return failures rather than throw, so what a step throws is the plane deadline's abort
 * (mid-sleep) or a bug; `onThrow` tells them apart.
 */
async function timed<T>(
  step: StepName,
  steps: StepResult[],
  onThrow: (step: StepName, error: unknown) => StepFailure,
  run: () => Promise<StepOutcome<T>>,
): Promise<T | undefined> {
  const started = performance.now();
  let outcome: StepOutcome<T>;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { ok: false, failure: onThrow(step, error) };
  }
  const durationMs = round(performance.now() - started);
  if (outcome.ok) {
    steps.push({ step, outcome: 'ok', durationMs });
    return outcome.value;
  }
  if ('notFound' in outcome) steps.push({ step, outcome: 'not_found', durationMs });
  else steps.push({ step, outcome: 'failed', durationMs, failure: outcome.failure });
  return undefined;
}

function lookupStep<T>(
  outcome: { kind: 'found'; value: T } | { kind: 'not_found' } | { kind: 'failed'; failure: StepFailure },
): StepOutcome<T> {
  if (outcome.kind === 'found') return { ok: true, value: outcome.value };
  if (outcome.kind === 'not_found') return { ok: false, notFound: true };
  return { ok: false, failure: outcome.failure };
}

function callStep<T>(outcome: { ok: true; value: T } | { ok: false; failure: StepFailure }): StepOutcome<T> {
  return outcome;
}

/** Submits an async request, then polls it until a terminal status or the async deadline. */
async function asyncPredict(
  plane: PlaneRef,
  oracle: Oracle,
  deps: CheckDeps,
  planeSignal: Deadline,
): Promise<StepOutcome<void>> {
  const { platform } = deps;
  // A plane's own settings override the platform's.
  const asyncTimeout = plane.asyncTimeout ?? deps.settings.asyncTimeout;
  const pollInterval = plane.pollInterval ?? deps.settings.pollInterval;
  const signal = new Deadline(asyncTimeout, 'async request deadline', planeSignal);
  let lastStatus = 'unsubmitted';
  try {
    const submitted = await platform.submitAsyncPredict(plane, oracle, signal);
    if (!submitted.ok) return submitted;
    lastStatus = 'submitted';
    for (;;) {
      await sleep(pollInterval, signal);
      const polled = await platform.getAsyncStatus(plane, oracle, submitted.value, signal);
      if (!polled.ok) {
        if (polled.failure.kind === 'timeout' && signal.aborted && !planeSignal.aborted) {
          return {
            ok: false,
            failure: { kind: 'timeout', detail: stillPending(lastStatus, asyncTimeout) },
          };
        }
        return polled;
      }
      lastStatus = polled.value.status;
      if (polled.value.state === 'succeeded') return { ok: true, value: undefined };
      if (polled.value.state === 'failed') {
        const codes = polled.value.errorCodes.length > 0 ? ` (${polled.value.errorCodes.join(', ')})` : '';
        return {
          ok: false,
          failure: { kind: 'failed', detail: `async request ended ${lastStatus}${codes}` },
        };
      }
    }
  } catch (error) {
    if (signal.aborted && !planeSignal.aborted) {
      return {
        ok: false,
        failure: { kind: 'timeout', detail: stillPending(lastStatus, asyncTimeout) },
      };
    }
    throw error;
  } finally {
    signal.dispose();
  }
}

/** Names the exception for people (`TypeError: ...`); its stack goes to the log, not into the result. */
function internalErrorDetail(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error in planecheck (${text.slice(0, 200)})`;
}

function stillPending(status: string, timeoutMs: number): string {
  return `async request still ${status} after ${formatDuration(timeoutMs)}`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
