import { startHttpServer } from './servers.js';

/**
 * A proxy on 127.0.0.1 in front of a GitHub API that holds the answer to every workflow-runs listing until
 * the test lets it through (GitHub has answered it already): two replicas can then be made to have listed
 * the runs, with nothing running, before either records a dispatch.
 */
export async function startListingGate(upstream: () => string) {
  const waiting: (() => void)[] = [];
  const seen: { method: string; path: string }[] = [];
  const wakers = new Set<() => void>();
  let open = false;
  const server = await startHttpServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      seen.push({ method, path });
      wakers.forEach((wake) => wake());
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${upstream()}${path}`, {
        method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (!open && method === 'GET' && /\/actions\/workflows\/[^/]+\/runs/.test(path)) {
        const released = new Promise<void>((resolve) => waiting.push(resolve));
        wakers.forEach((wake) => wake());
        await released;
      }
      res
        .writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
          'content-length': String(body.length),
        })
        .end(body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  return {
    url: server.url,
    /** Requests in the order they arrived. */
    seen,
    /** How many listings are being held. */
    get held(): number {
      return waiting.length;
    },
    /** Resolves once `count` listings are held (at most 10 s). */
    waitForHeld(count: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (waiting.length < count) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`${waiting.length} of ${count} listings held after 10 s`));
        }, 10_000);
        wakers.add(check);
        check();
      });
    },
    /** Lets every held listing through, and those that come later. */
    release(): void {
      open = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
    close: async () => {
      open = true;
      for (const resolve of waiting.splice(0)) resolve();
      await server.close();
    },
  };
}
