import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findTool, TEST_TOOLS } from '../../scripts/test-tools.js';
import { freePort } from './pushgateway.js';

/** A PostgreSQL server of our own: Debian's `postgresql` package, a temp data directory, a free loopback port. */
export interface TestPostgres {
  /** `postgres://planecheck:secret@127.0.0.1:PORT/planecheck` */
  url: string;
  port: number;
  /** A URL for another, fresh database on the same server (each test its own). */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown), keeping its data: `start()` brings it back on the same port. */
  stopServer(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  close(): Promise<void>;
}

const USER = 'planecheck';
const PASSWORD = 'test-password-not-secret';

function binDir(): string {
  const tool = TEST_TOOLS.find((candidate) => candidate.command === 'postgres');
  const path = tool && findTool(tool, process.env.PATH);
  if (path === undefined) {
    throw new Error(
      'PostgreSQL server not found: install the Debian package "postgresql" (node scripts/test-tools.js)',
    );
  }
  return path.slice(0, path.lastIndexOf('/'));
}

/** As root, the server's programs run as `postgres` (postgres refuses to run as root). */
function asServerUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const owner = asServerUser();
  const root = mkdtempSync(join(tmpdir(), 'planecheck-pg-'));
  const data = join(root, 'data');
  const passwordFile = join(root, 'password');
  if (owner) {
    chmodSync(root, 0o755);
    chownSync(root, owner.uid, owner.gid);
  }
  const spawnOptions = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', USER, '--pwfile', passwordFile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync'],
    { ...spawnOptions, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  const start = async (): Promise<void> => {
    log = '';
    child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${root}`,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const started = Date.now();
    while (!/ready to accept connections/.test(log)) {
      if (child.exitCode !== null) throw new Error(`postgres exited at start:\n${log}`);
      if (Date.now() - started > 30_000) throw new Error(`postgres did not start within 30 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
  };

  const stopServer = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGINT'); // fast shutdown: ends the sessions, as a failover or a restart would
    });
  };

  await start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    async createDatabase(name) {
      const database = `${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } finally {
        await client.end();
      }
      return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
    },
    stopServer,
    start,
    async close() {
      await stopServer();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
