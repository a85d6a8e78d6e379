// Filled in by scripts/build.js (esbuild `define`); absent when the sources run directly (tsx).
declare const __PLANECHECK_VERSION__: string | undefined;
declare const __PLANECHECK_REVISION__: string | undefined;

/** What `planecheck_build_info` reports: the package version and the git revision it was built from. */
export const BUILD_INFO = {
  version: typeof __PLANECHECK_VERSION__ === 'string' ? __PLANECHECK_VERSION__ : 'unknown',
  revision:
    typeof __PLANECHECK_REVISION__ === 'string' && __PLANECHECK_REVISION__ !== ''
      ? __PLANECHECK_REVISION__
      : 'unknown',
} as const;
