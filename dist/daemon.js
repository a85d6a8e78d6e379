#!/usr/bin/env node

// src/daemon.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

// src/platform/http.ts
import { setFlagsFromString } from "node:v8";
import { Agent } from "undici";

// src/config/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
var DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
var PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
function parseDuration(text2) {
  const trimmed = text2.trim();
  if (!DURATION.test(trimmed)) return void 0;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return Number.isFinite(total) ? Math.round(total) : void 0;
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  const parts = [];
  let rest = Math.round(ms / 1e3);
  for (const [unit, size] of [
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ]) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

// src/util/deadline.ts
var Deadline = class _Deadline {
  aborted = false;
  reason = void 0;
  #listeners;
  #timer;
  #unlink;
  /** With `ms` undefined it never times out and only follows its parent (a cycle's root). */
  constructor(ms, what, parent) {
    this.#timer = ms === void 0 ? void 0 : setTimeout(
      () => this.abort(new DOMException(`${what} of ${formatDuration(ms)} passed`, "TimeoutError")),
      ms
    );
    const onParentAbort = () => this.abort(asError(parent?.reason));
    if (parent === void 0) this.#unlink = noop;
    else if (parent.aborted) {
      this.#unlink = noop;
      onParentAbort();
    } else if (parent instanceof _Deadline) {
      this.#unlink = parent.onAbort(onParentAbort);
    } else {
      parent.addEventListener("abort", onParentAbort, { once: true });
      this.#unlink = () => parent.removeEventListener("abort", onParentAbort);
    }
  }
  /** Calls `listener` once when the deadline fires (not if it already has); returns what cancels that. */
  onAbort(listener) {
    if (this.aborted) return noop;
    const listeners = this.#listeners ??= /* @__PURE__ */ new Set();
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  /** How many listeners wait for this deadline (tests check that none is left behind). */
  get listenerCount() {
    return this.#listeners?.size ?? 0;
  }
  abort(reason) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const listeners = this.#listeners;
    this.#listeners = void 0;
    if (listeners) for (const listener of listeners) listener();
  }
  throwIfAborted() {
    if (this.aborted) throw this.reason ?? new Error("aborted");
  }
  /** Clears the timer and unlinks from the parent; call when the guarded work is over. */
  dispose() {
    clearTimeout(this.#timer);
    this.#unlink();
  }
};
var noop = () => void 0;
function sleep(ms, deadline) {
  return new Promise((resolve, reject) => {
    if (deadline.aborted) return reject(deadline.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      cancel();
      resolve();
    }, ms);
    const cancel = deadline.onAbort(() => {
      clearTimeout(timer);
      reject(deadline.reason ?? new Error("aborted"));
    });
  });
}
function asError(reason) {
  return reason instanceof Error ? reason : new Error(typeof reason === "string" ? reason : "aborted");
}

// src/platform/http.ts
var MAX_REDIRECTS = 5;
var REDIRECT_STATUSES = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
function createHttpAgent(options) {
  keepHttpParserOnBaselineCompiler();
  return new Agent({
    connect: { timeout: options.connectTimeoutMs },
    keepAliveTimeout: options.keepAliveMs,
    keepAliveMaxTimeout: options.keepAliveMs,
    // Our own deadline covers the whole exchange; these only stop a stuck socket from lingering.
    headersTimeout: 0,
    bodyTimeout: 0
  });
}
function keepHttpParserOnBaselineCompiler() {
  setFlagsFromString("--no-wasm-tier-up");
  setFlagsFromString("--no-wasm-dynamic-tiering");
}
async function requestJson(dispatcher, req) {
  const limit = new Deadline(req.timeoutMs, "request deadline", req.signal);
  try {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const response = await exchange(dispatcher, url, method, req.headers, body, limit, req.maxBytes);
      if ("failure" in response) return response;
      const { statusCode, headers } = response;
      const location = headers.location;
      if (REDIRECT_STATUSES.has(statusCode) && typeof location === "string") {
        const current = new URL(url);
        const next = new URL(location, current);
        if (next.origin !== current.origin) {
          return fail("redirect_blocked", `redirect to another origin (${next.origin}) refused`);
        }
        if (hop + 1 > MAX_REDIRECTS) return fail("redirect_blocked", `more than ${MAX_REDIRECTS} redirects`);
        if (statusCode === 303 || (statusCode === 301 || statusCode === 302) && method === "POST") {
          method = "GET";
          body = void 0;
        }
        url = next.href;
        continue;
      }
      if (statusCode < 200 || statusCode > 299) {
        return {
          ok: false,
          failure: { kind: "http_status", httpStatus: statusCode, detail: `HTTP ${statusCode}` }
        };
      }
      return parseJson(response);
    }
  } catch (error) {
    return { ok: false, failure: failureFromError(error, limit) };
  } finally {
    limit.dispose();
  }
}
function parseJson(response) {
  try {
    const text2 = response.body === void 0 ? "" : response.body.toString("utf8");
    return { ok: true, status: response.statusCode, body: JSON.parse(text2) };
  } catch {
    const type = String(response.headers["content-type"] ?? "no content type").split(";")[0];
    return fail("invalid_response", `response is not JSON (${type})`);
  }
}
var DISCARD_LIMIT = 64 * 1024;
function exchange(dispatcher, url, method, headers, body, deadline, maxBytes) {
  return new Promise((resolve) => {
    let controller;
    let settled = false;
    let statusCode = 0;
    let responseHeaders = {};
    let keep = false;
    let chunks = [];
    let size = 0;
    let cancelDeadline = () => void 0;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      resolve(outcome);
    };
    const stop = (outcome, reason) => {
      settle(outcome);
      if (controller && !controller.aborted) controller.abort(reason);
    };
    const onDeadline = () => {
      const reason = deadline.reason ?? new Error("aborted");
      stop({ ok: false, failure: failureFromError(reason, deadline) }, reason);
    };
    if (deadline.aborted) return onDeadline();
    cancelDeadline = deadline.onAbort(onDeadline);
    const handler = {
      onRequestStart(started) {
        controller = started;
        if (settled) started.abort(deadline.reason ?? new Error("aborted"));
      },
      onResponseStart(_controller, status, received) {
        if (status < 200) return;
        statusCode = status;
        responseHeaders = received;
        keep = status >= 200 && status <= 299;
        const declared = Number(received["content-length"]);
        if (keep && Number.isFinite(declared) && declared > maxBytes) {
          const detail = `response of ${declared} bytes exceeds the ${maxBytes}-byte cap`;
          stop(fail("response_too_large", detail), new Error(detail));
        }
      },
      onResponseData(_controller, chunk) {
        size += chunk.length;
        if (keep && size <= maxBytes) chunks.push(chunk);
        else if (keep) {
          const detail = `response exceeds the ${maxBytes}-byte cap`;
          stop(fail("response_too_large", detail), new Error(detail));
        } else if (size > DISCARD_LIMIT) {
          settle({ statusCode, headers: responseHeaders, body: void 0 });
          controller?.abort(new Error("response body not needed"));
        }
      },
      onResponseEnd() {
        const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        chunks = [];
        settle({ statusCode, headers: responseHeaders, body: keep ? whole : void 0 });
      },
      onResponseError(_controller, error) {
        settle({ ok: false, failure: failureFromError(error, deadline) });
      }
    };
    try {
      const { origin, path } = splitUrl(url);
      dispatcher.dispatch({ origin, path, method, headers, body: body ?? null }, handler);
    } catch (error) {
      settle({ ok: false, failure: failureFromError(error, deadline) });
    }
  });
}
var PLAIN_URL = /^(https?:\/\/[^/?#@\\]+)([/?][^#]*)?(?:#.*)?$/;
var NEEDS_PARSING = /[^\x21-\x7e]|["'<>`{}\\]|\/(?:\.|%2e){1,2}(?:[/?#]|$)/i;
function splitUrl(url) {
  const plain = NEEDS_PARSING.test(url) ? null : PLAIN_URL.exec(url);
  if (plain) {
    const rest = plain[2] ?? "";
    return { origin: plain[1] ?? "", path: rest === "" ? "/" : rest.startsWith("?") ? `/${rest}` : rest };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname + parsed.search };
}
function fail(kind, detail) {
  return { ok: false, failure: { kind, detail } };
}
var TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
function failureFromError(error, signal) {
  if (signal?.aborted) {
    const reason = signal.reason;
    const message = reason instanceof Error ? reason.message : "aborted";
    const timedOut = reason instanceof Error && reason.name === "TimeoutError";
    return { kind: timedOut ? "timeout" : "aborted", detail: message };
  }
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return { kind: "connection_refused", detail: "connection refused" };
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
    case "EAI_NONAME":
      return { kind: "dns_error", detail: `host name lookup failed (${code})` };
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return {
        kind: "connection_reset",
        detail: "connection closed by the server before the response ended"
      };
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return { kind: "timeout", detail: "the server did not answer in time" };
    case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
      return { kind: "connection_reset", detail: "response body shorter than its content-length" };
    default:
      if (code && TLS_CODE.test(code)) return { kind: "tls_error", detail: `TLS error (${code})` };
      return { kind: "network_error", detail: code ? `network error (${code})` : "network error" };
  }
}
function errorCode(error) {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = current.code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return void 0;
}

// src/config/template.ts
var PLACEHOLDER = /\{(\w+)\}/g;
function findPlaceholders(template) {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}
function compileTemplate(template, options) {
  const literals = [];
  const names = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1] ?? "");
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  const raw = new Set(options.raw ?? []);
  return (values) => {
    let out = literals[0] ?? "";
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? "";
      const value = values[name];
      if (value === void 0) out += `{${name}}`;
      else out += options.encode && !raw.has(name) ? encodeURIComponent(value) : value;
      out += literals[i + 1] ?? "";
    }
    return out;
  };
}
function fillTextTemplate(template, values) {
  return compileTemplate(template, { encode: false })(values);
}

// src/platform/json-pointer.ts
function compilePointer(pointer) {
  if (pointer === "") return (document) => document;
  const tokens = pointer.slice(1).split("/").map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"));
  const indexes = tokens.map((token) => /^(0|[1-9]\d*)$/.test(token) ? Number(token) : void 0);
  return (document) => {
    let current = document;
    for (let i = 0; i < tokens.length; i++) {
      if (Array.isArray(current)) {
        const index = indexes[i];
        if (index === void 0) return void 0;
        current = current[index];
      } else if (current !== null && typeof current === "object" && Object.hasOwn(current, tokens[i] ?? "")) {
        current = current[tokens[i] ?? ""];
      } else {
        return void 0;
      }
    }
    return current;
  };
}

// src/platform/http-platform.ts
var PENDING = /* @__PURE__ */ new Set(["QUEUED", "IN_PROGRESS"]);
var FAILED = /* @__PURE__ */ new Set(["FAILED", "EXPIRED", "CANCELED", "WEBHOOK_FAILED"]);
var readErrorCode = compilePointer("/code");
function compileEndpoints(endpoints) {
  const url = (template) => compileTemplate(template, { encode: true, raw: ["controlPlaneUrl", "inferenceUrl"] });
  const pointer = (text2) => ({ text: text2, read: compilePointer(text2) });
  return {
    userLookup: {
      url: url(endpoints.userLookup.url),
      list: pointer(endpoints.userLookup.list),
      id: pointer(endpoints.userLookup.id),
      organizationId: pointer(endpoints.userLookup.organizationId)
    },
    modelLookup: {
      url: url(endpoints.modelLookup.url),
      list: pointer(endpoints.modelLookup.list),
      id: pointer(endpoints.modelLookup.id)
    },
    predict: { url: url(endpoints.predict.url) },
    asyncSubmit: { url: url(endpoints.asyncSubmit.url), requestId: pointer(endpoints.asyncSubmit.requestId) },
    asyncStatus: {
      url: url(endpoints.asyncStatus.url),
      status: pointer(endpoints.asyncStatus.status),
      errors: pointer(endpoints.asyncStatus.errors)
    }
  };
}
var HttpPlatform = class {
  #config;
  #dispatcher;
  #headers;
  #endpoints;
  #email;
  #predictBody;
  #asyncBody;
  constructor(config, dispatcher) {
    this.#config = config;
    this.#dispatcher = dispatcher;
    this.#headers = {
      authorization: `Api-Key ${config.apiKey}`,
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "planecheck"
    };
    this.#endpoints = compileEndpoints(config.endpoints);
    this.#email = compileTemplate(config.smokeTestEmail, { encode: false });
    this.#predictBody = JSON.stringify(config.predictInput);
    this.#asyncBody = JSON.stringify({ model_input: config.predictInput });
  }
  async findUser(plane, signal) {
    const endpoint = this.#endpoints.userLookup;
    const url = this.#url(endpoint.url, plane, { email: this.#email({ plane: plane.name }) });
    return lookup(await this.#send("GET", url, signal), endpoint.list, "users", (entry) => {
      const id = readId(entry, endpoint.id.read);
      const organizationId = readId(entry, endpoint.organizationId.read);
      if (id === void 0) return `user has no id at ${endpoint.id.text}`;
      if (organizationId === void 0)
        return `user has no organization id at ${endpoint.organizationId.text}`;
      return { id, organizationId };
    });
  }
  async findOracle(plane, user, signal) {
    const endpoint = this.#endpoints.modelLookup;
    const url = this.#url(endpoint.url, plane, {
      organizationId: user.organizationId,
      userId: user.id,
      oracleName: this.#config.oracleName
    });
    return lookup(await this.#send("GET", url, signal), endpoint.list, "models", (entry) => {
      const id = readId(entry, endpoint.id.read);
      return id === void 0 ? `model has no id at ${endpoint.id.text}` : { id };
    });
  }
  async predict(plane, oracle, signal) {
    const url = this.#url(this.#endpoints.predict.url, plane, { modelId: oracle.id });
    const result = await this.#send("POST", url, signal, this.#predictBody);
    return result.ok ? { ok: true, value: void 0 } : result;
  }
  async submitAsyncPredict(plane, oracle, signal) {
    const endpoint = this.#endpoints.asyncSubmit;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id });
    const result = await this.#send("POST", url, signal, this.#asyncBody);
    if (!result.ok) return result;
    const requestId = readId(result.body, endpoint.requestId.read);
    if (requestId === void 0) return invalid(`no request id at ${endpoint.requestId.text}`);
    return { ok: true, value: requestId };
  }
  async getAsyncStatus(plane, oracle, requestId, signal) {
    const endpoint = this.#endpoints.asyncStatus;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id, requestId });
    const result = await this.#send("GET", url, signal);
    if (!result.ok) return result;
    const status = endpoint.status.read(result.body);
    if (typeof status !== "string") return invalid(`no status string at ${endpoint.status.text}`);
    const state = PENDING.has(status) ? "pending" : status === "SUCCEEDED" ? "succeeded" : FAILED.has(status) ? "failed" : void 0;
    if (state === void 0) return invalid(`unknown async status "${status.slice(0, 32)}"`);
    const errors = endpoint.errors.read(result.body);
    const errorCodes = Array.isArray(errors) ? errors.flatMap((error) => {
      const code = readErrorCode(error);
      return typeof code === "string" ? [code.slice(0, 64)] : [];
    }) : [];
    return { ok: true, value: { state, status, errorCodes } };
  }
  #url(template, plane, values) {
    values.plane = plane.name;
    values.controlPlaneUrl = this.#config.controlPlaneUrl;
    values.inferenceUrl = plane.inferenceUrl;
    return template(values);
  }
  #send(method, url, signal, body) {
    return requestJson(this.#dispatcher, {
      method,
      url,
      headers: this.#headers,
      body,
      timeoutMs: this.#config.requestTimeout,
      maxBytes: this.#config.maxResponseBytes,
      signal
    });
  }
};
function lookup(result, list, what, pick) {
  if (!result.ok) {
    return result.failure.httpStatus === 404 ? { kind: "not_found" } : { kind: "failed", failure: result.failure };
  }
  const entries = list.read(result.body);
  if (!Array.isArray(entries))
    return { kind: "failed", failure: invalidFailure(`no ${what} list at ${list.text}`) };
  if (entries.length === 0) return { kind: "not_found" };
  const picked = pick(entries[0]);
  return typeof picked === "string" ? { kind: "failed", failure: invalidFailure(picked) } : { kind: "found", value: picked };
}
function readId(document, read) {
  const value = read(document);
  if (typeof value === "string" && value.length > 0 && value.length <= 256) return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return void 0;
}
function invalidFailure(detail) {
  return { kind: "invalid_response", detail };
}
function invalid(detail) {
  return { ok: false, failure: invalidFailure(detail) };
}

