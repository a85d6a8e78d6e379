import { parseDuration } from '../src/config/duration.js';
import { PLANE_STATUSES, type PlaneStatus } from '../src/check/result.js';

/** The Action's inputs, read once and checked. */
export interface Inputs {
  /** Path to a planecheck YAML config in the workspace. */
  configPath?: string;
  /** Inline planes: YAML mapping name -> inference URL, or a list of {name, inferenceUrl}. */
  workloadPlanes?: string;
  controlPlaneUrl?: string;
  platformApiKey?: string;
  /** Subset of planes to check; empty: all. */
  planes: string[];
  failOn: PlaneStatus[];
  selfHeal: boolean;
  githubToken?: string;
  timeoutMs: number;
  pushgatewayUrl?: string;
}

export class InputError extends Error {
  override name = 'InputError';
  constructor(input: string, message: string) {
    super(`input ${input}: ${message}`);
  }
}

type GetInput = (name: string) => string;

/** Reads and validates every input; the first problem is thrown as an InputError naming the input. */
export function readInputs(getInput: GetInput): Inputs {
  const optional = (name: string) => getInput(name).trim() || undefined;
  const configPath = optional('config');
  const workloadPlanes = optional('workload-planes');
  const controlPlaneUrl = optional('control-plane-url');
  if (configPath && workloadPlanes)
    throw new InputError('config', 'set either config or workload-planes, not both');
  if (!configPath && !workloadPlanes)
    throw new InputError('config', 'set config (a planecheck YAML file) or workload-planes');
  if (workloadPlanes && !controlPlaneUrl)
    throw new InputError('control-plane-url', 'required with workload-planes');

  const failOn = list(getInput('fail-on') || 'NO_USER,NO_ORACLE,FAILED');
  for (const status of failOn) {
    if (!PLANE_STATUSES.includes(status as PlaneStatus)) {
      throw new InputError('fail-on', `unknown status "${status}": use ${PLANE_STATUSES.join(', ')}`);
    }
  }
  const timeoutText = optional('timeout') ?? '10m';
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined || timeoutMs < 1_000 || timeoutMs > 6 * 3_600_000) {
    throw new InputError('timeout', `"${timeoutText}" is not a duration between 1s and 6h (e.g. 90s, 10m)`);
  }
  const pushgatewayUrl = optional('pushgateway-url');
  if (pushgatewayUrl !== undefined && !/^https?:\/\//.test(pushgatewayUrl)) {
    throw new InputError('pushgateway-url', 'expected an http(s) URL');
  }
  return {
    configPath,
    workloadPlanes,
    controlPlaneUrl,
    platformApiKey: optional('platform-api-key'),
    planes: list(getInput('planes')),
    failOn: failOn as PlaneStatus[],
    selfHeal: boolean('self-heal', getInput('self-heal')),
    githubToken: optional('github-token'),
    timeoutMs,
    pushgatewayUrl,
  };
}

function list(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function boolean(name: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(name, `expected true or false, got "${text}"`);
}
