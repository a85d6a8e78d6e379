// The reference for /metrics latency: a bare node:http server that answers every request with the same
// bytes the daemon's /metrics sent (gzip), read once from a file.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

/** Serves `bodyFile` on a free loopback port; resolves to the server and its /metrics URL. */
export async function serveReferenceBody(bodyFile: string): Promise<{ server: Server; url: string }> {
  const body = readFileSync(bodyFile);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-encoding': 'gzip',
      'content-length': body.length,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/metrics` };
}
