import {
  getErrorMessage,
  selfHealSettings
} from "./chunk-S7XKYZ5J.js";
import {
  Deadline,
  sleep
} from "./chunk-TVCRBQ25.js";
import {
  selfHealEnabledFor,
  selfHealOnForSomePlane
} from "./chunk-ZU2X4UKQ.js";
import {
  fillTextTemplate
} from "./chunk-KNTKHN2X.js";
import {
  ACTIVE_STATUSES
} from "./chunk-FBXHDZU2.js";
import "./chunk-YBZLSVBB.js";

// src/github/octokit-client.ts
import { readFileSync } from "node:fs";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "octokit";

// src/github/github-error.ts
var GithubError = class extends Error {
  constructor(kind, status, message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
  kind;
  status;
  name = "GithubError";
  /** For logs and the heal log: kind and status, never response bodies or headers. */
  get summary() {
    return this.status === void 0 ? this.kind : `${this.kind} (${this.status})`;
  }
  /**
   * Whether GitHub may have carried the request out although no success came back: it timed out, the
   * connection broke, a 5xx came (from GitHub or a proxy in front of it, possibly after GitHub acted), or
   * any other status that is not one of GitHub's own refusals (a proxy's 408, say).
   */
  get outcomeUnknown() {
    return this.kind === "timeout" || this.kind === "network" || this.kind === "server_error" || this.kind === "unexpected_status";
  }
};
var DEFINITIVE_REFUSALS = /* @__PURE__ */ new Set([400, 409, 410, 422]);
function toGithubError(error) {
  if (error instanceof GithubError) return error;
  const message = error instanceof Error ? error.message.split("\n")[0]?.slice(0, 200) ?? "" : String(error);
  const answered = error.response !== void 0;
  const status = answered ? error.status : void 0;
  if (typeof status !== "number") {
    const cause = error.cause;
    const names = [error, cause].map((e) => e?.name);
    if (names.includes("TimeoutError")) return new GithubError("timeout", void 0, message);
    if (names[0] === "HttpError" || names.includes("AbortError"))
      return new GithubError("network", void 0, message);
    return new GithubError("auth_failed", void 0, message);
  }
  if (status === 429 || status === 403 && /rate limit/i.test(message))
    return new GithubError("rate_limited", status, message);
  if (status === 401) return new GithubError("unauthorized", status, message);
  if (status === 403) return new GithubError("forbidden", status, message);
  if (status === 404) return new GithubError("not_found", status, message);
  if (DEFINITIVE_REFUSALS.has(status)) return new GithubError("invalid", status, message);
  if (status >= 500) return new GithubError("server_error", status, message);
  return new GithubError("unexpected_status", status, message);
}
var GithubBackoffError = class extends GithubError {
  constructor(until) {
    super("rate_limited", void 0, `GitHub asked for no requests until ${new Date(until).toISOString()}`);
    this.until = until;
  }
  until;
  name = "GithubBackoffError";
};

// src/github/rate-limit-stop.ts
var MAX_RATE_LIMIT_STOP_MS = 36e5;
function capRateLimitStop(until, now) {
  return Math.min(until, now + MAX_RATE_LIMIT_STOP_MS);
}
var SECONDARY_FALLBACK_MS = 6e4;
function rateLimitStopUntil(answer, now) {
  const { status, headers } = answer;
  const limitStatus = status === 403 || status === 429;
  const retryAfter = Number(headers["retry-after"]);
  if (limitStatus && headers["retry-after"] !== void 0 && Number.isFinite(retryAfter)) {
    return now + Math.max(0, retryAfter) * 1e3;
  }
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset) && reset > 0) {
    return Math.max(reset * 1e3, now + 1e3);
  }
  if (status === 429 || status === 403 && /secondary rate limit/i.test(answer.message)) {
    return now + SECONDARY_FALLBACK_MS;
  }
  return void 0;
}

