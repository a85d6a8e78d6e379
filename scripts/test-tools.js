// Checks, before the test suite, that every external tool the tests drive is installed; installs what is
// missing when it can (root on Debian/Ubuntu with apt), and otherwise stops at once with the one command to
// run. `npm test` and `.ci/run` both start with it, so this list is the only place the tools are named.
// Plain Node with no dependencies: it runs before `npm ci` in CI.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** Every program the tests run, the Debian package that provides it, and what needs it. */
export const TEST_TOOLS = [
  { command: 'promtool', debianPackage: 'prometheus', usedBy: 'metrics format and alert rule tests' },
  { command: 'prometheus', debianPackage: 'prometheus', usedBy: 'the real-Prometheus scrape test' },
  {
    command: 'prometheus-pushgateway',
    debianPackage: 'prometheus-pushgateway',
    usedBy: "the Action's push test",
  },
  {
    command: 'prometheus-alertmanager',
    debianPackage: 'prometheus-alertmanager',
    usedBy: 'the real-Alertmanager routing and inhibition test',
  },
  { command: 'amtool', debianPackage: 'prometheus-alertmanager', usedBy: 'amtool check-config' },
  { command: 'chromium', debianPackage: 'chromium', usedBy: 'status page tests (headless Chromium)' },
  { command: 'faketime', debianPackage: 'faketime', usedBy: 'wall-clock step tests (libfaketime)' },
  {
    command: 'systemd-analyze',
    debianPackage: 'systemd',
    usedBy: 'the systemd unit check (systemd-analyze verify)',
  },
  // The container-image test runs the Dockerfile's `npm ci`, which compiles better-sqlite3 from source.
  { command: 'python3', debianPackage: 'python3', usedBy: 'the container-image test (node-gyp)' },
  { command: 'make', debianPackage: 'make', usedBy: 'the container-image test (node-gyp)' },
  { command: 'g++', debianPackage: 'g++', usedBy: 'the container-image test (node-gyp)' },
  { command: 'openssl', debianPackage: 'openssl', usedBy: 'the TLS certificate expiry test' },
  {
    command: 'unshare',
    debianPackage: 'util-linux',
    usedBy: 'the hanging-resolver test (a private mount of resolv.conf)',
  },
  { command: 'mount', debianPackage: 'mount', usedBy: 'the hanging-resolver test' },
  // Debian keeps the server's programs off PATH, in one directory per major version.
  {
    command: 'postgres',
    debianPackage: 'postgresql',
    usedBy: 'fleet mode and the PostgreSQL store (initdb + postgres on a free port)',
    dirs: postgresBinDirs,
  },
];

/** Debian's PostgreSQL server directories (/usr/lib/postgresql/N/bin), newest major first. */
export function postgresBinDirs(root = '/usr/lib/postgresql') {
  let versions;
  try {
    versions = readdirSync(root).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return versions.sort((a, b) => Number(b) - Number(a)).map((version) => join(root, version, 'bin'));
}

/** The absolute path of `command` on `path`, or undefined. */
export function findOnPath(command, path) {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The tools of `tools` that are not on `path`. */
export function missingTools(tools, path) {
  return tools.filter((tool) => findTool(tool, path) === undefined);
}

/** Where `tool` is: on `path`, or in one of its own directories (`dirs`, a function giving them). */
export function findTool(tool, path) {
  const extra = tool.dirs?.() ?? [];
  return findOnPath(tool.command, [path ?? '', ...extra].join(delimiter));
}

/** The Debian packages that bring `missing`, each once, in list order. */
export function packagesFor(missing) {
  return [...new Set(missing.map((tool) => tool.debianPackage))];
}

/**
 * What to do about missing tools: nothing, install them with apt, or stop with the command to run.
 * Installing needs root and apt-get; anything else is the user's call, never a silent skip.
 */
export function planToolInstall({ missing, isRoot, aptGet }) {
  if (missing.length === 0) return { action: 'none' };
  const packages = packagesFor(missing);
  if (isRoot && aptGet !== undefined) return { action: 'install', packages, aptGet };
  const sudo = isRoot ? '' : 'sudo ';
  return {
    action: 'stop',
    packages,
    command: `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages.join(' ')}`,
  };
}

function describe(missing) {
  return missing
    .map((tool) => `  ${tool.command} (Debian package ${tool.debianPackage}): ${tool.usedBy}`)
    .join('\n');
}

function main() {
  const path = process.env.PATH;
  const missing = missingTools(TEST_TOOLS, path);
  const plan = planToolInstall({
    missing,
    isRoot: process.getuid?.() === 0,
    aptGet: existsSync('/etc/debian_version') ? findOnPath('apt-get', path) : undefined,
  });
  if (plan.action === 'none') return 0;
  if (plan.action === 'stop') {
    process.stderr.write(
      `planecheck tests: missing tools:\n${describe(missing)}\nInstall them, then run the tests again:\n  ${plan.command}\n`,
    );
    return 1;
  }
  process.stderr.write(
    `planecheck tests: installing missing tools with apt-get (${plan.packages.join(' ')}):\n${describe(missing)}\n`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...plan.packages],
  ]) {
    const run = spawnSync(plan.aptGet, args, { stdio: 'inherit', env });
    if (run.status !== 0) {
      process.stderr.write(
        `planecheck tests: apt-get ${args[0]} failed (exit ${run.status ?? run.signal})\n`,
      );
      return 1;
    }
  }
  const stillMissing = missingTools(TEST_TOOLS, path);
  if (stillMissing.length > 0) {
    process.stderr.write(
      `planecheck tests: still missing after apt-get install:\n${describe(stillMissing)}\n`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
