import { z } from 'zod';
import type { ParsePayload } from 'zod/v4/core';
import { formatDuration, parseDuration } from './duration.js';
import { intervalToCron } from '../scheduler/interval-to-cron.js';
import { findPlaceholders } from './template.js';
import { privateKeyProblem } from './private-key.js';
import { storageUrlProblem } from './storage-url.js';
import { cronProblem, type MaintenanceWindow } from '../maintenance/maintenance-window.js';

/** A duration string (`45s`, `2m`) in YAML, milliseconds once parsed. */
function duration(min: number, max: number) {
  return z.string({ error: 'expected a duration such as 30s or 2m' }).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `invalid duration "${text}": use e.g. 500ms, 30s, 2m, 1h` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `duration ${text} is out of range: must be between ${formatDuration(min)} and ${formatDuration(max)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

function httpUrl() {
  return z.string({ error: 'expected a URL' }).transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'invalid URL: only http and https are supported' });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'invalid URL: a base URL takes no query or fragment' });
      return z.NEVER;
    }
    // A base URL; templates append paths, so drop the trailing slash.
    return url.href.replace(/\/+$/, '');
  });
}

const jsonPointer = z
  .string()
  .regex(/^(\/[^/]*)*$/, 'expected a JSON pointer such as /users or /data/0/id (RFC 6901)');

const nonEmpty = z.string().min(1, 'must not be empty');

export const PLANE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** A URL template: known `{placeholders}` only, and it must start from a base URL or be absolute. */
function urlTemplate(base: 'controlPlaneUrl' | 'inferenceUrl', allowed: readonly string[]) {
  return z.string().superRefine((template, ctx) => {
    const unknown = findPlaceholders(template).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder {${unknown[0]}}: allowed are ${allowed.map((a) => `{${a}}`).join(', ')}`,
      });
      return;
    }
    const sample = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === base ? 'https://base.example' : 'x',
    );
    if (!template.startsWith(`{${base}}`) && !/^https?:\/\//.test(template)) {
      ctx.addIssue({ code: 'custom', message: `must start with {${base}} or be an absolute http(s) URL` });
    } else if (!URL.canParse(sample)) {
      ctx.addIssue({ code: 'custom', message: 'invalid URL template' });
    }
  });
}

export const DEFAULT_ENDPOINTS = {
  userLookup: {
    url: '{controlPlaneUrl}/v1/users?email={email}',
    list: '/users',
    id: '/id',
    organizationId: '/organization_id',
  },
  modelLookup: {
    url: '{controlPlaneUrl}/v1/organizations/{organizationId}/models?name={oracleName}',
    list: '/models',
    id: '/id',
  },
  predict: { url: '{inferenceUrl}/models/{modelId}/production/predict' },
  asyncSubmit: { url: '{inferenceUrl}/models/{modelId}/production/async_predict', requestId: '/request_id' },
  asyncStatus: {
    url: '{inferenceUrl}/models/{modelId}/async_request/{requestId}',
    status: '/status',
    errors: '/errors',
  },
};

const Endpoints = z
  .strictObject({
    userLookup: z
      .strictObject({
        url: urlTemplate('controlPlaneUrl', ['controlPlaneUrl', 'email', 'plane']),
        list: jsonPointer,
        id: jsonPointer,
        organizationId: jsonPointer,
      })
      .partial()
      .default({}),
    modelLookup: z
      .strictObject({
        url: urlTemplate('controlPlaneUrl', [
          'controlPlaneUrl',
          'organizationId',
          'userId',
          'oracleName',
          'plane',
        ]),
        list: jsonPointer,
        id: jsonPointer,
      })
      .partial()
      .default({}),
    predict: z
      .strictObject({ url: urlTemplate('inferenceUrl', ['inferenceUrl', 'modelId', 'plane']) })
      .partial()
      .default({}),
    asyncSubmit: z
      .strictObject({
        url: urlTemplate('inferenceUrl', ['inferenceUrl', 'modelId', 'plane']),
        requestId: jsonPointer,
      })
      .partial()
      .default({}),
    asyncStatus: z
      .strictObject({
        url: urlTemplate('inferenceUrl', ['inferenceUrl', 'modelId', 'requestId', 'plane']),
        status: jsonPointer,
        errors: jsonPointer,
      })
      .partial()
      .default({}),
  })
  .default({
    userLookup: {},
    modelLookup: {},
    predict: {},
    asyncSubmit: {},
    asyncStatus: {},
  })
  .transform((given) => ({
    userLookup: { ...DEFAULT_ENDPOINTS.userLookup, ...given.userLookup },
    modelLookup: { ...DEFAULT_ENDPOINTS.modelLookup, ...given.modelLookup },
    predict: { ...DEFAULT_ENDPOINTS.predict, ...given.predict },
    asyncSubmit: { ...DEFAULT_ENDPOINTS.asyncSubmit, ...given.asyncSubmit },
    asyncStatus: { ...DEFAULT_ENDPOINTS.asyncStatus, ...given.asyncStatus },
  }));

