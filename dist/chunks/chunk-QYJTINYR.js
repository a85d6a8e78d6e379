import {
  parseJson,
  readBody
} from "./chunk-3XGJQAAQ.js";
import {
  fillTextTemplate
} from "./chunk-KNTKHN2X.js";

// src/sandbox/sandbox-platform.ts
import { createServer } from "node:http";
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
  /** Sees every plane request before it is answered; replaceable at run time. */
  onRequest;
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
    this.onRequest = options.onRequest;
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
      const scenario = await this.#enter(plane, "user_lookup", req);
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
      const scenario = await this.#enter(plane, "model_lookup", req);
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
      const scenario = await this.#enter(plane, "inference", req);
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
        const parsed = parseJson(body);
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
  /** Counts the request, shows it to the hook and applies the `slow` delay; returns the scenario as it is now. */
  async #enter(plane, step, req) {
    this.#requestCounts.set(plane, (this.#requestCounts.get(plane) ?? 0) + 1);
    await this.onRequest?.({
      plane,
      step,
      method: req.method ?? "",
      path: req.url ?? "",
      remotePort: req.socket.remotePort
    });
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
        const scenario = parseJson(body)?.scenario;
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
  return parseJson(text) !== void 0;
}
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export {
  SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  SandboxPlatform
};
