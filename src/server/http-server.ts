import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import { getErrorMessage } from '../log/logger.js';
import { challenge, isAuthorized, type ServerAuth } from './auth.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** A response a route produces; the server adds the common headers. */
export interface RouteResponse {
  status: number;
  contentType: string;
  /** Parts are written one after another, so large cached parts are shared, never copied. */
  body: string | Buffer | readonly Buffer[];
  headers?: Record<string, string>;
}

export type Route = (url: URL, request: IncomingMessage) => RouteResponse | Promise<RouteResponse>;

export interface ServerDeps {
  /** Routes behind the optional auth, by path; a path ending in `/` serves everything below it. */
  protectedRoutes: Record<string, Route>;
  /**
   * Routes that change state (POST, DELETE), found like `protectedRoutes`, behind the same auth. Without
   * auth configured they answer only when `writesOpen` is true (the server listens on loopback), else 403.
   */
  writeRoutes?: Record<string, Route>;
  /** Whether changes are taken without auth: true only when the server listens on loopback. */
  writesOpen?: boolean;
  readiness: () => Readiness;
  /** `server.auth` as of now, read per request (a reload changes it); none: the routes are open. */
  auth?: () => ServerAuth | undefined;
  log: Logger;
}

export function json(body: unknown, status = 200): RouteResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/** The daemon's HTTP server: probes open to all, everything else behind the optional auth. */
export function createDaemonServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((error: unknown) => {
      deps.log.error('http handler failed', { path: req.url?.split('?')[0], error: getErrorMessage(error) });
      if (!res.headersSent) send(res, req, json({ error: 'internal error' }, 500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const auth = deps.auth?.();
  const url = parseRequestTarget(req.url);
  // A target no URL parser accepts (`//[zz]/`) is the client's mistake: a 400, not an error to log.
  if (url === undefined) return send(res, req, json({ error: 'the request target is not a valid URL' }, 400));
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const write =
      req.method === 'POST' || req.method === 'DELETE'
        ? findRoute(deps.writeRoutes ?? {}, url.pathname)
        : undefined;
    if (write === undefined) {
      return send(res, req, {
        ...json({ error: 'method not allowed' }, 405),
        headers: { allow: 'GET, HEAD' },
      });
    }
    if (!isAuthorized(req.headers.authorization, auth)) {
      const headers = auth ? { 'www-authenticate': challenge(auth) } : undefined;
      return send(res, req, { ...json({ error: 'unauthorized' }, 401), headers });
    }
    if (auth === undefined && deps.writesOpen !== true) {
      const error =
        'changes through the API need server.auth (bearerToken, or username and password) when the server ' +
        'listens beyond loopback; configure it, or listen on 127.0.0.1';
      return send(res, req, json({ error }, 403));
    }
    return send(res, req, await write(url, req));
  }
  if (url.pathname === '/healthz') return send(res, req, text('ok\n'));
  if (url.pathname === '/readyz') {
    const readiness = deps.readiness();
    return send(res, req, json(readiness, readiness.ready ? 200 : 503));
  }
  const route = findRoute(deps.protectedRoutes, url.pathname);
  if (route === undefined) return send(res, req, json({ error: 'not found' }, 404));
  if (!isAuthorized(req.headers.authorization, auth)) {
    const headers = auth ? { 'www-authenticate': challenge(auth) } : undefined;
    return send(res, req, { ...json({ error: 'unauthorized' }, 401), headers });
  }
  return send(res, req, await route(url, req));
}

function parseRequestTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://planecheck');
  } catch {
    return undefined;
  }
}

function findRoute(routes: Record<string, Route>, path: string): Route | undefined {
  const exact = routes[path];
  if (exact) return exact;
  for (const [prefix, route] of Object.entries(routes)) {
    if (prefix.endsWith('/') && prefix !== '/' && path.startsWith(prefix)) return route;
  }
  return undefined;
}

function text(body: string, status = 200): RouteResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}

function send(res: ServerResponse, req: IncomingMessage, response: RouteResponse): void {
  const parts =
    typeof response.body === 'string' || Buffer.isBuffer(response.body) ? [response.body] : response.body;
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  res.writeHead(response.status, {
    'content-type': response.contentType,
    'content-length': length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...response.headers,
  });
  // Corked: a body in many parts (a /metrics scrape is ~20 compressed segments) goes out in one writev,
  // not one system call per part.
  res.cork();
  if (req.method !== 'HEAD') for (const part of parts) res.write(part);
  res.end();
  res.uncork();
}

/** Listens on `host:port` and returns the URL it is reachable at. */
export async function listen(server: Server, address: string): Promise<string> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return `http://${shown}:${bound.port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Give in-flight responses a moment, then cut the rest (a hung scrape must not hold shutdown).
  const timer = setTimeout(() => server.closeAllConnections(), 1_000);
  await closed;
  clearTimeout(timer);
}
