import type { Config } from '../config/schema.js';
import { createHttpAgent } from '../platform/http.js';
import { HttpPlatform } from '../platform/http-platform.js';
import type { PlaneRef, PlatformApi } from '../platform/platform-api.js';
import { checkAll } from './check-all.js';
import type { InternalError } from './check-plane.js';
import type { PlaneCheckResult } from './result.js';

export interface Checker {
  /** Checks the planes with the configured concurrency; never throws. */
  check(
    planes: readonly PlaneRef[],
    options?: {
      signal?: AbortSignal;
      onResult?: (result: PlaneCheckResult) => void;
      /** Sees each exception a step threw (a bug), with its stack; the step fails as `internal_error`. */
      onInternalError?: (report: InternalError) => void;
    },
  ): Promise<PlaneCheckResult[]>;
  close(): Promise<void>;
}

/**
 * The check engine with one connection pool reused across cycles, over the HTTP platform adapter of
 * DESIGN.md unless another adapter is given.
 */
export function createChecker(config: Config, options: { platform?: PlatformApi } = {}): Checker {
  const agent = createHttpAgent({
    connectTimeoutMs: config.platform.requestTimeout,
    keepAliveMs: config.schedule.interval + 30_000,
  });
  const platform = options.platform ?? new HttpPlatform(config.platform, agent);
  const settings = {
    planeTimeout: config.schedule.planeTimeout,
    asyncTimeout: config.platform.asyncTimeout,
    pollInterval: config.platform.pollInterval,
  };
  return {
    check: (planes, options = {}) =>
      checkAll(
        planes,
        { platform, settings, signal: options.signal, onInternalError: options.onInternalError },
        config.schedule.concurrency,
        options.onResult,
      ),
    close: () => agent.close(),
  };
}
