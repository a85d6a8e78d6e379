import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and remembers its sockets, so close() never waits on a hung client. */
async function listen(server: Server, host = '127.0.0.1', scheme = 'http'): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  // A TLS server's raw sockets come as 'connection' too; destroying those ends their TLS sessions.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function startHttpServer(handler: RequestListener, host?: string): Promise<RunningServer> {
  return listen(createHttpServer(handler), host);
}

/** Where the test TLS files are: a CA (`ca.pem`) and a server certificate it signed for IP 127.0.0.1. */
export const TLS_FIXTURES = new URL('../fixtures/tls/', import.meta.url);

/**
 * An HTTPS server on 127.0.0.1 whose certificate is signed by the test CA, which nothing trusts unless
 * told to (NODE_EXTRA_CA_CERTS, as a user with a private CA would).
 */
export function startHttpsServer(handler: RequestListener): Promise<RunningServer> {
  const server = createHttpsServer(
    {
      key: readFileSync(new URL('server.key', TLS_FIXTURES)),
      cert: readFileSync(new URL('server.pem', TLS_FIXTURES)),
    },
    handler,
  );
  return listen(server, '127.0.0.1', 'https');
}

/** A TCP server that accepts connections and never says a word. */
export function startSilentServer(): Promise<RunningServer> {
  return listen(createTcpServer(() => undefined));
}

/** A port on which nothing listens (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = await startSilentServer();
  await server.close();
  return server.url;
}
