import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer } from './servers.js';

/**
 * What the proxy does with a request a rule matches:
 * - `hang_after_forwarding`: GitHub carries it out, then the answer never comes (the client times out);
 * - `bad_gateway_after_forwarding`: GitHub carries it out, then the proxy answers 502 with its HTML page;
 * - `answer`: the proxy answers itself and GitHub never sees the request (a rate limit, say);
 * - `answer_after_forwarding`: GitHub carries it out, then the proxy answers this instead (a 408, a
 *   rewritten 200).
 */
type ProxyAnswer = { status: number; headers: Record<string, string>; body: string };
export type ProxyAction =
  | { kind: 'hang_after_forwarding' }
  | { kind: 'bad_gateway_after_forwarding' }
  | ({ kind: 'answer' } & ProxyAnswer)
  | ({ kind: 'answer_after_forwarding' } & ProxyAnswer);

export interface ProxyRule {
  method: string;
  path: RegExp;
  action: ProxyAction;
  /** How many matching requests get the action; then they pass through. */
  times: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The test's clock when the request arrived. */
  clockAt: number;
  /** Who answered: GitHub (`upstream`), the proxy itself, or nobody (`hung`). */
  answeredBy: 'upstream' | 'proxy' | 'hung';
  status: number | undefined;
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A reverse proxy on 127.0.0.1 in front of a GitHub API (the sandbox), misbehaving as `rules` say. */
export async function startGithubProxy(options: {
  upstream: () => string;
  rules: ProxyRule[];
  clock?: () => number;
}) {
  const seen: ProxiedRequest[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((wake) => wake());
  const rules = options.rules.map((rule) => ({ ...rule }));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: ProxiedRequest = {
      method,
      path,
      clockAt: (options.clock ?? Date.now)(),
      answeredBy: 'upstream',
      status: undefined,
    };
    seen.push(record);
    const rule = rules.find((r) => r.times > 0 && r.method === method && r.path.test(path));
    if (rule) rule.times--;
    const action = rule?.action;
    if (action?.kind === 'answer') {
      record.answeredBy = 'proxy';
      record.status = action.status;
      res.writeHead(action.status, action.headers).end(action.body);
      notify();
      return;
    }

    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(`${options.upstream()}${path}`, {
      method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (action?.kind === 'hang_after_forwarding') {
      record.answeredBy = 'hung';
      notify();
      return; // the socket stays open until the client gives up
    }
    if (action?.kind === 'answer_after_forwarding') {
      record.answeredBy = 'proxy';
      record.status = action.status;
      res.writeHead(action.status, action.headers).end(action.body);
      notify();
      return;
    }
    if (action?.kind === 'bad_gateway_after_forwarding') {
      record.answeredBy = 'proxy';
      record.status = 502;
      res.writeHead(502, { 'content-type': 'text/html', server: 'nginx' }).end(NGINX_502);
      notify();
      return;
    }
    record.status = upstream.status;
    const passed: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'connection')
        passed[name] = value;
    });
    res.writeHead(upstream.status, { ...passed, 'content-length': String(body.length) }).end(body);
    notify();
  };

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  return {
    url: server.url,
    seen,
    close: () => server.close(),
    /** Resolves once a request matching `predicate` has been handled. */
    waitFor: (predicate: (request: ProxiedRequest) => boolean, timeoutMs = 10_000) =>
      new Promise<ProxiedRequest>((resolve, reject) => {
        const check = () => {
          const handled = (request: ProxiedRequest) =>
            request.status !== undefined || request.answeredBy === 'hung';
          const found = seen.find((request) => handled(request) && predicate(request));
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such request within ${timeoutMs} ms: ${JSON.stringify(seen)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}
