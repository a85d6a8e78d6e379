import { readdirSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { clientProcess } from './socket-owner.js';

export interface TcpGate {
  port: number;
  /** Resolves once the gate has opened. */
  opened: Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort` that holds every connection until `processes` distinct
 * client processes have connected, then lets them all through at once, and every later connection straight
 * away. Processes started "at the same moment" are hundreds of milliseconds apart by the time they reach a
 * server; behind the gate they really meet it at the same moment (schema migrations racing, say).
 */
export async function startTcpGate(targetPort: number, processes: number): Promise<TcpGate> {
  const held: Socket[] = [];
  const clients = new Set<number>();
  const sockets = new Set<Socket>();
  let open = false;
  let markOpen = () => {};
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  const pass = (client: Socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = createServer((client) => {
    sockets.add(client);
    if (open) return pass(client);
    client.on('error', () => client.destroy());
    held.push(client); // not read until piped: what it sends waits in the socket
    const pid = clientProcess(client.remotePort ?? -1, port, otherProcesses());
    if (pid !== undefined) clients.add(pid);
    if (clients.size < processes) return;
    open = true;
    for (const waiting of held.splice(0)) {
      waiting.removeAllListeners('error');
      if (!waiting.destroyed) pass(waiting);
    }
    markOpen();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    opened,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function otherProcesses(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}
