import {
  parseConfig
} from "./chunk-KGVMHD67.js";

// src/sandbox/demo.ts
var DEMO_API_KEY = "sandbox-api-key";
var DEMO_GITHUB_TOKEN = "sandbox-github-token";
var DEMO_PLANES = {
  "us-east-1": "healthy",
  "us-west-2": "slow",
  "eu-west-1": "no_user",
  "eu-central-1": "no_model",
  "ap-south-1": "predict_500",
  "ap-northeast-1": "async_failed",
  "sa-east-1": "predict_hang"
};
var DEMO_MAINTENANCE_PLANE = "ap-northeast-1";
var DEMO_MAINTENANCE = ', maintenance: [{ cron: "0 0 * * *", duration: 1d, note: "demo: a plane being upgraded (a daily window, a day long)" }]';
function demoConfigYaml(sandboxUrl, extra = "") {
  const planes = Object.keys(DEMO_PLANES).map(
    (name) => `  - { name: ${name}, inferenceUrl: "${sandboxUrl}/planes/${name}"${name === DEMO_MAINTENANCE_PLANE ? DEMO_MAINTENANCE : ""} }`
  ).join("\n");
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
function demoConfig(sandboxUrl) {
  return parseConfig(demoConfigYaml(sandboxUrl));
}
function demoSelfHealYaml(githubUrl) {
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

export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  DEMO_MAINTENANCE_PLANE,
  demoConfigYaml,
  demoConfig,
  demoSelfHealYaml
};
