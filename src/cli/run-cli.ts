import { parseArgs } from 'node:util';
import { createChecker } from '../check/checker.js';
import { toPlaneReport } from '../check/report.js';
import { loadConfigFile, resolveConfigPath } from '../config/load.js';
import { ConfigError } from '../config/parse.js';
import type { Config } from '../config/schema.js';
import { DEMO_API_KEY, DEMO_PLANES, demoConfig } from '../sandbox/demo.js';
import { SandboxPlatform, SCENARIOS, type Scenario } from '../sandbox/sandbox-platform.js';
import { formatTable } from './format-table.js';
import { maintenanceCommand, MAINTENANCE_HELP, MaintenanceUsageError } from './maintenance-command.js';

export const EXIT_HEALTHY = 0;
export const EXIT_UNHEALTHY = 1;
export const EXIT_USAGE = 2;

export const HELP = `planecheck: synthetic health checks for the workload planes of a model-serving platform

Usage:
  planecheck check --config FILE [--plane NAME]... [--json]
      Check every plane (or the named ones) once and print the result.
      Exit code: 0 when every plane checked is HEALTHY, 1 when any is not, 2 on a usage or config error.
      --json prints {"planes":[{"name","status","reason","checkedAt","durationMs","steps":[...]}]}.
  planecheck validate --config FILE
      Validate a config file; prints what is wrong, with the field path. Exit code 0 or 2.
  planecheck sandbox [--port N] [--api-key KEY] [--plane NAME=SCENARIO]...
      Run the local sandbox platform until interrupted. Scenarios: ${SCENARIOS.join(', ')}.
      Change a plane at run time: curl -X PUT localhost:PORT/admin/planes/NAME -d '{"scenario":"no_user"}'
  planecheck demo
      Start the sandbox with planes in different states and check them once.
${MAINTENANCE_HELP.replace(/^/gm, '  ').trimEnd()}

The config file can also be named by the PLANECHECK_CONFIG environment variable.
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await checkCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'sandbox':
        return await sandboxCommand(rest, io);
      case 'demo':
        return await demoCommand(io);
      case 'maintenance':
        return await maintenanceCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? EXIT_USAGE : EXIT_HEALTHY;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || error instanceof MaintenanceUsageError || isParseArgsError(error)) {
      io.err(`planecheck: ${(error as Error).message}\nRun "planecheck --help" for usage.`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

class UsageError extends Error {}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function readConfig(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<Config> {
  const path = resolveConfigPath(flag, env);
  if (path === undefined) throw new UsageError('no config: pass --config FILE or set PLANECHECK_CONFIG');
  return loadConfigFile(path, env);
}

async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      plane: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_HEALTHY;
  }
  const config = await readConfig(values.config, io.env);
  const wanted = (values.plane ?? [])
    .flatMap((list) => list.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !config.workloadPlanes.some((plane) => plane.name === name));
  if (unknown.length > 0) throw new UsageError(`--plane: no plane named ${unknown.join(', ')} in the config`);
  const planes =
    wanted.length > 0
      ? config.workloadPlanes.filter((plane) => wanted.includes(plane.name))
      : config.workloadPlanes;
  return runChecks(config, planes, values.json, io);
}

async function runChecks(
  config: Config,
  planes: Config['workloadPlanes'],
  json: boolean,
  io: CliIo,
): Promise<number> {
  const checker = createChecker(config);
  try {
    const reports = (await checker.check(planes)).map(toPlaneReport);
    io.out(json ? JSON.stringify({ planes: reports }, null, 2) : formatTable(reports));
    return reports.every((report) => report.status === 'HEALTHY') ? EXIT_HEALTHY : EXIT_UNHEALTHY;
  } finally {
    await checker.close();
  }
}

async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true });
  const config = await readConfig(values.config, io.env);
  const names = config.workloadPlanes.map((plane) => plane.name).join(', ');
  io.out(`config is valid: ${config.workloadPlanes.length} workload planes (${names})`);
  return EXIT_HEALTHY;
}

async function sandboxCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', default: '8080' },
      'api-key': { type: 'string', default: DEMO_API_KEY },
      plane: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port: expected 0-65535');
  const planes: Record<string, Scenario> = {};
  for (const entry of values.plane ??
    Object.entries(DEMO_PLANES).map(([name, scenario]) => `${name}=${scenario}`)) {
    const [name, scenario = 'healthy'] = entry.split('=');
    if (!name || !SCENARIOS.includes(scenario as Scenario)) {
      throw new UsageError(
        `--plane ${entry}: expected NAME=SCENARIO with SCENARIO one of ${SCENARIOS.join(', ')}`,
      );
    }
    planes[name] = scenario as Scenario;
  }
  const sandbox = new SandboxPlatform({ apiKey: values['api-key'], planes });
  const url = await sandbox.start(port);
  io.out(`sandbox platform listening on ${url} (API key: ${values['api-key']})`);
  for (const [name, scenario] of Object.entries(planes))
    io.out(`  ${name}: ${scenario}  inferenceUrl ${sandbox.inferenceUrl(name)}`);
  io.out(`change a plane: curl -X PUT ${url}/admin/planes/NAME -d '{"scenario":"no_user"}'`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return EXIT_HEALTHY;
}

async function demoCommand(io: CliIo): Promise<number> {
  const sandbox = new SandboxPlatform({ apiKey: DEMO_API_KEY, planes: DEMO_PLANES, slowDelayMs: 300 });
  const url = await sandbox.start();
  try {
    const config = demoConfig(url);
    io.out(`Sandbox platform on ${url}; checking ${config.workloadPlanes.length} planes once...\n`);
    await runChecks(config, config.workloadPlanes, false, io);
    return EXIT_HEALTHY;
  } finally {
    await sandbox.close();
  }
}
