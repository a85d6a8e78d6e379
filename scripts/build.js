// Builds dist/ with esbuild. The CLI and daemon load their dependencies from node_modules
// (better-sqlite3 is a native addon and cannot be bundled).
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
