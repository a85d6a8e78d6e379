#!/usr/bin/env node

// src/cli/run-cli.ts
import { parseArgs } from "node:util";

// src/platform/http.ts
import { setFlagsFromString } from "node:v8";
import { Agent } from "undici";

// src/config/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
var DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
var PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
function parseDuration(text) {
  const trimmed = text.trim();
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
    const text = response.body === void 0 ? "" : response.body.toString("utf8");
    return { ok: true, status: response.statusCode, body: JSON.parse(text) };
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
  const pointer = (text) => ({ text, read: compilePointer(text) });
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
  return z.string({ error: "expected a duration such as 30s or 2m" }).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === void 0) {
      ctx.addIssue({ code: "custom", message: `invalid duration "${text}": use e.g. 500ms, 30s, 2m, 1h` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({
        code: "custom",
        message: `duration ${text} is out of range: must be between ${formatDuration(min)} and ${formatDuration(max)}`
      });
      return z.NEVER;
    }
    return ms;
  });
}
function httpUrl() {
  return z.string({ error: "expected a URL" }).transform((text, ctx) => {
    let url;
    try {
      url = new URL(text);
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
  smokeTestEmail: nonEmpty.refine((text) => text.includes("{plane}"), "must contain {plane}, or every plane would share one user").default("admin__smoke_test_{plane}"),
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
  listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "expected host:port, e.g. 127.0.0.1:9464").refine((text) => Number(text.slice(text.lastIndexOf(":") + 1)) <= 65535, "port must be at most 65535").default("127.0.0.1:9464"),
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
function parseConfig(text, env = {}) {
  return validateConfig(parseYaml(text), env);
}
function parseYaml(text) {
  try {
    return load(text);
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
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

// src/config/load.ts
function resolveConfigPath(flag, env) {
  return flag ?? (env.PLANECHECK_CONFIG || void 0);
}
async function loadConfigFile(path, env) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = error.code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new ConfigError([{ path: "", message: `cannot read ${path}: ${why}` }], path);
  }
  try {
    return parseConfig(text, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, path);
    throw error;
  }
}

// src/sandbox/demo.ts
var DEMO_API_KEY = "sandbox-api-key";
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
function demoConfig(sandboxUrl) {
  return parseConfig(demoConfigYaml(sandboxUrl));
}

// src/sandbox/sandbox-platform.ts
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
function parseJson2(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}

// src/sandbox/sandbox-platform.ts
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
    this.#server = createServer((req, res) => {
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
      return send(res, 401, { error: "invalid API key" });
    }
    const body = await readBody(req);
    if (this.#options.latencyMs > 0) await delay(this.#options.latencyMs);
    if (req.method === "GET" && parts[0] === "v1" && parts[1] === "users" && parts.length === 2) {
      const plane = this.#planeForEmail(url.searchParams.get("email") ?? "");
      if (plane === void 0) return send(res, 200, { users: [] });
      const scenario = await this.#enter(plane);
      if (scenario === "malformed_json")
        return sendRaw(res, 200, '{"users": [{"id": "usr_', "application/json");
      if (scenario === "no_user") return send(res, 200, { users: [] });
      return send(res, 200, {
        users: [{ id: `usr_${plane}`, email: this.#email(plane), organization_id: `org_${plane}` }]
      });
    }
    if (req.method === "GET" && parts[0] === "v1" && parts[1] === "organizations" && parts[3] === "models") {
      const plane = parts[2]?.startsWith("org_") ? parts[2].slice(4) : void 0;
      if (plane === void 0 || !this.#scenarios.has(plane))
        return send(res, 404, { error: "no such organization" });
      const scenario = await this.#enter(plane);
      if (scenario === "no_user") return send(res, 404, { error: "no such organization" });
      const found = scenario !== "no_model" && url.searchParams.get("name") === this.#options.oracleName;
      return send(res, 200, {
        models: found ? [{ id: `mdl_${plane}`, name: this.#options.oracleName }] : []
      });
    }
    if (parts[0] === "planes" && parts[2] === "models" && parts[1] !== void 0) {
      const plane = parts[1];
      if (!this.#scenarios.has(plane) || parts[3] !== `mdl_${plane}`)
        return send(res, 404, { error: "no such model" });
      const scenario = await this.#enter(plane);
      if (scenario === "no_model" || scenario === "no_user")
        return send(res, 404, { error: "no such model" });
      const action = parts.slice(4).join("/");
      if (req.method === "POST" && action === "production/predict") {
        if (!isJson(body)) return send(res, 400, { error: "body must be JSON" });
        if (scenario === "predict_500") return send(res, 500, { error: "internal error" });
        if (scenario === "predict_hang") return;
        if (scenario === "huge_body")
          return sendRaw(res, 200, `"${"x".repeat(HUGE_BODY_BYTES)}"`, "application/json");
        return send(res, 200, { output: "pong" });
      }
      if (req.method === "POST" && action === "production/async_predict") {
        const parsed = parseJson2(body);
        if (parsed === void 0 || typeof parsed !== "object" || parsed === null || !("model_input" in parsed)) {
          return send(res, 400, { error: "body must be JSON with model_input" });
        }
        const requestId = `req_${this.#nextRequestId++}`;
        this.#pruneAsyncRequests();
        this.#asyncRequests.set(requestId, { plane, createdAt: Date.now() });
        return send(res, 201, { request_id: requestId });
      }
      if (req.method === "GET" && parts[4] === "async_request" && parts[5] !== void 0) {
        const request = this.#asyncRequests.get(parts[5]);
        if (request === void 0 || request.plane !== plane)
          return send(res, 404, { error: "no such request" });
        return send(res, 200, this.#asyncStatus(parts[5], request, scenario));
      }
    }
    return send(res, 404, { error: "not found" });
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
      return send(res, 200, { planes, scenarios: SCENARIO_DESCRIPTIONS });
    }
    const plane = parts[1];
    if (parts[0] !== "planes" || plane === void 0) return send(res, 404, { error: "not found" });
    if (req.method === "POST" && parts[2] === "repair" && parts.length === 3) {
      if (!this.#scenarios.has(plane)) return send(res, 404, { error: `no plane ${plane}` });
      this.repair(plane);
      return send(res, 200, { plane, scenario: "healthy" });
    }
    if (req.method === "PUT" && parts.length === 2) {
      return readBody(req).then((body) => {
        const scenario = parseJson2(body)?.scenario;
        if (!SCENARIOS.includes(scenario)) {
          return send(res, 400, { error: `scenario must be one of ${SCENARIOS.join(", ")}` });
        }
        this.setScenario(plane, scenario);
        return send(res, 200, { plane, scenario });
      });
    }
    return send(res, 404, { error: "not found" });
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
function send(res, status, body) {
  sendRaw(res, status, JSON.stringify(body), "application/json");
}
function sendRaw(res, status, body, contentType) {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
function isJson(text) {
  return parseJson2(text) !== void 0;
}
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// src/check/result.ts
var PLANE_STATUSES = ["HEALTHY", "NO_USER", "NO_ORACLE", "FAILED", "NO_VALUE"];

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

// src/cli/format-table.ts
var STEP_LABEL = {
  user_lookup: "user",
  oracle_lookup: "oracle",
  predict: "predict",
  async_predict: "async"
};
function formatTable(planes) {
  const rows = planes.map((plane) => [
    plane.name,
    plane.status,
    plane.reason ?? "-",
    `${Math.round(plane.durationMs)}ms`,
    plane.steps.map((step) => `${STEP_LABEL[step.step]} ${stepMark(step.outcome)} ${Math.round(step.durationMs)}ms`).join("  ")
  ]);
  const header = ["PLANE", "STATUS", "REASON", "TIME", "STEPS"];
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0))
  );
  const line = (cells) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const lines = [line(header), ...rows.map(line), "", summaryLine(planes)];
  const details = planes.flatMap(
    (plane) => plane.steps.filter((step) => step.detail).map((step) => `  ${plane.name} ${step.step}: ${step.detail ?? ""}`)
  );
  if (details.length > 0) lines.push("", "Details:", ...details);
  const seen = PLANE_STATUSES.filter(
    (status) => status !== "HEALTHY" && planes.some((plane) => plane.status === status)
  );
  if (seen.length > 0) {
    lines.push("", "What to do:");
    for (const status of seen) lines.push(`  ${status}: ${STATUS_GUIDE[status].nextStep}`);
  }
  return lines.join("\n");
}
function summaryLine(planes) {
  const counts = PLANE_STATUSES.map(
    (status) => [status, planes.filter((plane) => plane.status === status).length]
  ).filter(([, count]) => count > 0);
  const noun = planes.length === 1 ? "plane" : "planes";
  return `${planes.length} ${noun}: ${counts.map(([status, count]) => `${count} ${status}`).join(", ")}`;
}
function stepMark(outcome) {
  return outcome === "ok" ? "ok" : outcome === "not_found" ? "none" : "FAIL";
}

// src/cli/run-cli.ts
var EXIT_HEALTHY = 0;
var EXIT_UNHEALTHY = 1;
var EXIT_USAGE = 2;
var HELP = `planecheck: synthetic health checks for the workload planes of a model-serving platform

Usage:
  planecheck check --config FILE [--plane NAME]... [--json]
      Check every plane (or the named ones) once and print the result.
      Exit code: 0 when every plane checked is HEALTHY, 1 when any is not, 2 on a usage or config error.
      --json prints {"planes":[{"name","status","reason","checkedAt","durationMs","steps":[...]}]}.
  planecheck validate --config FILE
      Validate a config file; prints what is wrong, with the field path. Exit code 0 or 2.
  planecheck sandbox [--port N] [--api-key KEY] [--plane NAME=SCENARIO]...
      Run the local sandbox platform until interrupted. Scenarios: ${SCENARIOS.join(", ")}.
      Change a plane at run time: curl -X PUT localhost:PORT/admin/planes/NAME -d '{"scenario":"no_user"}'
  planecheck demo
      Start the sandbox with planes in different states and check them once.

The config file can also be named by the PLANECHECK_CONFIG environment variable.
`;
async function runCli(argv, io) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return await checkCommand(rest, io);
      case "validate":
        return await validateCommand(rest, io);
      case "sandbox":
        return await sandboxCommand(rest, io);
      case "demo":
        return await demoCommand(io);
      case void 0:
      case "help":
      case "--help":
      case "-h":
        io.out(HELP);
        return command === void 0 ? EXIT_USAGE : EXIT_HEALTHY;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`planecheck: ${error.message}
Run "planecheck --help" for usage.`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
var UsageError = class extends Error {
};
function isParseArgsError(error) {
  const code = error?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
async function readConfig(flag, env) {
  const path = resolveConfigPath(flag, env);
  if (path === void 0) throw new UsageError("no config: pass --config FILE or set PLANECHECK_CONFIG");
  return loadConfigFile(path, env);
}
async function checkCommand(args, io) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: "string" },
      plane: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" }
    },
    strict: true
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_HEALTHY;
  }
  const config = await readConfig(values.config, io.env);
  const wanted = (values.plane ?? []).flatMap((list) => list.split(",")).map((name) => name.trim()).filter(Boolean);
  const unknown = wanted.filter((name) => !config.workloadPlanes.some((plane) => plane.name === name));
  if (unknown.length > 0) throw new UsageError(`--plane: no plane named ${unknown.join(", ")} in the config`);
  const planes = wanted.length > 0 ? config.workloadPlanes.filter((plane) => wanted.includes(plane.name)) : config.workloadPlanes;
  return runChecks(config, planes, values.json, io);
}
async function runChecks(config, planes, json, io) {
  const checker = createChecker(config);
  try {
    const reports = (await checker.check(planes)).map(toPlaneReport);
    io.out(json ? JSON.stringify({ planes: reports }, null, 2) : formatTable(reports));
    return reports.every((report) => report.status === "HEALTHY") ? EXIT_HEALTHY : EXIT_UNHEALTHY;
  } finally {
    await checker.close();
  }
}
async function validateCommand(args, io) {
  const { values } = parseArgs({ args: [...args], options: { config: { type: "string" } }, strict: true });
  const config = await readConfig(values.config, io.env);
  const names = config.workloadPlanes.map((plane) => plane.name).join(", ");
  io.out(`config is valid: ${config.workloadPlanes.length} workload planes (${names})`);
  return EXIT_HEALTHY;
}
async function sandboxCommand(args, io) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: "string", default: "8080" },
      "api-key": { type: "string", default: DEMO_API_KEY },
      plane: { type: "string", multiple: true }
    },
    strict: true
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port: expected 0-65535");
  const planes = {};
  for (const entry of values.plane ?? Object.entries(DEMO_PLANES).map(([name, scenario]) => `${name}=${scenario}`)) {
    const [name, scenario = "healthy"] = entry.split("=");
    if (!name || !SCENARIOS.includes(scenario)) {
      throw new UsageError(
        `--plane ${entry}: expected NAME=SCENARIO with SCENARIO one of ${SCENARIOS.join(", ")}`
      );
    }
    planes[name] = scenario;
  }
  const sandbox = new SandboxPlatform({ apiKey: values["api-key"], planes });
  const url = await sandbox.start(port);
  io.out(`sandbox platform listening on ${url} (API key: ${values["api-key"]})`);
  for (const [name, scenario] of Object.entries(planes))
    io.out(`  ${name}: ${scenario}  inferenceUrl ${sandbox.inferenceUrl(name)}`);
  io.out(`change a plane: curl -X PUT ${url}/admin/planes/NAME -d '{"scenario":"no_user"}'`);
  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.close();
  return EXIT_HEALTHY;
}
async function demoCommand(io) {
  const sandbox = new SandboxPlatform({ apiKey: DEMO_API_KEY, planes: DEMO_PLANES, slowDelayMs: 300 });
  const url = await sandbox.start();
  try {
    const config = demoConfig(url);
    io.out(`Sandbox platform on ${url}; checking ${config.workloadPlanes.length} planes once...
`);
    await runChecks(config, config.workloadPlanes, false, io);
    return EXIT_HEALTHY;
  } finally {
    await sandbox.close();
  }
}

// src/cli.ts
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}
`),
  err: (text) => process.stderr.write(`${text}
`),
  env: process.env
});
