import {
  Config,
  ListenAddress
} from "./chunk-ZU2X4UKQ.js";

// src/config/parse.ts
import { load, YAMLException } from "js-yaml";
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
function parseListenAddress(text, option) {
  const result = ListenAddress.safeParse(text);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ path: "", message: issue.message })),
    option
  );
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
  if (!result.success) throw new ConfigError(namePlanes(toIssues(result.error, secrets), interpolated));
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
    const reason = issue.code === "invalid_key" ? issue.issues[0]?.message ?? issue.message : issue.message;
    const message = issue.code === "invalid_type" && issue.input === void 0 ? "required" : redact(reason, secrets);
    issues.push({ path: formatPath(issue.path), message });
  }
  return issues;
}
function namePlanes(issues, raw) {
  const planes = raw.workloadPlanes;
  if (!Array.isArray(planes)) return issues;
  return issues.map((issue) => {
    const match = /^workloadPlanes\[(\d+)\]\.(?!name$)/.exec(issue.path);
    const name = match ? planes[Number(match[1])]?.name : void 0;
    return typeof name === "string" && /^[a-z0-9][a-z0-9._-]{0,62}$/.test(name) ? { ...issue, message: `${issue.message} (plane ${name})` } : issue;
  });
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

export {
  ConfigError,
  parseConfig,
  parseListenAddress,
  parseYaml
};
