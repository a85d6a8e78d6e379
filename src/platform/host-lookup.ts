import { Resolver } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Host name lookups that never touch libuv's thread pool.
 *
 * Node's default lookup is getaddrinfo(3) on the 4-thread pool: four lookups stuck on a resolver that
 * never answers hold every thread, and every other lookup (`localhost` included), file read and gzip
 * waits behind them, so planes that have nothing wrong time out. This asks the name servers itself
 * through c-ares (`dns.Resolver`, non-blocking sockets on the event loop) with a bounded timeout, and
 * answers what getaddrinfo would have answered without DNS itself: IP literals, the hosts file, and
 * `localhost`. Search domains and `ndots` are read from resolv.conf, as the system resolver does.
 */
export interface HostLookupOptions {
  /** Name servers (`IP` or `IP:port`); the system's (resolv.conf) when not given. */
  servers?: readonly string[];
  /** The longest one lookup may take, all tries together. */
  timeoutMs: number;
  hostsFile?: string;
  resolvConf?: string;
}

/** How often the hosts file is checked for changes (a stat, then a read only when it changed). */
const HOSTS_RECHECK_MS = 5_000;
/** A name that does not exist under one search domain may exist under the next. */
const NAME_MISSING = new Set(['ENOTFOUND', 'ENODATA']);

export function createHostLookup(options: HostLookupOptions): LookupFunction {
  // c-ares waits longer on each retry: two tries with a per-try timeout of T give up after about 4T
  // (measured), so T = timeoutMs/5 fails a lookup on a silent resolver as dns_error (ETIMEOUT) at
  // ~0.8 of the request deadline, with the cause named rather than a bare timeout.
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(options.timeoutMs / 5)), tries: 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  const hosts = new HostsFile(options.hostsFile ?? '/etc/hosts');
  const search = readSearchConfig(options.resolvConf ?? '/etc/resolv.conf');

  return (hostname, lookupOptions, callback) => {
    const family = familyOf(lookupOptions);
    resolveHost(hostname, family, resolver, hosts, search).then(
      (addresses) => {
        if (lookupOptions.all) return callback(null, addresses);
        const first = addresses[0];
        if (first === undefined) return callback(lookupError(hostname, 'ENOTFOUND'), '', 0);
        callback(null, first.address, first.family);
      },
      (error: unknown) => {
        // Only a resolver's errno-style code is a DNS failure. Anything else is a bug here: passed on
        // as it is, so the check reports it as internal_error instead of blaming DNS.
        const code = codeOf(error);
        callback(code === undefined ? asError(error) : lookupError(hostname, code), '', 0);
      },
    );
  };
}

