import { longestRequestTimeout, type Config } from '../config/schema.js';
import { createHostLookup } from '../platform/host-lookup.js';
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

export interface CheckerOptions {
  /** The platform adapter; the HTTP adapter of DESIGN.md by default. */
  platform?: PlatformApi;
  /** Name servers (`IP` or `IP:port`) for host lookups; the system's (resolv.conf) by default. */
  dnsServers?: readonly string[];
}

/**
 * The check engine with one connection pool reused across cycles. Host names are resolved off the
 * thread pool (host-lookup.ts), each lookup bounded by the request timeout, so a hanging resolver
 * fails only the planes whose names it holds.
 */
export function createChecker(config: Config, options: CheckerOptions = {}): Checker {
  // Connections and lookups are shared by every plane: bounded by the longest request timeout any plane
  // has, while each request keeps its own plane's deadline.
  const connectTimeoutMs = longestRequestTimeout(config);
  const agent = createHttpAgent({
    connectTimeoutMs,
    keepAliveMs: config.schedule.interval + 30_000,
    lookup: createHostLookup({ servers: options.dnsServers, timeoutMs: connectTimeoutMs }),
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