const Schedule = z.strictObject({
  interval: duration(1_000, 86_400_000)
    .refine(
      (ms) => intervalToCron(ms) !== undefined,
      'must divide a minute, an hour or a day evenly (e.g. 10s, 30s, 1m, 5m, 1h), so a cron schedule can tick at it',
    )
    .default(60_000),
  cacheTtl: duration(1_000, 86_400_000).default(120_000),
  concurrency: z.int().min(1).max(1_000).default(16),
  planeTimeout: duration(100, 3_600_000).default(45_000),
});

const Platform = z.strictObject({
  controlPlaneUrl: httpUrl(),
  apiKey: nonEmpty,
  smokeTestEmail: nonEmpty
    .refine((text) => text.includes('{plane}'), 'must contain {plane}, or every plane would share one user')
    .default('admin__smoke_test_{plane}'),
  oracleName: nonEmpty.default('health-check-model'),
  predictInput: z.unknown().default({ prompt: 'ping' }),
  requestTimeout: duration(100, 600_000).default(10_000),
  asyncTimeout: duration(100, 3_600_000).default(30_000),
  pollInterval: duration(10, 600_000).default(1_000),
  maxResponseBytes: z
    .int()
    .min(1_024)
    .max(256 * 1024 * 1024)
    .default(1_048_576),
  endpoints: Endpoints,
});