// src/github/octokit-client.ts
var DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
function createGithubClient(config, options) {
  const requestTimeoutMs = options.requestTimeoutMs ?? 3e4;
  const now = options.now ?? Date.now;
  const common = {
    baseUrl: config.apiUrl,
    userAgent: "planecheck",
    // One retry of a read after a 5xx or a dropped connection, after octokit's 1 s wait: the healer's own
    // polling retries later anyway, and a longer wait (octokit's default: 1, 4 and 9 s) is a timer that
    // shutdown cannot cancel.
    retry: { doNotRetry: DO_NOT_RETRY, retries: 1 },
    throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false },
    request: { fetch: clientFetch(), signal: options.signal }
  };
  const client = gateOnRateLimits(buildClient(config, common, options), options);
  sendReportingFetches.set(client, clientFetch);
  return client;
  function clientFetch(onSend) {
    return fetchUnlessStopped(fetchWithDeadline(requestTimeoutMs, onSend), options.backoff, now);
  }
}
var sendReportingFetches = /* @__PURE__ */ new WeakMap();
function fetchReportingSend(github, onSend) {
  return sendReportingFetches.get(github)?.(onSend);
}
function buildClient(config, common, options) {
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
function gateOnRateLimits(octokit, options) {
  const { backoff, log } = options;
  const now = options.now ?? Date.now;
  const observe = (answer, request) => {
    const at = now();
    const asked = rateLimitStopUntil(answer, at);
    if (asked === void 0) return;
    const until = capRateLimitStop(asked, at);
    if (until < asked) {
      log.warn("GitHub rate limit asks for a longer stop than planecheck honours; stopping for at most 1 h", {
        asked: Number.isFinite(asked) ? new Date(asked).toISOString() : String(asked),
        until: new Date(until).toISOString(),
        status: answer.status,
        request
      });
    }
    if (until <= backoff.githubBackoffUntil()) return;
    try {
      backoff.stopGithubUntil(until);
    } catch (error) {
      log.error("could not store the GitHub rate-limit stop", { error: getErrorMessage(error) });
    }
    log.warn("GitHub rate limit: no GitHub requests until then", {
      until: new Date(until).toISOString(),
      status: answer.status,
      request
    });
  };
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const name = `${requestOptions.method} ${requestOptions.url}`;
    const until = backoff.githubBackoffUntil();
    if (now() < until) {
      throw new GithubBackoffError(until);
    }
    try {
      const response = await request(requestOptions);
      observe({ status: response.status, headers: response.headers, message: "" }, name);
      return response;
    } catch (error) {
      const cause = error.cause;
      if (cause instanceof GithubBackoffError) throw cause;
      const { status, response, message } = error;
      if (typeof status === "number" && response?.headers) {
        observe({ status, headers: response.headers, message: String(message) }, name);
      }
      throw error;
    }
  });
  return octokit;
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
function fetchUnlessStopped(send, backoff, now) {
  return (input, init) => {
    const until = backoff.githubBackoffUntil();
    if (now() < until) return Promise.reject(new GithubBackoffError(until));
    return send(input, init);
  };
}
function fetchWithDeadline(timeoutMs, onSend) {
  return (input, init) => {
    if (init?.signal?.aborted) return Promise.reject(init.signal.reason);
    onSend?.();
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

// src/github/workflow-api.ts
async function dispatchWorkflow(github, target, inputs, onSend) {
  const fetch2 = onSend === void 0 ? void 0 : fetchReportingSend(github, onSend);
  const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
  const params = {
    owner: target.owner,
    repo: target.repo,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs,
    // Never sent twice by the retry plugin: after a timeout or 5xx GitHub may have started the run, and
    // only a look for it by correlation id (the caller's job) can tell.
    request: { retries: 0, ...fetch2 && { fetch: fetch2 } }
  };
  try {
    const response = await github.request(route, { ...params, return_run_details: true });
    const details = response.data;
    if (typeof details !== "object" || details === null) return {};
    if (typeof details.workflow_run_id !== "number" || !Number.isSafeInteger(details.workflow_run_id))
      return {};
    return {
      runId: details.workflow_run_id,
      runUrl: typeof details.html_url === "string" ? details.html_url : void 0
    };
  } catch (error) {
    const failure = toGithubError(error);
    const rawMessage = error instanceof Error ? error.message : "";
    if (failure.status === 422 && /return_run_details/.test(rawMessage)) {
      try {
        await github.request(route, params);
        return {};
      } catch (retryError) {
        throw toGithubError(retryError);
      }
    }
    throw failure;
  }
}
async function listDispatchRuns(github, target, since) {
  try {
    const response = await github.request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
      owner: target.owner,
      repo: target.repo,
      workflow_id: target.workflow,
      event: "workflow_dispatch",
      created: `>=${since.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
      per_page: 100
    });
    const runs = response.data.workflow_runs;
    if (!Array.isArray(runs))
      throw new GithubError("invalid_response", response.status, "no workflow_runs list");
    return runs.map(toRun);
  } catch (error) {
    throw toGithubError(error);
  }
}
async function getRun(github, target, runId) {
  try {
    const response = await github.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
      owner: target.owner,
      repo: target.repo,
      run_id: runId
    });
    return toRun(response.data);
  } catch (error) {
    throw toGithubError(error);
  }
}
function toRun(raw) {
  const run = raw;
  if (typeof run.id !== "number" || typeof run.status !== "string") {
    throw new GithubError("invalid_response", void 0, "workflow run without id or status");
  }
  return {
    id: run.id,
    title: typeof run.display_title === "string" ? run.display_title : "",
    status: run.status,
    conclusion: typeof run.conclusion === "string" ? run.conclusion : null,
    htmlUrl: typeof run.html_url === "string" ? run.html_url : "",
    createdAt: typeof run.created_at === "string" ? run.created_at : ""
  };
}

// src/heal/correlation.ts
import { randomBytes } from "node:crypto";
function newCorrelationId(now) {
  return `pc-${now.toString(36)}-${randomBytes(4).toString("hex")}`;
}
function titleHasCorrelation(title, correlationId) {
  return title.includes(`[${correlationId}]`);
}
function titleNamesPlane(title, plane) {
  const escaped = plane.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|\\s)plane=${escaped}(\\s|$)`).test(title);
}

// src/heal/heal-policy.ts
function isHealable(status) {
  return status === "NO_USER" || status === "NO_ORACLE";
}
function decideHeal(input) {
  const { status, policy, now } = input;
  if (!isHealable(status)) return { kind: "ignore" };
  const reason = status;
  if (input.maintenanceUntil != null && input.maintenanceUntil > now) {
    return {
      kind: "skip",
      reason,
      outcome: "maintenance",
      detail: `in maintenance until ${new Date(input.maintenanceUntil).toISOString()}`
    };
  }
  if (input.held) {
    return { kind: "skip", reason, outcome: "held", detail: "mass incident: held for a person" };
  }
  if (input.consecutive < policy.failureThreshold) {
    return {
      kind: "skip",
      reason,
      outcome: "threshold",
      detail: `${input.consecutive} of ${policy.failureThreshold} results in a row`
    };
  }
  const running = input.actions.find(
    (action) => ACTIVE_STATUSES.includes(action.status) && now - action.dispatchedAt < policy.runTimeoutMs
  );
  if (running) {
    return {
      kind: "skip",
      reason,
      outcome: "in_progress",
      detail: `attempt ${running.correlationId} is ${running.status}`
    };
  }
  const recent = input.actions.find(
    (action) => action.status !== "dispatch_failed" && now - action.dispatchedAt < policy.cooldownMs
  );
  if (recent) {
    const left = Math.ceil((recent.dispatchedAt + policy.cooldownMs - now) / 1e3);
    return {
      kind: "skip",
      reason,
      outcome: "cooldown",
      detail: `cooldown: ${left}s left after ${recent.correlationId}`
    };
  }
  if (input.attemptsLastHour >= policy.maxDispatchesPerHour) {
    return {
      kind: "skip",
      reason,
      outcome: "rate_capped",
      detail: `${input.attemptsLastHour} attempts in the last hour (cap ${policy.maxDispatchesPerHour})`
    };
  }
  return { kind: "dispatch", reason, dryRun: policy.dryRun };
}
function countConsecutiveHealable(statuses) {
  let count = 0;
  for (const status of statuses) {
    if (!isHealable(status)) break;
    count++;
  }
  return count;
}
function findMassIncident(latest, maxPlanesAtOnce, incident = []) {
  const members = new Set(incident);
  const planes = latest.filter((entry) => isHealable(entry.status) || members.has(entry.plane) && entry.status !== "HEALTHY").map((entry) => entry.plane).sort();
  const held = planes.length > maxPlanesAtOnce;
  const next = held ? latest.filter((entry) => members.has(entry.plane) || isHealable(entry.status)).map((entry) => entry.plane).sort() : [];
  return { held, planes, incident: next };
}

// src/heal/recent-heal-actions.ts
var RecentHealActions = class {
  #perPlane;
  /** Newest first within a plane. */
  #byPlane = /* @__PURE__ */ new Map();
  /** Own writes since the refresh on its way began; undefined when none is. */
  #sinceRefresh;
  constructor(perPlane) {
    this.#perPlane = perPlane;
  }
  /** An action as this replica just stored it (new, or patched). */
  put(action) {
    this.#sinceRefresh?.set(action.id, { ...action });
    this.#place(action);
  }
  /** Starts a refresh: returns the function that installs what the heal log answered. */
  beginRefresh() {
    const sinceRefresh = /* @__PURE__ */ new Map();
    this.#sinceRefresh = sinceRefresh;
    return (stored) => {
      if (this.#sinceRefresh !== sinceRefresh) return;
      this.#sinceRefresh = void 0;
      this.#byPlane = /* @__PURE__ */ new Map();
      for (const action of stored) this.#place(action);
      for (const action of sinceRefresh.values()) this.#place(action);
    };
  }
  /** A refresh that failed: own writes keep showing, the rest stays as it was. */
  abandonRefresh() {
    this.#sinceRefresh = void 0;
  }
  forPlane(plane, limit) {
    return (this.#byPlane.get(plane) ?? []).slice(0, limit).map((action) => ({ ...action }));
  }
  /** Actions of every plane dispatched at or after `since`, as far as this view holds them (it may hold fewer). */
  countSince(since) {
    let count = 0;
    for (const actions of this.#byPlane.values()) {
      count += actions.filter((action) => action.dispatchedAt >= since).length;
    }
    return count;
  }
  #place(action) {
    const others = (this.#byPlane.get(action.plane) ?? []).filter((held) => held.id !== action.id);
    const actions = [...others, { ...action }].sort((a, b) => b.dispatchedAt - a.dispatchedAt || b.id - a.id).slice(0, this.#perPlane);
    this.#byPlane.set(action.plane, actions);
  }
};

// src/heal/self-healer.ts
function shutdownReason() {
  return new DOMException("planecheck is shutting down", "AbortError");
}
var CONCLUSIONS = /* @__PURE__ */ new Set([
  "success",
  "failure",
  "cancelled",
  "timed_out",
  "neutral",
  "skipped",
  "action_required",
  "stale",
  "startup_failure"
]);
var HOUR_MS = 36e5;
var RECENT_PER_PLANE = 5;
function followLeaseMs(runPollIntervalMs) {
  return Math.max(3 * runPollIntervalMs, 3e4);
}
var SelfHealer = class {
  #deps;
  #leaseMs;
  /** The task of each plane being handled; one at a time per plane. */
  #busy = /* @__PURE__ */ new Map();
  #tasks = /* @__PURE__ */ new Set();
  #stop = new AbortController();
  #stopDeadline;
  /** Attempts decided but not yet in the heal log: counted against the hourly cap meanwhile (pre-check only). */
  #reserved = 0;
  #refreshing = Promise.resolve();
  #hold;
  /** The planes of the mass incident under way (see `findMassIncident`); empty when none. */
  #incident = [];
  /** Every replica's newest actions, for the status API and the pre-check of the hourly cap. */
  #view = new RecentHealActions(RECENT_PER_PLANE);
  /** Ids of the actions this replica is following right now. */
  #following = /* @__PURE__ */ new Set();
  /** Actions whose following shutdown interrupted: their leases are handed back once the tasks are done. */
  #handBack = /* @__PURE__ */ new Set();
  #syncing = false;
  /** The heal log failed to answer and has not answered since: logged once, not per plane per cycle. */
  #storeFailing = false;
  constructor(deps) {
    this.#deps = deps;
    this.#leaseMs = followLeaseMs(deps.settings.runPollIntervalMs);
    this.#stopDeadline = new Deadline(void 0, "self-heal", this.#stop.signal);
    this.#hold = {
      held: false,
      since: null,
      planes: [],
      maxPlanesAtOnce: deps.settings.policy.maxPlanesAtOnce
    };
    const { signal } = deps;
    if (signal?.aborted) this.#stop.abort(shutdownReason());
    else signal?.addEventListener("abort", () => this.#stop.abort(shutdownReason()), { once: true });
  }
  #now() {
    return this.#deps.now?.() ?? Date.now();
  }
  /**
   * Settings from a reloaded config (policy, workflow, inputs, poll interval): decisions from now on use
   * them. Runs already followed keep their lease until it is next renewed.
   */
  reconfigure(settings) {
    this.#deps = { ...this.#deps, settings };
    this.#leaseMs = followLeaseMs(settings.runPollIntervalMs);
  }
  #maintenanceUntil(plane, now) {
    return this.#deps.maintenanceUntil?.(plane, now) ?? null;
  }
  /**
   * Sees the latest fresh status of every plane once a cycle has finished. Returns at once; any work
   * happens in the background. More than `maxPlanesAtOnce` planes needing repair hold every dispatch.
   * Then `resume`: re-reads what other replicas recorded and takes over the runs whose follower is gone.
   */
  afterCycle(all) {
    if (this.#stop.signal.aborted) return;
    const { enabledFor } = this.#deps;
    const latest = enabledFor ? all.filter((entry) => enabledFor(entry.plane)) : all;
    const now = this.#now();
    const held = this.#updateHold(
      latest.filter((entry) => this.#maintenanceUntil(entry.plane, now) === null)
    );
    for (const entry of latest) {
      if (this.#busy.has(entry.plane) || !isHealable(entry.status)) continue;
      const status = entry.status;
      this.#run(entry.plane, () => this.#evaluate(entry.plane, status, held));
    }
    this.resume();
  }
  /** Whether a mass incident holds self-heal back, and which planes need repair. */
  hold() {
    return { ...this.#hold, planes: [...this.#hold.planes] };
  }
  /** Logs a mass incident once when it starts and once when it is over, not once per plane per cycle. */
  #updateHold(latest) {
    const { policy } = this.#deps.settings;
    const incident = findMassIncident(latest, policy.maxPlanesAtOnce, this.#incident);
    this.#incident = incident.incident;
    const wasHeld = this.#hold.held;
    const since = incident.held ? this.#hold.since ?? this.#now() : null;
    this.#hold = {
      held: incident.held,
      since,
      planes: incident.planes,
      maxPlanesAtOnce: policy.maxPlanesAtOnce
    };
    if (incident.held && !wasHeld) {
      this.#deps.audit?.(
        "hold_start",
        null,
        `${incident.planes.length} planes need repair at once (selfHeal.maxPlanesAtOnce ${policy.maxPlanesAtOnce}): dispatching for none of them: ${incident.planes.slice(0, 20).join(", ")}`
      );
      this.#deps.log.error(
        "self-heal held: too many planes need repair at once; dispatching for none of them",
        {
          planes: incident.planes.length,
          maxPlanesAtOnce: policy.maxPlanesAtOnce,
          planeNames: incident.planes.slice(0, 20)
        }
      );
    } else if (!incident.held && wasHeld) {
      this.#deps.audit?.(
        "hold_end",
        null,
        `${incident.planes.length} planes need repair (selfHeal.maxPlanesAtOnce ${policy.maxPlanesAtOnce}): dispatching again`
      );
      this.#deps.log.info("self-heal hold over: few enough planes need repair", {
        planes: incident.planes.length,
        maxPlanesAtOnce: policy.maxPlanesAtOnce
      });
    }
    return incident.held;
  }
  async #resumeUnfinished() {
    const unfinished = await this.#deps.healLog.unfinished();
    for (const action of unfinished) {
      if (this.#stopping) return;
      const elsewhere = action.follower !== null && action.follower !== this.#deps.instance;
      if (this.#following.has(action.id) || elsewhere && (action.followUntil ?? 0) >= this.#now()) continue;
      const busy = this.#busy.get(action.plane);
      if (busy) this.#track(busy.then(() => this.#takeOver(action)));
      else this.#takeOver(action);
    }
  }
  /** Takes over an unfinished attempt nobody follows, and follows it; nothing when another replica won it. */
  #takeOver(action) {
    if (this.#stopping || this.#following.has(action.id) || this.#busy.has(action.plane)) return;
    const { healLog, instance, log } = this.#deps;
    this.#run(action.plane, async () => {
      const at = this.#now();
      const until = at + this.#leaseMs;
      let taken;
      try {
        taken = await healLog.takeOver(action.id, instance, at, until);
      } catch (error) {
        if (!this.#stopping) this.#storeFailed(error, action.plane);
        return;
      }
      if (!taken) return;
      const mine = { ...action, follower: instance, followUntil: until };
      this.#view.put(mine);
      log.info("self-heal follows an unfinished attempt", {
        plane: action.plane,
        correlationId: action.correlationId,
        status: action.status,
        previousFollower: action.follower
      });
      await this.#followLeased(mine);
    });
  }
  /**
   * Stops polling, waits for the tasks to wind down, and hands back the leases of the runs it was
   * following, so another replica (or the next start) takes them over at once.
   */
  async stop() {
    this.#stop.abort(shutdownReason());
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    this.#stopDeadline.dispose();
    const { healLog, instance, log } = this.#deps;
    for (const id of this.#handBack) {
      try {
        await healLog.takeOver(id, instance, this.#now(), 0);
      } catch (error) {
        log.warn(
          "self-heal could not hand back a run it was following; it is taken over once the lease ends",
          {
            actionId: id,
            error: errorText(error)
          }
        );
      }
    }
    this.#handBack.clear();
  }
  /** Waits until no task is running and the metrics show what they did (tests and the one-shot Action). */
  async idle() {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    await this.#refreshing;
  }
  /** A plane's newest actions, by any replica, from memory: the status API never waits on the store. */
  recentActions(plane, limit = RECENT_PER_PLANE) {
    return this.#view.forPlane(plane, limit);
  }
  /**
   * Re-reads what every replica recorded (recent actions for the status API, the GitHub stop), then follows
   * each unfinished attempt that nobody follows: after a restart, and after each cycle for the runs of
   * replicas that stopped or died. Returns at once. The heal log's `takeOver` makes sure one replica wins.
   */
  resume() {
    if (this.#stopping || this.#syncing) return;
    this.#syncing = true;
    const { healLog } = this.#deps;
    const install = this.#view.beginRefresh();
    this.#track(
      (async () => {
        try {
          install(await healLog.recent(RECENT_PER_PLANE));
          await healLog.refreshGithubBackoff();
          await this.#resumeUnfinished();
        } catch (error) {
          this.#view.abandonRefresh();
          if (!this.#stopping) this.#storeFailed(error);
        } finally {
          this.#syncing = false;
        }
      })()
    );
  }
  #run(plane, work) {
    const task = work().catch((error) => {
      if (this.#stopping) return;
      this.#deps.log.error("self-heal task failed", { plane, error: toGithubError(error).summary });
    }).finally(() => this.#busy.delete(plane));
    this.#busy.set(plane, task);
    this.#track(task);
  }
  #track(work) {
    const task = work.finally(() => {
      this.#tasks.delete(task);
      if (this.#tasks.size === 0) this.#refreshing = this.#deps.metrics.refresh().catch(() => void 0);
    });
    this.#tasks.add(task);
  }
  get #stopping() {
    return this.#stop.signal.aborted;
  }
  /** The heal log did not answer: nothing can be recorded, so nothing is dispatched. Logged once per outage. */
  #storeFailed(error, plane) {
    if (this.#storeFailing) return;
    this.#storeFailing = true;
    this.#deps.log.error("self-heal cannot use the heal log: no dispatch until it answers again", {
      plane: plane ?? null,
      error: errorText(error)
    });
  }
  #storeAnswered() {
    if (!this.#storeFailing) return;
    this.#storeFailing = false;
    this.#deps.log.info("self-heal: the heal log answers again");
  }
  /** Waits for `work`, or rejects with the shutdown reason as soon as shutdown begins. */
  #unlessStopping(work) {
    return new Promise((resolve, reject) => {
      const signal = this.#stop.signal;
      if (signal.aborted) {
        work.catch(() => void 0);
        reject(shutdownReason());
        return;
      }
      const onAbort = () => reject(shutdownReason());
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }
  async #evaluate(plane, status, held) {
    const { settings, healLog, metrics, log, github } = this.#deps;
    const { policy, target } = settings;
    const now = this.#now();
    let consecutive;
    let actions;
    try {
      const [history, planeActions] = await Promise.all([
        this.#deps.history(plane, policy.failureThreshold),
        healLog.forPlane(plane, 20)
      ]);
      consecutive = countConsecutiveHealable(history.map((stored) => stored.status));
      actions = planeActions;
    } catch (error) {
      if (this.#stopping) return;
      metrics.recordDispatch(plane, status, "error");
      this.#storeFailed(error, plane);
      return;
    }
    const decision = decideHeal({
      status,
      consecutive,
      actions,
      // The view may hold fewer than the store: only the locked decision is exact.
      attemptsLastHour: this.#view.countSince(now - HOUR_MS) + this.#reserved,
      held,
      maintenanceUntil: this.#maintenanceUntil(plane, now),
      now,
      policy
    });
    if (decision.kind === "ignore") return;
    const { reason } = decision;
    if (decision.kind === "skip") {
      this.#skipped(plane, decision);
      return;
    }
    const correlationId = newCorrelationId(now);
    const inputs = this.#inputs(plane, reason, correlationId);
    if (decision.dryRun) {
      if (this.#turnedOff(plane)) return;
      const recorded = await this.#record(plane, reason, consecutive, correlationId, "dry_run");
      if (!recorded) return;
      metrics.recordDispatch(plane, reason, "dry_run");
      this.#deps.audit?.(
        "dry_run",
        plane,
        `${reason}, ${inARow(consecutive)}: would dispatch (selfHeal.dryRun); correlation ${correlationId}`
      );
      log.info("self-heal dry run: would dispatch the smoke-test workflow", {
        plane,
        reason,
        correlationId,
        inputs
      });
      return;
    }
    let running;
    this.#reserved++;
    try {
      const runs = await this.#unlessStopping(
        listDispatchRuns(github, target, new Date(now - policy.runTimeoutMs))
      );
      running = runs.find((run) => run.status !== "completed" && titleNamesPlane(run.title, plane));
    } catch (error) {
      this.#reserved--;
      if (this.#stopping) return;
      const failure = toGithubError(error);
      metrics.recordDispatch(plane, reason, failure.kind === "rate_limited" ? "rate_limited" : "error");
      if (failure instanceof GithubBackoffError) {
        log.info("self-heal held back: GitHub rate limit", {
          plane,
          reason,
          until: new Date(failure.until).toISOString()
        });
      } else log.error("self-heal could not list workflow runs", { plane, error: failure.summary });
      return;
    }
    if (running) {
      this.#reserved--;
      metrics.recordDispatch(plane, reason, "in_progress");
      log.info("self-heal held back: a smoke-test run for this plane is already going", {
        plane,
        runId: running.id,
        runUrl: running.htmlUrl
      });
      return;
    }
    if (this.#hold.held || this.#stopping) {
      this.#reserved--;
      if (!this.#stopping) metrics.recordDispatch(plane, reason, "held");
      return;
    }
    if (this.#turnedOff(plane)) {
      this.#reserved--;
      return;
    }
    let action;
    try {
      action = await this.#record(plane, reason, consecutive, correlationId, "dispatching");
    } finally {
      this.#reserved--;
    }
    if (!action) return;
    let dispatched;
    let sent = false;
    const dispatching = dispatchWorkflow(github, target, inputs, () => sent = true);
    try {
      dispatched = await this.#unlessStopping(dispatching);
    } catch (error) {
      if (this.#stopping) {
        await dispatching.catch(() => void 0);
        if (!sent) {
          await this.#write(action, {
            status: "dispatch_failed",
            error: "not sent: shutdown",
            updatedAt: this.#now()
          });
          log.info("self-heal dispatch not sent: shutdown", { plane, correlationId });
          return;
        }
        this.#handBack.add(action.id);
        log.info("self-heal dispatch interrupted by shutdown; its run is looked for by correlation id", {
          plane,
          correlationId
        });
        return;
      }
      const failure = toGithubError(error);
      if (failure.outcomeUnknown) {
        action = await this.#write(action, { error: failure.summary, updatedAt: this.#now() });
        log.warn("self-heal dispatch got no clear answer; looking for its run before any new dispatch", {
          plane,
          reason,
          correlationId,
          error: failure.summary
        });
        await this.#followLeased(action, reason);
        return;
      }
      await this.#write(action, {
        status: "dispatch_failed",
        error: failure.summary,
        updatedAt: this.#now()
      });
      metrics.recordDispatch(plane, reason, failure.kind === "rate_limited" ? "rate_limited" : "error");
      this.#deps.audit?.(
        "dispatch_failed",
        plane,
        `${reason}: GitHub refused the dispatch (${failure.summary}); correlation ${correlationId}`
      );
      await metrics.refresh();
      log.error("self-heal dispatch failed", { plane, reason, correlationId, error: failure.summary });
      return;
    }
    action = await this.#write(action, {
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
      updatedAt: this.#now(),
      status: dispatched.runId === void 0 ? "dispatching" : "queued"
    });
    metrics.recordDispatch(plane, reason, "dispatched");
    this.#deps.audit?.(
      "dispatch",
      plane,
      `${reason}, ${inARow(consecutive)}: dispatched the smoke-test workflow; correlation ${correlationId}` + (dispatched.runUrl ? `; run ${dispatched.runUrl}` : "")
    );
    await metrics.refresh();
    log.info("self-heal dispatched the smoke-test workflow", {
      plane,
      reason,
      correlationId,
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null
    });
    await this.#followLeased(action);
  }
  /**
   * Whether a config reload turned self-heal off for the plane (or removed the plane) since the cycle that
   * chose it: checked again once the slow part of a decision (GitHub's runs listing) is over, so that no
   * dispatch goes out for a plane the operator has just taken away from self-heal.
   */
  #turnedOff(plane) {
    if (this.#deps.enabledFor?.(plane) !== false) return false;
    this.#deps.log.info("self-heal held back: it is off for this plane now", { plane });
    return true;
  }
  #skipped(plane, decision) {
    this.#deps.metrics.recordDispatch(plane, decision.reason, decision.outcome);
    if (decision.outcome !== "held") {
      this.#deps.log.info("self-heal held back", {
        plane,
        reason: decision.reason,
        outcome: decision.outcome,
        detail: decision.detail
      });
    }
  }
  /**
   * Records an attempt through the heal log's `insertIf`: the policy decides again on what every replica
   * recorded, under the log's lock. Undefined when it said no (counted and logged as that skip) or when the
   * heal log did not answer (counted as an error: an attempt that cannot be recorded is not made).
   */
  async #record(plane, reason, consecutive, correlationId, status) {
    const { healLog, instance, metrics, settings } = this.#deps;
    const at = this.#now();
    let refused;
    let action;
    try {
      action = await healLog.insertIf(plane, at, (view) => {
        const decision = decideHeal({
          status: reason,
          consecutive,
          actions: view.actions,
          attemptsLastHour: view.attemptsLastHour,
          held: this.#hold.held,
          // The stored run-time maintenance (another replica may have started it) or a configured window.
          maintenanceUntil: Math.max(view.maintenanceUntil ?? 0, this.#maintenanceUntil(plane, at) ?? 0) || null,
          now: at,
          policy: settings.policy
        });
        if (decision.kind !== "dispatch") {
          refused = decision;
          return void 0;
        }
        const following = status === "dispatching";
        return {
          ...newAction(plane, reason, correlationId, at, status),
          follower: following ? instance : null,
          followUntil: following ? at + this.#leaseMs : null
        };
      });
    } catch (error) {
      if (this.#stopping) return void 0;
      metrics.recordDispatch(plane, reason, "error");
      this.#storeFailed(error, plane);
      return void 0;
    }
    this.#storeAnswered();
    if (action) {
      this.#view.put(action);
      return action;
    }
    if (refused?.kind === "skip") this.#skipped(plane, refused);
    return void 0;
  }
  /** Stores a change to an action, and shows it in the view. */
  async #write(action, patch) {
    await this.#deps.healLog.update(action.id, patch);
    const next = { ...action };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== void 0) Object.assign(next, { [key]: value });
    }
    this.#view.put(next);
    return next;
  }
  /** Follows an action this replica holds the lease of; remembers it for the hand-back if shutdown interrupts. */
  async #followLeased(action, unconfirmed) {
    this.#following.add(action.id);
    let over = false;
    try {
      over = await this.#follow(action, unconfirmed);
    } finally {
      this.#following.delete(action.id);
      if (!over && this.#stopping) this.#handBack.add(action.id);
    }
  }
  /**
   * Renews this replica's lease on the action. False when another replica holds it now (this one was too
   * slow, or presumed gone): it follows the run from here. A heal log that does not answer keeps the run
   * followed here: no other replica can take it over through that log either.
   */
  async #renew(action) {
    const now = this.#now();
    try {
      return await this.#deps.healLog.takeOver(action.id, this.#deps.instance, now, now + this.#leaseMs);
    } catch (error) {
      this.#storeFailed(error, action.plane);
      return true;
    }
  }
  /**
   * Polls the run (finding it by correlation id first when GitHub gave no id) until it completes, renewing
   * the follow lease each time. `unconfirmed`: the dispatch got no clear answer, so it is counted once the
   * run is found or lost. True once the attempt is over for this replica (an outcome is recorded, or another
   * replica follows it now); false when shutdown interrupted it.
   */
  async #follow(start, unconfirmed) {
    const { settings, github, log } = this.#deps;
    const { target, policy } = settings;
    let action = start;
    const deadline = action.dispatchedAt + policy.runTimeoutMs;
    let runId = action.runId;
    let run;
    const lostLease = () => {
      log.info("self-heal: another replica follows this run now", {
        plane: action.plane,
        correlationId: action.correlationId
      });
      return true;
    };
    for (; ; ) {
      if (this.#stopping) return false;
      if (!await this.#renew(action)) return lostLease();
      if (this.#stopping) return false;
      let seen;
      try {
        if (runId === null) {
          const runs = await this.#unlessStopping(
            listDispatchRuns(github, target, new Date(action.dispatchedAt - 6e4))
          );
          const found = runs.find((candidate) => titleHasCorrelation(candidate.title, action.correlationId));
          if (found) seen = { run: found, found: true };
        } else {
          seen = { run: await this.#unlessStopping(getRun(github, target, runId)), found: false };
        }
      } catch (error) {
        if (this.#stopping) return false;
        if (!(error instanceof GithubBackoffError)) {
          log.warn("self-heal could not read the workflow run; will retry", {
            plane: action.plane,
            correlationId: action.correlationId,
            error: toGithubError(error).summary
          });
        }
      }
      if (seen) {
        run = seen.run;
        runId = run.id;
        action = await this.#write(action, {
          ...seen.found ? { runId } : {},
          status: runStatus(run),
          runUrl: run.htmlUrl || null,
          updatedAt: this.#now()
        });
        if (seen.found) {
          log.info("self-heal found its workflow run", { plane: action.plane, runId, runUrl: run.htmlUrl });
          if (unconfirmed) this.#deps.metrics.recordDispatch(action.plane, unconfirmed, "dispatched");
        }
        if (run.status === "completed") break;
      }
      if (this.#now() >= deadline) break;
      try {
        await sleep(settings.runPollIntervalMs, this.#stopDeadline);
      } catch {
        return false;
      }
    }
    if (run?.status !== "completed") {
      if (unconfirmed && runId === null)
        this.#deps.metrics.recordDispatch(action.plane, unconfirmed, "error");
      await this.#finish(action, runId === null ? "lost" : void 0, "timed_out", null);
      return true;
    }
    const conclusion = run.conclusion ?? "unknown";
    this.#deps.metrics.recordRun(action.plane, CONCLUSIONS.has(conclusion) ? conclusion : "other");
    if (conclusion !== "success") {
      await this.#finish(action, "completed", "workflow_failed", conclusion);
      return true;
    }
    if (!await this.#renew(action)) return lostLease();
    const recheck = await this.#deps.recheck(action.plane, this.#stop.signal);
    if (this.#stopping) return false;
    await this.#finish(
      action,
      "completed",
      recheck?.status === "HEALTHY" ? "fixed" : "still_broken",
      conclusion,
      recheck
    );
    return true;
  }
  async #finish(action, status, outcome, conclusion, recheck) {
    const { metrics, log } = this.#deps;
    await this.#write(action, {
      status,
      outcome,
      conclusion: conclusion ?? void 0,
      updatedAt: this.#now()
    });
    metrics.recordHealOutcome(action.plane, outcome);
    this.#deps.audit?.(
      "outcome",
      action.plane,
      `${outcome}` + (conclusion === null ? "" : ` (run ${conclusion})`) + (recheck ? `, re-check ${recheck.status}` : (
        // A re-check gives nothing only for a plane no longer configured (a reload removed it).
        outcome === "still_broken" ? ", not re-checked: the plane is no longer configured" : ""
      )) + `; correlation ${action.correlationId}`
    );
    await metrics.refresh();
    log.info("self-heal finished", {
      plane: action.plane,
      correlationId: action.correlationId,
      outcome,
      conclusion,
      statusAfter: recheck?.status ?? null,
      follower: this.#deps.instance
    });
  }
  #inputs(plane, reason, correlationId) {
    const inputs = {};
    for (const [name, template] of Object.entries(this.#deps.settings.inputs)) {
      inputs[name] = fillTextTemplate(template, { plane, status: reason });
    }
    inputs.correlation_id = correlationId;
    return inputs;
  }
};
function newAction(plane, reason, correlationId, now, status) {
  return {
    plane,
    reason,
    correlationId,
    dispatchedAt: now,
    status,
    runId: null,
    runUrl: null,
    conclusion: null,
    outcome: null,
    error: null,
    updatedAt: now,
    follower: null,
    followUntil: null
  };
}
function runStatus(run) {
  if (run.status === "completed") return "completed";
  return run.status === "in_progress" ? "in_progress" : "queued";
}
function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
function inARow(count) {
  return `${count} result${count === 1 ? "" : "s"} in a row`;
}

