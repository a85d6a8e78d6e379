import type { SandboxPlatform } from '../../src/sandbox/sandbox-platform.js';
import type { DaemonProcess } from './daemon.js';

export interface ReloadConfigOptions {
  /** YAML lines added to `platform`. */
  platform?: string;
  /** YAML added at the top level. */
  extra?: string;
  /** Inference URLs other than the sandbox's own for the plane. */
  urls?: Record<string, string>;
  /** YAML fields added to a plane's entry, by plane. */
  planeFields?: Record<string, string>;
  /** YAML fields added to `server` (after `listen`). */
  server?: string;
}

/**
 * The reload tests' config: `planes` on the sandbox (created healthy there), a 1 s schedule, the API key from
 * `${PLATFORM_API_KEY}`, SQLite at `dbPath`.
 */
export function reloadConfigYaml(
  sandbox: SandboxPlatform,
  planes: string[],
  dbPath: string,
  options: ReloadConfigOptions = {},
): string {
  for (const plane of planes)
    if (sandbox.scenario(plane) === undefined) sandbox.setScenario(plane, 'healthy');
  const entry = (plane: string) =>
    `  - { name: ${plane}, inferenceUrl: "${options.urls?.[plane] ?? sandbox.inferenceUrl(plane)}"` +
    `${options.planeFields?.[plane] ? `, ${options.planeFields[plane]}` : ''} }`;
  return `schedule: { interval: 1s, cacheTtl: 3s, concurrency: 8, planeTimeout: 800ms }
platform:
  controlPlaneUrl: "${sandbox.url}"
  apiKey: \${PLATFORM_API_KEY}
  requestTimeout: 700ms
  asyncTimeout: 700ms
  pollInterval: 50ms
${options.platform ?? ''}
workloadPlanes:
${planes.map(entry).join('\n')}
server: { listen: "127.0.0.1:0"${options.server ? `, ${options.server}` : ''} }
storage: { path: "${dbPath}" }
${options.extra ?? ''}`;
}

const isReloadEnd = (line: Record<string, unknown>) =>
  line.msg === 'config reloaded' || String(line.msg).startsWith('config reload refused');

/** Sends SIGHUP and waits for the reload's log line (applied or refused), which it returns. */
export async function sighupReload(daemon: DaemonProcess): Promise<Record<string, unknown>> {
  const before = daemon.logs.filter(isReloadEnd).length;
  daemon.child.kill('SIGHUP');
  await daemon.waitForLog(() => daemon.logs.filter(isReloadEnd).length > before);
  return daemon.logs.filter(isReloadEnd)[before] ?? {};
}
