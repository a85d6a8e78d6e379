import { ConfigError } from './parse.js';

export const INSTANCE_ENV = 'PLANECHECK_INSTANCE';
export const INSTANCE_MAX_LENGTH = 100;

/**
 * Pure: this daemon's instance name, which every result it stores carries (`checkedBy`) and the status
 * API names as the one answering. From `--instance`, else PLANECHECK_INSTANCE, else `host:pid` (so two
 * daemons on one host differ). A bad name is a ConfigError naming where it came from.
 */
export function resolveInstanceName(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  host: { hostname: string; pid: number },
): string {
  if (flag !== undefined) return validInstanceName(flag, '--instance');
  const fromEnv = env[INSTANCE_ENV];
  if (fromEnv !== undefined) return validInstanceName(fromEnv, INSTANCE_ENV);
  return validInstanceName(`${host.hostname}:${host.pid}`, 'the host name');
}

/** `name` if it is 1-100 printable characters without whitespace; else a ConfigError naming `source`. */
export function validInstanceName(name: string, source: string): string {
  const problem = instanceNameProblem(name);
  if (problem === undefined) return name;
  throw new ConfigError([{ path: '', message: `instance name ${JSON.stringify(name)} ${problem}` }], source);
}

function instanceNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length === 0) return 'is empty: give 1 to 100 printable characters without whitespace';
  if (length > INSTANCE_MAX_LENGTH) return `is ${length} characters long, more than ${INSTANCE_MAX_LENGTH}`;
  if (/\s/u.test(name)) return 'contains whitespace';
  // Control, format, unassigned, surrogate and private-use characters do not print.
  if (/\p{C}/u.test(name)) return 'contains a character that does not print';
  return undefined;
}
