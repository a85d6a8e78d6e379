/**
 * The oldest Node.js planecheck runs on: undici 7 (the platform client) declares >= 20.18.1, the dev tools
 * (eslint) ^20.19.0, and `zlib.crc32` (the gzip'd /metrics) needs 20.15. Kept with `engines` in package.json;
 * the entries check it first so an older Node gets one line, not a TypeError later.
 */
export const NODE_FLOOR = '20.19.0';

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** Why `version` cannot run planecheck, or undefined when it can. */
export function unsupportedNode(version: string): string | undefined {
  const have = parts(version);
  const need = parts(NODE_FLOOR);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a > b) return undefined;
    if (a < b) return `planecheck needs Node.js ${NODE_FLOOR} or newer; this is ${version}`;
  }
  return undefined;
}
