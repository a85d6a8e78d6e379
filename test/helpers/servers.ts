import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and remembers its sockets, so close() never waits on a hung client. */
async function listen(server: Server, host = '127.0.0.1'): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
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
