import type { Config } from '../config/schema.js';
import { createHttpAgent } from '../platform/http.js';
import { HttpPlatform } from '../platform/http-platform.js';
import type { PlaneRef } from '../platform/platform-api.js';
import { checkAll } from './check-all.js';
import type { PlaneCheckResult } from './result.js';

export interface Checker {
  /** Checks the planes with the configured concurrency; never throws. */
  check(
    planes: readonly PlaneRef[],
    options?: { signal?: AbortSignal; onResult?: (result: PlaneCheckResult) => void },
  ): Promise<PlaneCheckResult[]>;
  close(): Promise<void>;
}

/** The check engine over the HTTP platform adapter, with one connection pool reused across cycles. */
export function createChecker(config: Config): Checker {
  const agent = createHttpAgent({
    connectTimeoutMs: config.platform.requestTimeout,
    keepAliveMs: config.schedule.interval + 30_000,
  });
  const platform = new HttpPlatform(config.platform, agent);
  const settings = {
    planeTimeout: config.schedule.planeTimeout,
    asyncTimeout: config.platform.asyncTimeout,
    pollInterval: config.platform.pollInterval,
  };
  return {
    check: (planes, options = {}) =>
      checkAll(
        planes,
        { platform, settings, signal: options.signal },
        config.schedule.concurrency,
        options.onResult,
      ),
    close: () => agent.close(),
  };
}
