import { parseConfig } from '../config/parse.js';
import type { Config } from '../config/schema.js';
import type { Scenario } from './sandbox-platform.js';

export const DEMO_API_KEY = 'sandbox-api-key';
export const DEMO_GITHUB_TOKEN = 'sandbox-github-token';

/** A plane in most states, so a newcomer sees every status on the first run. */
export const DEMO_PLANES: Record<string, Scenario> = {
  'us-east-1': 'healthy',
  'us-west-2': 'slow',
  'eu-west-1': 'no_user',
  'eu-central-1': 'no_model',
  'ap-south-1': 'predict_500',
  'ap-northeast-1': 'async_failed',
  'sa-east-1': 'predict_hang',
};

/**
 * The demo's plane in maintenance: a daily window a day long, so it always is. It still reads FAILED, but
 * self-heal and the alert rules leave it alone.
 */
export const DEMO_MAINTENANCE_PLANE = 'ap-northeast-1';
const DEMO_MAINTENANCE =
  ', maintenance: [{ cron: "0 0 * * *", duration: 1d, note: "demo: a plane being upgraded (a daily window, a day long)" }]';

/** The demo's config, built as YAML and validated like any user's file. */
export function demoConfigYaml(sandboxUrl: string, extra = ''): string {
  const planes = Object.keys(DEMO_PLANES)
    .map(
      (name) =>
        `  - { name: ${name}, inferenceUrl: "${sandboxUrl}/planes/${name}"${name === DEMO_MAINTENANCE_PLANE ? DEMO_MAINTENANCE : ''} }`,
    )
    .join('\n');
  return `schedule: { interval: 10s, cacheTtl: 25s, concurrency: 8, planeTimeout: 8s }
platform:
  controlPlaneUrl: "${sandboxUrl}"
  apiKey: "${DEMO_API_KEY}"
  requestTimeout: 2s
  asyncTimeout: 4s
  pollInterval: 200ms
workloadPlanes:
${planes}
${extra}`;
}

export function demoConfig(sandboxUrl: string): Config {
  return parseConfig(demoConfigYaml(sandboxUrl));
}

/** Self-heal against the sandbox GitHub: the demo's NO_USER and NO_ORACLE planes get repaired. */
export function demoSelfHealYaml(githubUrl: string): string {
  return `selfHeal:
  enabled: true
  repository: acme/platform
  workflow: production-smoke-test.yml
  cooldown: 2m
  runPollInterval: 1s
  runTimeout: 5m
github:
  apiUrl: "${githubUrl}"
  token: "${DEMO_GITHUB_TOKEN}"
`;
}
