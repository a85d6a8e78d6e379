import {
  Deadline,
  sleep
} from "./chunk-METLG7FZ.js";
import "./chunk-YVK2JUK6.js";
import {
  fillTextTemplate
} from "./chunk-KNTKHN2X.js";
import {
  ACTIVE_STATUSES
} from "./chunk-2ODLRT3O.js";

// src/github/workflow-api.ts
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
};
function toGithubError(error) {
  if (error instanceof GithubError) return error;
  const status = error.status;
  const message = error instanceof Error ? error.message.split("\n")[0]?.slice(0, 200) ?? "" : String(error);
  if (typeof status !== "number") return new GithubError("network", void 0, message);
  if (status === 429 || status === 403 && /rate limit/i.test(message))
    return new GithubError("rate_limited", status, message);
  if (status === 401) return new GithubError("unauthorized", status, message);
  if (status === 403) return new GithubError("forbidden", status, message);
  if (status === 404) return new GithubError("not_found", status, message);
  if (status === 400 || status === 422) return new GithubError("invalid", status, message);
  if (status >= 500) return new GithubError("server_error", status, message);
  return new GithubError("invalid", status, message);
}
async function dispatchWorkflow(github, target, inputs) {
  const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
  const params = {
    owner: target.owner,
    repo: target.repo,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs
  };
  try {
    const response = await github.request(route, { ...params, return_run_details: true });
    const data = response.data;
    if (response.status === 200 && data && typeof data === "object" && "workflow_run_id" in data) {
      const details = data;
      if (typeof details.workflow_run_id !== "number")
        throw new GithubError("invalid_response", 200, "workflow_run_id is not a number");
      return {
        runId: details.workflow_run_id,
        runUrl: typeof details.html_url === "string" ? details.html_url : void 0
      };
    }
    return {};
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

// src/heal/self-healer.ts
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
var SelfHealer = class {
  #deps;
  #busy = /* @__PURE__ */ new Set();
  #tasks = /* @__PURE__ */ new Set();
  #stop = new AbortController();
  #stopDeadline;
  /** Attempts decided but not yet in the heal log: counted against the hourly cap meanwhile. */
  #reserved = 0;
  #refreshing = Promise.resolve();
  constructor(deps) {
    this.#deps = deps;
    this.#stopDeadline = new Deadline(void 0, "self-heal", this.#stop.signal);
  }
  #now() {
    return this.#deps.now?.() ?? Date.now();
  }
  /** Sees every published result. Returns at once; any work happens in the background. */
  onResult(result) {
    if (this.#stop.signal.aborted || this.#busy.has(result.plane) || !isHealable(result.status)) return;
    this.#run(result.plane, () => this.#evaluate(result));
  }
  /** After a restart: follows every attempt that had not finished. */
  resume() {
    for (const action of this.#deps.healLog.unfinished()) {
      if (this.#busy.has(action.plane)) continue;
      this.#run(action.plane, () => this.#follow(action));
    }
  }
  /** Stops polling and waits for the tasks to wind down; unfinished attempts resume on the next start. */
  async stop() {
    this.#stop.abort(new Error("shutting down"));
    await Promise.allSettled([...this.#tasks]);
    this.#stopDeadline.dispose();
  }
  /** Waits until no task is running and the metrics show what they did (tests and the one-shot Action). */
  async idle() {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    await this.#refreshing;
  }
  recentActions(plane, limit = 5) {
    return this.#deps.healLog.forPlane(plane, limit);
  }
  #run(plane, work) {
    this.#busy.add(plane);
    const task = work().catch((error) => {
      this.#deps.log.error("self-heal task failed", { plane, error: toGithubError(error).summary });
    }).finally(() => {
      this.#busy.delete(plane);
      this.#tasks.delete(task);
      if (this.#tasks.size === 0) this.#refreshing = this.#deps.metrics.refresh().catch(() => void 0);
    });
    this.#tasks.add(task);
  }
  async #evaluate(result) {
    const { settings, healLog, metrics, log, github } = this.#deps;
    const { policy, target } = settings;
    const plane = result.plane;
    const now = this.#now();
    const consecutive = countConsecutiveHealable(
      this.#deps.history(plane, policy.failureThreshold).map((stored) => stored.status)
    );
    const decision = decideHeal({
      status: result.status,
      consecutive,
      actions: healLog.forPlane(plane, 20),
      attemptsLastHour: healLog.attemptsSince(now - 36e5) + this.#reserved,
      now,
      policy
    });
    if (decision.kind === "ignore") return;
    const { reason } = decision;
    if (decision.kind === "skip") {
      metrics.recordDispatch(plane, reason, decision.outcome);
      log.info("self-heal held back", { plane, reason, outcome: decision.outcome, detail: decision.detail });
      return;
    }
    const correlationId = newCorrelationId(now);
    const inputs = this.#inputs(plane, reason, correlationId);
    if (decision.dryRun) {
      healLog.insert(newAction(plane, reason, correlationId, now, "dry_run"));
      metrics.recordDispatch(plane, reason, "dry_run");
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
      const runs = await listDispatchRuns(github, target, new Date(now - policy.runTimeoutMs));
      running = runs.find((run) => run.status !== "completed" && titleNamesPlane(run.title, plane));
    } catch (error) {
      this.#reserved--;
      const failure = toGithubError(error);
      metrics.recordDispatch(plane, reason, failure.kind === "rate_limited" ? "rate_limited" : "error");
      log.error("self-heal could not list workflow runs", { plane, error: failure.summary });
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
    const action = healLog.insert(newAction(plane, reason, correlationId, this.#now(), "dispatching"));
    this.#reserved--;
    let dispatched;
    try {
      dispatched = await dispatchWorkflow(github, target, inputs);
    } catch (error) {
      const failure = toGithubError(error);
      healLog.update(action.id, {
        status: "dispatch_failed",
        error: failure.summary,
        updatedAt: this.#now()
      });
      metrics.recordDispatch(plane, reason, failure.kind === "rate_limited" ? "rate_limited" : "error");
      await metrics.refresh();
      log.error("self-heal dispatch failed", { plane, reason, correlationId, error: failure.summary });
      return;
    }
    const patch = {
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
      updatedAt: this.#now()
    };
    healLog.update(action.id, {
      ...patch,
      status: dispatched.runId === void 0 ? "dispatching" : "queued"
    });
    metrics.recordDispatch(plane, reason, "dispatched");
    await metrics.refresh();
    log.info("self-heal dispatched the smoke-test workflow", {
      plane,
      reason,
      correlationId,
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null
    });
    await this.#follow({ ...action, ...patch });
  }
  /** Polls the run (finding it by correlation id first when GitHub gave no id) until it completes. */
  async #follow(action) {
    const { settings, healLog, github, log } = this.#deps;
    const { target, policy } = settings;
    const deadline = action.dispatchedAt + policy.runTimeoutMs;
    let runId = action.runId;
    let run;
    while (!this.#stop.signal.aborted && this.#now() < deadline) {
      try {
        if (runId === null) {
          const runs = await listDispatchRuns(github, target, new Date(action.dispatchedAt - 6e4));
          const found = runs.find((candidate) => titleHasCorrelation(candidate.title, action.correlationId));
          if (found) {
            runId = found.id;
            run = found;
            healLog.update(action.id, {
              runId,
              runUrl: found.htmlUrl,
              status: runStatus(found),
              updatedAt: this.#now()
            });
            log.info("self-heal found its workflow run", {
              plane: action.plane,
              runId,
              runUrl: found.htmlUrl
            });
          }
        } else {
          run = await getRun(github, target, runId);
          healLog.update(action.id, {
            status: runStatus(run),
            runUrl: run.htmlUrl || null,
            updatedAt: this.#now()
          });
        }
        if (run?.status === "completed") break;
      } catch (error) {
        log.warn("self-heal could not read the workflow run; will retry", {
          plane: action.plane,
          correlationId: action.correlationId,
          error: toGithubError(error).summary
        });
      }
      try {
        await sleep(settings.runPollIntervalMs, this.#stopDeadline);
      } catch {
        return;
      }
    }
    if (this.#stop.signal.aborted) return;
    if (run?.status !== "completed") {
      await this.#finish(action, runId === null ? "lost" : void 0, "timed_out", null);
      return;
    }
    const conclusion = run.conclusion ?? "unknown";
    this.#deps.metrics.recordRun(action.plane, CONCLUSIONS.has(conclusion) ? conclusion : "other");
    if (conclusion !== "success") {
      await this.#finish(action, "completed", "workflow_failed", conclusion);
      return;
    }
    const recheck = await this.#deps.recheck(action.plane);
    await this.#finish(
      action,
      "completed",
      recheck?.status === "HEALTHY" ? "fixed" : "still_broken",
      conclusion,
      recheck
    );
  }
  async #finish(action, status, outcome, conclusion, recheck) {
    const { healLog, metrics, log } = this.#deps;
    healLog.update(action.id, {
      status,
      outcome,
      conclusion: conclusion ?? void 0,
      updatedAt: this.#now()
    });
    metrics.recordHealOutcome(action.plane, outcome);
    await metrics.refresh();
    log.info("self-heal finished", {
      plane: action.plane,
      correlationId: action.correlationId,
      outcome,
      conclusion,
      statusAfter: recheck?.status ?? null
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
    updatedAt: now
  };
}
function runStatus(run) {
  if (run.status === "completed") return "completed";
  return run.status === "in_progress" ? "in_progress" : "queued";
}
export {
  SelfHealer
};