// src/check/check-plane.ts
async function checkPlane(plane, deps) {
  const startedAt = Date.now();
  const started = performance.now();
  const planeDeadline = new Deadline(deps.settings.planeTimeout, "plane deadline", deps.signal);
  const steps = [];
  try {
    await runSteps(plane, deps, planeDeadline, steps);
  } finally {
    planeDeadline.dispose();
  }
  return {
    plane: plane.name,
    startedAt,
    checkedAt: Date.now(),
    durationMs: round(performance.now() - started),
    steps
  };
}
async function runSteps(plane, deps, signal, steps) {
  const { platform } = deps;
  const user = await timed(
    "user_lookup",
    steps,
    signal,
    async () => lookupStep(await platform.findUser(plane, signal))
  );
  if (user === void 0) return;
  const oracle = await timed(
    "oracle_lookup",
    steps,
    signal,
    async () => lookupStep(await platform.findOracle(plane, user, signal))
  );
  if (oracle === void 0) return;
  await Promise.all([
    timed("predict", steps, signal, async () => callStep(await platform.predict(plane, oracle, signal))),
    timed("async_predict", steps, signal, () => asyncPredict(plane, oracle, deps, signal))
  ]);
  steps.sort((a, b) => ORDER[a.step] - ORDER[b.step]);
}
var ORDER = { user_lookup: 0, oracle_lookup: 1, predict: 2, async_predict: 3 };
async function timed(step, steps, signal, run) {
  const started = performance.now();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { ok: false, failure: failureFromError(error, signal) };
  }
  const durationMs = round(performance.now() - started);
  if (outcome.ok) {
    steps.push({ step, outcome: "ok", durationMs });
    return outcome.value;
  }
  if ("notFound" in outcome) steps.push({ step, outcome: "not_found", durationMs });
  else steps.push({ step, outcome: "failed", durationMs, failure: outcome.failure });
  return void 0;
}
function lookupStep(outcome) {
  if (outcome.kind === "found") return { ok: true, value: outcome.value };
  if (outcome.kind === "not_found") return { ok: false, notFound: true };
  return { ok: false, failure: outcome.failure };
}
function callStep(outcome) {
  return outcome;
}
async function asyncPredict(plane, oracle, deps, planeSignal) {
  const { platform, settings } = deps;
  const signal = new Deadline(settings.asyncTimeout, "async request deadline", planeSignal);
  let lastStatus = "unsubmitted";
  try {
    const submitted = await platform.submitAsyncPredict(plane, oracle, signal);
    if (!submitted.ok) return submitted;
    lastStatus = "submitted";
    for (; ; ) {
      await sleep(settings.pollInterval, signal);
      const polled = await platform.getAsyncStatus(plane, oracle, submitted.value, signal);
      if (!polled.ok) {
        if (polled.failure.kind === "timeout" && signal.aborted && !planeSignal.aborted) {
          return {
            ok: false,
            failure: { kind: "timeout", detail: stillPending(lastStatus, settings.asyncTimeout) }
          };
        }
        return polled;
      }
      lastStatus = polled.value.status;
      if (polled.value.state === "succeeded") return { ok: true, value: void 0 };
      if (polled.value.state === "failed") {
        const codes = polled.value.errorCodes.length > 0 ? ` (${polled.value.errorCodes.join(", ")})` : "";
        return {
          ok: false,
          failure: { kind: "failed", detail: `async request ended ${lastStatus}${codes}` }
        };
      }
    }
  } catch (error) {
    if (signal.aborted && !planeSignal.aborted) {
      return {
        ok: false,
        failure: { kind: "timeout", detail: stillPending(lastStatus, settings.asyncTimeout) }
      };
    }
    throw error;
  } finally {
    signal.dispose();
  }
}
function stillPending(status, timeoutMs) {
  return `async request still ${status} after ${formatDuration(timeoutMs)}`;
}
function round(ms) {
  return Math.round(ms * 10) / 10;
}

// src/check/check-all.ts
async function checkAll(planes, deps, concurrency, onResult) {
  const root = deps.signal ? new Deadline(void 0, "cycle", deps.signal) : void 0;
  const planeDeps = { ...deps, signal: root };
  const results = new Array(planes.length);
  let next = 0;
  const worker = async () => {
    while (next < planes.length) {
      const index = next++;
      const plane = planes[index];
      if (plane === void 0) continue;
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

// src/check/checker.ts
function createChecker(config) {
  const agent = createHttpAgent({
    connectTimeoutMs: config.platform.requestTimeout,
    keepAliveMs: config.schedule.interval + 3e4
  });
  const platform = new HttpPlatform(config.platform, agent);
  const settings = {
    planeTimeout: config.schedule.planeTimeout,
    asyncTimeout: config.platform.asyncTimeout,
    pollInterval: config.platform.pollInterval
  };
  return {
    check: (planes, options = {}) => checkAll(
      planes,
      { platform, settings, signal: options.signal },
      config.schedule.concurrency,
      options.onResult
    ),
    close: () => agent.close()
  };
}

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

// src/heal/self-heal-settings.ts
function selfHealSettings(selfHeal) {
  if (!selfHeal?.enabled || !selfHeal.repository) return void 0;
  const [owner = "", repo = ""] = selfHeal.repository.split("/");
  return {
    target: { owner, repo, workflow: selfHeal.workflow, ref: selfHeal.ref },
    inputs: selfHeal.inputs,
    policy: {
      cooldownMs: selfHeal.cooldown,
      failureThreshold: selfHeal.failureThreshold,
      maxDispatchesPerHour: selfHeal.maxDispatchesPerHour,
      runTimeoutMs: selfHeal.runTimeout,
      dryRun: selfHeal.dryRun
    },
    runPollIntervalMs: selfHeal.runPollInterval
  };
}

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

// src/heal/heal-action.ts
var ACTIVE_STATUSES = ["dispatching", "queued", "in_progress"];

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

// src/store/sqlite-heal-log.ts
var COLUMNS = {
  reason: "reason",
  status: "status",
  runId: "run_id",
  runUrl: "run_url",
  conclusion: "conclusion",
  outcome: "outcome",
  error: "error",
  updatedAt: "updated_at"
};
var SqliteHealLog = class {
  #db;
  #insert;
  #forPlane;
  #unfinished;
  #attemptsSince;
  constructor(db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at)
       VALUES (@plane, @reason, @correlation_id, @dispatched_at, @status, @run_id, @run_url, @conclusion, @outcome,
         @error, @updated_at)`
    );
    this.#forPlane = db.prepare(
      "SELECT * FROM heal_actions WHERE plane = ? ORDER BY dispatched_at DESC, id DESC LIMIT ?"
    );
    const active = ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ");
    this.#unfinished = db.prepare(
      `SELECT * FROM heal_actions WHERE status IN (${active}) AND outcome IS NULL ORDER BY id`
    );
    this.#attemptsSince = db.prepare("SELECT count(*) AS n FROM heal_actions WHERE dispatched_at >= ?");
  }
  insert(action) {
    const info = this.#insert.run({
      plane: action.plane,
      reason: action.reason,
      correlation_id: action.correlationId,
      dispatched_at: action.dispatchedAt,
      status: action.status,
      run_id: action.runId,
      run_url: action.runUrl,
      conclusion: action.conclusion,
      outcome: action.outcome,
      error: action.error,
      updated_at: action.updatedAt
    });
    return { ...action, id: Number(info.lastInsertRowid) };
  }
  update(id, patch) {
    const entries = Object.entries(patch).filter(([, value]) => value !== void 0);
    if (entries.length === 0) return;
    const assignments = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(", ");
    this.#db.prepare(`UPDATE heal_actions SET ${assignments} WHERE id = @id`).run({ ...Object.fromEntries(entries), id });
  }
  forPlane(plane, limit) {
    return this.#forPlane.all(plane, limit).map(fromRow);
  }
  unfinished() {
    return this.#unfinished.all().map(fromRow);
  }
  attemptsSince(since) {
    return this.#attemptsSince.get(since)?.n ?? 0;
  }
};
function fromRow(row) {
  return {
    id: row.id,
    plane: row.plane,
    reason: row.reason,
    correlationId: row.correlation_id,
    dispatchedAt: row.dispatched_at,
    status: row.status,
    runId: row.run_id,
    runUrl: row.run_url,
    conclusion: row.conclusion,
    outcome: row.outcome,
    error: row.error,
    updatedAt: row.updated_at
  };
}

// src/config/load.ts
import { readFile } from "node:fs/promises";

// src/config/parse.ts
import { load, YAMLException } from "js-yaml";

// src/config/schema.ts
import { z } from "zod";

// src/scheduler/interval-to-cron.ts
function intervalToCron(intervalMs) {
  if (intervalMs % 1e3 !== 0) return void 0;
  const seconds = intervalMs / 1e3;
  if (seconds < 60) return 60 % seconds === 0 ? `*/${seconds} * * * * *` : void 0;
  if (seconds % 60 !== 0) return void 0;
  const minutes = seconds / 60;
  if (minutes < 60) return 60 % minutes === 0 ? `0 */${minutes} * * * *` : void 0;
  if (minutes % 60 !== 0) return void 0;
  const hours = minutes / 60;
  return hours <= 24 && 24 % hours === 0 ? `0 0 */${hours} * * *` : void 0;
}

// src/config/schema.ts
function duration(min, max) {
  return z.string({ error: "expected a duration such as 30s or 2m" }).transform((text2, ctx) => {
    const ms = parseDuration(text2);
    if (ms === void 0) {
      ctx.addIssue({ code: "custom", message: `invalid duration "${text2}": use e.g. 500ms, 30s, 2m, 1h` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({
        code: "custom",
        message: `duration ${text2} is out of range: must be between ${formatDuration(min)} and ${formatDuration(max)}`
      });
      return z.NEVER;
    }
    return ms;
  });
}
function httpUrl() {
  return z.string({ error: "expected a URL" }).transform((text2, ctx) => {
    let url;
    try {
      url = new URL(text2);
    } catch {
      ctx.addIssue({ code: "custom", message: "invalid URL" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "invalid URL: only http and https are supported" });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: "invalid URL: a base URL takes no query or fragment" });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, "");
  });
}
var jsonPointer = z.string().regex(/^(\/[^/]*)*$/, "expected a JSON pointer such as /users or /data/0/id (RFC 6901)");
var nonEmpty = z.string().min(1, "must not be empty");
var PLANE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
function urlTemplate(base, allowed) {
  return z.string().superRefine((template, ctx) => {
    const unknown = findPlaceholders(template).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `unknown placeholder {${unknown[0]}}: allowed are ${allowed.map((a) => `{${a}}`).join(", ")}`
      });
      return;
    }
    const sample = template.replace(
      /\{(\w+)\}/g,
      (_, name) => name === base ? "https://base.example" : "x"
    );
    if (!template.startsWith(`{${base}}`) && !/^https?:\/\//.test(template)) {
      ctx.addIssue({ code: "custom", message: `must start with {${base}} or be an absolute http(s) URL` });
    } else if (!URL.canParse(sample)) {
      ctx.addIssue({ code: "custom", message: "invalid URL template" });
    }
  });
}
var DEFAULT_ENDPOINTS = {
  userLookup: {
    url: "{controlPlaneUrl}/v1/users?email={email}",
    list: "/users",
    id: "/id",
    organizationId: "/organization_id"
  },
  modelLookup: {
    url: "{controlPlaneUrl}/v1/organizations/{organizationId}/models?name={oracleName}",
    list: "/models",
    id: "/id"
  },
  predict: { url: "{inferenceUrl}/models/{modelId}/production/predict" },
  asyncSubmit: { url: "{inferenceUrl}/models/{modelId}/production/async_predict", requestId: "/request_id" },
  asyncStatus: {
    url: "{inferenceUrl}/models/{modelId}/async_request/{requestId}",
    status: "/status",
    errors: "/errors"
  }
};
var Endpoints = z.strictObject({
  userLookup: z.strictObject({
    url: urlTemplate("controlPlaneUrl", ["controlPlaneUrl", "email", "plane"]),
    list: jsonPointer,
    id: jsonPointer,
    organizationId: jsonPointer
  }).partial().default({}),
  modelLookup: z.strictObject({
    url: urlTemplate("controlPlaneUrl", [
      "controlPlaneUrl",
      "organizationId",
      "userId",
      "oracleName",
      "plane"
    ]),
    list: jsonPointer,
    id: jsonPointer
  }).partial().default({}),
  predict: z.strictObject({ url: urlTemplate("inferenceUrl", ["inferenceUrl", "modelId", "plane"]) }).partial().default({}),
  asyncSubmit: z.strictObject({
    url: urlTemplate("inferenceUrl", ["inferenceUrl", "modelId", "plane"]),
    requestId: jsonPointer
  }).partial().default({}),
  asyncStatus: z.strictObject({
    url: urlTemplate("inferenceUrl", ["inferenceUrl", "modelId", "requestId", "plane"]),
    status: jsonPointer,
    errors: jsonPointer
  }).partial().default({})
}).default({
  userLookup: {},
  modelLookup: {},
  predict: {},
  asyncSubmit: {},
  asyncStatus: {}
}).transform((given) => ({
  userLookup: { ...DEFAULT_ENDPOINTS.userLookup, ...given.userLookup },
  modelLookup: { ...DEFAULT_ENDPOINTS.modelLookup, ...given.modelLookup },
  predict: { ...DEFAULT_ENDPOINTS.predict, ...given.predict },
  asyncSubmit: { ...DEFAULT_ENDPOINTS.asyncSubmit, ...given.asyncSubmit },
  asyncStatus: { ...DEFAULT_ENDPOINTS.asyncStatus, ...given.asyncStatus }
}));
var Schedule = z.strictObject({
  interval: duration(1e3, 864e5).refine(
    (ms) => intervalToCron(ms) !== void 0,
    "must divide a minute, an hour or a day evenly (e.g. 10s, 30s, 1m, 5m, 1h), so a cron schedule can tick at it"
  ).default(6e4),
  cacheTtl: duration(1e3, 864e5).default(12e4),
  concurrency: z.int().min(1).max(1e3).default(16),
  planeTimeout: duration(100, 36e5).default(45e3)
});
var Platform = z.strictObject({
  controlPlaneUrl: httpUrl(),
  apiKey: nonEmpty,
  smokeTestEmail: nonEmpty.refine((text2) => text2.includes("{plane}"), "must contain {plane}, or every plane would share one user").default("admin__smoke_test_{plane}"),
  oracleName: nonEmpty.default("health-check-model"),
  predictInput: z.unknown().default({ prompt: "ping" }),
  requestTimeout: duration(100, 6e5).default(1e4),
  asyncTimeout: duration(100, 36e5).default(3e4),
  pollInterval: duration(10, 6e5).default(1e3),
  maxResponseBytes: z.int().min(1024).max(256 * 1024 * 1024).default(1048576),
  endpoints: Endpoints
});
var WorkloadPlane = z.strictObject({
  name: z.string().max(63, "at most 63 characters").regex(PLANE_NAME, 'must match [a-z0-9][a-z0-9._-]* (lower-case letters, digits, ".", "_", "-")'),
  inferenceUrl: httpUrl()
});
var SelfHeal = z.strictObject({
  enabled: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected owner/repo").optional(),
  workflow: nonEmpty.default("production-smoke-test.yml"),
  ref: nonEmpty.default("main"),
  inputs: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "invalid input name").refine((name) => name !== "correlation_id", "correlation_id is added by planecheck itself"),
    z.string().superRefine((template, ctx) => {
      const unknown = findPlaceholders(template).filter((name) => name !== "plane" && name !== "status");
      if (unknown.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `unknown placeholder {${unknown[0]}}: use {plane} or {status}`
        });
    })
  ).refine(
    (inputs) => Object.keys(inputs).length <= 24,
    "at most 24 inputs (GitHub allows 25, one is correlation_id)"
  ).default({ workload_plane: "{plane}", reason: "{status}" }),
  cooldown: duration(1e3, 7 * 864e5).default(18e5),
  failureThreshold: z.int().min(1).max(100).default(1),
  maxDispatchesPerHour: z.int().min(1).max(1e3).default(10),
  runPollInterval: duration(100, 6e5).default(15e3),
  runTimeout: duration(1e3, 864e5).default(72e5)
});
var GithubApp = z.strictObject({
  appId: z.union([z.int().positive(), z.string().regex(/^\d+$/, "expected a numeric app id")]),
  privateKey: nonEmpty.optional(),
  privateKeyPath: nonEmpty.optional(),
  installationId: z.union([
    z.int().positive(),
    z.string().regex(/^\d+$/, "expected a numeric installation id")
  ])
}).superRefine((app, ctx) => {
  if (app.privateKey === void 0 === (app.privateKeyPath === void 0)) {
    ctx.addIssue({ code: "custom", message: "set exactly one of privateKey and privateKeyPath" });
  }
});
var Github = z.strictObject({
  apiUrl: httpUrl().default("https://api.github.com"),
  token: nonEmpty.optional(),
  app: GithubApp.optional()
}).superRefine((github, ctx) => {
  if (github.token === void 0 === (github.app === void 0)) {
    ctx.addIssue({ code: "custom", message: "set exactly one of token and app" });
  }
});
var ServerAuth = z.union([
  z.strictObject({ bearerToken: z.string().min(16, "must be at least 16 characters") }),
  z.strictObject({ username: nonEmpty, password: z.string().min(12, "must be at least 12 characters") })
]);
var Server = z.strictObject({
  listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "expected host:port, e.g. 127.0.0.1:9464").refine((text2) => Number(text2.slice(text2.lastIndexOf(":") + 1)) <= 65535, "port must be at most 65535").default("127.0.0.1:9464"),
  auth: ServerAuth.optional()
});
var Storage = z.strictObject({
  path: nonEmpty.default("./planecheck.db"),
  historyRetention: duration(36e5, 366 * 864e5).default(7 * 864e5)
});
var Log = z.strictObject({
  level: z.enum(["debug", "info", "warn", "error"]).default("info")
});
var Config = z.strictObject({
  schedule: Schedule.prefault({}),
  platform: Platform,
  workloadPlanes: z.array(WorkloadPlane).min(1, "list at least one workload plane"),
  selfHeal: SelfHeal.optional(),
  github: Github.optional(),
  server: Server.prefault({}),
  storage: Storage.prefault({}),
  log: Log.prefault({})
}).superRefine((config, ctx) => {
  const seen = /* @__PURE__ */ new Map();
  config.workloadPlanes.forEach((plane, index) => {
    const first = seen.get(plane.name);
    if (first !== void 0) {
      ctx.addIssue({
        code: "custom",
        path: ["workloadPlanes", index, "name"],
        message: `duplicate plane name "${plane.name}" (also workloadPlanes[${first}])`
      });
    } else seen.set(plane.name, index);
  });
  const { interval, planeTimeout, cacheTtl } = config.schedule;
  if (planeTimeout >= interval) {
    ctx.addIssue({
      code: "custom",
      path: ["schedule", "planeTimeout"],
      message: `must be below schedule.interval (${formatDuration(interval)}) so that a cycle ends before the next`
    });
  }
  if (cacheTtl <= interval) {
    ctx.addIssue({
      code: "custom",
      path: ["schedule", "cacheTtl"],
      message: `must be longer than schedule.interval (${formatDuration(interval)}), or every result expires before the next check`
    });
  }
  if (config.platform.requestTimeout > planeTimeout) {
    ctx.addIssue({
      code: "custom",
      path: ["platform", "requestTimeout"],
      message: `must not exceed schedule.planeTimeout (${formatDuration(planeTimeout)})`
    });
  }
  if (config.selfHeal?.enabled && config.selfHeal.repository === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["selfHeal", "repository"],
      message: "required when selfHeal.enabled is true (owner/repo of the smoke-test workflow)"
    });
  }
  if (config.selfHeal?.enabled && config.github === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["github"],
      message: "required when selfHeal.enabled is true (token or app credentials to dispatch the workflow)"
    });
  }
});

// src/config/parse.ts
var ConfigError = class extends Error {
  issues;
  constructor(issues, source = "config") {
    const lines = issues.map(
      (issue) => issue.path ? `  ${issue.path}: ${issue.message}` : `  ${issue.message}`
    );
    super(`${source} is invalid:
${lines.join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
};
function parseConfig(text2, env = {}) {
  return validateConfig(parseYaml(text2), env);
}
function parseYaml(text2) {
  try {
    return load(text2);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
    throw new ConfigError([{ path: "", message: `YAML syntax error${at}: ${error.reason}` }]);
  }
}
function validateConfig(raw, env = {}) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError([{ path: "", message: "expected a YAML mapping at the top level" }]);
  }
  const secrets = [];
  const interpolationIssues = [];
  const budget = { values: MAX_VALUES };
  const interpolated = interpolate(raw, [], env, secrets, interpolationIssues, budget);
  if (interpolationIssues.length > 0) throw new ConfigError(interpolationIssues);
  const result = Config.safeParse(interpolated, { reportInput: true });
  if (!result.success) throw new ConfigError(toIssues(result.error, secrets));
  return result.data;
}
var MAX_VALUES = 1e6;
var ENV_REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
function interpolate(value, path, env, secrets, issues, budget) {
  if (--budget.values < 0) {
    throw new ConfigError([
      { path: "", message: `more than ${MAX_VALUES.toLocaleString("en")} values once aliases are expanded` }
    ]);
  }
  if (typeof value === "string") {
    return value.replace(ENV_REFERENCE, (whole, name, fallback) => {
      if (whole === "$$") return "$";
      const found = env[name ?? ""];
      const resolved = found !== void 0 && found !== "" ? found : fallback;
      if (resolved === void 0) {
        issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
        return "";
      }
      if (found !== void 0) secrets.push(found);
      return resolved;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolate(item, [...path, index], env, secrets, issues, budget));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, [...path, key], env, secrets, issues, budget)
      ])
    );
  }
  return value;
}
function toIssues(error, secrets) {
  const issues = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...issue.path, key]), message: "unknown key" });
      }
      continue;
    }
    const message = issue.code === "invalid_type" && issue.input === void 0 ? "required" : redact(issue.message, secrets);
    issues.push({ path: formatPath(issue.path), message });
  }
  return issues;
}
function redact(message, secrets) {
  let clean = message;
  for (const secret of secrets) {
    if (secret.length >= 3) clean = clean.split(secret).join("[redacted]");
  }
  return clean;
}
function formatPath(path) {
  let text2 = "";
  for (const part of path) {
    if (typeof part === "number") text2 += `[${part}]`;
    else text2 += text2 ? `.${String(part)}` : String(part);
  }
  return text2;
}

