// The reference for /metrics latency: a bare node:http server, in a process of its own, that answers every
// request with the same bytes the daemon's /metrics sent (gzip), read once from a file. What 50 concurrent
// scrapes cost a server that does nothing but send those bytes on this machine.
// argv: bodyFile. Prints one JSON line: {"url": ...}.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2] ?? '');
const server = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    'content-encoding': 'gzip',
    'content-length': body.length,
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/metrics` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
