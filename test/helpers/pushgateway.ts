import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { eventually } from './daemon.js';

/** A free port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The Debian package's Pushgateway on a loopback port, for as long as the test needs it. The port is free when
 * chosen, but another test may take it before the Pushgateway binds: then the Pushgateway exits, and this starts
 * it again on another port, rather than let the test talk to someone else's Pushgateway.
 */
export async function startPushgateway(): Promise<{ url: string; stop: () => Promise<void> }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // No persistence: Debian's build keeps every group in /var/lib/prometheus/pushgateway.data by default, so
    // each test would see the groups of every earlier run.
    const child = spawn(
      'prometheus-pushgateway',
      [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='],
      { stdio: 'ignore' },
    );
    const failed = new Promise<'exited'>((resolve, reject) => {
      child.once('error', (error) =>
        reject(
          new Error(
            `prometheus-pushgateway could not start (${error.message}); install the Debian package "prometheus-pushgateway"`,
          ),
        ),
      );
      child.once('exit', () => resolve('exited'));
    });
    const url = `http://127.0.0.1:${port}`;
    const ready = eventually(
      async () => {
        if (child.exitCode !== null) return 'exited' as const;
        return (await fetch(`${url}/-/ready`)).ok ? ('ready' as const) : undefined;
      },
      10_000,
      'the Pushgateway',
    );
    const outcome = await Promise.race([ready, failed]);
    // Ours answered only if it is still running once the port answered.
    if (outcome === 'ready' && child.exitCode === null) {
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
    if (attempt >= 5) throw new Error(`prometheus-pushgateway could not bind a port in ${attempt} attempts`);
  }
}
