import {
  findPlaceholders
} from "./chunk-KNTKHN2X.js";
import {
  storageUrlProblem
} from "./chunk-YBZLSVBB.js";

// src/config/schema.ts
import { z } from "zod";

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
  let rest = Math.round(ms);
  if (rest < 1e3) return `${rest}ms`;
  const parts = [];
  for (const [unit, size] of [
    ["d", UNIT_MS.d],
    ["h", UNIT_MS.h],
    ["m", UNIT_MS.m]
  ]) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest / 1e3}s`);
  return parts.join("");
}

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

// src/config/private-key.ts
import { createPrivateKey } from "node:crypto";
function privateKeyProblem(text) {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return "not a PEM private key (expected -----BEGIN ... PRIVATE KEY-----)";
  }
  let type;
  try {
    type = createPrivateKey(text).asymmetricKeyType;
  } catch {
    return "a PEM private key that cannot be read (damaged, or encrypted with a passphrase)";
  }
  if (type !== "rsa") return `a ${type ?? "non-RSA"} key: GitHub App keys are RSA`;
  return void 0;
}

// src/maintenance/maintenance-window.ts
import { Cron } from "croner";
function cronProblem(expression) {
  const fields = expression.trim().split(/\s+/).length;
  if (!expression.trim().startsWith("@") && fields !== 5)
    return `expected five fields (minute hour day-of-month month day-of-week), got ${fields}`;
  try {
    cronOf(expression);
    return void 0;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
  }
}
var parsed = /* @__PURE__ */ new Map();
function cronOf(expression) {
  let cron = parsed.get(expression);
  if (cron === void 0) {
    cron = new Cron(expression, { timezone: "Etc/UTC", paused: true, mode: "5-part" });
    parsed.set(expression, cron);
  }
  return cron;
}
function lastStart(cron, at) {
  const minute = Math.floor(at / 6e4) * 6e4;
  const pattern = cronOf(cron);
  if (pattern.match(new Date(minute))) return minute;
  const [previous] = pattern.previousRuns(1, new Date(minute));
  return previous?.getTime();
}
function windowAt(window, at) {
  if ("from" in window) return window.from <= at && at < window.until ? window : void 0;
  const start = lastStart(window.cron, at);
  if (start === void 0 || start + window.durationMs <= at) return void 0;
  return { from: start, until: start + window.durationMs };
}
function maintenanceAt(windows, runtime, at) {
  let best;
  windows.forEach((window, index) => {
    const span = windowAt(window, at);
    if (span && (best === void 0 || span.until > best.until)) {
      best = {
        startedAt: span.from,
        until: span.until,
        note: window.note,
        actor: "config",
        source: "config",
        window: index
      };
    }
  });
  if (runtime && runtime.startedAt <= at && at < runtime.until && (best === void 0 || runtime.until > best.until)) {
    best = {
      startedAt: runtime.startedAt,
      until: runtime.until,
      note: runtime.note,
      actor: runtime.actor,
      source: "api"
    };
  }
  return best;
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
function parseRfc3339(text) {
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(text))
    return void 0;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? void 0 : ms;
}
function rfc3339() {
  return z.string({ error: "expected an RFC 3339 time such as 2026-12-01T02:00:00Z" }).transform((text, ctx) => {
    const ms = parseRfc3339(text);
    if (ms === void 0) {
      ctx.addIssue({
        code: "custom",
        message: `invalid time "${text}": use RFC 3339 with an offset, e.g. 2026-12-01T02:00:00Z`
      });
      return z.NEVER;
    }
    return ms;
  });
}
var MaintenanceWindowConfig = z.strictObject({
  from: rfc3339().optional(),
  until: rfc3339().optional(),
  cron: z.string({ error: 'expected a cron expression such as "0 2 * * 0"' }).superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem !== void 0)
      ctx.addIssue({ code: "custom", message: `invalid cron expression: ${problem}` });
  }).optional(),
  duration: duration(6e4, 31 * 864e5).optional(),
  note: z.string().max(500, "at most 500 characters").default("")
}).superRefine((window, ctx) => {
  const once = window.from !== void 0 || window.until !== void 0;
  const recurring = window.cron !== void 0 || window.duration !== void 0;
  if (once && recurring) {
    ctx.addIssue({
      code: "custom",
      path: [window.cron !== void 0 ? "cron" : "duration"],
      message: "give from and until (once) or cron and duration (recurring), not both"
    });
  } else if (recurring) {
    for (const key of ["cron", "duration"])
      if (window[key] === void 0)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "required with a recurring window (cron and duration)"
        });
  } else {
    for (const key of ["from", "until"])
      if (window[key] === void 0)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "required (or give cron and duration for a recurring window)"
        });
    if (window.from !== void 0 && window.until !== void 0 && window.until <= window.from)
      ctx.addIssue({ code: "custom", path: ["until"], message: "must be later than from" });
  }
}).transform(
  (window) => window.cron !== void 0 ? { cron: window.cron, durationMs: window.duration ?? 0, note: window.note } : { from: window.from ?? 0, until: window.until ?? 0, note: window.note }
);
var RESERVED_PLANE_LABELS = ["workload_plane", "job", "instance", "pod", "alertname", "severity"];
var PlaneLabels = z.record(
  z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "invalid label name: use letters, digits and _ (a Prometheus label)").refine((name) => !name.startsWith("__"), "label names starting with __ are reserved by Prometheus").refine(
    (name) => !RESERVED_PLANE_LABELS.includes(name),
    `reserved label name: not one of ${RESERVED_PLANE_LABELS.join(", ")}`
  ),
  z.string({ error: "expected a string value" }).max(200, "at most 200 characters")
).refine((labels) => Object.keys(labels).length <= 20, "at most 20 labels").default({});
var WorkloadPlane = z.strictObject({
  name: z.string().max(63, "at most 63 characters").regex(PLANE_NAME, 'must match [a-z0-9][a-z0-9._-]* (lower-case letters, digits, ".", "_", "-")'),
  inferenceUrl: httpUrl(),
  // Overrides of the platform-wide settings, for a plane that is farther away, slower, or served by
  // another control plane. Absent: the platform's value.
  controlPlaneUrl: httpUrl().optional(),
  requestTimeout: duration(100, 6e5).optional(),
  asyncTimeout: duration(100, 36e5).optional(),
  pollInterval: duration(10, 6e5).optional(),
  selfHeal: z.strictObject({ enabled: z.boolean() }).optional(),
  labels: PlaneLabels,
  /** Times this plane is in maintenance: still checked, never self-healed, its alerts quiet. */
  maintenance: z.array(MaintenanceWindowConfig).max(100, "at most 100 windows").default([])
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
  /** More planes than this NO_USER/NO_ORACLE at once: a mass incident, held for a person. */
  maxPlanesAtOnce: z.int().min(1).max(1e4).default(3),
  runPollInterval: duration(100, 6e5).default(15e3),
  runTimeout: duration(1e3, 864e5).default(72e5)
});
var GithubApp = z.strictObject({
  appId: z.union([z.int().positive(), z.string().regex(/^\d+$/, "expected a numeric app id")]),
  // Checked here, not when the first token is minted: a bad key would otherwise only show as every
  // self-heal attempt failing.
  privateKey: nonEmpty.superRefine((text, ctx) => {
    const problem = privateKeyProblem(text);
    if (problem !== void 0) ctx.addIssue({ code: "custom", message: problem });
  }).optional(),
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
var ListenAddress = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, {
  message: "expected host:port, e.g. 127.0.0.1:9464",
  abort: true
  // no port to check
}).refine((text) => Number(text.slice(text.lastIndexOf(":") + 1)) <= 65535, "port must be at most 65535");
var DEFAULT_RUNBOOK_URL = "https://github.com/planecheck/planecheck/blob/main/docs/runbook.md";
var runbookDocumentUrl = z.string({ error: "expected an http(s) URL" }).superRefine((text, ctx) => {
  let url;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "invalid URL: expected an http(s) URL of the runbook" });
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    ctx.addIssue({ code: "custom", message: "invalid URL: only http and https are supported" });
  else if (text.includes("#"))
    ctx.addIssue({
      code: "custom",
      message: "invalid URL: no #fragment (the section anchor is added to it)"
    });
});
var Server = z.strictObject({
  listen: ListenAddress.default("127.0.0.1:9464"),
  auth: ServerAuth.optional(),
  /** Your copy of docs/runbook.md; the status page and the Action's summary link its sections. */
  runbookUrl: runbookDocumentUrl.default(DEFAULT_RUNBOOK_URL)
});
var storageUrl = z.string({ error: "expected a postgres:// URL" }).superRefine((text, ctx) => {
  const problem = storageUrlProblem(text);
  if (problem !== void 0) ctx.addIssue({ code: "custom", message: problem });
});
var Storage = z.strictObject({
  path: nonEmpty.optional(),
  url: storageUrl.optional(),
  historyRetention: duration(36e5, 366 * 864e5).default(7 * 864e5)
}).superRefine((storage, ctx) => {
  if (storage.path !== void 0 && storage.url !== void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      message: "give storage.path (SQLite, one daemon) or storage.url (PostgreSQL, a fleet), not both"
    });
  }
}).transform(
  ({ path, url, historyRetention }) => url === void 0 ? { path: path ?? "./planecheck.db", historyRetention } : { url, historyRetention }
);
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
}).superRefine(
  (config, ctx) => {
    const seen = /* @__PURE__ */ new Map();
    config.workloadPlanes.forEach((plane, index) => {
      if (typeof plane?.name !== "string") return;
      const first = seen.get(plane.name);
      if (first !== void 0) {
        ctx.addIssue({
          code: "custom",
          path: ["workloadPlanes", index, "name"],
          message: `duplicate plane name "${plane.name}" (also workloadPlanes[${first}])`
        });
      } else seen.set(plane.name, index);
    });
  },
  { when: (payload) => Array.isArray(payload.value.workloadPlanes) }
).superRefine(
  (config, ctx) => {
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
  },
  whenValid(["schedule"])
).superRefine(
  (config, ctx) => {
    const { planeTimeout } = config.schedule;
    if (config.platform.requestTimeout > planeTimeout) {
      ctx.addIssue({
        code: "custom",
        path: ["platform", "requestTimeout"],
        message: `must not exceed schedule.planeTimeout (${formatDuration(planeTimeout)})`
      });
    }
  },
  whenValid(["schedule"], ["platform", "requestTimeout"])
).superRefine(
  (config, ctx) => {
    const { planeTimeout } = config.schedule;
    config.workloadPlanes.forEach((plane, index) => {
      if (plane.requestTimeout !== void 0 && plane.requestTimeout > planeTimeout) {
        ctx.addIssue({
          code: "custom",
          path: ["workloadPlanes", index, "requestTimeout"],
          message: `must not exceed schedule.planeTimeout (${formatDuration(planeTimeout)})`
        });
      }
    });
  },
  whenValid(["schedule"], ["workloadPlanes"])
).superRefine(
  (config, ctx) => {
    const enabledBy = selfHealEnabledBy(config);
    if (enabledBy === void 0) return;
    if (config.selfHeal?.repository === void 0) {
      ctx.addIssue({
        code: "custom",
        path: ["selfHeal", "repository"],
        message: `required when ${enabledBy} is true (owner/repo of the smoke-test workflow)`
      });
    }
    if (config.github === void 0) {
      ctx.addIssue({
        code: "custom",
        path: ["github"],
        message: `required when ${enabledBy} is true (token or app credentials to dispatch the workflow)`
      });
    }
  },
  whenValid(["selfHeal"], ["workloadPlanes"])
);
function selfHealEnabledBy(config) {
  const byPlane = config.workloadPlanes.findIndex((plane) => plane.selfHeal?.enabled === true);
  if (byPlane >= 0) return `workloadPlanes[${byPlane}].selfHeal.enabled`;
  if (config.selfHeal?.enabled === true && config.workloadPlanes.some((plane) => plane.selfHeal === void 0))
    return "selfHeal.enabled";
  return void 0;
}
function selfHealEnabledFor(config, plane) {
  return plane?.selfHeal?.enabled ?? config.selfHeal?.enabled ?? false;
}
function longestRequestTimeout(config) {
  return config.workloadPlanes.reduce(
    (longest, plane) => Math.max(longest, plane.requestTimeout ?? 0),
    config.platform.requestTimeout
  );
}
function selfHealOnForSomePlane(config) {
  return config.workloadPlanes.some((plane) => selfHealEnabledFor(config, plane));
}
function whenValid(...fields) {
  const overlaps = (a, b) => a.slice(0, Math.min(a.length, b.length)).every((key, i) => key === b[i]);
  return {
    when: (payload) => !payload.issues.some((issue) => fields.some((field) => overlaps(issue.path ?? [], field)))
  };
}

export {
  parseDuration,
  formatDuration,
  intervalToCron,
  privateKeyProblem,
  windowAt,
  maintenanceAt,
  parseRfc3339,
  ListenAddress,
  Config,
  selfHealEnabledBy,
  selfHealEnabledFor,
  longestRequestTimeout,
  selfHealOnForSomePlane
};
