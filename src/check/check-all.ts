import type { PlaneRef } from '../platform/platform-api.js';
import { checkPlane, type CheckDeps } from './check-plane.js';
import type { PlaneCheckResult } from './result.js';
import { Deadline } from '../util/deadline.js';

/**
 * Checks planes with at most `concurrency` in flight. Each plane has its own deadline inside
 * `checkPlane`, so a hung plane holds one slot until its deadline and never blocks the others.
 * `onResult` sees each result as soon as it is ready; results come back in the order given.
 */
export async function checkAll(
  planes: readonly PlaneRef[],
  deps: Omit<CheckDeps, 'signal'> & { signal?: AbortSignal },
  concurrency: number,
  onResult?: (result: PlaneCheckResult) => void,
): Promise<PlaneCheckResult[]> {
  // One listener on the caller's signal for the whole run, rather than one per plane in flight.
  const root = deps.signal ? new Deadline(undefined, 'cycle', deps.signal) : undefined;
  const planeDeps: CheckDeps = { ...deps, signal: root };
  const results: PlaneCheckResult[] = new Array<PlaneCheckResult>(planes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planes.length) {
      const index = next++;
      const plane = planes[index];
      if (plane === undefined) continue;
      const result = await checkPlane(plane, planeDeps);
      results[index] = result;
      onResult?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, planes.length)) }, worker));
  } finally {
    root?.dispose();
  }
  return results;
}