// src/config/load.ts
function resolveConfigPath(flag, env) {
  return flag ?? (env.PLANECHECK_CONFIG || void 0);
}
async function loadConfigFile(path, env) {
  let text2;
  try {
    text2 = await readFile(path, "utf8");
  } catch (error) {
    const code = error.code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new ConfigError([{ path: "", message: `cannot read ${path}: ${why}` }], path);
  }
  try {
    return parseConfig(text2, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, path);
    throw error;
  }
}

// src/daemon/check-cycle.ts
import { setImmediate as yieldToLoop } from "node:timers/promises";

// src/check/classify.ts
function classify(result) {
  const byStep = new Map(result.steps.map((step) => [step.step, step]));
  const user = byStep.get("user_lookup");
  if (!user) return { status: "FAILED", reason: "user_lookup_missing" };
  if (user.outcome === "failed") return failed(user);
  if (user.outcome === "not_found") return { status: "NO_USER", reason: "user_not_found" };
  const oracle = byStep.get("oracle_lookup");
  if (!oracle) return { status: "FAILED", reason: "oracle_lookup_missing" };
  if (oracle.outcome === "failed") return failed(oracle);
  if (oracle.outcome === "not_found") return { status: "NO_ORACLE", reason: "oracle_not_found" };
  for (const name of ["predict", "async_predict"]) {
    const step = byStep.get(name);
    if (!step) return { status: "FAILED", reason: `${name}_missing` };
    if (step.outcome !== "ok") return failed(step);
  }
  return { status: "HEALTHY", reason: null };
}
function failureReason(step) {
  const failure = step.failure;
  if (!failure) return `${step.step}_${step.outcome}`;
  const kind = failure.kind === "http_status" ? `http_${failure.httpStatus ?? "error"}` : failure.kind;
  return `${step.step}_${kind}`;
}
function failed(step) {
  return { status: "FAILED", reason: failureReason(step) };
}

// src/check/report.ts
function toPlaneReport(result) {
  const { status, reason } = classify(result);
  return {
    name: result.plane,
    status,
    reason,
    checkedAt: new Date(result.checkedAt).toISOString(),
    durationMs: result.durationMs,
    steps: result.steps.map((step) => ({
      step: step.step,
      outcome: step.outcome,
      durationMs: step.durationMs,
      ...step.outcome === "failed" ? { reason: failureReason(step) } : {},
      ...step.failure ? { detail: step.failure.detail } : {}
    }))
  };
}

// src/check/stored-result.ts
function toStoredResult(result) {
  const report = toPlaneReport(result);
  if (report.status === "NO_VALUE") throw new Error("a check result is never NO_VALUE");
  return {
    plane: result.plane,
    status: report.status,
    reason: report.reason,
    checkedAt: result.checkedAt,
    durationMs: result.durationMs,
    steps: report.steps
  };
}

