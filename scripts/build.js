// Builds dist/ with esbuild.
// - dist/cli.js, dist/daemon.js (+ dist/chunks/): load their dependencies from node_modules
//   (better-sqlite3 is a native addon and cannot be bundled).
// - dist/action.js: the GitHub Action, one self-contained file (runners run it from a checkout, with no
//   npm install), so every dependency is bundled in; it never reaches better-sqlite3. Not minified, so
//   stack traces in a runner's log name the functions and files they come from.
// - dist/licenses.txt: the licences of the packages bundled into dist/action.js.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { build } from 'esbuild';
import { bundledPackages, renderLicenses } from './licenses.js';

// planecheck_build_info: the version from package.json; the revision from PLANECHECK_REVISION (the image
// build and release jobs pass `git rev-parse HEAD`), not from git itself, so that the committed dist/ is
// the same whichever commit rebuilds it (check-dist), and says "unknown".
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __PLANECHECK_VERSION__: JSON.stringify(version),
    __PLANECHECK_REVISION__: JSON.stringify(process.env.PLANECHECK_REVISION ?? 'unknown'),
  },
};

// Chunk names carry a content hash: clear the old ones so that dist/ holds only this build's.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts', daemon: 'src/daemon.ts' },
  outdir: 'dist',
  packages: 'external',
  // Code shared by both entries, and code loaded on demand (the demo sandbox, self-heal's GitHub
  // client), goes to chunks, so that the daemon loads only what its config uses.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

const action = await build({
  ...common,
  entryPoints: { action: 'action/index.ts' },
  outdir: 'dist',
  external: ['better-sqlite3'],
  metafile: true,
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __planecheckRequire } from 'node:module';\nconst require = __planecheckRequire(import.meta.url);",
  },
});
writeFileSync(
  'dist/licenses.txt',
  renderLicenses(bundledPackages(action.metafile, 'dist/action.js'), 'dist/action.js'),
);