/** An RFC 3339 time with its offset (`2026-12-01T02:00:00Z`), epoch ms once parsed. */
export function parseRfc3339(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(text))
    return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function rfc3339() {
  return z
    .string({ error: 'expected an RFC 3339 time such as 2026-12-01T02:00:00Z' })
    .transform((text, ctx) => {
      const ms = parseRfc3339(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `invalid time "${text}": use RFC 3339 with an offset, e.g. 2026-12-01T02:00:00Z`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

/**
 * A maintenance window: `{from, until}` once, or `{cron, duration}` recurring (UTC); a note says why. One
 * object with both shapes' keys, so that each mistake is reported on its own field.
 */
const MaintenanceWindowConfig = z
  .strictObject({
    from: rfc3339().optional(),
    until: rfc3339().optional(),
    cron: z
      .string({ error: 'expected a cron expression such as "0 2 * * 0"' })
      .superRefine((text, ctx) => {
        const problem = cronProblem(text);
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${problem}` });
      })
      .optional(),
    duration: duration(60_000, 31 * 86_400_000).optional(),
    note: z.string().max(500, 'at most 500 characters').default(''),
  })
  .superRefine((window, ctx) => {
    const once = window.from !== undefined || window.until !== undefined;
    const recurring = window.cron !== undefined || window.duration !== undefined;
    if (once && recurring) {
      ctx.addIssue({
        code: 'custom',
        path: [window.cron !== undefined ? 'cron' : 'duration'],
        message: 'give from and until (once) or cron and duration (recurring), not both',
      });
    } else if (recurring) {
      for (const key of ['cron', 'duration'] as const)
        if (window[key] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'required with a recurring window (cron and duration)',
          });
    } else {
      for (const key of ['from', 'until'] as const)
        if (window[key] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'required (or give cron and duration for a recurring window)',
          });
      if (window.from !== undefined && window.until !== undefined && window.until <= window.from)
        ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be later than from' });
    }
  })
  .transform((window): MaintenanceWindow =>
    window.cron !== undefined
      ? { cron: window.cron, durationMs: window.duration ?? 0, note: window.note }
      : { from: window.from ?? 0, until: window.until ?? 0, note: window.note },
  );

/** Prometheus label names a plane's `labels` cannot use: the series' own, or those the alert rules aggregate. */
export const RESERVED_PLANE_LABELS = ['workload_plane', 'job', 'instance', 'pod', 'alertname', 'severity'];

/** Static labels of a plane (`team`, `region`), exported on planecheck_plane_info for alert routing. */
const PlaneLabels = z
  .record(
    z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'invalid label name: use letters, digits and _ (a Prometheus label)')
      .refine((name) => !name.startsWith('__'), 'label names starting with __ are reserved by Prometheus')
      .refine(
        (name) => !RESERVED_PLANE_LABELS.includes(name),
        `reserved label name: not one of ${RESERVED_PLANE_LABELS.join(', ')}`,
      ),
    z.string({ error: 'expected a string value' }).max(200, 'at most 200 characters'),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels')
  .default({});

const WorkloadPlane = z.strictObject({
  name: z
    .string()
    .max(63, 'at most 63 characters')
    .regex(PLANE_NAME, 'must match [a-z0-9][a-z0-9._-]* (lower-case letters, digits, ".", "_", "-")'),
  inferenceUrl: httpUrl(),
  // Overrides of the platform-wide settings, for a plane that is farther away, slower, or served by
  // another control plane. Absent: the platform's value.
  controlPlaneUrl: httpUrl().optional(),
  requestTimeout: duration(100, 600_000).optional(),
  asyncTimeout: duration(100, 3_600_000).optional(),
  pollInterval: duration(10, 600_000).optional(),
  selfHeal: z.strictObject({ enabled: z.boolean() }).optional(),
  labels: PlaneLabels,
  /** Times this plane is in maintenance: still checked, never self-healed, its alerts quiet. */
  maintenance: z.array(MaintenanceWindowConfig).max(100, 'at most 100 windows').default([]),
});

const SelfHeal = z.strictObject({
  enabled: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/repo')
    .optional(),
  workflow: nonEmpty.default('production-smoke-test.yml'),
  ref: nonEmpty.default('main'),
  inputs: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'invalid input name')
        .refine((name) => name !== 'correlation_id', 'correlation_id is added by planecheck itself'),
      z.string().superRefine((template, ctx) => {
        const unknown = findPlaceholders(template).filter((name) => name !== 'plane' && name !== 'status');
        if (unknown.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {${unknown[0]}}: use {plane} or {status}`,
          });
      }),
    )
    .refine(
      (inputs) => Object.keys(inputs).length <= 24,
      'at most 24 inputs (GitHub allows 25, one is correlation_id)',
    )
    .default({ workload_plane: '{plane}', reason: '{status}' }),
  cooldown: duration(1_000, 7 * 86_400_000).default(1_800_000),
  failureThreshold: z.int().min(1).max(100).default(1),
  maxDispatchesPerHour: z.int().min(1).max(1_000).default(10),
  /** More planes than this NO_USER/NO_ORACLE at once: a mass incident, held for a person. */
  maxPlanesAtOnce: z.int().min(1).max(10_000).default(3),
  runPollInterval: duration(100, 600_000).default(15_000),
  runTimeout: duration(1_000, 86_400_000).default(7_200_000),
});

const GithubApp = z
  .strictObject({
    appId: z.union([z.int().positive(), z.string().regex(/^\d+$/, 'expected a numeric app id')]),
    // Checked here, not when the first token is minted: a bad key would otherwise only show as every
    // self-heal attempt failing.
    privateKey: nonEmpty
      .superRefine((text, ctx) => {
        const problem = privateKeyProblem(text);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    privateKeyPath: nonEmpty.optional(),
    installationId: z.union([
      z.int().positive(),
      z.string().regex(/^\d+$/, 'expected a numeric installation id'),
    ]),
  })
  .superRefine((app, ctx) => {
    if ((app.privateKey === undefined) === (app.privateKeyPath === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of privateKey and privateKeyPath' });
    }
  });

const Github = z
  .strictObject({
    apiUrl: httpUrl().default('https://api.github.com'),
    token: nonEmpty.optional(),
    app: GithubApp.optional(),
  })
  .superRefine((github, ctx) => {
    if ((github.token === undefined) === (github.app === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of token and app' });
    }
  });

const ServerAuth = z.union([
  z.strictObject({ bearerToken: z.string().min(16, 'must be at least 16 characters') }),
  z.strictObject({ username: nonEmpty, password: z.string().min(12, 'must be at least 12 characters') }),
]);

/** Where the daemon serves: `host:port`, IPv6 hosts in brackets; port 0 picks a free port. */
export const ListenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, {
    message: 'expected host:port, e.g. 127.0.0.1:9464',
    abort: true, // no port to check
  })
  .refine((text) => Number(text.slice(text.lastIndexOf(':') + 1)) <= 65_535, 'port must be at most 65535');

/** Where docs/runbook.md is published unless `server.runbookUrl` says otherwise: the upstream copy. */
export const DEFAULT_RUNBOOK_URL = 'https://github.com/planecheck/planecheck/blob/main/docs/runbook.md';

/** The runbook document's http(s) URL; section links append `#anchor`, so it takes no fragment of its own. */
const runbookDocumentUrl = z.string({ error: 'expected an http(s) URL' }).superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'invalid URL: expected an http(s) URL of the runbook' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    ctx.addIssue({ code: 'custom', message: 'invalid URL: only http and https are supported' });
  else if (text.includes('#'))
    ctx.addIssue({
      code: 'custom',
      message: 'invalid URL: no #fragment (the section anchor is added to it)',
    });
});

const Server = z.strictObject({
  listen: ListenAddress.default('127.0.0.1:9464'),
  auth: ServerAuth.optional(),
  /** Your copy of docs/runbook.md; the status page and the Action's summary link its sections. */
  runbookUrl: runbookDocumentUrl.default(DEFAULT_RUNBOOK_URL),
});

/** A `postgres://` URL; its problems are reported without quoting it (it holds a password). */
const storageUrl = z.string({ error: 'expected a postgres:// URL' }).superRefine((text, ctx) => {
  const problem = storageUrlProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** SQLite in a file (the default, `./planecheck.db`), or PostgreSQL for a fleet: exactly one of the two. */
const Storage = z
  .strictObject({
    path: nonEmpty.optional(),
    url: storageUrl.optional(),
    historyRetention: duration(3_600_000, 366 * 86_400_000).default(7 * 86_400_000),
  })
  .superRefine((storage, ctx) => {
    if (storage.path !== undefined && storage.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'give storage.path (SQLite, one daemon) or storage.url (PostgreSQL, a fleet), not both',
      });
    }
  })
  .transform(({ path, url, historyRetention }): StorageConfig =>
    url === undefined ? { path: path ?? './planecheck.db', historyRetention } : { url, historyRetention },
  );

export type StorageConfig =
  | { path: string; url?: undefined; historyRetention: number }
  | { url: string; path?: undefined; historyRetention: number };

const Log = z.strictObject({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export const Config = z
  .strictObject({
    schedule: Schedule.prefault({}),
    platform: Platform,
    workloadPlanes: z.array(WorkloadPlane).min(1, 'list at least one workload plane'),
    selfHeal: SelfHeal.optional(),
    github: Github.optional(),
    server: Server.prefault({}),
    storage: Storage.prefault({}),
    log: Log.prefault({}),
  })
  // Each cross-field check runs as soon as the fields it reads are valid, so its error is reported beside
  // any other field's, not in a second round after those are fixed.
  .superRefine(
    (config, ctx) => {
      const seen = new Map<string, number>();
      config.workloadPlanes.forEach((plane, index) => {
        if (typeof plane?.name !== 'string') return;
        const first = seen.get(plane.name);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['workloadPlanes', index, 'name'],
            message: `duplicate plane name "${plane.name}" (also workloadPlanes[${first}])`,
          });
        } else seen.set(plane.name, index);
      });
    },
    { when: (payload) => Array.isArray((payload.value as { workloadPlanes?: unknown }).workloadPlanes) },
  )
  .superRefine(
    (config, ctx) => {
      const { interval, planeTimeout, cacheTtl } = config.schedule;
      if (planeTimeout >= interval) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedule', 'planeTimeout'],
          message: `must be below schedule.interval (${formatDuration(interval)}) so that a cycle ends before the next`,
        });
      }
      if (cacheTtl <= interval) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedule', 'cacheTtl'],
          message: `must be longer than schedule.interval (${formatDuration(interval)}), or every result expires before the next check`,
        });
      }
    },
    whenValid(['schedule']),
  )
  .superRefine(
    (config, ctx) => {
      const { planeTimeout } = config.schedule;
      if (config.platform.requestTimeout > planeTimeout) {
        ctx.addIssue({
          code: 'custom',
          path: ['platform', 'requestTimeout'],
          message: `must not exceed schedule.planeTimeout (${formatDuration(planeTimeout)})`,
        });
      }
    },
    whenValid(['schedule'], ['platform', 'requestTimeout']),
  )
  .superRefine(
    (config, ctx) => {
      const { planeTimeout } = config.schedule;
      config.workloadPlanes.forEach((plane, index) => {
        if (plane.requestTimeout !== undefined && plane.requestTimeout > planeTimeout) {
          ctx.addIssue({
            code: 'custom',
            path: ['workloadPlanes', index, 'requestTimeout'],
            message: `must not exceed schedule.planeTimeout (${formatDuration(planeTimeout)})`,
          });
        }
      });
    },
    whenValid(['schedule'], ['workloadPlanes']),
  )
  .superRefine(
    (config, ctx) => {
      const enabledBy = selfHealEnabledBy(config);
      if (enabledBy === undefined) return;
      if (config.selfHeal?.repository === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['selfHeal', 'repository'],
          message: `required when ${enabledBy} is true (owner/repo of the smoke-test workflow)`,
        });
      }
      if (config.github === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['github'],
          message: `required when ${enabledBy} is true (token or app credentials to dispatch the workflow)`,
        });
      }
    },
    whenValid(['selfHeal'], ['workloadPlanes']),
  );

