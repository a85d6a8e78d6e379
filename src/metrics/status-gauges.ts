import { PLANE_STATUSES } from '../check/result.js';
import type { PlaneState } from '../store/plane-state.js';
import { formatValue, planeLabel } from './text-format.js';

const STATUS = 'planecheck_status';
const LAST_CHECK = 'planecheck_last_check_timestamp_seconds';

export const STATUS_HELP =
  'Current status of each workload plane: 1 for the status it is in, 0 for the other four.';
export const LAST_CHECK_HELP = 'Unix time of the last completed check of each workload plane.';

/**
 * `planecheck_status` (all five series for every plane) and `planecheck_last_check_timestamp_seconds`
 * (planes checked at least once), in the text prom-client renders for the same gauges (a test holds
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
  yield '\n';
}
