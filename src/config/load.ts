import { readFile } from 'node:fs/promises';
import { ConfigError, parseConfig, parseYaml, type ConfigIssue } from './parse.js';
import { privateKeyProblem } from './private-key.js';
import type { Config } from './schema.js';

/** Where the config comes from: `--config FILE`, else `PLANECHECK_CONFIG`. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? (env.PLANECHECK_CONFIG || undefined);
}

export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read ${path}: ${readError(error)}` }], path);
  }
  let config: Config | undefined;
  const issues: ConfigIssue[] = [];
  try {
    config = parseConfig(text, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  // The key file is read even when other fields are wrong, so its error comes in the same round.
  const keyPath = config ? config.github?.app?.privateKeyPath : rawPrivateKeyPath(text);
  const key = keyPath === undefined ? undefined : await readPrivateKeyFile(keyPath);
  if (key?.issue) issues.push(key.issue);
  if (issues.length > 0 || config === undefined) throw new ConfigError(issues, path);
  const app = config.github?.app;
  if (key?.text === undefined || app === undefined || config.github === undefined) return config;
  return { ...config, github: { ...config.github, app: { ...app, privateKey: key.text } } };
}

/** `github.app.privateKeyPath` as written, when the rest of the file did not validate (no `${VAR}` in it). */
function rawPrivateKeyPath(text: string): string | undefined {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch {
    return undefined; // the syntax error is reported already
  }
  const value = (raw as { github?: { app?: { privateKeyPath?: unknown } } } | null)?.github?.app
    ?.privateKeyPath;
  return typeof value === 'string' && value !== '' && !value.includes('$') ? value : undefined;
}

/**
 * Reads the GitHub App key file at load, so an unreadable or unusable key is a config error at start (exit 2,
 * before any file is created) rather than a crash or a failing self-heal later.
 */
async function readPrivateKeyFile(file: string): Promise<{ text?: string; issue?: ConfigIssue }> {
  const field = 'github.app.privateKeyPath';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { issue: { path: field, message: `cannot read ${file}: ${readError(error)}` } };
  }
  const problem = privateKeyProblem(text);
  if (problem !== undefined) return { issue: { path: field, message: `${file}: ${problem}` } };
  return { text };
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return String(code ?? error);
}