// src/heal/create-self-heal.ts
function createSelfHeal(parts) {
  const settings = selfHealSettings(parts.config.selfHeal);
  const githubConfig = parts.config.github;
  if (!settings || !githubConfig || !selfHealOnForSomePlane(parts.config)) return void 0;
  const planes = new Map(parts.config.workloadPlanes.map((plane) => [plane.name, plane]));
  const { selfHeal } = parts.config;
  const stopping = new AbortController();
  const stopNow = () => stopping.abort(shutdownReason());
  if (parts.signal?.aborted) stopNow();
  else parts.signal?.addEventListener("abort", stopNow, { once: true });
  const github = createGithubClient(githubConfig, {
    ...parts.githubOptions,
    log: parts.log,
    // A rate-limit stop is kept with the attempts, so neither a new attempt nor a restart ends it early.
    backoff: parts.healLog,
    now: parts.now,
    signal: stopping.signal
  });
  const healer = new SelfHealer({
    settings: { ...settings, policy: { ...settings.policy, ...parts.policy } },
    github,
    healLog: parts.healLog,
    instance: parts.instance,
    history: parts.history,
    recheck: parts.recheck,
    metrics: parts.metrics,
    log: parts.log,
    now: parts.now,
    signal: stopping.signal,
    maintenanceUntil: parts.maintenanceUntil,
    enabledFor: parts.enabledFor ?? ((plane) => selfHealEnabledFor({ selfHeal }, planes.get(plane))),
    audit: parts.audit
  });
  return {
    healer,
    github,
    stop: async () => {
      stopNow();
      parts.signal?.removeEventListener("abort", stopNow);
      await healer.stop();
    }
  };
}
export {
  createSelfHeal
};
