import type { PlaneRef } from '../platform/platform-api.js';
import { checkPlane, type CheckDeps } from './check-plane.js';
import type { PlaneCheckResult } from './result.js';

/**
 * Checks planes with at most `concurrency` in flight. Each plane has its own deadline inside
 * `checkPlane`, so a hung plane holds one slot until its deadline and never blocks the others.
 * `onResult` sees each result as soon as it is ready; results come back in the order given.
 */
export async function checkAll(
  planes: readonly PlaneRef[],
  deps: CheckDeps,
  concurrency: number,
  onResult?: (result: PlaneCheckResult) => void,
): Promise<PlaneCheckResult[]> {
  const results: PlaneCheckResult[] = new Array<PlaneCheckResult>(planes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planes.length) {
      const index = next++;
      const plane = planes[index];
      if (plane === undefined) continue;
      const result = await checkPlane(plane, deps);
      results[index] = result;
      onResult?.(result);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, planes.length)) }, worker);
  await Promise.all(workers);
  return results;
}