// src/log/logger.ts
var RANK = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(level, write = (line) => process.stdout.write(line)) {
  const log = (at) => (msg, fields = {}) => {
    if (RANK[at] < RANK[level]) return;
    write(`${JSON.stringify({ time: (/* @__PURE__ */ new Date()).toISOString(), level: at, msg, ...fields })}
`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}

// src/store/result-writer.ts
var ResultWriter = class {
  #store;
  #onError;
  #onDropped;
  #maxPending;
  #backoffMs;
  #pending = [];
  #retryAt = 0;
  constructor(options) {
    this.#store = options.store;
    this.#onError = options.onError;
    this.#onDropped = options.onDropped ?? (() => void 0);
    this.#maxPending = options.maxPending ?? 5e4;
    this.#backoffMs = options.backoffMs ?? 1e3;
  }
  get pending() {
    return this.#pending.length;
  }
  write(result, now = Date.now()) {
    this.#pending.push(result);
    if (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.length - this.#maxPending;
      this.#pending.splice(0, dropped);
      this.#onDropped(dropped);
    }
    this.flush(now);
  }
  /** Writes what is pending unless still backing off; true when nothing is left pending. */
  flush(now = Date.now()) {
    if (this.#pending.length === 0) return true;
    if (now < this.#retryAt) return false;
    try {
      this.#store.saveResults(this.#pending);
      this.#pending = [];
      return true;
    } catch (error) {
      this.#retryAt = now + this.#backoffMs;
      this.#onError(error, this.#pending.length);
      return false;
    }
  }
};

// src/daemon/check-cycle.ts
var PRUNE_BATCH = 500;
var CHECKPOINT_EVERY_CYCLES = 10;
var CheckCycle = class {
  #deps;
  #writer;
  #cycles = 0;
  #lastFinishedAt = null;
  constructor(deps) {
    this.#deps = deps;
    this.#writer = new ResultWriter({
      store: deps.store,
      onError: (error, pending) => {
        deps.metrics.recordStorageError("write");
        deps.log.error("could not store results; keeping them in memory and retrying", {
          pending,
          error: getErrorMessage(error)
        });
      },
      onDropped: (count) => deps.log.error("dropped the oldest unstored results", { count })
    });
  }
  /** Writes results still waiting for the database; `force` skips the retry backoff (shutdown). */
  flush(force = false) {
    return this.#writer.flush(force ? Number.POSITIVE_INFINITY : Date.now());
  }
  get lastFinishedAt() {
    return this.#lastFinishedAt;
  }
  async run(signal) {
    const { checker, planes, metrics, log } = this.#deps;
    const started = performance.now();
    const counts = {};
    await checker.check(planes, {
      signal,
      onResult: (result) => {
        if (signal.aborted) return;
        const stored = toStoredResult(result);
        counts[stored.status] = (counts[stored.status] ?? 0) + 1;
        this.publish(stored);
      }
    });
    this.#writer.flush();
    if (signal.aborted) return;
    const durationMs = performance.now() - started;
    this.#cycles++;
    this.#lastFinishedAt = Date.now();
    metrics.recordCycle(durationMs);
    await metrics.refresh();
    log.info("cycle finished", {
      planes: planes.length,
      durationMs: Math.round(durationMs),
      statuses: counts
    });
    await this.#tidy(signal);
  }
  /** Checks one plane right away (after a self-heal run) and publishes the result. */
  async checkNow(planeName) {
    const plane = this.#deps.planes.find((candidate) => candidate.name === planeName);
    if (plane === void 0) return void 0;
    const [result] = await this.#deps.checker.check([plane]);
    if (result === void 0) return void 0;
    const stored = toStoredResult(result);
    this.publish(stored);
    await this.#deps.metrics.refresh();
    return stored;
  }
  /** Stores one result, updates what readers see, and logs a status change. */
  publish(result) {
    const { board, metrics, log, onResult } = this.#deps;
    this.#writer.write(result);
    const change = board.update(result);
    metrics.recordResult(result);
    if (change) log.info("status changed", { ...change });
    onResult?.(result);
  }
  /** Prunes old history in small batches between other work, and checkpoints the WAL now and then. */
  async #tidy(signal) {
    const { store, metrics, log, historyRetentionMs } = this.#deps;
    const cutoff = Date.now() - historyRetentionMs;
    try {
      let removed = 0;
      for (; ; ) {
        const batch = store.pruneHistory(cutoff, PRUNE_BATCH);
        removed += batch;
        if (batch < PRUNE_BATCH || signal.aborted) break;
        await yieldToLoop();
      }
      if (removed > 0) log.debug("pruned check history", { removed });
      if (this.#cycles % CHECKPOINT_EVERY_CYCLES === 0) store.checkpoint();
    } catch (error) {
      metrics.recordStorageError("prune");
      log.error("could not prune check history", { error: getErrorMessage(error) });
    }
  }
};

// src/metrics/metrics.ts
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

// src/check/result.ts
var PLANE_STATUSES = ["HEALTHY", "NO_USER", "NO_ORACLE", "FAILED", "NO_VALUE"];
var STEP_NAMES = ["user_lookup", "oracle_lookup", "predict", "async_predict"];

// src/metrics/gzip-parts.ts
import { promisify } from "node:util";
import { constants, crc32, createDeflateRaw, deflateRawSync, inflateRaw } from "node:zlib";
var inflateRawAsync = promisify(inflateRaw);
var LEVEL = 1;
var SEGMENT = { finishFlush: constants.Z_FULL_FLUSH, level: LEVEL };
var HEADER = Buffer.from([31, 139, 8, 0, 0, 0, 0, 0, 0, 255]);
var FINAL_BLOCK = Buffer.from([3, 0]);
var CHUNK_CHARS = 64 * 1024;
var CompressedPartWriter = class {
  #pending = "";
  #segments = [];
  #deflate = createDeflateRaw({ level: LEVEL });
  #size = 0;
  #crc;
  /** `crcBefore`: the `crc` of the part this one follows in the stream (0 for the first). */
  constructor(crcBefore = 0) {
    this.#crc = crcBefore;
    this.#deflate.on("data", (chunk) => this.#segments.push(chunk));
  }
  /** Adds text in pieces, compressing every ~64 KiB before taking more. */
  async write(pieces) {
    for (const piece of pieces) {
      this.#pending += piece;
      if (this.#pending.length >= CHUNK_CHARS) await this.#flush();
    }
  }
  async #flush() {
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending);
    this.#pending = "";
    this.#size += bytes.length;
    this.#crc = crc32(bytes, this.#crc);
    await new Promise(
      (resolve, reject) => this.#deflate.write(bytes, (error) => error ? reject(error) : resolve())
    );
  }
  /** Ends the part with a full flush (not a final block), so that more parts can follow it. */
  async end() {
    try {
      await this.#flush();
      await new Promise((resolve) => this.#deflate.flush(constants.Z_FULL_FLUSH, resolve));
    } finally {
      this.#deflate.close();
    }
    return { segments: this.#segments, size: this.#size, crc: this.#crc };
  }
};
function compressPartSync(text2, crcBefore = 0) {
  const bytes = Buffer.from(text2);
  return { segments: [deflateRawSync(bytes, SEGMENT)], size: bytes.length, crc: crc32(bytes, crcBefore) };
}
function gzipParts(parts) {
  const size = parts.reduce((sum, part) => sum + part.size, 0);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE((parts[parts.length - 1]?.crc ?? 0) >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return [HEADER, ...parts.flatMap((part) => part.segments), FINAL_BLOCK, trailer];
}
function inflatePart(part) {
  return inflateRawAsync(Buffer.concat([...part.segments, FINAL_BLOCK]), { chunkSize: 1024 * 1024 });
}

// src/metrics/text-format.ts
function escapeLabel(value) {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
function escapeHelp(value) {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
function formatValue(value) {
  if (Number.isNaN(value)) return "Nan";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

// src/metrics/status-gauges.ts
var STATUS = "planecheck_status";
var LAST_CHECK = "planecheck_last_check_timestamp_seconds";
var STATUS_HELP = "Current status of each workload plane: 1 for the status it is in, 0 for the other four.";
var LAST_CHECK_HELP = "Unix time of the last completed check of each workload plane.";
function* renderStatusGauges(states) {
  yield `# HELP ${STATUS} ${STATUS_HELP}
# TYPE ${STATUS} gauge
`;
  for (const state of states) {
    const plane = escapeLabel(state.plane);
    let text2 = "";
    for (const status of PLANE_STATUSES) {
      text2 += `${STATUS}{workload_plane="${plane}",status="${status}"} ${state.status === status ? 1 : 0}
`;
    }
    yield text2;
  }
  yield `
# HELP ${LAST_CHECK} ${LAST_CHECK_HELP}
# TYPE ${LAST_CHECK} gauge
`;
  for (const state of states) {
    if (state.checkedAt === null) continue;
    yield `${LAST_CHECK}{workload_plane="${escapeLabel(state.plane)}"} ${formatValue(state.checkedAt / 1e3)}
`;
  }
  yield "\n";
}

// src/metrics/plane-counter.ts
var PlaneCounter = class {
  #name;
  #help;
  #label;
  #values;
  #index;
  #series = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#name = options.name;
    this.#help = options.help;
    this.#label = options.label;
    this.#values = options.values;
    this.#index = new Map(options.values.map((value, i) => [value, i]));
  }
  /** Creates the plane's series at zero. */
  zero(plane) {
    this.#get(plane);
  }
  inc(plane, value, by = 1) {
    const i = this.#index.get(value);
    if (i === void 0) throw new Error(`${this.#name}: unknown ${this.#label} "${value}"`);
    const counts = this.#get(plane).counts;
    counts[i] = (counts[i] ?? 0) + by;
  }
  *render() {
    yield `# HELP ${this.#name} ${escapeHelp(this.#help)}
# TYPE ${this.#name} counter
`;
    for (const { labels, counts } of this.#series.values()) {
      let text2 = "";
      for (let i = 0; i < labels.length; i++) text2 += `${labels[i]} ${formatValue(counts[i] ?? 0)}
`;
      yield text2;
    }
  }
  #get(plane) {
    let series = this.#series.get(plane);
    if (series === void 0) {
      const planeLabel = `workload_plane="${escapeLabel(plane)}"`;
      series = {
        // Each line's name and labels, built once.
        labels: this.#values.map(
          (value) => `${this.#name}{${planeLabel},${this.#label}="${escapeLabel(value)}"}`
        ),
        counts: new Float64Array(this.#values.length)
      };
      this.#series.set(plane, series);
    }
    return series;
  }
};

// src/metrics/step-histogram.ts
var StepHistogram = class {
  #name;
  #help;
  #buckets;
  #bucketLabels;
  /** Plane, then step: no key string to build per observation. */
  #series = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#name = options.name;
    this.#help = options.help;
    this.#buckets = [...options.buckets].sort((a, b) => a - b);
    this.#bucketLabels = this.#buckets.map(String);
  }
  observe(plane, step, seconds) {
    const series = this.#get(plane, step);
    for (let i = 0; i < this.#buckets.length; i++) {
      if (seconds <= (this.#buckets[i] ?? Infinity)) series.counts[i] = (series.counts[i] ?? 0) + 1;
    }
    series.sum += seconds;
    series.count++;
  }
  /** Creates the series with zero counts, so it is exported before its first observation. */
  zero(plane, step) {
    this.#get(plane, step);
  }
  /** The exposition text, a series at a time, so that the caller can compress it as it goes. */
  *render() {
    const name = this.#name;
    yield `# HELP ${name} ${escapeHelp(this.#help)}
# TYPE ${name} histogram
`;
    const labels = this.#bucketLabels;
    const last = this.#buckets.length;
    for (const series of this.#allSeries()) {
      let text2 = "";
      for (let i = 0; i < last; i++) {
        text2 += `${name}_bucket{le="${labels[i] ?? ""}",${series.labels}} ${series.counts[i] ?? 0}
`;
      }
      text2 += `${name}_bucket{le="+Inf",${series.labels}} ${series.count}
`;
      text2 += `${name}_sum{${series.labels}} ${formatValue(series.sum)}
`;
      text2 += `${name}_count{${series.labels}} ${series.count}
`;
      yield text2;
    }
  }
  *#allSeries() {
    for (const steps of this.#series.values()) yield* steps.values();
  }
  #get(plane, step) {
    let steps = this.#series.get(plane);
    if (steps === void 0) {
      steps = /* @__PURE__ */ new Map();
      this.#series.set(plane, steps);
    }
    let series = steps.get(step);
    if (series === void 0) {
      series = {
        labels: `workload_plane="${escapeLabel(plane)}",step="${escapeLabel(step)}"`,
        counts: new Float64Array(this.#buckets.length),
        sum: 0,
        count: 0
      };
      steps.set(step, series);
    }
    return series;
  }
};

// src/metrics/metrics.ts
var STEP_BUCKETS = [0.1, 0.25, 1, 2.5, 10];
var CYCLE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120];
var PlanecheckMetrics = class {
  #live = new Registry();
  #cycle = new Registry();
  #source;
  /** The status gauges as of `version`, chained after the cycle part `cycle`. */
  #status;
  #cyclePart;
  #refreshing = Promise.resolve();
  /** Parts decompressed for plain-text scrapes; an entry goes when its part is replaced. */
  #texts = /* @__PURE__ */ new WeakMap();
  #dirty = true;
  #checkDuration;
  #checksTotal;
  #cycleDuration;
  #cyclesTotal;
  #overrunsTotal;
  #storageErrors;
  #storageRecoveries;
  #dispatches;
  #runs;
  #healOutcomes;
  constructor(planes, source) {
    this.#source = source;
    const cycle = [this.#cycle];
    collectDefaultMetrics({ register: this.#live });
    for (const name of [
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total"
    ]) {
      this.#live.removeSingleMetric(name);
    }
    this.#checkDuration = new StepHistogram({
      name: "planecheck_check_duration_seconds",
      help: 'Duration of each step of a plane check, and of the whole check (step="total").',
      buckets: STEP_BUCKETS
    });
    this.#checksTotal = new PlaneCounter({
      name: "planecheck_checks_total",
      help: "Completed plane checks by resulting status.",
      label: "status",
      values: PLANE_STATUSES.filter((status) => status !== "NO_VALUE")
    });
    this.#cycleDuration = new Histogram({
      name: "planecheck_cycle_duration_seconds",
      help: "Wall time of one check cycle over all planes.",
      buckets: CYCLE_BUCKETS,
      registers: cycle
    });
    this.#cyclesTotal = new Counter({
      name: "planecheck_cycles_total",
      help: "Completed check cycles.",
      registers: cycle
    });
    this.#overrunsTotal = new Counter({
      name: "planecheck_cycle_overruns_total",
      help: "Scheduled cycles skipped because the previous cycle was still running.",
      registers: cycle
    });
    this.#storageErrors = new Counter({
      name: "planecheck_storage_errors_total",
      help: "Failed writes or reads of the SQLite store.",
      labelNames: ["operation"],
      registers: cycle
    });
    this.#storageRecoveries = new Counter({
      name: "planecheck_storage_recoveries_total",
      help: "Times the database file was unusable, moved aside and replaced by a fresh one.",
      registers: cycle
    });
    this.#dispatches = new Counter({
      name: "planecheck_self_heal_dispatches_total",
      help: "Self-heal decisions on NO_USER/NO_ORACLE planes, by outcome (dispatched, or why not).",
      labelNames: ["workload_plane", "reason", "outcome"],
      registers: cycle
    });
    this.#runs = new Counter({
      name: "planecheck_self_heal_runs_total",
      help: "Completed smoke-test workflow runs started by self-heal, by conclusion.",
      labelNames: ["workload_plane", "conclusion"],
      registers: cycle
    });
    this.#healOutcomes = new Counter({
      name: "planecheck_self_heal_outcomes_total",
      help: "Finished self-heal attempts: fixed, workflow_failed, still_broken or timed_out.",
      labelNames: ["workload_plane", "outcome"],
      registers: cycle
    });
    for (const plane of planes) {
      this.#checksTotal.zero(plane);
      for (const step of [...STEP_NAMES, "total"]) this.#checkDuration.zero(plane, step);
    }
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
  }
  recordResult(result) {
    const plane = result.plane;
    this.#checksTotal.inc(plane, result.status);
    for (const step of result.steps) this.#checkDuration.observe(plane, step.step, step.durationMs / 1e3);
    this.#checkDuration.observe(plane, "total", result.durationMs / 1e3);
    this.#dirty = true;
  }
  recordCycle(durationMs) {
    this.#cycleDuration.observe(durationMs / 1e3);
    this.#cyclesTotal.inc();
    this.#dirty = true;
  }
  recordOverrun() {
    this.#overrunsTotal.inc();
    this.#dirty = true;
  }
  recordStorageError(operation) {
    this.#storageErrors.inc({ operation });
    this.#dirty = true;
  }
  recordStorageRecovery() {
    this.#storageRecoveries.inc();
    this.#dirty = true;
  }
  recordDispatch(plane, reason, outcome) {
    this.#dispatches.inc({ workload_plane: plane, reason, outcome });
    this.#dirty = true;
  }
  recordRun(plane, conclusion) {
    this.#runs.inc({ workload_plane: plane, conclusion });
    this.#dirty = true;
  }
  recordHealOutcome(plane, outcome) {
    this.#healOutcomes.inc({ workload_plane: plane, outcome });
    this.#dirty = true;
  }
  /**
   * Re-renders the histograms and counters; the daemon calls this once per cycle and after self-heal
   * events. Refreshes run one after another, so an older one never replaces a newer one.
   */
  refresh() {
    this.#refreshing = this.#refreshing.then(() => this.#renderCyclePart());
    return this.#refreshing;
  }
  async #renderCyclePart() {
    if (!this.#dirty && this.#cyclePart) return;
    this.#dirty = false;
    const writer = new CompressedPartWriter();
    await writer.write(this.#checkDuration.render());
    await writer.write(["\n"]);
    await writer.write(this.#checksTotal.render());
    await writer.write([`
${await this.#cycle.metrics()}
`]);
    this.#cyclePart = await writer.end();
  }
  get contentType() {
    return this.#live.contentType;
  }
  /**
   * The full exposition as one gzip stream, in buffers to write in order: histograms and counters,
   * status gauges, then process metrics.
   */
  async render(now = Date.now()) {
    const { cycle, status, live } = await this.#parts(now);
    return gzipParts([cycle, status, compressPartSync(live, status.crc)]);
  }
  /**
   * The same exposition as text, for a scraper without gzip (people, curl). The large parts are
   * decompressed once per change and kept while current, so repeated plain scrapes cost no more.
   */
  async renderText(now = Date.now()) {
    const { cycle, status, live } = await this.#parts(now);
    return [await this.#textOf(cycle), await this.#textOf(status), Buffer.from(live)];
  }
  async #parts(now) {
    if (!this.#cyclePart) await this.refresh();
    const cycle = this.#cyclePart ?? compressPartSync("");
    const status = await this.#statusFor(cycle, now);
    return { cycle, status, live: await this.#live.metrics() };
  }
  #textOf(part) {
    let text2 = this.#texts.get(part);
    if (text2 === void 0) {
      text2 = inflatePart(part);
      this.#texts.set(part, text2);
    }
    return text2;
  }
  /** The status gauges, rendered again only when a result arrived or expired, or the cycle part changed. */
  #statusFor(cycle, now) {
    const cached = this.#status;
    const version = this.#source.version;
    if (cached && cached.version === version && now < cached.validUntil && cached.cycle === cycle) {
      return cached.part;
    }
    const writer = new CompressedPartWriter(cycle.crc);
    const part = writer.write(renderStatusGauges(this.#source.states(now))).then(() => writer.end());
    const entry = { part, version, validUntil: this.#source.nextExpiry(now) ?? Infinity, cycle };
    this.#status = entry;
    part.catch(() => {
      if (this.#status === entry) this.#status = void 0;
    });
    return part;
  }
};

// src/scheduler/cycle-scheduler.ts
import cron from "node-cron";
var CycleScheduler = class {
  #options;
  #task;
  #abort = new AbortController();
  #current;
  #currentIsScheduled = false;
  #started = false;
  constructor(options) {
    const expression = intervalToCron(options.intervalMs);
    if (expression === void 0) throw new Error(`no cron schedule ticks every ${options.intervalMs}ms`);
    this.#options = options;
    this.#task = cron.createTask(expression, () => this.trigger(), {
      timezone: "UTC",
      name: "planecheck-cycle",
      noOverlap: false
    });
  }
  get running() {
    return this.#started && !this.#abort.signal.aborted;
  }
  get busy() {
    return this.#current !== void 0;
  }
  start() {
    if (this.#started) return;
    this.#started = true;
    void this.#task.start();
    this.#begin(false);
  }
  /** A scheduled tick: starts a cycle unless one is running. */
  trigger() {
    this.#begin(true);
  }
  #begin(scheduled) {
    if (this.#abort.signal.aborted) return;
    if (this.#current) {
      if (scheduled && this.#currentIsScheduled) this.#options.onOverrun();
      return;
    }
    this.#currentIsScheduled = scheduled;
    this.#current = this.#run().finally(() => {
      this.#current = void 0;
    });
  }
  async #run() {
    try {
      await this.#options.runCycle(this.#abort.signal);
    } catch (error) {
      this.#options.onError(error);
    }
  }
  /** Stops ticking, aborts the running cycle and waits for it to wind down. */
  async stop() {
    this.#abort.abort(new Error("shutting down"));
    await this.#task.destroy();
    await this.#current;
  }
};

// src/sandbox/demo.ts
var DEMO_API_KEY = "sandbox-api-key";
var DEMO_GITHUB_TOKEN = "sandbox-github-token";
var DEMO_PLANES = {
  "us-east-1": "healthy",
  "us-west-2": "slow",
  "eu-west-1": "no_user",
  "eu-central-1": "no_model",
  "ap-south-1": "predict_500",
  "ap-northeast-1": "async_failed",
  "sa-east-1": "predict_hang"
};
function demoConfigYaml(sandboxUrl, extra = "") {
  const planes = Object.keys(DEMO_PLANES).map((name) => `  - { name: ${name}, inferenceUrl: "${sandboxUrl}/planes/${name}" }`).join("\n");
  return `schedule: { interval: 10s, cacheTtl: 25s, concurrency: 8, planeTimeout: 8s }
platform:
  controlPlaneUrl: "${sandboxUrl}"
  apiKey: "${DEMO_API_KEY}"
  requestTimeout: 2s
  asyncTimeout: 4s
  pollInterval: 200ms
workloadPlanes:
${planes}
${extra}`;
}
function demoSelfHealYaml(githubUrl) {
  return `selfHeal:
  enabled: true
  repository: acme/platform
  workflow: production-smoke-test.yml
  cooldown: 2m
  runPollInterval: 1s
  runTimeout: 5m
github:
  apiUrl: "${githubUrl}"
  token: "${DEMO_GITHUB_TOKEN}"
`;
}

// src/sandbox/sandbox-github.ts
import { createPublicKey, createVerify, randomBytes as randomBytes2 } from "node:crypto";
import { createServer } from "node:http";

// src/sandbox/request-body.ts
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1024 * 1024) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function parseJson2(text2) {
  try {
    return JSON.parse(text2);
  } catch {
    return void 0;
  }
}

// src/sandbox/sandbox-github.ts
import { Ajv } from "ajv";

// src/sandbox/github-openapi.json
var github_openapi_default = {
  source: "@octokit/openapi@23.0.2 generated/api.github.com.deref.json",
  operations: {
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": {
      operationId: "actions/create-workflow-dispatch",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "workflow_id",
          in: "path",
          required: true,
          schema: {
            oneOf: [
              {
                type: "integer"
              },
              {
                type: "string"
              }
            ]
          }
        }
      ],
      requestBody: {
        type: "object",
        properties: {
          ref: {
            type: "string",
            description: "The git reference for the workflow. The reference can be a branch or tag name."
          },
          inputs: {
            type: "object",
            description: "Input keys and values configured in the workflow file. The maximum number of properties is 25. Any default properties configured in the workflow file will be used when `inputs` are omitted.",
            additionalProperties: true,
            maxProperties: 25
          },
          return_run_details: {
            type: "boolean",
            description: "Whether the response should include the workflow run ID and URLs."
          }
        },
        required: ["ref"]
      },
      requestBodyRequired: true
    },
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": {
      operationId: "actions/list-workflow-runs",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "workflow_id",
          in: "path",
          required: true,
          schema: {
            oneOf: [
              {
                type: "integer"
              },
              {
                type: "string"
              }
            ]
          }
        },
        {
          name: "actor",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "branch",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "event",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "status",
          in: "query",
          required: false,
          schema: {
            type: "string",
            enum: [
              "completed",
              "action_required",
              "cancelled",
              "failure",
              "neutral",
              "skipped",
              "stale",
              "success",
              "timed_out",
              "in_progress",
              "queued",
              "requested",
              "waiting",
              "pending"
            ]
          }
        },
        {
          name: "per_page",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            default: 30
          }
        },
        {
          name: "page",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            default: 1
          }
        },
        {
          name: "created",
          in: "query",
          required: false,
          schema: {
            type: "string",
            format: "date-time"
          }
        },
        {
          name: "exclude_pull_requests",
          in: "query",
          required: false,
          schema: {
            type: "boolean",
            default: false
          }
        },
        {
          name: "check_suite_id",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            format: "int64"
          }
        },
        {
          name: "head_sha",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        }
      ],
      requestBody: null,
      requestBodyRequired: false
    },
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}": {
      operationId: "actions/get-workflow-run",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "run_id",
          in: "path",
          required: true,
          schema: {
            type: "integer"
          }
        },
        {
          name: "exclude_pull_requests",
          in: "query",
          required: false,
          schema: {
            type: "boolean",
            default: false
          }
        }
      ],
      requestBody: null,
      requestBodyRequired: false
    },
    "POST /app/installations/{installation_id}/access_tokens": {
      operationId: "apps/create-installation-access-token",
      parameters: [
        {
          name: "installation_id",
          in: "path",
          required: true,
          schema: {
            type: "integer"
          }
        }
      ],
      requestBody: {
        type: "object",
        properties: {
          repositories: {
            description: "List of repository names that the token should have access to",
            type: "array",
            items: {
              type: "string",
              example: "rails"
            }
          },
          repository_ids: {
            description: "List of repository IDs that the token should have access to",
            example: [1],
            type: "array",
            items: {
              type: "integer"
            }
          },
          permissions: {
            title: "App Permissions",
            type: "object",
            description: "The permissions granted to the fine-grained access token.",
            properties: {
              actions: {
                type: "string",
                description: "The level of permission to grant the access token for GitHub Actions workflows, workflow runs, and artifacts.",
                enum: ["read", "write"]
              },
              administration: {
                type: "string",
                description: "The level of permission to grant the access token for repository creation, deletion, settings, teams, and collaborators creation.",
                enum: ["read", "write"]
              },
              artifact_metadata: {
                type: "string",
                description: "The level of permission to grant the access token to create and retrieve build artifact metadata records.",
                enum: ["read", "write"]
              },
              attestations: {
                type: "string",
                description: "The level of permission to create and retrieve the access token for repository attestations.",
                enum: ["read", "write"]
              },
              checks: {
                type: "string",
                description: "The level of permission to grant the access token for checks on code.",
                enum: ["read", "write"]
              },
              code_quality: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage code quality data.",
                enum: ["read", "write"]
              },
              codespaces: {
                type: "string",
                description: "The level of permission to grant the access token to create, edit, delete, and list Codespaces.",
                enum: ["read", "write"]
              },
              contents: {
                type: "string",
                description: "The level of permission to grant the access token for repository contents, commits, branches, downloads, releases, and merges.",
                enum: ["read", "write"]
              },
              dependabot_secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage Dependabot secrets.",
                enum: ["read", "write"]
              },
              deployments: {
                type: "string",
                description: "The level of permission to grant the access token for deployments and deployment statuses.",
                enum: ["read", "write"]
              },
              discussions: {
                type: "string",
                description: "The level of permission to grant the access token for discussions and related comments and labels.",
                enum: ["read", "write"]
              },
              environments: {
                type: "string",
                description: "The level of permission to grant the access token for managing repository environments.",
                enum: ["read", "write"]
              },
              issues: {
                type: "string",
                description: "The level of permission to grant the access token for issues and related comments, assignees, labels, and milestones.",
                enum: ["read", "write"]
              },
              merge_queues: {
                type: "string",
                description: "The level of permission to grant the access token to manage the merge queues for a repository.",
                enum: ["read", "write"]
              },
              metadata: {
                type: "string",
                description: "The level of permission to grant the access token to search repositories, list collaborators, and access repository metadata.",
                enum: ["read", "write"]
              },
              packages: {
                type: "string",
                description: "The level of permission to grant the access token for packages published to GitHub Packages.",
                enum: ["read", "write"]
              },
              pages: {
                type: "string",
                description: "The level of permission to grant the access token to retrieve Pages statuses, configuration, and builds, as well as create new builds.",
                enum: ["read", "write"]
              },
              pull_requests: {
                type: "string",
                description: "The level of permission to grant the access token for pull requests and related comments, assignees, labels, milestones, and merges.",
                enum: ["read", "write"]
              },
              repository_custom_properties: {
                type: "string",
                description: "The level of permission to grant the access token to view and edit custom properties for a repository, when allowed by the property.",
                enum: ["read", "write"]
              },
              repository_hooks: {
                type: "string",
                description: "The level of permission to grant the access token to manage the post-receive hooks for a repository.",
                enum: ["read", "write"]
              },
              repository_projects: {
                type: "string",
                description: "The level of permission to grant the access token to manage repository projects, columns, and cards.",
                enum: ["read", "write", "admin"]
              },
              secret_scanning_alerts: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage secret scanning alerts.",
                enum: ["read", "write"]
              },
              secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage repository secrets.",
                enum: ["read", "write"]
              },
              security_events: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage security events like code scanning alerts.",
                enum: ["read", "write"]
              },
              single_file: {
                type: "string",
                description: "The level of permission to grant the access token to manage just a single file.",
                enum: ["read", "write"]
              },
              statuses: {
                type: "string",
                description: "The level of permission to grant the access token for commit statuses.",
                enum: ["read", "write"]
              },
              vulnerability_alerts: {
                type: "string",
                description: "The level of permission to grant the access token to manage Dependabot alerts.",
                enum: ["read", "write"]
              },
              workflows: {
                type: "string",
                description: "The level of permission to grant the access token to update GitHub Actions workflow files.",
                enum: ["write"]
              },
              custom_properties_for_organizations: {
                type: "string",
                description: "The level of permission to grant the access token to view and edit custom properties for an organization, when allowed by the property.",
                enum: ["read", "write"]
              },
              members: {
                type: "string",
                description: "The level of permission to grant the access token for organization teams and members.",
                enum: ["read", "write"]
              },
              organization_administration: {
                type: "string",
                description: "The level of permission to grant the access token to manage access to an organization.",
                enum: ["read", "write"]
              },
              organization_custom_roles: {
                type: "string",
                description: "The level of permission to grant the access token for custom repository roles management.",
                enum: ["read", "write"]
              },
              organization_custom_org_roles: {
                type: "string",
                description: "The level of permission to grant the access token for custom organization roles management.",
                enum: ["read", "write"]
              },
              organization_custom_properties: {
                type: "string",
                description: "The level of permission to grant the access token for repository custom properties management at the organization level.",
                enum: ["read", "write", "admin"]
              },
              organization_copilot_seat_management: {
                type: "string",
                description: "The level of permission to grant the access token for managing access to GitHub Copilot for members of an organization with a Copilot Business subscription. This property is in public preview and is subject to change.",
                enum: ["read", "write"]
              },
              organization_copilot_agent_settings: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage Copilot cloud agent settings for an organization.",
                enum: ["read", "write"]
              },
              organization_announcement_banners: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage announcement banners for an organization.",
                enum: ["read", "write"]
              },
              organization_events: {
                type: "string",
                description: "The level of permission to grant the access token to view events triggered by an activity in an organization.",
                enum: ["read"]
              },
              organization_hooks: {
                type: "string",
                description: "The level of permission to grant the access token to manage the post-receive hooks for an organization.",
                enum: ["read", "write"]
              },
              organization_personal_access_tokens: {
                type: "string",
                description: "The level of permission to grant the access token for viewing and managing fine-grained personal access token requests to an organization.",
                enum: ["read", "write"]
              },
              organization_personal_access_token_requests: {
                type: "string",
                description: "The level of permission to grant the access token for viewing and managing fine-grained personal access tokens that have been approved by an organization.",
                enum: ["read", "write"]
              },
              organization_plan: {
                type: "string",
                description: "The level of permission to grant the access token for viewing an organization's plan.",
                enum: ["read"]
              },
              organization_projects: {
                type: "string",
                description: "The level of permission to grant the access token to manage organization projects and projects public preview (where available).",
                enum: ["read", "write", "admin"]
              },
              organization_packages: {
                type: "string",
                description: "The level of permission to grant the access token for organization packages published to GitHub Packages.",
                enum: ["read", "write"]
              },
              organization_secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage organization secrets.",
                enum: ["read", "write"]
              },
              organization_self_hosted_runners: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage GitHub Actions self-hosted runners available to an organization.",
                enum: ["read", "write"]
              },
              organization_user_blocking: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage users blocked by the organization.",
                enum: ["read", "write"]
              },
              email_addresses: {
                type: "string",
                description: "The level of permission to grant the access token to manage the email addresses belonging to a user.",
                enum: ["read", "write"]
              },
              followers: {
                type: "string",
                description: "The level of permission to grant the access token to manage the followers belonging to a user.",
                enum: ["read", "write"]
              },
              git_ssh_keys: {
                type: "string",
                description: "The level of permission to grant the access token to manage git SSH keys.",
                enum: ["read", "write"]
              },
              gpg_keys: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage GPG keys belonging to a user.",
                enum: ["read", "write"]
              },
              interaction_limits: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage interaction limits on a repository.",
                enum: ["read", "write"]
              },
              profile: {
                type: "string",
                description: "The level of permission to grant the access token to manage the profile settings belonging to a user.",
                enum: ["write"]
              },
              starring: {
                type: "string",
                description: "The level of permission to grant the access token to list and manage repositories a user is starring.",
                enum: ["read", "write"]
              },
              enterprise_custom_properties_for_organizations: {
                type: "string",
                description: "The level of permission to grant the access token for organization custom properties management at the enterprise level.",
                enum: ["read", "write", "admin"]
              }
            },
            example: {
              contents: "read",
              issues: "read",
              deployments: "write",
              single_file: "read"
            }
          }
        }
      },
      requestBodyRequired: false
    }
  }
};

