import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startHttpServer, type RunningServer } from './servers.js';

/**
 * What the proxy does with requests from now on: pass them to the upstream, answer 502 with an HTML
 * page (as nginx or a load balancer does when the platform behind it is down), or hold them open
 * without a word (an upstream that accepted the request and is still working on it).
 */
export type ProxyMode = 'forward' | 'bad_gateway' | 'hold';

export interface FaultProxy extends RunningServer {
  mode: ProxyMode;
  /** Resolves with the path of the next request the proxy holds (now held open, unanswered). */
  nextHeld(): Promise<string>;
  /** Requests held open right now. */
  readonly heldCount: number;
}

/** An HTTP proxy on 127.0.0.1 in front of `upstream`, whose behaviour a test switches at run time. */
export async function startFaultProxy(upstream: string, mode: ProxyMode = 'forward'): Promise<FaultProxy> {
  const held = new Set<ServerResponse>();
  const waiters: ((path: string) => void)[] = [];
  const state = { mode };
  const server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (state.mode === 'bad_gateway') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
      );
      return;
    }
    if (state.mode === 'hold') {
      held.add(res);
      res.on('close', () => held.delete(res));
      for (const wake of waiters.splice(0)) wake(req.url ?? '/');
      return;
    }
    const forwarded = httpRequest(
      `${upstream}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  return {
    ...server,
    get mode() {
      return state.mode;
    },
    set mode(next: ProxyMode) {
      state.mode = next;
    },
    get heldCount() {
      return held.size;
    },
    nextHeld: () => new Promise<string>((resolve) => waiters.push(resolve)),
  };
}
