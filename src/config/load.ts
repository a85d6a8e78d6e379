import { readFile } from 'node:fs/promises';
import { ConfigError, parseConfig } from './parse.js';
import { isPemPrivateKey, type Config } from './schema.js';

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
  let config: Config;
  try {
    config = parseConfig(text, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, path);
    throw error;
  }
  return withPrivateKeyFile(config, path);
}

/**
 * Reads `github.app.privateKeyPath` while the config is loaded, so an unreadable key is a config error
 * at start (exit 2, before any file is created) rather than a crash when the GitHub client is built.
 */
async function withPrivateKeyFile(config: Config, source: string): Promise<Config> {
  const app = config.github?.app;
  if (app?.privateKeyPath === undefined || config.github === undefined) return config;
  const field = 'github.app.privateKeyPath';
  let privateKey: string;
  try {
    privateKey = await readFile(app.privateKeyPath, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [{ path: field, message: `cannot read ${app.privateKeyPath}: ${readError(error)}` }],
      source,
    );
  }
  if (!isPemPrivateKey(privateKey)) {
    throw new ConfigError(
      [{ path: field, message: `${app.privateKeyPath} does not hold a PEM private key` }],
      source,
    );
  }
  return { ...config, github: { ...config.github, app: { ...app, privateKey } } };
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return String(code ?? error);
}
