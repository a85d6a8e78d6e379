import { parseConfig } from '../../src/config/parse.js';
import type { Config } from '../../src/config/schema.js';

export interface TestPlane {
  name: string;
  inferenceUrl: string;
}

/** A config for tests, built through the real parser; `extra` is YAML merged at the top level. */
export function testConfig(options: {
  controlPlaneUrl: string;
  planes: TestPlane[];
  apiKey?: string;
  schedule?: string;
  platform?: string;
  extra?: string;
}): Config {
  const planes = options.planes
    .map((plane) => `  - { name: ${plane.name}, inferenceUrl: "${plane.inferenceUrl}" }`)
    .join('\n');
  return parseConfig(`
schedule: ${options.schedule ?? '{ interval: 10s, cacheTtl: 20s, concurrency: 8, planeTimeout: 5s }'}
platform:
  controlPlaneUrl: "${options.controlPlaneUrl}"
  apiKey: "${options.apiKey ?? 'test-key'}"
  requestTimeout: 1500ms
  asyncTimeout: 2s
  pollInterval: 50ms
${options.platform ?? ''}
workloadPlanes:
${planes}
${options.extra ?? ''}
`);
}
