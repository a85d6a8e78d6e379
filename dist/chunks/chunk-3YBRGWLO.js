import {
  Deadline,
  sleep
} from "./chunk-TVCRBQ25.js";
import {
  ConfigError,
  parseConfig,
  parseYaml
} from "./chunk-KGVMHD67.js";
import {
  formatDuration,
  longestRequestTimeout,
  privateKeyProblem
} from "./chunk-ZU2X4UKQ.js";
import {
  compileTemplate
} from "./chunk-KNTKHN2X.js";

// src/platform/host-lookup.ts
import { Resolver } from "node:dns/promises";
import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
var HOSTS_RECHECK_MS = 5e3;
var NAME_MISSING = /* @__PURE__ */ new Set(["ENOTFOUND", "ENODATA"]);
function createHostLookup(options) {
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(options.timeoutMs / 5)), tries: 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  const hosts = new HostsFile(options.hostsFile ?? "/etc/hosts");
  const search = readSearchConfig(options.resolvConf ?? "/etc/resolv.conf");
  return (hostname, lookupOptions, callback) => {
    const family = familyOf(lookupOptions);
    resolveHost(hostname, family, resolver, hosts, search).then(
      (addresses) => {
        if (lookupOptions.all) return callback(null, addresses);
        const first = addresses[0];
        if (first === void 0) return callback(lookupError(hostname, "ENOTFOUND"), "", 0);
        callback(null, first.address, first.family);
      },
      (error) => {
        const code = codeOf(error);
        callback(code === void 0 ? asError(error) : lookupError(hostname, code), "", 0);
      }
    );
  };
}
function familyOf(options) {
  const family = options.family;
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return 0;
}
async function resolveHost(hostname, family, resolver, hosts, search) {
  const name = hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(name);
  if (literal !== 0) return [{ address: name, family: literal }];
  const lower = name.toLowerCase().replace(/\.$/, "");
  const local = hosts.lookup(lower) ?? localhostAddresses(lower);
  if (local !== void 0) return byFamily(local, family);
  let lastError;
  for (const candidate of searchCandidates(name, search)) {
    try {
      return await queryAddresses(candidate, family, resolver);
    } catch (error) {
      lastError = error;
      if (!NAME_MISSING.has(codeOf(error) ?? "")) break;
    }
  }
  throw lastError;
}
async function queryAddresses(name, family, resolver) {
  const v6 = family === 4 ? void 0 : resolver.resolve6(name);
  v6?.catch(() => void 0);
  if (family !== 6) {
    try {
      const v4 = await resolver.resolve4(name);
      if (v4.length > 0) return v4.map((address) => ({ address, family: 4 }));
    } catch (error) {
      if (v6 === void 0) throw error;
    }
  }
  const addresses = await v6 ?? [];
  if (addresses.length === 0) throw Object.assign(new Error("no addresses"), { code: "ENODATA" });
  return addresses.map((address) => ({ address, family: 6 }));
}
function byFamily(addresses, family) {
  return family === 0 ? [...addresses] : addresses.filter((entry) => entry.family === family);
}
function localhostAddresses(name) {
  if (name !== "localhost" && !name.endsWith(".localhost")) return void 0;
  return [
    { address: "127.0.0.1", family: 4 },
    { address: "::1", family: 6 }
  ];
}
function parseSearchConfig(text) {
  let domains = [];
  let ndots = 1;
  for (const raw of text.split("\n")) {
    const [keyword, ...values] = raw.replace(/[#;].*$/, "").trim().split(/\s+/);
    if (keyword === "search" || keyword === "domain") domains = values.filter(Boolean);
    if (keyword === "options") {
      for (const option of values) {
        const match = /^ndots:(\d+)$/.exec(option);
        if (match) ndots = Math.min(Number(match[1]), 15);
      }
    }
  }
  return { domains, ndots };
}
function readSearchConfig(path) {
  try {
    return parseSearchConfig(readFileSync(path, "utf8"));
  } catch {
    return { domains: [], ndots: 1 };
  }
}
function searchCandidates(name, search) {
  if (name.endsWith(".")) return [name];
  const searched = search.domains.map((domain) => `${name}.${domain}`);
  const dots = name.split(".").length - 1;
  return dots >= search.ndots ? [name, ...searched] : [...searched, name];
}
var HostsFile = class {
  #path;
  #entries = /* @__PURE__ */ new Map();
  #mtimeMs = -1;
  #checkedAt = -Infinity;
  constructor(path) {
    this.#path = path;
  }
  lookup(name) {
    this.#refresh();
    return this.#entries.get(name);
  }
  #refresh() {
    const now = performance.now();
    if (now - this.#checkedAt < HOSTS_RECHECK_MS) return;
    this.#checkedAt = now;
    try {
      const mtimeMs = statSync(this.#path).mtimeMs;
      if (mtimeMs === this.#mtimeMs) return;
      this.#entries = parseHostsFile(readFileSync(this.#path, "utf8"));
      this.#mtimeMs = mtimeMs;
    } catch {
      this.#entries = /* @__PURE__ */ new Map();
      this.#mtimeMs = -1;
    }
  }
};
function parseHostsFile(text) {
  const entries = /* @__PURE__ */ new Map();
  for (const raw of text.split("\n")) {
    const [address = "", ...names] = raw.replace(/#.*$/, "").trim().split(/\s+/);
    const family = isIP(address.replace(/%.*$/, ""));
    if (family === 0) continue;
    for (const name of names) {
      const key = name.toLowerCase().replace(/\.$/, "");
      const list = entries.get(key) ?? [];
      if (!list.some((entry) => entry.address === address)) list.push({ address, family });
      entries.set(key, list);
    }
  }
  for (const list of entries.values()) list.sort((a, b) => a.family - b.family);
  return entries;
}
function codeOf(error) {
  const code = error?.code;
  return typeof code === "string" && /^E[A-Z0-9_]+$/.test(code) ? code : void 0;
}
function asError(error) {
  return error instanceof Error ? error : new Error(String(error));
}
function lookupError(hostname, code) {
  const dnsCode = code === "ECONNREFUSED" ? "EREFUSED" : code;
  return Object.assign(new Error(`host name lookup of ${hostname} failed (${dnsCode})`), {
    code: dnsCode,
    hostname,
    syscall: "lookup"
  });
}

// src/platform/http.ts
import { setFlagsFromString } from "node:v8";
import UndiciAgent from "undici/lib/dispatcher/agent.js";
var MAX_REDIRECTS = 5;
var REDIRECT_STATUSES = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
function createHttpAgent(options) {
  keepHttpParserOnBaselineCompiler();
  return new UndiciAgent({
    connect: { timeout: options.connectTimeoutMs, ...options.lookup ? { lookup: options.lookup } : {} },
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
        const next = parseUrl(location, current);
        if (next === null) return fail("invalid_response", "redirect to a Location that is not a URL");
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
        const failed2 = {
          ok: false,
          failure: { kind: "http_status", httpStatus: statusCode, detail: `HTTP ${statusCode}` }
        };
        const errorBody = parseErrorBody(response.body);
        if (errorBody !== void 0) failed2.errorBody = errorBody;
        return failed2;
      }
      return parseJson(response);
    }
  } catch (error) {
    if (!limit.aborted && !isNetworkError(error)) throw error;
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
function parseUrl(text, base) {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}
var DISCARD_LIMIT = 64 * 1024;
var ERROR_BODY_LIMIT = 8 * 1024;
function parseErrorBody(body) {
  if (body === void 0 || body.length === 0) return void 0;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return void 0;
  }
}
function exchange(dispatcher, url, method, headers, body, deadline, maxBytes) {
  return new Promise((resolve, reject) => {
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
    const settleError = (error) => {
      if (deadline.aborted || isNetworkError(error))
        return settle({ ok: false, failure: failureFromError(error, deadline) });
      if (settled) return;
      settled = true;
      cancelDeadline();
      reject(error instanceof Error ? error : new Error(String(error)));
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
        } else if (size <= ERROR_BODY_LIMIT) chunks.push(chunk);
        else if (size > DISCARD_LIMIT) {
          settle({ statusCode, headers: responseHeaders, body: void 0 });
          controller?.abort(new Error("response body not needed"));
        }
      },
      onResponseEnd() {
        const complete = keep || size <= ERROR_BODY_LIMIT;
        const whole = !complete ? void 0 : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        chunks = [];
        settle({ statusCode, headers: responseHeaders, body: whole });
      },
      onResponseError(_controller, error) {
        settleError(error);
      }
    };
    try {
      const { origin, path } = splitUrl(url);
      dispatcher.dispatch({ origin, path, method, headers, body: body ?? null }, handler);
    } catch (error) {
      settleError(error);
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
function isNetworkError(error) {
  const code = errorCode(error);
  return code !== void 0 && (/^E[A-Z0-9_]+$/.test(code) || code.startsWith("UND_ERR_") || TLS_CODE.test(code));
}
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
    case "ENODATA":
    // this and below: c-ares (host-lookup.ts), e.g. ETIMEOUT for a silent name server
    case "ESERVFAIL":
    case "EREFUSED":
    case "ETIMEOUT":
    case "EBADRESP":
    case "EFORMERR":
    case "EBADNAME":
    case "ECANCELLED":
    case "EDESTRUCTION":
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
    return lookup(await this.#send("GET", url, plane, signal), endpoint.list, "users", (entry) => {
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
    return lookup(await this.#send("GET", url, plane, signal), endpoint.list, "models", (entry) => {
      const id = readId(entry, endpoint.id.read);
      return id === void 0 ? `model has no id at ${endpoint.id.text}` : { id };
    });
  }
  async predict(plane, oracle, signal) {
    const url = this.#url(this.#endpoints.predict.url, plane, { modelId: oracle.id });
    const result = await this.#send("POST", url, plane, signal, this.#predictBody);
    return result.ok ? { ok: true, value: void 0 } : result;
  }
  async submitAsyncPredict(plane, oracle, signal) {
    const endpoint = this.#endpoints.asyncSubmit;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id });
    const result = await this.#send("POST", url, plane, signal, this.#asyncBody);
    if (!result.ok) return result;
    const requestId = readId(result.body, endpoint.requestId.read);
    if (requestId === void 0) return invalid(`no request id at ${endpoint.requestId.text}`);
    return { ok: true, value: requestId };
  }
  async getAsyncStatus(plane, oracle, requestId, signal) {
    const endpoint = this.#endpoints.asyncStatus;
    const url = this.#url(endpoint.url, plane, { modelId: oracle.id, requestId });
    const result = await this.#send("GET", url, plane, signal);
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
    values.controlPlaneUrl = plane.controlPlaneUrl ?? this.#config.controlPlaneUrl;
    values.inferenceUrl = plane.inferenceUrl;
    return template(values);
  }
  #send(method, url, plane, signal, body) {
    return requestJson(this.#dispatcher, {
      method,
      url,
      headers: this.#headers,
      body,
      timeoutMs: plane.requestTimeout ?? this.#config.requestTimeout,
      maxBytes: this.#config.maxResponseBytes,
      signal
    });
  }
};
function lookup(result, list, what, pick) {
  if (!result.ok) {
    if (result.failure.httpStatus !== 404) return { kind: "failed", failure: result.failure };
    if (isJsonObject(result.errorBody)) return { kind: "not_found" };
    return {
      kind: "failed",
      failure: { ...result.failure, detail: "HTTP 404 without a JSON error body: not the platform's answer" }
    };
  }
  const entries = list.read(result.body);
  if (!Array.isArray(entries))
    return { kind: "failed", failure: invalidFailure(`no ${what} list at ${list.text}`) };
  if (entries.length === 0) return { kind: "not_found" };
  const picked = pick(entries[0]);
  return typeof picked === "string" ? { kind: "failed", failure: invalidFailure(picked) } : { kind: "found", value: picked };
}
function isJsonObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var LONE_SURROGATE = new RegExp("\\p{Cs}", "u");
function readId(document, read) {
  const value = read(document);
  if (typeof value === "string" && value.length > 0 && value.length <= 256 && !LONE_SURROGATE.test(value))
    return value;
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
  const onThrow = (step, error) => {
    if (signal.aborted && error === signal.reason) return failureFromError(error, signal);
    deps.onInternalError?.({ plane: plane.name, step, error });
    return { kind: "internal_error", detail: internalErrorDetail(error) };
  };
  const user = await timed(
    "user_lookup",
    steps,
    onThrow,
    async () => lookupStep(await platform.findUser(plane, signal))
  );
  if (user === void 0) return;
  const oracle = await timed(
    "oracle_lookup",
    steps,
    onThrow,
    async () => lookupStep(await platform.findOracle(plane, user, signal))
  );
  if (oracle === void 0) return;
  await Promise.all([
    timed("predict", steps, onThrow, async () => callStep(await platform.predict(plane, oracle, signal))),
    timed("async_predict", steps, onThrow, () => asyncPredict(plane, oracle, deps, signal))
  ]);
  steps.sort((a, b) => ORDER[a.step] - ORDER[b.step]);
}
var ORDER = { user_lookup: 0, oracle_lookup: 1, predict: 2, async_predict: 3 };
async function timed(step, steps, onThrow, run) {
  const started = performance.now();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { ok: false, failure: onThrow(step, error) };
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
  const { platform } = deps;
  const asyncTimeout = plane.asyncTimeout ?? deps.settings.asyncTimeout;
  const pollInterval = plane.pollInterval ?? deps.settings.pollInterval;
  const signal = new Deadline(asyncTimeout, "async request deadline", planeSignal);
  let lastStatus = "unsubmitted";
  try {
    const submitted = await platform.submitAsyncPredict(plane, oracle, signal);
    if (!submitted.ok) return submitted;
    lastStatus = "submitted";
    for (; ; ) {
      await sleep(pollInterval, signal);
      const polled = await platform.getAsyncStatus(plane, oracle, submitted.value, signal);
      if (!polled.ok) {
        if (polled.failure.kind === "timeout" && signal.aborted && !planeSignal.aborted) {
          return {
            ok: false,
            failure: { kind: "timeout", detail: stillPending(lastStatus, asyncTimeout) }
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
        failure: { kind: "timeout", detail: stillPending(lastStatus, asyncTimeout) }
      };
    }
    throw error;
  } finally {
    signal.dispose();
  }
}
function internalErrorDetail(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error in planecheck (${text.slice(0, 200)})`;
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
function createChecker(config, options = {}) {
  const connectTimeoutMs = longestRequestTimeout(config);
  const agent = createHttpAgent({
    connectTimeoutMs,
    keepAliveMs: config.schedule.interval + 3e4,
    lookup: createHostLookup({ servers: options.dnsServers, timeoutMs: connectTimeoutMs })
  });
  const platform = options.platform ?? new HttpPlatform(config.platform, agent);
  const settings = {
    planeTimeout: config.schedule.planeTimeout,
    asyncTimeout: config.platform.asyncTimeout,
    pollInterval: config.platform.pollInterval
  };
  return {
    check: (planes, options2 = {}) => checkAll(
      planes,
      { platform, settings, signal: options2.signal, onInternalError: options2.onInternalError },
      config.schedule.concurrency,
      options2.onResult
    ),
    close: () => agent.close()
  };
}

// src/config/load.ts
import { readFile } from "node:fs/promises";
function resolveConfigPath(flag, env) {
  return flag ?? (env.PLANECHECK_CONFIG || void 0);
}
async function loadConfigFile(path, env) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read ${path}: ${readError(error)}` }], path);
  }
  let config;
  const issues = [];
  try {
    config = parseConfig(text, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const keyPath = config ? config.github?.app?.privateKeyPath : rawPrivateKeyPath(text);
  const key = keyPath === void 0 ? void 0 : await readPrivateKeyFile(keyPath);
  if (key?.issue) issues.push(key.issue);
  if (issues.length > 0 || config === void 0) throw new ConfigError(issues, path);
  const app = config.github?.app;
  if (key?.text === void 0 || app === void 0 || config.github === void 0) return config;
  return { ...config, github: { ...config.github, app: { ...app, privateKey: key.text } } };
}
function rawPrivateKeyPath(text) {
  let raw;
  try {
    raw = parseYaml(text);
  } catch {
    return void 0;
  }
  const value = raw?.github?.app?.privateKeyPath;
  return typeof value === "string" && value !== "" && !value.includes("$") ? value : void 0;
}
async function readPrivateKeyFile(file) {
  const field = "github.app.privateKeyPath";
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { issue: { path: field, message: `cannot read ${file}: ${readError(error)}` } };
  }
  const problem = privateKeyProblem(text);
  if (problem !== void 0) return { issue: { path: field, message: `${file}: ${problem}` } };
  return { text };
}
function readError(error) {
  const code = error.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return String(code ?? error);
}

// src/util/node-floor.ts
var NODE_FLOOR = "20.19.0";
function parts(version) {
  return version.replace(/^v/, "").split(".").map((part) => Number.parseInt(part, 10) || 0);
}
function unsupportedNode(version) {
  const have = parts(version);
  const need = parts(NODE_FLOOR);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a > b) return void 0;
    if (a < b) return `planecheck needs Node.js ${NODE_FLOOR} or newer; this is ${version}`;
  }
  return void 0;
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

export {
  createChecker,
  toPlaneReport,
  resolveConfigPath,
  loadConfigFile,
  STATUS_GUIDE,
  unsupportedNode
};
