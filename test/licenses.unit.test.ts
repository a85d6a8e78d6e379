import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers/run.js';

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  licenseFiles: { file: string; text: string }[];
}

/** scripts/licenses.js, the build's plain-JS helper (no type declarations). */
const { bundledPackages, packageDirOf, renderLicenses } = (await import(
  pathToFileURL(join(ROOT, 'scripts/licenses.js')).href
)) as {
  packageDirOf: (path: string) => string | undefined;
  bundledPackages: (metafile: unknown, output: string, root: string) => BundledPackage[];
  renderLicenses: (packages: BundledPackage[], output: string) => string;
};

describe('dist/licenses.txt (the licences of what dist/action.js bundles)', () => {
  it('packageDirOf finds the innermost package of a bundled file', () => {
    const cases: [string, string | undefined][] = [
      ['node_modules/zod/v4/core/core.js', 'node_modules/zod'],
      ['node_modules/@actions/core/lib/core.js', 'node_modules/@actions/core'],
      [
        'node_modules/@actions/github/node_modules/undici/lib/fetch.js',
        'node_modules/@actions/github/node_modules/undici',
      ],
      ['src/check/checker.ts', undefined],
    ];
    for (const [path, expected] of cases) assert.equal(packageDirOf(path), expected, path);
  });

  it('lists every package in the bundle with its licence text, as the build wrote it', async () => {
    // The same bundle as scripts/build.js, kept in memory: which packages end up in it.
    const result = await build({
      entryPoints: { action: join(ROOT, 'action/index.ts') },
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: 'dist',
      external: ['better-sqlite3'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const packages = bundledPackages(result.metafile, 'dist/action.js', ROOT);
    const names = packages.map((pkg) => pkg.name);
    for (const expected of ['@actions/core', 'octokit', 'prom-client', 'js-yaml', 'zod', 'undici'])
      assert.ok(names.includes(expected), `${expected} is bundled and listed`);
    assert.ok(!names.includes('better-sqlite3') && !names.includes('esbuild'));
    for (const pkg of packages)
      assert.ok(pkg.licenseFiles.length > 0, `${pkg.name}@${pkg.version} ships a licence file`);

    const written = readFileSync(join(ROOT, 'dist/licenses.txt'), 'utf8');
    assert.equal(
      written,
      renderLicenses(packages, 'dist/action.js'),
      'dist/licenses.txt is current: run npm run build',
    );
    assert.match(
      written,
      /^@actions\/core \S+ \(MIT\)\n={78}\n--- LICENSE\.md\n[^]*?Permission is hereby granted/m,
    );
    assert.match(written, /^prom-client \S+ \(Apache-2\.0\)\n/m);
  });
});