// src/sandbox/sandbox-github.ts
var DEFAULT_RUN_NAME = (inputs) => `Production smoke test plane=${inputs.workload_plane ?? ""} [${inputs.correlation_id ?? ""}]`;
var SandboxGithub = class {
  #options;
  #server;
  #runs = /* @__PURE__ */ new Map();
  #requests = [];
  #installationTokens = /* @__PURE__ */ new Map();
  #faults = [];
  #validateDispatch;
  #publicKey;
  #nextRunId = 1e3;
  #url = "";
  tokensMinted = 0;
  constructor(options) {
    this.#options = { ...options };
    const ajv = new Ajv({ strict: false, allErrors: true });
    const dispatch = github_openapi_default.operations["POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"];
    this.#validateDispatch = ajv.compile(dispatch.requestBody ?? {});
    this.#publicKey = options.app ? createPublicKey(options.app.publicKey) : void 0;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { message: "sandbox error" });
      });
    });
  }
  async start(port = 0, host = "127.0.0.1") {
    await new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#url = `http://${host}:${this.#server.address().port}`;
    return this.#url;
  }
  get url() {
    return this.#url;
  }
  /** Every API request so far (admin calls excluded). */
  get requests() {
    return this.#requests;
  }
  get runs() {
    return [...this.#runs.values()].map((run) => ({
      id: run.id,
      title: run.title,
      status: run.status,
      inputs: run.inputs
    }));
  }
  injectFault(fault) {
    this.#faults.push({ ...fault });
  }
  configure(patch) {
    Object.assign(this.#options, patch);
  }
  async close() {
    for (const run of this.#runs.values()) run.timers.forEach(clearTimeout);
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }
  async #handle(req, res) {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const raw = await readBody(req);
    if (parts[0] === "admin") return this.#admin(req, res, parts.slice(1), raw);
    const record = {
      method: req.method ?? "",
      path: url.pathname + url.search,
      at: Date.now(),
      auth: "none",
      status: 0
    };
    this.#requests.push(record);
    const reply = (status, body, headers = {}) => {
      record.status = status;
      send(res, status, body, headers);
    };
    const fault = this.#faults[0];
    if (fault) {
      if (--fault.count <= 0) this.#faults.shift();
      const headers = {};
      if (fault.primaryRateLimit) {
        headers["x-ratelimit-remaining"] = "0";
        headers["x-ratelimit-reset"] = String(Math.ceil(Date.now() / 1e3) + (fault.retryAfter ?? 1));
      } else if (fault.retryAfter !== void 0) headers["retry-after"] = String(fault.retryAfter);
      const message = fault.secondaryRateLimit ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." : fault.primaryRateLimit ? "API rate limit exceeded for installation." : fault.status >= 500 ? "Server Error" : "Forbidden";
      return reply(fault.status, { message }, headers);
    }
    if (req.method === "POST" && parts[0] === "app" && parts[1] === "installations" && parts[3] === "access_tokens") {
      record.auth = "jwt";
      const app = this.#options.app;
      if (!app || Number(parts[2]) !== app.installationId) return reply(404, { message: "Not Found" });
      const jwtError = this.#verifyJwt(bearer(req.headers.authorization));
      if (jwtError) return reply(401, { message: `A JSON web token could not be decoded: ${jwtError}` });
      const token = `ghs_${randomBytes2(18).toString("hex")}`;
      const expiresAt = Date.now() + (app.tokenLifetimeMs ?? 36e5);
      this.#installationTokens.set(token, expiresAt);
      this.tokensMinted++;
      return reply(201, {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        permissions: { actions: "write", metadata: "read" },
        repository_selection: "selected"
      });
    }
    const auth = this.#authenticate(req.headers.authorization);
    record.auth = auth;
    if (auth === "none") return reply(401, { message: "Bad credentials" });
    if (parts[0] !== "repos" || parts[3] !== "actions" || !parts[1] || !parts[2])
      return reply(404, { message: "Not Found" });
    const [owner, repo] = [parts[1], parts[2]];
    if (req.method === "POST" && parts[4] === "workflows" && parts[6] === "dispatches" && parts[5]) {
      const body = parseJson2(raw);
      record.body = body;
      if (!this.#validateDispatch(body)) {
        return reply(422, {
          message: "Invalid request.",
          errors: this.#validateDispatch.errors?.map((e) => e.message)
        });
      }
      const dispatch = body;
      if (dispatch.return_run_details !== void 0 && this.#options.runDetails === "reject") {
        return reply(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' });
      }
      const inputs = Object.fromEntries(
        Object.entries(dispatch.inputs ?? {}).map(([k, v]) => [k, String(v)])
      );
      const declared = this.#options.workflowInputs;
      const unexpected = declared ? Object.keys(inputs).filter((name) => !declared.includes(name)) : [];
      if (unexpected.length > 0)
        return reply(422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}` });
      const run = this.#startRun(owner, repo, parts[5], dispatch.ref, inputs);
      if (dispatch.return_run_details && this.#options.runDetails !== "no_content") {
        return reply(200, {
          workflow_run_id: run.id,
          run_url: this.#apiRunUrl(run),
          html_url: this.#htmlRunUrl(run)
        });
      }
      return reply(204);
    }
    if (req.method === "GET" && parts[4] === "workflows" && parts[6] === "runs" && parts[5]) {
      const workflow = parts[5];
      const created = url.searchParams.get("created");
      const since = created?.startsWith(">=") ? Date.parse(created.slice(2)) : 0;
      if (created && !Number.isFinite(since)) return reply(422, { message: "Invalid created filter" });
      const event = url.searchParams.get("event");
      const runs = [...this.#runs.values()].filter((run) => run.owner === owner && run.repo === repo && run.workflow === workflow).filter(
        (run) => (event === null || event === "workflow_dispatch") && run.createdAt >= Math.floor(since / 1e3) * 1e3
      ).sort((a, b) => b.createdAt - a.createdAt).slice(0, Number(url.searchParams.get("per_page") ?? 30));
      return reply(200, { total_count: runs.length, workflow_runs: runs.map((run) => this.#runJson(run)) });
    }
    if (req.method === "GET" && parts[4] === "runs" && parts[5] && parts.length === 6) {
      const run = this.#runs.get(Number(parts[5]));
      if (!run || run.owner !== owner || run.repo !== repo) return reply(404, { message: "Not Found" });
      return reply(200, this.#runJson(run));
    }
    return reply(404, { message: "Not Found" });
  }
  #startRun(owner, repo, workflow, ref, inputs) {
    const queuedMs = this.#options.queuedMs ?? 500;
    const runMs = this.#options.runMs ?? 1e3;
    const run = {
      id: this.#nextRunId++,
      owner,
      repo,
      workflow,
      ref,
      inputs,
      title: (this.#options.runName ?? DEFAULT_RUN_NAME)(inputs),
      createdAt: Date.now(),
      conclusion: this.#options.conclusion ?? "success",
      timers: [],
      status: "queued"
    };
    run.timers.push(
      setTimeout(() => run.status = "in_progress", queuedMs),
      setTimeout(() => {
        if (run.conclusion === "success") this.#options.onRunSucceeded?.(inputs);
        run.status = "completed";
      }, queuedMs + runMs)
    );
    this.#runs.set(run.id, run);
    return run;
  }
  #runJson(run) {
    return {
      id: run.id,
      name: "Production smoke test",
      display_title: run.title,
      event: "workflow_dispatch",
      status: run.status,
      conclusion: run.status === "completed" ? run.conclusion : null,
      head_branch: run.ref,
      path: `.github/workflows/${run.workflow}`,
      created_at: new Date(run.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      url: this.#apiRunUrl(run),
      html_url: this.#htmlRunUrl(run)
    };
  }
  #apiRunUrl(run) {
    return `${this.#url}/repos/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }
  #htmlRunUrl(run) {
    return `${this.#url}/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }
  #authenticate(header) {
    const credential = bearer(header);
    if (credential === void 0) return "none";
    if (this.#options.token !== void 0 && credential === this.#options.token) return "token";
    const expiresAt = this.#installationTokens.get(credential);
    if (expiresAt !== void 0 && expiresAt > Date.now()) return "installation-token";
    return "none";
  }
  /** Checks an RS256 JWT as GitHub does for apps: signature, issuer and times. Returns what is wrong. */
  #verifyJwt(jwt) {
    const app = this.#options.app;
    if (!jwt || !app || !this.#publicKey) return "missing";
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return "malformed";
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.#publicKey, Buffer.from(signature, "base64url"))) return "bad signature";
    const claims = parseJson2(Buffer.from(payload, "base64url").toString("utf8"));
    const now = Date.now() / 1e3;
    if (String(claims?.iss) !== String(app.appId)) return "wrong issuer";
    if (typeof claims?.exp !== "number" || claims.exp < now) return "expired";
    if (typeof claims.iat !== "number" || claims.iat > now + 60) return "issued in the future";
    return void 0;
  }
  #admin(req, res, parts, raw) {
    if (req.method === "GET" && parts[0] === "requests") return send(res, 200, this.#requests);
    if (req.method === "GET" && parts[0] === "runs") return send(res, 200, this.runs);
    if (req.method === "POST" && parts[0] === "faults") {
      const fault = parseJson2(raw);
      if (!fault || ![403, 429, 500, 502, 503].includes(fault.status) || !(fault.count > 0)) {
        return send(res, 400, {
          message: 'expected {"status": 403|429|500|502|503, "count": N, "retryAfter"?, "secondaryRateLimit"?}'
        });
      }
      this.injectFault(fault);
      return send(res, 200, { queued: this.#faults.length });
    }
    if (req.method === "PUT" && parts[0] === "config") {
      const patch = parseJson2(raw);
      if (!patch) return send(res, 400, { message: "expected JSON" });
      this.configure(patch);
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { message: "Not Found" });
  }
};
function bearer(header) {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}
function send(res, status, body, headers = {}) {
  const text2 = body === void 0 ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...body === void 0 ? {} : { "content-type": "application/json; charset=utf-8" },
    "content-length": Buffer.byteLength(text2),
    ...headers
  });
  res.end(text2);
}

// src/sandbox/sandbox-platform.ts
import { createServer as createServer2 } from "node:http";
var SCENARIOS = [
  "healthy",
  "no_user",
  "no_model",
  "predict_500",
  "predict_hang",
  "slow",
  "async_stuck",
  "async_failed",
  "malformed_json",
  "huge_body"
];
var SCENARIO_DESCRIPTIONS = {
  healthy: "everything works",
  no_user: "the smoke-test user does not exist (user lookup returns an empty list)",
  no_model: "the user exists but its health-check model does not",
  predict_500: "/predict answers HTTP 500",
  predict_hang: "/predict accepts the request and never answers",
  slow: "every answer is delayed by slowDelayMs (default 2s), but correct",
  async_stuck: "async requests stay QUEUED forever",
  async_failed: "async requests end FAILED",
  malformed_json: "the user lookup answers 200 with broken JSON",
  huge_body: "/predict answers with a 4 MiB body"
};
var HUGE_BODY_BYTES = 4 * 1024 * 1024;
var ASYNC_REQUEST_TTL_MS = 10 * 6e4;
var SandboxPlatform = class {
  #options;
  #scenarios = /* @__PURE__ */ new Map();
  #planeByEmail = /* @__PURE__ */ new Map();
  #requestCounts = /* @__PURE__ */ new Map();
  #asyncRequests = /* @__PURE__ */ new Map();
  #server;
  #nextRequestId = 1;
  #url = "";
  constructor(options) {
    this.#options = {
      apiKey: options.apiKey,
      smokeTestEmail: options.smokeTestEmail ?? "admin__smoke_test_{plane}",
      oracleName: options.oracleName ?? "health-check-model",
      latencyMs: options.latencyMs ?? 0,
      slowDelayMs: options.slowDelayMs ?? 2e3,
      asyncDurationMs: options.asyncDurationMs ?? 0
    };
    for (const [plane, scenario] of Object.entries(options.planes)) this.setScenario(plane, scenario);
    this.#server = createServer2((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 12e4;
  }
  async start(port = 0, host = "127.0.0.1") {
    await new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address();
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${shownHost}:${address.port}`;
    return this.#url;
  }
  get url() {
    return this.#url;
  }
  inferenceUrl(plane) {
    return `${this.#url}/planes/${plane}`;
  }
  scenario(plane) {
    return this.#scenarios.get(plane);
  }
  setScenario(plane, scenario) {
    this.#scenarios.set(plane, scenario);
    this.#planeByEmail.set(this.#email(plane), plane);
  }
  /** What a successful smoke-test workflow does: recreate the user and the model. */
  repair(plane) {
    this.#scenarios.set(plane, "healthy");
  }
  /** Requests served per plane, for tests and benchmarks. */
  requestCount(plane) {
    return this.#requestCounts.get(plane) ?? 0;
  }
  async close() {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }
  async #handle(req, res) {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "admin") return this.#admin(req, res, parts.slice(1));
    if (req.headers.authorization !== `Api-Key ${this.#options.apiKey}`) {
      return send2(res, 401, { error: "invalid API key" });
    }
    const body = await readBody(req);
    if (this.#options.latencyMs > 0) await delay(this.#options.latencyMs);
    if (req.method === "GET" && parts[0] === "v1" && parts[1] === "users" && parts.length === 2) {
      const plane = this.#planeForEmail(url.searchParams.get("email") ?? "");
      if (plane === void 0) return send2(res, 200, { users: [] });
      const scenario = await this.#enter(plane);
      if (scenario === "malformed_json")
        return sendRaw(res, 200, '{"users": [{"id": "usr_', "application/json");
      if (scenario === "no_user") return send2(res, 200, { users: [] });
      return send2(res, 200, {
        users: [{ id: `usr_${plane}`, email: this.#email(plane), organization_id: `org_${plane}` }]
      });
    }
    if (req.method === "GET" && parts[0] === "v1" && parts[1] === "organizations" && parts[3] === "models") {
      const plane = parts[2]?.startsWith("org_") ? parts[2].slice(4) : void 0;
      if (plane === void 0 || !this.#scenarios.has(plane))
        return send2(res, 404, { error: "no such organization" });
      const scenario = await this.#enter(plane);
      if (scenario === "no_user") return send2(res, 404, { error: "no such organization" });
      const found = scenario !== "no_model" && url.searchParams.get("name") === this.#options.oracleName;
      return send2(res, 200, {
        models: found ? [{ id: `mdl_${plane}`, name: this.#options.oracleName }] : []
      });
    }
    if (parts[0] === "planes" && parts[2] === "models" && parts[1] !== void 0) {
      const plane = parts[1];
      if (!this.#scenarios.has(plane) || parts[3] !== `mdl_${plane}`)
        return send2(res, 404, { error: "no such model" });
      const scenario = await this.#enter(plane);
      if (scenario === "no_model" || scenario === "no_user")
        return send2(res, 404, { error: "no such model" });
      const action = parts.slice(4).join("/");
      if (req.method === "POST" && action === "production/predict") {
        if (!isJson(body)) return send2(res, 400, { error: "body must be JSON" });
        if (scenario === "predict_500") return send2(res, 500, { error: "internal error" });
        if (scenario === "predict_hang") return;
        if (scenario === "huge_body")
          return sendRaw(res, 200, `"${"x".repeat(HUGE_BODY_BYTES)}"`, "application/json");
        return send2(res, 200, { output: "pong" });
      }
      if (req.method === "POST" && action === "production/async_predict") {
        const parsed = parseJson2(body);
        if (parsed === void 0 || typeof parsed !== "object" || parsed === null || !("model_input" in parsed)) {
          return send2(res, 400, { error: "body must be JSON with model_input" });
        }
        const requestId = `req_${this.#nextRequestId++}`;
        this.#pruneAsyncRequests();
        this.#asyncRequests.set(requestId, { plane, createdAt: Date.now() });
        return send2(res, 201, { request_id: requestId });
      }
      if (req.method === "GET" && parts[4] === "async_request" && parts[5] !== void 0) {
        const request = this.#asyncRequests.get(parts[5]);
        if (request === void 0 || request.plane !== plane)
          return send2(res, 404, { error: "no such request" });
        return send2(res, 200, this.#asyncStatus(parts[5], request, scenario));
      }
    }
    return send2(res, 404, { error: "not found" });
  }
  #asyncStatus(requestId, request, scenario) {
    if (scenario === "async_stuck") return { request_id: requestId, status: "QUEUED", errors: [] };
    if (scenario === "async_failed") {
      this.#asyncRequests.delete(requestId);
      return {
        request_id: requestId,
        status: "FAILED",
        errors: [{ code: "MODEL_PREDICT_ERROR", message: "boom" }]
      };
    }
    if (Date.now() - request.createdAt < this.#options.asyncDurationMs) {
      return { request_id: requestId, status: "IN_PROGRESS", errors: [] };
    }
    this.#asyncRequests.delete(requestId);
    return { request_id: requestId, status: "SUCCEEDED", errors: [] };
  }
  /** Counts the request and applies the `slow` delay; returns the plane's scenario as it is now. */
  async #enter(plane) {
    this.#requestCounts.set(plane, (this.#requestCounts.get(plane) ?? 0) + 1);
    if (this.#scenarios.get(plane) === "slow") await delay(this.#options.slowDelayMs);
    return this.#scenarios.get(plane) ?? "healthy";
  }
  #admin(req, res, parts) {
    if (req.method === "GET" && parts.length === 1 && parts[0] === "planes") {
      const planes = Object.fromEntries(
        [...this.#scenarios].map(([name, scenario]) => [
          name,
          { scenario, requests: this.requestCount(name) }
        ])
      );
      return send2(res, 200, { planes, scenarios: SCENARIO_DESCRIPTIONS });
    }
    const plane = parts[1];
    if (parts[0] !== "planes" || plane === void 0) return send2(res, 404, { error: "not found" });
    if (req.method === "POST" && parts[2] === "repair" && parts.length === 3) {
      if (!this.#scenarios.has(plane)) return send2(res, 404, { error: `no plane ${plane}` });
      this.repair(plane);
      return send2(res, 200, { plane, scenario: "healthy" });
    }
    if (req.method === "PUT" && parts.length === 2) {
      return readBody(req).then((body) => {
        const scenario = parseJson2(body)?.scenario;
        if (!SCENARIOS.includes(scenario)) {
          return send2(res, 400, { error: `scenario must be one of ${SCENARIOS.join(", ")}` });
        }
        this.setScenario(plane, scenario);
        return send2(res, 200, { plane, scenario });
      });
    }
    return send2(res, 404, { error: "not found" });
  }
  #email(plane) {
    return fillTextTemplate(this.#options.smokeTestEmail, { plane });
  }
  #planeForEmail(email) {
    return this.#planeByEmail.get(email);
  }
  #pruneAsyncRequests() {
    if (this.#asyncRequests.size < 1e4) return;
    const cutoff = Date.now() - ASYNC_REQUEST_TTL_MS;
    for (const [id, request] of this.#asyncRequests)
      if (request.createdAt < cutoff) this.#asyncRequests.delete(id);
  }
};
function send2(res, status, body) {
  sendRaw(res, status, JSON.stringify(body), "application/json");
}
function sendRaw(res, status, body, contentType) {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
function isJson(text2) {
  return parseJson2(text2) !== void 0;
}
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// src/server/http-server.ts
import { createServer as createServer3 } from "node:http";

// src/server/auth.ts
import { createHash, timingSafeEqual } from "node:crypto";
function sameSecret(given, expected) {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
function isAuthorized(header, auth) {
  if (auth === void 0) return true;
  if (header === void 0) return false;
  if ("bearerToken" in auth) {
    const match2 = /^Bearer\s+(.+)$/i.exec(header);
    return sameSecret(match2?.[1] ?? "", auth.bearerToken);
  }
  const match = /^Basic\s+(.+)$/i.exec(header);
  const decoded = Buffer.from(match?.[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? "" : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  const userOk = sameSecret(user, auth.username);
  const passwordOk = sameSecret(password, auth.password);
  return userOk && passwordOk;
}
function challenge(auth) {
  return "bearerToken" in auth ? 'Bearer realm="planecheck"' : 'Basic realm="planecheck", charset="UTF-8"';
}

// src/server/http-server.ts
function json(body, status = 200) {
  return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
}
function createDaemonServer(deps) {
  const server = createServer3((req, res) => {
    handle(req, res, deps).catch((error) => {
      deps.log.error("http handler failed", { path: req.url?.split("?")[0], error: getErrorMessage(error) });
      if (!res.headersSent) send3(res, req, json({ error: "internal error" }, 500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65e3;
  server.headersTimeout = 1e4;
  server.requestTimeout = 3e4;
  return server;
}
async function handle(req, res, deps) {
  const url = new URL(req.url ?? "/", "http://planecheck");
  if (req.method !== "GET" && req.method !== "HEAD") {
    return send3(res, req, { ...json({ error: "method not allowed" }, 405), headers: { allow: "GET, HEAD" } });
  }
  if (url.pathname === "/healthz") return send3(res, req, text("ok\n"));
  if (url.pathname === "/readyz") {
    const readiness = deps.readiness();
    return send3(res, req, json(readiness, readiness.ready ? 200 : 503));
  }
  const route = findRoute(deps.protectedRoutes, url.pathname);
  if (route === void 0) return send3(res, req, json({ error: "not found" }, 404));
  if (!isAuthorized(req.headers.authorization, deps.auth)) {
    const headers = deps.auth ? { "www-authenticate": challenge(deps.auth) } : void 0;
    return send3(res, req, { ...json({ error: "unauthorized" }, 401), headers });
  }
  return send3(res, req, await route(url, req));
}
function findRoute(routes, path) {
  const exact = routes[path];
  if (exact) return exact;
  for (const [prefix, route] of Object.entries(routes)) {
    if (prefix.endsWith("/") && prefix !== "/" && path.startsWith(prefix)) return route;
  }
  return void 0;
}
function text(body, status = 200) {
  return { status, contentType: "text/plain; charset=utf-8", body };
}
function send3(res, req, response) {
  const parts = typeof response.body === "string" || Buffer.isBuffer(response.body) ? [response.body] : response.body;
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  res.writeHead(response.status, {
    "content-type": response.contentType,
    "content-length": length,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...response.headers
  });
  if (req.method !== "HEAD") for (const part of parts) res.write(part);
  res.end();
}
async function listen(server, address) {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(colon + 1));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const shown = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return `http://${shown}:${bound.port}`;
}
async function closeServer(server) {
  server.closeIdleConnections();
  const closed = new Promise((resolve) => server.close(() => resolve()));
  const timer = setTimeout(() => server.closeAllConnections(), 1e3);
  await closed;
  clearTimeout(timer);
}

// src/server/routes.ts
import { randomBytes as randomBytes3 } from "node:crypto";

// src/server/badge.ts
var COLORS = {
  HEALTHY: "#1a7f37",
  NO_USER: "#9a6700",
  NO_ORACLE: "#9a6700",
  FAILED: "#cf222e",
  NO_VALUE: "#6e7781"
};
var escape = (text2) => text2.replace(
  /[&<>"']/g,
  (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c
);
function textWidth(text2) {
  return Math.round(text2.length * 6.5 + 10);
}
function renderBadge(plane, status) {
  const label = escape(plane);
  const left = textWidth(plane);
  const right = textWidth(status);
  const width = left + right;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${status}">
<title>${label}: ${status}</title>
<rect width="${left}" height="20" fill="#555"/>
<rect x="${left}" width="${right}" height="20" fill="${COLORS[status]}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${label}</text>
<text x="${left + right / 2}" y="14">${status}</text>
</g>
</svg>`;
}

// src/check/status-guide.ts
var STATUS_GUIDE = {
  HEALTHY: {
    meaning: "The smoke-test user was found and its health-check model answered /predict and /async_predict.",
    nextStep: "Nothing to do."
  },
  NO_USER: {
    meaning: "The control plane answered, and the smoke-test user for this plane does not exist.",
    nextStep: "Run the production smoke-test workflow for this plane (self-heal does this when enabled), then find out what deleted the user."
  },
  NO_ORACLE: {
    meaning: "The smoke-test user exists, but its health-check model is not deployed.",
    nextStep: "Run the production smoke-test workflow to redeploy the model (self-heal does this when enabled); check recent deploys and deletions."
  },
  FAILED: {
    meaning: "A request to the platform failed, timed out or returned something malformed; the reason names the step.",
    nextStep: "Read the reason: a lookup failure points at the control plane, a predict failure at the plane or the model; check the model logs."
  },
  NO_VALUE: {
    meaning: "No fresh result: the check did not run within the cache TTL. This says nothing about the plane itself.",
    nextStep: "Check that the planecheck daemon is running and its cycles complete (logs, /readyz, cycle metrics)."
  }
};

// src/server/runbook.generated.ts
var RUNBOOK = {
  "FAILED": {
    "anchor": "failed",
    "meaning": "A request of the check failed: it timed out, the connection failed, the server answered an error status, or the answer was not what the platform contract promises. Unlike `NO_USER` and `NO_ORACLE`, nothing was found to be missing; something did not work.",
    "impact": "The most serious status: a real user of this plane is likely failing in the same way. Nothing is dispatched automatically; a failing plane is for a person to look at.",
    "diagnose": "Read the reason (`reason` in the status API, the `status changed` log line). The step tells you which side:",
    "diagnoseByReason": [
      {
        "prefixes": [
          "user_lookup_",
          "oracle_lookup_"
        ],
        "text": "`user_lookup_*` or `oracle_lookup_*`: the control plane is failing. Every plane usually shows it at once; check the control plane's health, not the planes."
      },
      {
        "prefixes": [
          "predict_"
        ],
        "text": "`predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it; `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress, DNS or certificates."
      },
      {
        "prefixes": [
          "async_predict_failed"
        ],
        "text": "`async_predict_failed`: the async request ended `FAILED`, `EXPIRED`, `CANCELED` or `WEBHOOK_FAILED`; the step's `detail` carries the platform's error codes. `async_predict_timeout`: it never finished within `asyncTimeout`, usually a stuck async queue or worker."
      },
      {
        "prefixes": [
          "*_invalid_response",
          "*_response_too_large"
        ],
        "text": "`*_invalid_response` / `*_response_too_large`: the API answered something unexpected (an HTML error page from a proxy, a changed response shape)."
      }
    ],
    "mitigate": "Fix what the reason names: the network path or certificate, the model server, the async queue. If the health-check model itself is broken (a bad deploy of it), redeploy it by running the production smoke-test workflow for the plane.",
    "markdown": "**Meaning.** A request of the check failed: it timed out, the connection failed, the server answered an\nerror status, or the answer was not what the platform contract promises. Unlike `NO_USER` and `NO_ORACLE`,\nnothing was found to be missing; something did not work.\n\n**Impact.** The most serious status: a real user of this plane is likely failing in the same way. Nothing is\ndispatched automatically; a failing plane is for a person to look at.\n\n**Diagnose.**\n\n1. Read the reason (`reason` in the status API, the `status changed` log line). The step tells you which side:\n   - `user_lookup_*` or `oracle_lookup_*`: the control plane is failing. Every plane usually shows it at once;\n     check the control plane's health, not the planes.\n   - `predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a\n     saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it;\n     `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress,\n     DNS or certificates.\n   - `async_predict_failed`: the async request ended `FAILED`, `EXPIRED`, `CANCELED` or `WEBHOOK_FAILED`; the\n     step's `detail` carries the platform's error codes. `async_predict_timeout`: it never finished within\n     `asyncTimeout`, usually a stuck async queue or worker.\n   - `*_invalid_response` / `*_response_too_large`: the API answered something unexpected (an HTML error page\n     from a proxy, a changed response shape).\n2. Compare with other planes: one plane alone points at that plane; all planes at the control plane or\n   shared infrastructure.\n3. Look at the step timings (`steps[].durationMs`, the dashboard's latency panel) for a plane slowing down.\n4. Impersonate the plane's smoke-test user (`admin__smoke_test_PLANE`) in your admin tools and look at the\n   health-check model's own logs.\n\n**Mitigate.** Fix what the reason names: the network path or certificate, the model server, the async queue.\nIf the health-check model itself is broken (a bad deploy of it), redeploy it by running the production\nsmoke-test workflow for the plane."
  },
  "NO_USER": {
    "anchor": "no_user",
    "meaning": "The control plane answered the user lookup, and there is no smoke-test user `admin__smoke_test_PLANE`. This is a definitive answer: a lookup that failed is `FAILED`, never `NO_USER`.",
    "impact": "This plane is not being checked at all, so it could be down without anyone knowing. It does not by itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data migration, a restored database).",
    "diagnose": "Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended.",
    "diagnoseByReason": [],
    "mitigate": "If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane (Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their users at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches (`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event.",
    "markdown": "**Meaning.** The control plane answered the user lookup, and there is no smoke-test user\n`admin__smoke_test_PLANE`. This is a definitive answer: a lookup that failed is `FAILED`, never `NO_USER`.\n\n**Impact.** This plane is not being checked at all, so it could be down without anyone knowing. It does not\nby itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data\nmigration, a restored database).\n\n**Diagnose.**\n\n1. Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably\n   already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended.\n2. Confirm in your admin tools that the user is really gone.\n3. Find what removed it: audit logs for the user, recent clean-up jobs, database restores.\n\n**Mitigate.** If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane\n(Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their\nusers at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches\n(`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event."
  },
  "NO_ORACLE": {
    "anchor": "no_oracle",
    "meaning": "The smoke-test user exists, and the model lookup in its organization found no `health-check-model`. Definitive, like `NO_USER`.",
    "impact": "The plane is not being checked. A missing model that was deployed before may also point at a problem with model deployments or the database behind them.",
    "diagnose": "Look at `selfHeal` in the status API: the redeploy may already be on its way.",
    "diagnoseByReason": [],
    "mitigate": "Run the production smoke-test workflow for the plane to redeploy the model, if self-heal did not.",
    "markdown": "**Meaning.** The smoke-test user exists, and the model lookup in its organization found no\n`health-check-model`. Definitive, like `NO_USER`.\n\n**Impact.** The plane is not being checked. A missing model that was deployed before may also point at a\nproblem with model deployments or the database behind them.\n\n**Diagnose.**\n\n1. Look at `selfHeal` in the status API: the redeploy may already be on its way.\n2. Impersonate the smoke-test user and look at its models: deleted, renamed, or stuck in a failed deploy?\n3. Read the logs of the last smoke-test run for the plane and of recent model deployments.\n\n**Mitigate.** Run the production smoke-test workflow for the plane to redeploy the model, if self-heal did not."
  },
  "NO_VALUE": {
    "anchor": "no_value",
    "meaning": "There is no result younger than the cache TTL (`schedule.cacheTtl`, 2 minutes by default) for this plane: the check did not run, or did not finish. planecheck computes this when it is read, so a stopped scheduler shows up here within one TTL.",
    "impact": "Nothing is known about the plane; it may be fine. But while it lasts, a real outage would go unnoticed.",
    "diagnose": "All planes `NO_VALUE`: the daemon's cycles are not completing. Check `/readyz`, the `cycle finished` log lines and `planecheck_cycles_total`, `planecheck_cycle_overruns_total` and `planecheck_cycle_duration_seconds`. Overruns mean a cycle takes longer than the interval: too many planes for `concurrency`, or many planes hanging to their `planeTimeout`.",
    "diagnoseByReason": [],
    "mitigate": "Restart the daemon if it is wedged; raise `schedule.concurrency` or lower `planeTimeout` if cycles overrun; free disk space or fix permissions if storage fails.",
    "markdown": "**Meaning.** There is no result younger than the cache TTL (`schedule.cacheTtl`, 2 minutes by default) for\nthis plane: the check did not run, or did not finish. planecheck computes this when it is read, so a stopped\nscheduler shows up here within one TTL.\n\n**Impact.** Nothing is known about the plane; it may be fine. But while it lasts, a real outage would go\nunnoticed.\n\n**Diagnose.**\n\n1. All planes `NO_VALUE`: the daemon's cycles are not completing. Check `/readyz`, the `cycle finished` log\n   lines and `planecheck_cycles_total`, `planecheck_cycle_overruns_total` and\n   `planecheck_cycle_duration_seconds`. Overruns mean a cycle takes longer than the interval: too many\n   planes for `concurrency`, or many planes hanging to their `planeTimeout`.\n2. One plane `NO_VALUE` while the others are fresh: that plane's results are not being stored; look for\n   `could not store result` log lines and `planecheck_storage_errors_total`.\n3. Right after a start, every plane is `NO_VALUE` until its first check finishes; that is expected.\n\n**Mitigate.** Restart the daemon if it is wedged; raise `schedule.concurrency` or lower `planeTimeout` if\ncycles overrun; free disk space or fix permissions if storage fails."
  }
};

// src/server/status-page.ts
var RUNBOOK_URL = "https://github.com/planecheck/planecheck/blob/main/docs/runbook.md";
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
function renderStatusPage(status, nonce) {
  const guide = Object.fromEntries(
    Object.entries(STATUS_GUIDE).map(([key, value]) => {
      const section = RUNBOOK[key];
      return [
        key,
        {
          meaning: value.meaning,
          nextStep: value.nextStep,
          diagnose: section?.diagnose ?? "",
          diagnoseByReason: section?.diagnoseByReason ?? [],
          mitigate: section?.mitigate ?? "",
          runbook: section ? `${RUNBOOK_URL}#${section.anchor}` : ""
        }
      ];
    })
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>planecheck</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <h1>planecheck</h1>
  <p id="banner" class="banner" role="status" aria-live="polite"></p>
  <p class="meta" id="meta"></p>
</header>
<main>
  <table id="planes">
    <caption>Workload planes, their last check and what self-heal did. Refreshes by itself.</caption>
    <thead><tr>
      <th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Last check</th>
      <th scope="col">Steps (ms)</th><th scope="col">Recent results</th><th scope="col">Availability 1 h / 24 h</th>
      <th scope="col">Self-heal</th>
    </tr></thead>
    <tbody></tbody>
  </table>
  <section id="attention" aria-labelledby="attention-title" hidden>
    <h2 id="attention-title">Needs attention</h2>
    <div id="attention-list"></div>
  </section>
</main>
<script type="application/json" id="initial-status">${scriptJson(status)}</script>
<script type="application/json" id="status-guide">${scriptJson(guide)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
var STYLE = `
:root { --bg:#fff; --fg:#1b1f24; --muted:#5b636d; --line:#d8dee4; --card:#f6f8fa;
  --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --none:#6e7781; --link:#0969da; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#30363d;
  --card:#161b22; --ok:#3fb950; --warn:#d29922; --bad:#f85149; --none:#8b949e; --link:#4493f8; } }
* { box-sizing: border-box; }
body { margin:0; padding:1rem 1.5rem 3rem; background:var(--bg); color:var(--fg);
  font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
a { color:var(--link); }
a:focus, summary:focus { outline:2px solid var(--link); outline-offset:2px; }
h1 { font-size:1.4rem; margin:0 0 .5rem; }
h2 { font-size:1.15rem; margin:2rem 0 .75rem; }
.banner { font-size:1.1rem; font-weight:600; padding:.6rem .9rem; border-radius:6px; border:1px solid var(--line);
  margin:.25rem 0; }
.banner.ok { border-color:var(--ok); color:var(--ok); }
.banner.warn { border-color:var(--warn); color:var(--warn); }
.banner.bad { border-color:var(--bad); color:var(--bad); }
.meta { color:var(--muted); margin:.25rem 0 1rem; font-size:.9rem; }
table { border-collapse:collapse; width:100%; }
caption { text-align:left; color:var(--muted); font-size:.9rem; padding-bottom:.5rem; }
th, td { text-align:left; padding:.5rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:.85rem; color:var(--muted); font-weight:600; }
tbody th { font-weight:600; white-space:nowrap; }
.status { display:inline-block; font-weight:700; font-size:.8rem; letter-spacing:.02em; padding:.1rem .45rem;
  border-radius:4px; border:1.5px solid currentColor; }
.s-HEALTHY { color:var(--ok); } .s-NO_USER, .s-NO_ORACLE { color:var(--warn); }
.s-FAILED { color:var(--bad); } .s-NO_VALUE { color:var(--none); }
.reason { display:block; color:var(--muted); font-size:.85rem; margin-top:.2rem; font-family:ui-monospace,monospace; }
.small { color:var(--muted); font-size:.85rem; display:block; }
.steps { font-family:ui-monospace,monospace; font-size:.85rem; white-space:nowrap; }
.strip { display:flex; gap:2px; align-items:flex-end; height:1.2rem; }
.strip span { width:6px; height:100%; border-radius:1px; background:currentColor; }
.strip .s-NO_USER, .strip .s-NO_ORACLE { height:70%; } .strip .s-FAILED { height:100%; } .strip .s-HEALTHY { height:45%; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin-bottom:1rem; }
.card h3 { margin:0 0 .4rem; font-size:1rem; }
.card p { margin:.35rem 0; }
.card ol { margin:.35rem 0 .35rem 1.2rem; padding:0; }
code { font-family:ui-monospace,monospace; font-size:.9em; }
`;
var SCRIPT = String.raw`
(function () {
  'use strict';
  var guide = JSON.parse(document.getElementById('status-guide').textContent);
  var data = JSON.parse(document.getElementById('initial-status').textContent);
  var fetchedAt = Date.now();
  var fetchError = null;
  var STEP_LABELS = { user_lookup: 'user', oracle_lookup: 'oracle', predict: 'predict', async_predict: 'async' };

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function ago(iso) {
    if (!iso) return 'never';
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) s = 0;
    if (s < 120) return s + ' s ago';
    if (s < 7200) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function until(iso) {
    if (!iso) return '';
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    return s > 0 ? 'expires in ' + s + ' s' : 'expired ' + (-s) + ' s ago';
  }
  function pct(value) { return value === null || value === undefined ? 'n/a' : (value * 100).toFixed(value >= 0.999 ? 0 : 1) + '%'; }
  /** Text with markdown code spans as <code> elements. */
  function rich(tag, text, className) {
    var node = el(tag, className ? { className: className } : null);
    String(text).split('\x60').forEach(function (part, i) {
      node.appendChild(i % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return node;
  }
  function forReason(entries, reason) {
    if (!reason) return null;
    var found = entries.filter(function (entry) {
      return entry.prefixes.some(function (p) { return p.charAt(0) === '*' ? reason.slice(-p.length + 1) === p.slice(1) : reason.indexOf(p) === 0; });
    })[0];
    return found ? found.text : null;
  }
  function statusBadge(status) { return el('span', { className: 'status s-' + status, text: status }); }

  function banner() {
    var node = document.getElementById('banner');
    var planes = data.planes;
    var bad = planes.filter(function (p) { return p.status !== 'HEALTHY'; });
    var stale = planes.length > 0 && planes.every(function (p) { return p.status === 'NO_VALUE'; }) &&
      planes.some(function (p) { return p.checkedAt; });
    var lastCycle = data.scheduler.lastCycleFinishedAt ? Date.parse(data.scheduler.lastCycleFinishedAt) : null;
    var cycleLate = lastCycle !== null && Date.now() - lastCycle > data.scheduler.cacheTtlSeconds * 1000;
    var text, kind;
    if (fetchError) { text = 'Cannot reach planecheck (' + fetchError + '): showing what it said ' + ago(new Date(fetchedAt).toISOString()); kind = 'bad'; }
    else if (!data.scheduler.running) { text = 'Checks have stopped: the scheduler is not running'; kind = 'bad'; }
    else if (stale || cycleLate) { text = 'Checks have stopped: results are going stale (last cycle ' + ago(data.scheduler.lastCycleFinishedAt) + ')'; kind = 'bad'; }
    else if (bad.length === 0) { text = 'All ' + planes.length + ' planes healthy'; kind = 'ok'; }
    else { text = bad.length + (bad.length === 1 ? ' plane needs' : ' planes need') + ' attention'; kind = bad.some(function (p) { return p.status === 'FAILED'; }) ? 'bad' : 'warn'; }
    node.textContent = text;
    node.className = 'banner ' + kind;
    var counts = Object.keys(data.summary).filter(function (k) { return data.summary[k] > 0; })
      .map(function (k) { return data.summary[k] + ' ' + k; }).join(', ');
    document.getElementById('meta').textContent = counts + ' · checked every ' + data.scheduler.intervalSeconds +
      ' s, results valid ' + data.scheduler.cacheTtlSeconds + ' s · updated ' + ago(new Date(fetchedAt).toISOString());
  }

  function row(plane) {
    var statusCell = el('td', null, [statusBadge(plane.status),
      el('span', { className: 'small', text: guide[plane.status].meaning })]);
    if (plane.reason) statusCell.appendChild(el('span', { className: 'reason', text: plane.reason }));
    var checked = el('td', null, [el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) }),
      el('span', { className: 'small', 'data-until': plane.expiresAt || '', text: until(plane.expiresAt) })]);
    var steps = el('td', { className: 'steps' }, plane.steps.map(function (step) {
      var mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return el('span', { className: 'small', text: STEP_LABELS[step.step] + ' ' + Math.round(step.durationMs) + mark });
    }));
    var recent = plane.recent || [];
    var strip = el('div', { className: 'strip', 'aria-hidden': 'true' }, recent.map(function (r) {
      return el('span', { className: 's-' + r.status, title: r.status + (r.reason ? ' (' + r.reason + ')' : '') + ' at ' + new Date(r.checkedAt).toLocaleString() });
    }));
    var healthyCount = recent.filter(function (r) { return r.status === 'HEALTHY'; }).length;
    var history = el('td', null, [strip, el('span', { className: 'sr', text: 'Last ' + recent.length + ' results: ' + healthyCount + ' healthy, ' + (recent.length - healthyCount) + ' not healthy' })]);
    var availability = el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) });
    var heal = el('td');
    var last = plane.selfHeal[0];
    if (last) {
      heal.appendChild(el('span', { text: (last.outcome || last.status) + ' · ' + ago(last.dispatchedAt) }));
      if (last.runUrl) heal.appendChild(el('a', { className: 'small', href: last.runUrl, text: 'run ' + (last.runId || '') }));
    } else heal.textContent = '–';
    return el('tr', { 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), statusCell, checked, steps, history, availability, heal]);
  }

  function card(plane) {
    var g = guide[plane.status];
    var children = [el('h3', null, [document.createTextNode(plane.name + ' '), statusBadge(plane.status)]),
      rich('p', g.meaning)];
    if (plane.reason) children.push(el('p', null, [document.createTextNode('Reason: '), el('code', { text: plane.reason })]));
    var detail = plane.steps.filter(function (s) { return s.detail; }).map(function (s) { return s.step + ': ' + s.detail; }).join('; ');
    if (detail) children.push(el('p', { className: 'small', text: detail }));
    var steps = el('ol');
    if (g.diagnose) {
      var diagnose = rich('li', 'Diagnose: ' + g.diagnose);
      var specific = forReason(g.diagnoseByReason, plane.reason);
      if (specific) diagnose.appendChild(rich('p', specific, 'small'));
      steps.appendChild(diagnose);
    }
    if (g.mitigate) steps.appendChild(rich('li', 'Mitigate: ' + g.mitigate));
    if (!g.diagnose && !g.mitigate) steps.appendChild(el('li', { text: g.nextStep }));
    children.push(steps);
    if (plane.selfHeal.length > 0) {
      var list = el('ul');
      plane.selfHeal.forEach(function (a) {
        var item = el('li', { text: 'Self-heal ' + (a.outcome || a.status) + ', dispatched ' + new Date(a.dispatchedAt).toLocaleString() + (a.error ? ' (' + a.error + ')' : '') + ' ' });
        if (a.runUrl) item.appendChild(el('a', { href: a.runUrl, text: 'workflow run ' + (a.runId || '') }));
        list.appendChild(item);
      });
      children.push(list);
    }
    if (g.runbook) children.push(el('p', null, [el('a', { href: g.runbook, text: 'Runbook: ' + plane.status })]));
    return el('article', { className: 'card', 'data-plane': plane.name }, children);
  }

  function render() {
    banner();
    var body = document.querySelector('#planes tbody');
    body.replaceChildren.apply(body, data.planes.map(row));
    var attention = data.planes.filter(function (p) { return p.status !== 'HEALTHY'; });
    var section = document.getElementById('attention');
    section.hidden = attention.length === 0;
    var list = document.getElementById('attention-list');
    list.replaceChildren.apply(list, attention.map(card));
  }

  function tick() {
    document.querySelectorAll('[data-ago]').forEach(function (node) { node.textContent = ago(node.getAttribute('data-ago')); });
    document.querySelectorAll('[data-until]').forEach(function (node) { node.textContent = until(node.getAttribute('data-until')); });
    banner();
  }

  function poll() {
    fetch('api/v1/status', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (next) { data = next; fetchedAt = Date.now(); fetchError = null; render(); })
      .catch(function (error) { fetchError = error.message || String(error); banner(); });
  }

  render();
  setInterval(tick, 1000);
  setInterval(poll, 3000);
})();
`;

// src/server/routes.ts
var HISTORY_DEFAULT_LIMIT = 100;
var HISTORY_MAX_LIMIT = 1e3;
function createRoutes(deps) {
  return {
    "/metrics": async (_url, request) => {
      const gzip = acceptsGzip(request.headers["accept-encoding"]);
      const headers = gzip ? { "content-encoding": "gzip", vary: "accept-encoding" } : { vary: "accept-encoding" };
      return {
        status: 200,
        contentType: deps.metrics.contentType,
        body: gzip ? await deps.metrics.render() : await deps.metrics.renderText(),
        headers
      };
    },
    "/api/v1/status": () => json(deps.status()),
    "/api/v1/planes/": (url) => historyRoute(url, deps),
    "/": () => statusPage(deps.status()),
    "/badge/": (url) => {
      const match = /^\/badge\/([^/]+)\.svg$/.exec(url.pathname);
      const plane = match?.[1] ? decodeURIComponent(match[1]) : "";
      if (!deps.planes.includes(plane)) return json({ error: "no such plane" }, 404);
      return {
        status: 200,
        contentType: "image/svg+xml; charset=utf-8",
        body: renderBadge(plane, deps.planeStatus(plane))
      };
    }
  };
}
function acceptsGzip(header) {
  return (header ?? "").split(",").some((entry) => {
    const [coding = "", ...params] = entry.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "x-gzip") && (q === void 0 || Number(q.slice(2)) > 0);
  });
}
function historyRoute(url, deps) {
  const match = /^\/api\/v1\/planes\/([^/]+)\/history$/.exec(url.pathname);
  if (!match?.[1]) return json({ error: "not found" }, 404);
  const plane = decodeURIComponent(match[1]);
  if (!deps.planes.includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
  const raw = url.searchParams.get("limit");
  let limit = HISTORY_DEFAULT_LIMIT;
  if (raw !== null) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return json({ error: "limit must be a whole number from 1" }, 400);
    limit = Math.min(Number(raw), HISTORY_MAX_LIMIT);
  }
  const results = deps.history(plane, limit).map((result) => ({
    checkedAt: new Date(result.checkedAt).toISOString(),
    status: result.status,
    reason: result.reason,
    durationMs: result.durationMs,
    steps: result.steps
  }));
  return json({ plane, limit, results });
}
function statusPage(status) {
  const nonce = randomBytes3(16).toString("base64");
  return {
    status: 200,
    contentType: "text/html; charset=utf-8",
    body: renderStatusPage(status, nonce),
    headers: {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "referrer-policy": "no-referrer"
    }
  };
}

// src/server/status-api.ts
function healActionView(action) {
  return {
    reason: action.reason,
    correlationId: action.correlationId,
    dispatchedAt: new Date(action.dispatchedAt).toISOString(),
    status: action.status,
    runId: action.runId,
    runUrl: action.runUrl,
    conclusion: action.conclusion,
    outcome: action.outcome,
    error: action.error
  };
}
var iso = (ms) => ms === null ? null : new Date(ms).toISOString();
function statusResponse(states, scheduler, extras, now) {
  const summary = Object.fromEntries(PLANE_STATUSES.map((status) => [status, 0]));
  for (const state of states) summary[state.status]++;
  return {
    generatedAt: iso(now),
    summary,
    scheduler: {
      running: scheduler.running,
      intervalSeconds: scheduler.intervalMs / 1e3,
      cacheTtlSeconds: scheduler.cacheTtlMs / 1e3,
      lastCycleFinishedAt: iso(scheduler.lastCycleFinishedAt)
    },
    planes: states.map((state) => ({
      name: state.plane,
      status: state.status,
      reason: state.reason,
      lastStatus: state.lastStatus,
      checkedAt: iso(state.checkedAt),
      expiresAt: iso(state.expiresAt),
      durationMs: state.durationMs,
      steps: state.steps,
      recent: (extras.recent?.(state.plane) ?? []).map((result) => ({
        checkedAt: new Date(result.checkedAt).toISOString(),
        status: result.status,
        reason: result.reason
      })),
      availability: extras.availability?.(state.plane) ?? { h1: null, h24: null },
      selfHeal: extras.healActions(state.plane)
    }))
  };
}

// src/store/sqlite-store.ts
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
var MIGRATIONS = [
  `CREATE TABLE latest_results (
     plane TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE TABLE check_history (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE INDEX check_history_plane_time ON check_history (plane, checked_at);
   CREATE INDEX check_history_time ON check_history (checked_at);`,
  `CREATE TABLE heal_actions (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     reason TEXT NOT NULL,
     correlation_id TEXT NOT NULL UNIQUE,
     dispatched_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     run_id INTEGER,
     run_url TEXT,
     conclusion TEXT,
     outcome TEXT,
     error TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX heal_actions_plane_time ON heal_actions (plane, dispatched_at);
   CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);`
];
var StoreError = class extends Error {
  name = "StoreError";
};
function openSqliteStore(path, options = {}) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  try {
    return new SqliteResultStore(openDatabase(path));
  } catch (error) {
    if (!isCorruption(error) || path === ":memory:") throw error;
    const stamp = (options.now?.() ?? /* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
    const movedTo = `${path}.corrupt-${stamp}`;
    renameSync(path, movedTo);
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    options.onRecovered?.({ path, movedTo, cause: error instanceof Error ? error.message : String(error) });
    return new SqliteResultStore(openDatabase(path));
  }
}
function openDatabase(path) {
  const db = new Database(path);
  try {
    db.pragma("busy_timeout = 100");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new CorruptDatabase(`quick_check: ${String(check)}`);
    const version = db.pragma("user_version", { simple: true });
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        `database ${path} has schema version ${version}, newer than this planecheck supports (${MIGRATIONS.length}): run a newer planecheck, or point storage.path at another file`
      );
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("journal_size_limit = 67108864");
    db.pragma("wal_autocheckpoint = 1000");
    migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
var CorruptDatabase = class extends Error {
};
function isCorruption(error) {
  if (error instanceof CorruptDatabase) return true;
  const code = error.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}
function migrate(db, version) {
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] ?? "");
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
var SqliteResultStore = class {
  #db;
  #upsertLatest;
  #insertHistory;
  #selectLatest;
  #selectHistory;
  #pruneHistory;
  #availability;
  #save;
  constructor(db) {
    this.#db = db;
    this.#upsertLatest = db.prepare(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)
       ON CONFLICT (plane) DO UPDATE SET status = excluded.status, reason = excluded.reason,
         checked_at = excluded.checked_at, duration_ms = excluded.duration_ms, steps = excluded.steps`
    );
    this.#insertHistory = db.prepare(
      `INSERT INTO check_history (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)`
    );
    this.#selectLatest = db.prepare("SELECT * FROM latest_results ORDER BY plane");
    this.#selectHistory = db.prepare(
      "SELECT * FROM check_history WHERE plane = ? AND checked_at >= ? ORDER BY checked_at DESC LIMIT ?"
    );
    this.#pruneHistory = db.prepare(
      "DELETE FROM check_history WHERE id IN (SELECT id FROM check_history WHERE checked_at < ? LIMIT ?)"
    );
    this.#availability = db.prepare(
      `SELECT plane, sum(status = 'HEALTHY') AS healthy, count(*) AS total
       FROM check_history WHERE checked_at >= ? GROUP BY plane`
    );
    this.#save = db.transaction((results) => {
      for (const result of results) {
        const row = toRow(result);
        this.#upsertLatest.run(row);
        this.#insertHistory.run(row);
      }
    });
  }
  saveResult(result) {
    this.#save([result]);
  }
  saveResults(results) {
    this.#save(results);
  }
  latestResults() {
    return this.#selectLatest.all().map(fromRow2);
  }
  history(plane, limit, since = 0) {
    return this.#selectHistory.all(plane, since, limit).map(fromRow2);
  }
  availability(since) {
    return new Map(
      this.#availability.all(since).map((row) => [row.plane, { healthy: row.healthy, total: row.total }])
    );
  }
  pruneHistory(before, batchSize) {
    return this.#pruneHistory.run(before, batchSize).changes;
  }
  /** Folds the WAL back into the database and truncates it. */
  checkpoint() {
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }
  /** The underlying handle, for checks such as `PRAGMA integrity_check` in tests and tools. */
  get database() {
    return this.#db;
  }
  close() {
    if (this.#db.open) this.#db.close();
  }
};
function toRow(result) {
  return {
    plane: result.plane,
    status: result.status,
    reason: result.reason,
    checked_at: result.checkedAt,
    duration_ms: result.durationMs,
    steps: JSON.stringify(result.steps)
  };
}
function fromRow2(row) {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: row.checked_at,
    durationMs: row.duration_ms,
    steps: JSON.parse(row.steps)
  };
}

// src/store/plane-state.ts
function isFresh(result, now, cacheTtlMs) {
  return now - result.checkedAt < cacheTtlMs;
}
function planeState(plane, result, now, cacheTtlMs) {
  if (result === void 0) {
    return {
      plane,
      status: "NO_VALUE",
      reason: "no_result",
      checkedAt: null,
      expiresAt: null,
      durationMs: null,
      steps: [],
      lastStatus: null
    };
  }
  const expiresAt = result.checkedAt + cacheTtlMs;
  const fresh = isFresh(result, now, cacheTtlMs);
  return {
    plane,
    status: fresh ? result.status : "NO_VALUE",
    reason: fresh ? result.reason : "result_expired",
    checkedAt: result.checkedAt,
    expiresAt,
    durationMs: result.durationMs,
    steps: result.steps,
    lastStatus: result.status
  };
}

// src/store/status-board.ts
var RECENT_RESULTS = 30;
var StatusBoard = class {
  #planes;
  #cacheTtlMs;
  #latest = /* @__PURE__ */ new Map();
  #recent = /* @__PURE__ */ new Map();
  #version = 0;
  /** `initial`: the stored latest results; `recent`: a plane's stored history, newest first, for the strip. */
  constructor(planes, cacheTtlMs, initial = [], recent = () => []) {
    this.#planes = planes;
    this.#cacheTtlMs = cacheTtlMs;
    for (const result of initial) if (planes.includes(result.plane)) this.#latest.set(result.plane, result);
    for (const plane of planes) {
      this.#recent.set(
        plane,
        recent(plane).slice(0, RECENT_RESULTS).reverse().map(({ checkedAt, status, reason }) => ({ checkedAt, status, reason }))
      );
    }
  }
  /** The plane's last results, oldest first. */
  recent(plane) {
    return this.#recent.get(plane) ?? [];
  }
  get planes() {
    return this.#planes;
  }
  get cacheTtlMs() {
    return this.#cacheTtlMs;
  }
  /** Changes with every update, so readers can tell whether what they rendered is still current. */
  get version() {
    return this.#version;
  }
  /** When the next fresh result turns NO_VALUE, or undefined when none is fresh. */
  nextExpiry(now = Date.now()) {
    let next;
    for (const result of this.#latest.values()) {
      const expiresAt = result.checkedAt + this.#cacheTtlMs;
      if (expiresAt > now && (next === void 0 || expiresAt < next)) next = expiresAt;
    }
    return next;
  }
  /** Records a new result and says whether the plane's visible status changed. */
  update(result, now = Date.now()) {
    const before = this.state(result.plane, now).status;
    this.#latest.set(result.plane, result);
    this.#version++;
    const strip = this.#recent.get(result.plane);
    if (strip) {
      strip.push({ checkedAt: result.checkedAt, status: result.status, reason: result.reason });
      if (strip.length > RECENT_RESULTS) strip.shift();
    }
    const after = this.state(result.plane, now);
    return before === after.status ? void 0 : { plane: result.plane, from: before, to: after.status, reason: after.reason };
  }
  state(plane, now = Date.now()) {
    return planeState(plane, this.#latest.get(plane), now, this.#cacheTtlMs);
  }
  states(now = Date.now()) {
    return this.#planes.map((plane) => this.state(plane, now));
  }
};

// src/store/availability.ts
var AvailabilityCache = class {
  #store;
  #maxAgeMs;
  #computed;
  constructor(store, maxAgeMs = 3e4) {
    this.#store = store;
    this.#maxAgeMs = maxAgeMs;
  }
  get(plane, now = Date.now()) {
    if (this.#computed === void 0 || now - this.#computed.at >= this.#maxAgeMs) {
      const hour = this.#store.availability(now - 36e5);
      const day = this.#store.availability(now - 864e5);
      const byPlane = /* @__PURE__ */ new Map();
      for (const name of /* @__PURE__ */ new Set([...hour.keys(), ...day.keys()])) {
        byPlane.set(name, { h1: ratio(hour.get(name)), h24: ratio(day.get(name)) });
      }
      this.#computed = { at: now, byPlane };
    }
    return this.#computed.byPlane.get(plane) ?? { h1: null, h24: null };
  }
};
function ratio(counts) {
  return counts && counts.total > 0 ? counts.healthy / counts.total : null;
}

// src/daemon.ts
var HELP = `Usage: planecheck-daemon --config FILE | --demo

  --config FILE  run against the platform in FILE (or set PLANECHECK_CONFIG)
  --demo         run against a built-in sandbox platform with planes in every state
`;
async function main() {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      demo: { type: "boolean", default: false },
      help: { type: "boolean" }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let sandbox;
  let sandboxGithub;
  let config;
  if (values.demo) {
    sandbox = new SandboxPlatform({
      apiKey: DEMO_API_KEY,
      planes: DEMO_PLANES,
      slowDelayMs: 300,
      asyncDurationMs: 300
    });
    const sandboxUrl = await sandbox.start();
    const platform = sandbox;
    sandboxGithub = new SandboxGithub({
      token: DEMO_GITHUB_TOKEN,
      workflowInputs: ["workload_plane", "reason", "correlation_id"],
      queuedMs: 2e3,
      runMs: 4e3,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? "")
    });
    const githubUrl = await sandboxGithub.start();
    const storagePath = join(mkdtempSync(join(tmpdir(), "planecheck-demo-")), "planecheck.db");
    config = parseConfig(
      demoConfigYaml(sandboxUrl, `storage: { path: "${storagePath}" }
${demoSelfHealYaml(githubUrl)}`)
    );
  } else {
    const path = resolveConfigPath(values.config, process.env);
    if (path === void 0) {
      process.stderr.write(
        `planecheck: no config: pass --config FILE or set PLANECHECK_CONFIG (or --demo)
${HELP}`
      );
      return 2;
    }
    config = await loadConfigFile(path, process.env);
  }
  const log = createLogger(config.log.level);
  const planeNames = config.workloadPlanes.map((plane) => plane.name);
  let recoveries = 0;
  const store = openSqliteStore(config.storage.path, {
    onRecovered: (event) => {
      recoveries++;
      log.error(
        "database file was not a usable SQLite database: moved it aside and started a fresh one",
        event
      );
    }
  });
  const board = new StatusBoard(
    planeNames,
    config.schedule.cacheTtl,
    store.latestResults(),
    (plane) => store.history(plane, RECENT_RESULTS)
  );
  const availability = new AvailabilityCache(store);
  const metrics = new PlanecheckMetrics(planeNames, board);
  for (let i = 0; i < recoveries; i++) metrics.recordStorageRecovery();
  const checker = createChecker(config);
  let healer;
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    onResult: (result) => healer?.onResult(result)
  });
  const selfHeal = config.selfHeal;
  const healSettings = selfHealSettings(selfHeal);
  if (healSettings && config.github) {
    healer = new SelfHealer({
      settings: healSettings,
      github: createGithubClient(config.github, { log }),
      healLog: new SqliteHealLog(store.database),
      history: (plane, limit) => store.history(plane, limit),
      recheck: (plane) => cycle.checkNow(plane),
      metrics,
      log
    });
  }
  const scheduler = new CycleScheduler({
    intervalMs: config.schedule.interval,
    runCycle: (signal2) => cycle.run(signal2),
    onOverrun: () => {
      metrics.recordOverrun();
      log.warn("cycle skipped: the previous cycle is still running");
    },
    onError: (error) => log.error("cycle failed", { error: getErrorMessage(error) })
  });
  const currentStatus = () => statusResponse(
    board.states(),
    {
      intervalMs: config.schedule.interval,
      cacheTtlMs: config.schedule.cacheTtl,
      running: scheduler.running,
      lastCycleFinishedAt: cycle.lastFinishedAt
    },
    {
      healActions: (plane) => healer?.recentActions(plane).map(healActionView) ?? [],
      recent: (plane) => board.recent(plane),
      availability: (plane) => availability.get(plane)
    },
    Date.now()
  );
  let storeOpen = true;
  const server = createDaemonServer({
    log,
    auth: config.server.auth,
    readiness: () => ({
      ready: storeOpen && scheduler.running,
      checks: { store: storeOpen, scheduler: scheduler.running }
    }),
    protectedRoutes: createRoutes({
      metrics,
      status: currentStatus,
      planes: planeNames,
      history: (plane, limit) => store.history(plane, limit),
      planeStatus: (plane) => board.state(plane).status
    })
  });
  const url = await listen(server, config.server.listen);
  healer?.resume();
  scheduler.start();
  log.info("planecheck started", {
    url,
    planes: planeNames.length,
    intervalSeconds: config.schedule.interval / 1e3,
    storage: config.storage.path,
    selfHeal: healer ? selfHeal?.dryRun ? "dry-run" : "on" : "off"
  });
  if (sandbox) {
    process.stderr.write(
      `
planecheck demo: ${planeNames.length} sandbox planes, checked every ${config.schedule.interval / 1e3}s
  status page   ${url}/
  status API    ${url}/api/v1/status
  metrics       ${url}/metrics
  sandbox admin ${sandbox.url}/admin/planes   (break a plane: curl -X PUT ${sandbox.url}/admin/planes/us-east-1 -d '{"scenario":"no_user"}')
  sandbox GitHub ${sandboxGithub?.url ?? ""}/admin/runs   (self-heal dispatches the smoke-test workflow here; watch eu-west-1 and eu-central-1 heal)
  Ctrl-C stops it.

`
    );
  }
  const signal = await new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  log.info("shutting down", { signal });
  setTimeout(() => {
    log.error("shutdown took too long; exiting");
    process.exit(1);
  }, 1e4).unref();
  await scheduler.stop();
  await healer?.stop();
  await closeServer(server);
  await checker.close();
  if (!cycle.flush(true)) log.error("some results could not be stored before shutdown");
  storeOpen = false;
  store.close();
  await sandbox?.close();
  await sandboxGithub?.close();
  log.info("stopped");
  return 0;
}
try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}
`);
    process.exitCode = 2;
  } else if (error instanceof StoreError) {
    process.stderr.write(`planecheck: ${error.message}
`);
    process.exitCode = 1;
  } else if (error.code === "EADDRINUSE") {
    process.stderr.write(`planecheck: cannot listen: ${getErrorMessage(error)}
`);
    process.exitCode = 1;
  } else if (error.code?.toString().startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`planecheck: ${getErrorMessage(error)}
${HELP}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `planecheck: ${error instanceof Error ? error.stack ?? error.message : String(error)}
`
    );
    process.exitCode = 1;
  }
}
