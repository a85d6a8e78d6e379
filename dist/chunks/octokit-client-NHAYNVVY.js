// src/github/octokit-client.ts
import { readFileSync } from "node:fs";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "octokit";
var DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
function createGithubClient(config, options) {
  const { log } = options;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const requestTimeoutMs = options.requestTimeoutMs ?? 3e4;
  const onLimit = (kind) => (retryAfter, request, _, retryCount) => {
    const retry = retryCount < rateLimitRetries;
    log.warn("GitHub rate limit", {
      kind,
      retryAfterSeconds: retryAfter,
      request: `${request.method} ${request.url}`,
      retry
    });
    return retry;
  };
  const common = {
    baseUrl: config.apiUrl,
    userAgent: "planecheck",
    retry: { doNotRetry: DO_NOT_RETRY },
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
    request: { fetch: fetchWithDeadline(requestTimeoutMs) }
  };
  if (config.token !== void 0) return new Octokit({ ...common, auth: config.token });
  const app = config.app;
  if (app === void 0) throw new Error("github: set token or app");
  const privateKey = app.privateKey ?? readFileSync(app.privateKeyPath ?? "", "utf8");
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: Number(app.appId),
      privateKey,
      installationId: Number(app.installationId),
      cache: expiryAwareCache(options.tokenRefreshMarginMs ?? 5 * 6e4)
    }
  });
}
function expiryAwareCache(marginMs) {
  const entries = /* @__PURE__ */ new Map();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === void 0) return void 0;
      const expiresAt = Date.parse(value.split("|")[2] ?? "");
      if (!Number.isFinite(expiresAt) || expiresAt - Date.now() <= marginMs) {
        entries.delete(key);
        return void 0;
      }
      return value;
    },
    set(key, value) {
      entries.set(key, value);
    }
  };
}
function fetchWithDeadline(timeoutMs) {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}
export {
  createGithubClient
};
