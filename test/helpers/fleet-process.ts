// A fleet of real daemons (node dist/daemon.js) on one real PostgreSQL and one sandbox platform.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { SandboxPlatform, type SandboxPlatformOptions } from '../../src/sandbox/sandbox-platform.js';
import type { DaemonProcess } from './daemon.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { tempDir } from './tmp.js';

export const API_KEY = 'fleet-api-key';
export const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export interface PlaneStatusView {
  name: string;
  status: string;
  reason: string | null;
  checkedAt: number | string | null;
  checkedBy: string | null;
  lastStatus: string | null;
}

/** A config file for a fleet replica: every plane of `planes` in `sandbox`, results in PostgreSQL at `url`. */
export function fleetConfig(
  sandbox: SandboxPlatform,
  planes: readonly string[],
  url: string,
  schedule = '{ interval: 2s, cacheTtl: 4s, concurrency: 8, planeTimeout: 1500ms }',
  extra = '',
): string {
  const dir = tempDir('planecheck-fleet-');
  const path = join(dir, 'planecheck.yaml');
  writeFileSync(
    path,
    `schedule: ${schedule}
platform:
  controlPlaneUrl: "${sandbox.url}"
  apiKey: \${PLATFORM_API_KEY}
  requestTimeout: 1s
  asyncTimeout: 1s
  pollInterval: 50ms
workloadPlanes:
${planes.map((plane) => `  - { name: ${plane}, inferenceUrl: "${sandbox.inferenceUrl(plane)}" }`).join('\n')}
server: { listen: "127.0.0.1:0" }
storage: { url: "${url}" }
${extra}`,
  );
  return path;
}

export async function planeStatuses(url: string): Promise<PlaneStatusView[]> {
  const body = (await (await fetch(`${url}/api/v1/status`)).json()) as { planes: PlaneStatusView[] };
  return body.planes;
}

/**
 * Registers the hooks of a test file whose daemons share one PostgreSQL and one sandbox platform: both start
 * before the tests; every daemon pushed to `daemons`, the sandbox and the server stop after them, whatever failed.
 */
export function useFleetRig(sandboxOptions: Partial<SandboxPlatformOptions> = {}): {
  sandbox: SandboxPlatform;
  daemons: DaemonProcess[];
  postgres: () => TestPostgres;
} {
  let server: TestPostgres | undefined;
  const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {}, ...sandboxOptions });
  const daemons: DaemonProcess[] = [];
  before(async () => {
    server = await startPostgres();
    await sandbox.start();
  });
  after(async () => {
    await Promise.allSettled(daemons.map((daemon) => daemon.stop('SIGKILL')));
    await sandbox.close();
    await server?.close();
  });
  const postgres = () => {
    if (server === undefined) throw new Error('PostgreSQL is started in before()');
    return server;
  };
  return { sandbox, daemons, postgres };
}