function familyOf(options: LookupOptions): 0 | 4 | 6 {
  const family = options.family;
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** The addresses for a name: IPv4 first, then IPv6 (both are tried when the socket picks a family). */
async function resolveHost(
  hostname: string,
  family: 0 | 4 | 6,
  resolver: Resolver,
  hosts: HostsFile,
  search: SearchConfig,
): Promise<LookupAddress[]> {
  const name = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(name);
  if (literal !== 0) return [{ address: name, family: literal }];
  const lower = name.toLowerCase().replace(/\.$/, '');
  const local = hosts.lookup(lower) ?? localhostAddresses(lower);
  if (local !== undefined) return byFamily(local, family);

  let lastError: unknown;
  for (const candidate of searchCandidates(name, search)) {
    try {
      return await queryAddresses(candidate, family, resolver);
    } catch (error) {
      lastError = error;
      if (!NAME_MISSING.has(codeOf(error) ?? '')) break;
    }
  }
  throw lastError;
}

/**
 * Asks for A and AAAA records at once, and answers as soon as the A records are in: a resolver that
 * drops AAAA queries (some do) then costs nothing. Without A records, the AAAA answer decides.
 */
async function queryAddresses(name: string, family: 0 | 4 | 6, resolver: Resolver): Promise<LookupAddress[]> {
  const v6 = family === 4 ? undefined : resolver.resolve6(name);
  v6?.catch(() => undefined); // settled later, or never looked at
  if (family !== 6) {
    try {
      const v4 = await resolver.resolve4(name);
      if (v4.length > 0) return v4.map((address) => ({ address, family: 4 }));
    } catch (error) {
      if (v6 === undefined) throw error;
    }
  }
  const addresses = (await v6) ?? [];
  if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
  return addresses.map((address) => ({ address, family: 6 }));
}

function byFamily(addresses: readonly LookupAddress[], family: 0 | 4 | 6): LookupAddress[] {
  return family === 0 ? [...addresses] : addresses.filter((entry) => entry.family === family);
}

/** RFC 6761: `localhost` and names under it are the loopback, whatever the hosts file says or lacks. */
function localhostAddresses(name: string): LookupAddress[] | undefined {
  if (name !== 'localhost' && !name.endsWith('.localhost')) return undefined;
  return [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ];
}

interface SearchConfig {
  domains: string[];
  ndots: number;
}

/** `search`/`domain` and `options ndots:N` from resolv.conf; none and 1 when it cannot be read. */
export function parseSearchConfig(text: string): SearchConfig {
  let domains: string[] = [];
  let ndots = 1;
  for (const raw of text.split('\n')) {
    const [keyword, ...values] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (keyword === 'search' || keyword === 'domain') domains = values.filter(Boolean);
    if (keyword === 'options') {
      for (const option of values) {
        const match = /^ndots:(\d+)$/.exec(option);
        if (match) ndots = Math.min(Number(match[1]), 15);
      }
    }
  }
  return { domains, ndots };
}

function readSearchConfig(path: string): SearchConfig {
  try {
    return parseSearchConfig(readFileSync(path, 'utf8'));
  } catch {
    return { domains: [], ndots: 1 };
  }
}

/** The names to try, in the system resolver's order: as given first when it has `ndots` dots or more. */
export function searchCandidates(name: string, search: SearchConfig): string[] {
  if (name.endsWith('.')) return [name];
  const searched = search.domains.map((domain) => `${name}.${domain}`);
  const dots = name.split('.').length - 1;
  return dots >= search.ndots ? [name, ...searched] : [...searched, name];
}

/** The hosts file, parsed, and read again when it changes. */
class HostsFile {
  readonly #path: string;
  #entries = new Map<string, LookupAddress[]>();
  #mtimeMs = -1;
  #checkedAt = -Infinity;

  constructor(path: string) {
    this.#path = path;
  }

  lookup(name: string): LookupAddress[] | undefined {
    this.#refresh();
    return this.#entries.get(name);
  }

  #refresh(): void {
    const now = performance.now();
    if (now - this.#checkedAt < HOSTS_RECHECK_MS) return;
    this.#checkedAt = now;
    try {
      const mtimeMs = statSync(this.#path).mtimeMs;
      if (mtimeMs === this.#mtimeMs) return;
      this.#entries = parseHostsFile(readFileSync(this.#path, 'utf8'));
      this.#mtimeMs = mtimeMs;
    } catch {
      this.#entries = new Map();
      this.#mtimeMs = -1;
    }
  }
}

/** `address name [aliases...]` lines; names lower-cased, addresses in file order, IPv4 before IPv6. */
export function parseHostsFile(text: string): Map<string, LookupAddress[]> {
  const entries = new Map<string, LookupAddress[]>();
  for (const raw of text.split('\n')) {
    const [address = '', ...names] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    const family = isIP(address.replace(/%.*$/, ''));
    if (family === 0) continue;
    for (const name of names) {
      const key = name.toLowerCase().replace(/\.$/, '');
      const list = entries.get(key) ?? [];
      if (!list.some((entry) => entry.address === address)) list.push({ address, family });
      entries.set(key, list);
    }
  }
  for (const list of entries.values()) list.sort((a, b) => a.family - b.family);
  return entries;
}

/** The errno-style code (ENOTFOUND, ETIMEOUT...) of a lookup failure; undefined for anything else. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code) ? code : undefined;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The error a failed lookup reports. c-ares says ECONNREFUSED when the name server refuses, which
 * would read as the platform refusing a connection: it becomes EREFUSED, a DNS failure like the rest.
 */
function lookupError(hostname: string, code: string): NodeJS.ErrnoException {
  const dnsCode = code === 'ECONNREFUSED' ? 'EREFUSED' : code;
  return Object.assign(new Error(`host name lookup of ${hostname} failed (${dnsCode})`), {
    code: dnsCode,
    hostname,
    syscall: 'lookup',
  });
}
