// The reference for /metrics latency while idle: the bare server of reference-server.ts in a process of its
// own, doing nothing else. What 50 concurrent scrapes cost a server that only sends those bytes here.
// argv: bodyFile. Prints one JSON line: {"url": ...}.
import { serveReferenceBody } from './reference-server.js';

const { server, url } = await serveReferenceBody(process.argv[2] ?? '');
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
