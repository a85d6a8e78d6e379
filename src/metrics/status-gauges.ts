import { PLANE_STATUSES, STEP_NAMES, type StepName } from '../check/result.js';
import type { PlaneState } from '../store/plane-state.js';
import { escapeLabel, formatValue, planeLabel } from './text-format.js';

const STATUS = 'planecheck_status';
const LAST_CHECK = 'planecheck_last_check_timestamp_seconds';
const SUCCESS = 'planecheck_check_success';
const FAILURE_INFO = 'planecheck_last_failure_info';

export const STATUS_HELP =
  'Current status of each workload plane: 1 for the status it is in, 0 for the other four.';
export const LAST_CHECK_HELP = 'Unix time of the last completed check of each workload plane.';
export const SUCCESS_HELP =
  'Whether the current result of each workload plane is HEALTHY (1), or anything else, NO_VALUE included (0).';
export const FAILURE_INFO_HELP =
  'The failing step and reason of each NO_USER, NO_ORACLE or FAILED plane (1); no series for other planes.';

/**
 * `planecheck_status` (all five series for every plane), `planecheck_last_check_timestamp_seconds`
 * (planes checked at least once), `planecheck_check_success` (every plane) and
 * `planecheck_last_failure_info` (one series per plane that is not healthy, for its current reason), in the text prom-client renders for the same gauges (a test holds
 * the two equal), a plane at a time. Rendered whenever a result arrives or expires, so it must be cheap:
 * prom-client would first build an object per series.
 */
export function* renderStatusGauges(states: readonly PlaneState[]): Generator<string> {
  yield `# HELP ${STATUS} ${STATUS_HELP}\n# TYPE ${STATUS} gauge\n`;
  for (const state of states) {
    const plane = planeLabel(state.plane);
    let text = '';
    for (const status of PLANE_STATUSES) {
      text += `${STATUS}{${plane},status="${status}"} ${state.status === status ? 1 : 0}\n`;
    }
    yield text;
  }
  yield `\n# HELP ${LAST_CHECK} ${LAST_CHECK_HELP}\n# TYPE ${LAST_CHECK} gauge\n`;
  for (const state of states) {
    if (state.checkedAt === null) continue;
    yield `${LAST_CHECK}{${planeLabel(state.plane)}} ${formatValue(state.checkedAt / 1000)}\n`;
  }
  yield `\n# HELP ${SUCCESS} ${SUCCESS_HELP}\n# TYPE ${SUCCESS} gauge\n`;
  for (const state of states) {
    yield `${SUCCESS}{${planeLabel(state.plane)}} ${state.status === 'HEALTHY' ? 1 : 0}\n`;
  }
  yield `\n# HELP ${FAILURE_INFO} ${FAILURE_INFO_HELP}\n# TYPE ${FAILURE_INFO} gauge\n`;
  for (const state of states) {
    const failure = currentFailure(state);
    if (failure === undefined) continue;
    yield `${FAILURE_INFO}{${planeLabel(state.plane)},step="${failure.step}",reason="${escapeLabel(failure.reason)}"} 1\n`;
  }
  yield '\n';
}

/**
 * The step that decided a NO_USER, NO_ORACLE or FAILED status, and its reason: from the fixed reason
 * vocabulary (README, Reasons), never the free-text detail, so the series stay few.
 */
export function currentFailure(state: PlaneState): { step: StepName; reason: string } | undefined {
  if (state.status === 'HEALTHY' || state.status === 'NO_VALUE' || state.reason === null) return undefined;
  const step =
    state.steps.find((candidate) => candidate.outcome !== 'ok')?.step ?? stepOfReason(state.reason);
  return step === undefined ? undefined : { step, reason: state.reason };
}

function stepOfReason(reason: string): StepName | undefined {
  if (reason === 'user_not_found') return 'user_lookup';
  if (reason === 'oracle_not_found') return 'oracle_lookup';
  // Longest first: async_predict_* also ends in predict_*.
  return [...STEP_NAMES].sort((a, b) => b.length - a.length).find((step) => reason.startsWith(`${step}_`));
}
