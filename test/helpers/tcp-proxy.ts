// A TCP proxy to PostgreSQL that can turn silent (accepts, forwards nothing, answers nothing) and back, like
// a server that hangs or a network that drops packets without a reset.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SilenceableProxy {
  port: number;
  /** New and open connections stop passing bytes either way; nothing is closed. */
  silence(): void;
  forward(): void;
  close(): Promise<void>;
}

export async function startSilenceableProxy(upstreamPort: number): Promise<SilenceableProxy> {
  let silent = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    client.on('data', (chunk) => {
      if (!silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!silent) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    silence: () => (silent = true),
    forward: () => (silent = false),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
