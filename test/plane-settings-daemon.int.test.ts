import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon } from './helpers/daemon.js';
import { promtoolCheckMetrics } from './helpers/promtool.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'plane-settings-key';
const GITHUB_TOKEN = 'ghp_planeSettingsToken0000000000';

interface PlaneView {
  name: string;
  status: string;
  labels: Record<string, string>;
  selfHealEnabled: boolean;
  selfHeal: { outcome: string | null }[];
}

describe('the daemon with per-plane settings', () => {
  it("self-heals only the plane that turns it on, and exports each plane's labels on planecheck_plane_info", async () => {
    // Both planes lack their user; self-heal is off for the section and on for ps-heal alone.
    const platform = new SandboxPlatform({
      apiKey: API_KEY,
      planes: { 'ps-heal': 'no_user', 'ps-off': 'no_user' },
    });
    await platform.start();
    const github = new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 300,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
    });
    await github.start();
    const dir = tempDir('planecheck-plane-settings-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 2s, cacheTtl: 5s, planeTimeout: 1500ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 1s, pollInterval: 50ms }
workloadPlanes:
  - name: ps-heal
    inferenceUrl: "${platform.inferenceUrl('ps-heal')}"
    selfHeal: { enabled: true }
  - name: ps-off
    inferenceUrl: "${platform.inferenceUrl('ps-off')}"
    labels: { team: payments, region: "eu \\"west\\"" }
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { repository: acme/platform, runPollInterval: 200ms }
github: { apiUrl: "${github.url}", token: "${GITHUB_TOKEN}" }
`,
    );
    const daemon = await startDaemon(['--config', path]);
    try {
      const planes = await eventually(
        async () => {
          const body = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as { planes: PlaneView[] };
          const healed = body.planes.find((plane) => plane.name === 'ps-heal');
          return healed?.selfHeal[0]?.outcome === 'fixed' ? body.planes : undefined;
        },
        20_000,
        'ps-heal to be healed',
      );
      // ps-off has been NO_USER through every cycle that healed ps-heal, and nothing was dispatched for it.
      const off = planes.find((plane) => plane.name === 'ps-off');
      assert.equal(off?.status, 'NO_USER');
      assert.deepEqual(off?.selfHeal, []);
      assert.deepEqual(
        github.runs.map((run) => run.inputs.workload_plane),
        ['ps-heal'],
      );
      assert.deepEqual(
        planes.map((plane) => [plane.name, plane.selfHealEnabled, plane.labels]),
        [
          ['ps-heal', true, {}],
          ['ps-off', false, { team: 'payments', region: 'eu "west"' }],
        ],
      );
      assert.ok(
        !daemon.logs.some((line) => line.plane === 'ps-off' && String(line.msg).startsWith('self-heal')),
        'no self-heal log line about ps-off',
      );

      const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
      assert.match(metrics, /^planecheck_plane_info\{workload_plane="ps-heal"\} 1$/m);
      assert.match(
        metrics,
        /^planecheck_plane_info\{workload_plane="ps-off",team="payments",region="eu \\"west\\""\} 1$/m,
      );
      const promtool = await promtoolCheckMetrics(metrics);
      assert.equal(promtool.output, '', 'promtool check metrics reports nothing');
    } finally {
      assert.equal(await daemon.stop(), 0);
      await platform.close();
      await github.close();
    }
  });
});
