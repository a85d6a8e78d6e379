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

/** The Debian package's Pushgateway on a loopback port, for as long as the test needs it. */
export async function startPushgateway(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(
        new Error(
          `prometheus-pushgateway could not start (${error.message}); install the Debian package "prometheus-pushgateway"`,
        ),
      ),
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    eventually(
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      10_000,
      'the Pushgateway',
    ),
    failed,
  ]);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
