// Builds dist/ with esbuild.
// - dist/cli.js, dist/daemon.js: load their dependencies from node_modules (better-sqlite3 is a native
//   addon and cannot be bundled).
// - dist/action.js: the GitHub Action, one self-contained file (runners run it from a checkout, with no
//   npm install), so every dependency is bundled in; it never reaches better-sqlite3.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts', daemon: 'src/daemon.ts' },
  outdir: 'dist',
  packages: 'external',
});

await build({
  ...common,
  entryPoints: { action: 'action/index.ts' },
  outdir: 'dist',
  external: ['better-sqlite3'],
  minify: true,
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __planecheckRequire } from 'node:module';\nconst require = __planecheckRequire(import.meta.url);",
  },
});
