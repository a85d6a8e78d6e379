import { readFile } from 'node:fs/promises';
import { ConfigError, parseConfig } from './parse.js';
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
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new ConfigError([{ path: '', message: `cannot read ${path}: ${why}` }], path);
  }
  try {
    return parseConfig(text, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, path);
    throw error;
  }
}
