import { load, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { Config, ListenAddress } from './schema.js';

export interface ConfigIssue {
  /** Where in the file, e.g. `workloadPlanes[2].inferenceUrl`; empty for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source = 'config') {
    const lines = issues.map((issue) =>
      issue.path ? `  ${issue.path}: ${issue.message}` : `  ${issue.message}`,
    );
    super(`${source} is invalid:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Parses and validates planecheck's YAML config. Pure: the caller reads the file and passes the environment. */
export function parseConfig(text: string, env: Env = {}): Config {
  return validateConfig(parseYaml(text), env);
}

/** A `host:port` given on the command line as `option`, checked like `server.listen`. */
export function parseListenAddress(text: string, option: string): string {
  const result = ListenAddress.safeParse(text);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ path: '', message: issue.message })),
    option,
  );
}

/**
 * YAML text to plain data (YAML 1.2 core schema: no dates, no `yes`/`no` booleans). Duplicate keys are
 * an error; syntax errors say where they are and never quote the text (it may hold a secret).
 */
export function parseYaml(text: string): unknown {
  try {
    return load(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    throw new ConfigError([{ path: '', message: `YAML syntax error${at}: ${error.reason}` }]);
  }
}

/** Validates parsed config data: `${VAR}` interpolation from `env`, then the schema. */
export function validateConfig(raw: unknown, env: Env = {}): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ path: '', message: 'expected a YAML mapping at the top level' }]);
  }
  const secrets: string[] = [];
  const interpolationIssues: ConfigIssue[] = [];
  const budget = { values: MAX_VALUES };
  const interpolated = interpolate(raw, [], env, secrets, interpolationIssues, budget);
  if (interpolationIssues.length > 0) throw new ConfigError(interpolationIssues);

  const result = Config.safeParse(interpolated, { reportInput: true });
  if (!result.success) throw new ConfigError(namePlanes(toIssues(result.error, secrets), interpolated));
  return result.data;
}

/**
 * YAML aliases are shared references, and interpolation copies them: without a bound, a few lines of
 * nested aliases ("billion laughs") would expand to billions of values. 25,000 planes are ~75,000.
 */
const MAX_VALUES = 1_000_000;

const ENV_REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (or `${NAME:-default}`) in string values after YAML parsing, so a value from
 * the environment can never change the document's structure. `$$` is a literal `$`.
 */
function interpolate(
  value: unknown,
  path: (string | number)[],
  env: Env,
  secrets: string[],
  issues: ConfigIssue[],
  budget: { values: number },
): unknown {
  if (--budget.values < 0) {
    throw new ConfigError([
      { path: '', message: `more than ${MAX_VALUES.toLocaleString('en')} values once aliases are expanded` },
    ]);
  }
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (whole, name: string | undefined, fallback: string | undefined) => {
      if (whole === '$$') return '$';
      const found = env[name ?? ''];
      const resolved = found !== undefined && found !== '' ? found : fallback;
      if (resolved === undefined) {
        issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
        return '';
      }
      if (found !== undefined) secrets.push(found);
      return resolved;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolate(item, [...path, index], env, secrets, issues, budget));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, [...path, key], env, secrets, issues, budget),
      ]),
    );
  }
  return value;
}

function toIssues(error: z.ZodError, secrets: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
      }
      continue;
    }
    // A bad record key (a label name) carries its reason in the key's own issues.
    const reason = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'required' : redact(reason, secrets);
    issues.push({ path: formatPath(issue.path), message });
  }
  return issues;
}

/**
 * A plane's issues also name the plane (`workloadPlanes[41].requestTimeout: ... (plane eu-west-1)`): with
 * a hundred planes, an index alone sends the reader counting.
 */
function namePlanes(issues: ConfigIssue[], raw: unknown): ConfigIssue[] {
  const planes = (raw as { workloadPlanes?: unknown }).workloadPlanes;
  if (!Array.isArray(planes)) return issues;
  return issues.map((issue) => {
    const match = /^workloadPlanes\[(\d+)\]\.(?!name$)/.exec(issue.path);
    const name = match ? (planes[Number(match[1])] as { name?: unknown } | null)?.name : undefined;
    return typeof name === 'string' && /^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)
      ? { ...issue, message: `${issue.message} (plane ${name})` }
      : issue;
  });
}

/** Values that came from the environment may be secrets: never echo them back. */
function redact(message: string, secrets: readonly string[]): string {
  let clean = message;
  for (const secret of secrets) {
    if (secret.length >= 3) clean = clean.split(secret).join('[redacted]');
  }
  return clean;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}
