import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TEST_TOOLS } from '../scripts/test-tools.js';
import { ROOT } from './helpers/run.js';

const SCRIPT = join(ROOT, 'scripts/test-tools.js');

/** Every tool of the list but `missing`. */
function allBut(missing: string[]): string[] {
  return [...new Set(TEST_TOOLS.map((tool) => tool.command))].filter((command) => !missing.includes(command));
}

/** A directory holding executables of the given names, to stand in for a machine that has only those tools. */
function pathWith(commands: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'planecheck-tools-'));
  for (const command of commands) {
    writeFileSync(join(dir, command), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, command), 0o755);
  }
  return dir;
}

/**
 * Runs the tool check with PATH set to `path`; with `asUser`, as the unprivileged user `nobody` when we are root.
 * The script is copied beside the stand-in tools so that `nobody` can read it wherever the checkout lives.
 */
function runCheck(path: string, asUser: boolean) {
  const dir = path.split(':')[0] ?? path;
  const script = join(dir, 'test-tools.js');
  copyFileSync(SCRIPT, script);
  chmodSync(dir, 0o755);
  const node = [process.execPath, script];
  const dropRoot = asUser && process.getuid?.() === 0;
  const [command, ...args] = dropRoot
    ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
    : node;
  return spawnSync(command ?? '', args, {
    env: { PATH: path, CI: 'true' },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the test tool check (scripts/test-tools.js, first step of npm test and .ci/run)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('passes silently on this machine, where every tool is installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planecheck-tools-'));
    dirs.push(dir);
    const run = runCheck(`${dir}:${process.env.PATH ?? ''}`, false);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  it('as an unprivileged user, stops at once naming what is missing and the one command to run', () => {
    const dir = pathWith(allBut(['prometheus-pushgateway', 'faketime']));
    dirs.push(dir);
    // setpriv comes from /usr/bin, which the check itself must not see (it would find the real tools there).
    const run = runCheck(dir, true);
    assert.equal(run.status, 1, run.stderr);
    assert.match(
      run.stderr,
      /missing tools:\n {2}prometheus-pushgateway \(Debian package prometheus-pushgateway\)/,
    );
    assert.match(run.stderr, /faketime \(Debian package faketime\)/);
    assert.doesNotMatch(run.stderr, /promtool|chromium/, 'tools that are present are not named');
    assert.match(
      run.stderr,
      /\n {2}sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus-pushgateway faketime\n$/,
    );
  });

  it('without apt-get at hand, names the command instead of trying to install', () => {
    const dir = pathWith(allBut(['chromium']));
    dirs.push(dir);
    const run = runCheck(dir, false);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /missing tools:\n {2}chromium \(Debian package chromium\)/);
    // root is told the command as it is; anyone else, with sudo.
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    assert.ok(
      run.stderr.endsWith(
        `\n  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends chromium\n`,
      ),
      run.stderr,
    );
  });

  // The install path needs root (apt-get refuses anyone else); CI runs as root, and there it must not be skipped.
  const root = process.getuid?.() === 0;
  const installSkip = root ? false : process.env.CI === 'true' ? false : 'needs root (CI runs it as root)';

  /**
   * A stand-in apt-get that logs its arguments and exits `exitCode`; on `install` it creates the commands named in
   * `provides`, as the real one would install packages, in its own directory (which is on PATH).
   */
  function stubAptGet(provides: string[], exitCode = 0): { dir: string; log: string } {
    const dir = pathWith(allBut(['prometheus-pushgateway', 'faketime']));
    const log = join(dir, 'apt-get.log');
    const creates = provides.map(
      (command) => `printf '#!/bin/sh\\n' > "${dir}/${command}"; /bin/chmod 755 "${dir}/${command}"`,
    );
    writeFileSync(
      join(dir, 'apt-get'),
      `#!/bin/sh\necho "$*" >> "${log}"\nif [ "$1" = install ] && [ ${exitCode} = 0 ]; then ${creates.join('; ') || ':'}; fi\nexit ${exitCode}\n`,
    );
    chmodSync(join(dir, 'apt-get'), 0o755);
    return { dir, log };
  }

  it('as root with apt-get, installs the missing packages and then passes', { skip: installSkip }, () => {
    assert.ok(root, 'the install path needs root');
    const { dir, log } = stubAptGet(['prometheus-pushgateway', 'faketime']);
    dirs.push(dir);
    const run = runCheck(dir, false);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /installing missing tools with apt-get \(prometheus-pushgateway faketime\)/);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
      'update -qq',
      'install -y -qq --no-install-recommends prometheus-pushgateway faketime',
    ]);
  });

  it('as root, a failing apt-get install fails the check, saying so', { skip: installSkip }, () => {
    const { dir } = stubAptGet([], 100);
    dirs.push(dir);
    const run = runCheck(dir, false);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /apt-get update failed \(exit 100\)/);
  });

  it(
    'as root, a tool still missing after apt-get install fails the check, naming it',
    { skip: installSkip },
    () => {
      const { dir } = stubAptGet(['prometheus-pushgateway']);
      dirs.push(dir);
      const run = runCheck(dir, false);
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stderr,
        /still missing after apt-get install:\n {2}faketime \(Debian package faketime\)/,
      );
    },
  );

  it('.ci/run, npm test and the CI workflow run the same check first', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const commands = ci.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    const check = commands.findIndex((line) => line.trim() === 'node scripts/test-tools.js');
    assert.ok(check >= 0, '.ci/run calls scripts/test-tools.js');
    assert.ok(check < commands.findIndex((line) => line.startsWith('npm ')), 'before npm ci and npm test');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } };
    assert.match(pkg.scripts.test, /^node scripts\/test-tools\.js && /, 'npm test starts with it too');
    const workflow = readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8');
    assert.match(
      workflow,
      /run: sudo "\$\(command -v node\)" scripts\/test-tools\.js/,
      'so does the GitHub workflow',
    );
    assert.doesNotMatch(workflow, /apt-get install/, 'and names no package list of its own');
  });
});
