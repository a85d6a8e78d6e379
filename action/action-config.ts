import { readFile } from 'node:fs/promises';
import { ConfigError, parseYaml, validateConfig } from '../src/config/parse.js';
import type { Config } from '../src/config/schema.js';
import { InputError, type Inputs } from './inputs.js';

export interface Defaults {
  /** owner/repo of the workflow run (GITHUB_REPOSITORY), for self-heal without a config file. */
  repository?: string;
  /** The API of the GitHub that runs the Action (GitHub Enterprise Server too). */
  apiUrl: string;
}

/**
 * The planecheck config for this run: the config file (with `${ENV}` from the step's environment),
 * or one built from the inline inputs. Either way it goes through the same validation as the daemon's.
 */
export async function buildConfig(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  defaults: Defaults,
): Promise<Config> {
  let document: Record<string, unknown>;
  if (inputs.configPath) {
    let text: string;
    try {
      text = await readFile(inputs.configPath, 'utf8');
    } catch {
      throw new InputError('config', `cannot read ${inputs.configPath}`);
    }
    const parsed = naming(inputs, () => parseYaml(text));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('config', `${inputs.configPath} is not a YAML mapping`);
    }
    document = parsed as Record<string, unknown>;
  } else {
    document = {
      platform: { controlPlaneUrl: inputs.controlPlaneUrl },
      workloadPlanes: inlinePlanes(inputs.workloadPlanes ?? ''),
    };
  }
  const platform = (document.platform ?? {}) as Record<string, unknown>;
  if (inputs.platformApiKey !== undefined) platform.apiKey = literal(inputs.platformApiKey);
  else if (platform.apiKey === undefined)
    throw new InputError('platform-api-key', 'required (or platform.apiKey in the config)');
  document.platform = platform;
  if (inputs.selfHeal) {
    const selfHeal = (document.selfHeal ?? {}) as Record<string, unknown>;
    selfHeal.enabled = true;
    selfHeal.repository ??= defaults.repository;
    document.selfHeal = selfHeal;
    const github = (document.github ?? {}) as Record<string, unknown>;
    // The input defaults to the job's GITHUB_TOKEN, so credentials set in the config file take precedence.
    if (inputs.githubToken !== undefined && github.token === undefined && github.app === undefined) {
      github.token = literal(inputs.githubToken);
    }
    github.apiUrl ??= defaults.apiUrl;
    if (github.token === undefined && github.app === undefined)
      throw new InputError('github-token', 'required with self-heal: true');
    document.github = github;
  }
  // The one-shot check has no server or database.
  delete document.server;
  delete document.storage;
  // ${ENV} interpolation and validation run exactly as for the daemon.
  return naming(inputs, () => validateConfig(document, env));
}

/** Runs `parse`, naming the input in its config errors. */
function naming<T>(inputs: Inputs, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      const where = inputs.configPath ? `input config (${inputs.configPath})` : 'inputs';
      throw new ConfigError(error.issues, where);
    }
    throw error;
  }
}

function inlinePlanes(text: string): { name: string; inferenceUrl: unknown }[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    throw new InputError('workload-planes', 'not valid YAML: use lines of "name: https://inference-url"');
  }
  if (Array.isArray(parsed)) return parsed as { name: string; inferenceUrl: unknown }[];
  if (parsed !== null && typeof parsed === 'object') {
    return Object.entries(parsed as Record<string, unknown>).map(([name, inferenceUrl]) => ({
      name,
      inferenceUrl,
    }));
  }
  throw new InputError('workload-planes', 'expected lines of "name: https://inference-url"');
}

/** An input value as a config string that `${...}` interpolation leaves alone. */
function literal(value: string): string {
  return value.replace(/\$/g, '$$$$');
}
