#!/usr/bin/env node
import {
  STATUS_GUIDE,
  createChecker,
  loadConfigFile,
  resolveConfigPath,
  toPlaneReport,
  unsupportedNode
} from "./chunks/chunk-3YBRGWLO.js";
import {
  PLANE_STATUSES
} from "./chunks/chunk-NF23GUGB.js";
import "./chunks/chunk-TVCRBQ25.js";
import {
  DEMO_API_KEY,
  DEMO_PLANES,
  demoConfig
} from "./chunks/chunk-SLFAADLY.js";
import {
  ConfigError
} from "./chunks/chunk-KGVMHD67.js";
import "./chunks/chunk-ZU2X4UKQ.js";
import {
  SCENARIOS,
  SandboxPlatform
} from "./chunks/chunk-QYJTINYR.js";
import "./chunks/chunk-3XGJQAAQ.js";
import "./chunks/chunk-KNTKHN2X.js";
import "./chunks/chunk-YBZLSVBB.js";

// src/cli/run-cli.ts
import { parseArgs as parseArgs2 } from "node:util";

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

// src/cli/maintenance-command.ts
import { parseArgs } from "node:util";
var MAINTENANCE_HELP = `planecheck maintenance start --plane NAME (--for DURATION | --until TIME) [--note TEXT] [--url URL]
planecheck maintenance end --plane NAME [--url URL]
    Put a plane in maintenance on a running daemon, or end it: still checked, never self-healed, its alerts
    quiet. --for takes a duration (2h, 30m), --until an RFC 3339 time; --note says why (in the audit trail).
    --url is the daemon (default PLANECHECK_URL, else http://127.0.0.1:9464). With server.auth configured,
    set PLANECHECK_API_TOKEN (bearer), or PLANECHECK_API_USERNAME and PLANECHECK_API_PASSWORD (basic).
    Exit code: 0 done, 1 the daemon refused or did not answer, 2 usage error.
`;
var DEFAULT_DAEMON_URL = "http://127.0.0.1:9464";
var REQUEST_TIMEOUT_MS = 15e3;
var MaintenanceUsageError = class extends Error {
};
async function maintenanceCommand(args, io) {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      plane: { type: "string" },
      for: { type: "string" },
      until: { type: "string" },
      note: { type: "string" },
      url: { type: "string" },
      help: { type: "boolean", short: "h" }
    },
    strict: true
  });
  if (values.help || action === "--help" || action === "-h") {
    io.out(MAINTENANCE_HELP);
    return 0;
  }
  if (action !== "start" && action !== "end")
    throw new MaintenanceUsageError('maintenance: expected "start" or "end"');
  if (values.plane === void 0 || values.plane === "") throw new MaintenanceUsageError("--plane: required");
  if (action === "start" && values.for === void 0 === (values.until === void 0))
    throw new MaintenanceUsageError("maintenance start: give --for DURATION or --until TIME");
  if (action === "end" && (values.for ?? values.until ?? values.note) !== void 0)
    throw new MaintenanceUsageError("maintenance end: takes only --plane and --url");
  const base = daemonUrl(values.url ?? io.env.PLANECHECK_URL ?? DEFAULT_DAEMON_URL);
  const target = new URL(`api/v1/planes/${encodeURIComponent(values.plane)}/maintenance`, base);
  const headers = { "content-type": "application/json" };
  const authorization = authHeader(io.env);
  if (authorization !== void 0) headers.authorization = authorization;
  const body = action === "start" ? JSON.stringify({
    ...values.for !== void 0 ? { for: values.for } : { until: values.until },
    ...values.note !== void 0 ? { note: values.note } : {}
  }) : void 0;
  let response;
  try {
    response = await fetch(target, {
      method: action === "start" ? "POST" : "DELETE",
      headers,
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    });
  } catch (error) {
    const cause = error.cause;
    io.err(
      `planecheck: the daemon at ${base.origin} did not answer: ${cause?.code ?? cause?.message ?? String(error)}`
    );
    return 1;
  }
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    io.err(`planecheck: the daemon answered HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    return 1;
  }
  if (!response.ok) {
    io.err(`planecheck: the daemon refused (HTTP ${response.status}): ${answer.error ?? text.slice(0, 200)}`);
    return 1;
  }
  const current = answer.maintenance;
  if (action === "start") {
    io.out(
      `${values.plane} is in maintenance until ${current?.until ?? "?"}${current?.note ? ` (${current.note})` : ""}`
    );
  } else {
    const ended = answer.ended ? "maintenance ended" : "had no maintenance started through the API";
    const still = current ? `; still in a configured window until ${current.until}` : "";
    io.out(`${values.plane}: ${ended}${still}`);
  }
  return 0;
}
function daemonUrl(text) {
  let url;
  try {
    url = new URL(text.endsWith("/") ? text : `${text}/`);
  } catch {
    throw new MaintenanceUsageError(`--url: not a URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new MaintenanceUsageError("--url: only http and https are supported");
  return url;
}
function authHeader(env) {
  const token = env.PLANECHECK_API_TOKEN;
  if (token) return `Bearer ${token}`;
  const user = env.PLANECHECK_API_USERNAME;
  const password = env.PLANECHECK_API_PASSWORD;
  if (user && password !== void 0) return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  if (user) throw new MaintenanceUsageError("PLANECHECK_API_USERNAME is set without PLANECHECK_API_PASSWORD");
  return void 0;
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
${MAINTENANCE_HELP.replace(/^/gm, "  ").trimEnd()}

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
      case "maintenance":
        return await maintenanceCommand(rest, io);
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
    if (error instanceof UsageError || error instanceof MaintenanceUsageError || isParseArgsError(error)) {
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
  const { values } = parseArgs2({
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
  const { values } = parseArgs2({ args: [...args], options: { config: { type: "string" } }, strict: true });
  const config = await readConfig(values.config, io.env);
  const names = config.workloadPlanes.map((plane) => plane.name).join(", ");
  io.out(`config is valid: ${config.workloadPlanes.length} workload planes (${names})`);
  return EXIT_HEALTHY;
}
async function sandboxCommand(args, io) {
  const { values } = parseArgs2({
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
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});
var oldNode = unsupportedNode(process.versions.node);
if (oldNode !== void 0) {
  process.stderr.write(`planecheck: ${oldNode}
`);
  process.exitCode = 2;
} else {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}
`),
    err: (text) => process.stderr.write(`${text}
`),
    env: process.env
  });
}