/** Which setting turns self-heal on for some plane (`selfHeal.enabled`, or a plane's), or undefined. */
export function selfHealEnabledBy(config: {
  selfHeal?: { enabled: boolean };
  workloadPlanes: readonly { selfHeal?: { enabled: boolean } }[];
}): string | undefined {
  const byPlane = config.workloadPlanes.findIndex((plane) => plane.selfHeal?.enabled === true);
  if (byPlane >= 0) return `workloadPlanes[${byPlane}].selfHeal.enabled`;
  if (
    config.selfHeal?.enabled === true &&
    config.workloadPlanes.some((plane) => plane.selfHeal === undefined)
  )
    return 'selfHeal.enabled';
  return undefined;
}

/** Whether self-heal may dispatch for `plane`: its own `selfHeal.enabled`, else the section's. */
export function selfHealEnabledFor(
  config: Pick<Config, 'selfHeal'>,
  plane: Pick<WorkloadPlane, 'selfHeal'> | undefined,
): boolean {
  return plane?.selfHeal?.enabled ?? config.selfHeal?.enabled ?? false;
}

/** The longest request timeout of any plane: the shared connection pool and host lookups are bounded by it. */
export function longestRequestTimeout(config: Pick<Config, 'platform' | 'workloadPlanes'>): number {
  return config.workloadPlanes.reduce(
    (longest, plane) => Math.max(longest, plane.requestTimeout ?? 0),
    config.platform.requestTimeout,
  );
}

/** Whether any plane is self-healed: the daemon then builds a healer (and needs GitHub credentials). */
export function selfHealOnForSomePlane(config: Pick<Config, 'selfHeal' | 'workloadPlanes'>): boolean {
  return config.workloadPlanes.some((plane) => selfHealEnabledFor(config, plane));
}

/**
 * Runs a check only when no issue was found at or under, or above, any of `fields` (paths in the config):
 * the values it reads have then parsed and have their defaults.
 */
function whenValid(...fields: PropertyKey[][]): { when: (payload: ParsePayload) => boolean } {
  const overlaps = (a: readonly PropertyKey[], b: readonly PropertyKey[]) =>
    a.slice(0, Math.min(a.length, b.length)).every((key, i) => key === b[i]);
  return {
    when: (payload) =>
      !payload.issues.some((issue) => fields.some((field) => overlaps(issue.path ?? [], field))),
  };
}
export type Config = z.infer<typeof Config>;
export type WorkloadPlane = Config['workloadPlanes'][number];
export type PlatformConfig = Config['platform'];
export type Endpoints = PlatformConfig['endpoints'];
