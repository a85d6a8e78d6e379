import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { TLSSocket } from 'node:tls';

/** What undici publishes on `undici:client:connected` once a connection (TLS handshake included) is up. */
interface ConnectedMessage {
  connectParams?: { protocol?: string; host?: string };
  socket?: unknown;
}

const CONNECTED = 'undici:client:connected';

/**
 * When the TLS certificate of each HTTPS plane expires, as the plane's inference endpoint presented it to
 * planecheck. Read from the socket of every new undici connection (undici's diagnostics channel), so the
 * request code stays as it is; connections are kept alive across cycles, so a renewed certificate shows
 * once the connection is made again. Only the configured planes' origins are kept (GitHub's are not).
 */
export class TlsExpiryTracker {
  /** Origin (`https://host:port`) -> the planes served there. */
  readonly #planesByOrigin = new Map<string, string[]>();
  /** Plane -> expiry, epoch milliseconds. */
  readonly #expiry = new Map<string, number>();
  #subscribed = false;
  #started = false;

  constructor(planes: readonly { name: string; inferenceUrl: string }[]) {
    this.setPlanes(planes);
  }

  /**
   * Follows a reloaded config: a removed plane's expiry goes; a plane moved to another origin shows once a
   * connection there is made; a new plane on an origin already seen starts with that origin's expiry.
   */
  setPlanes(planes: readonly { name: string; inferenceUrl: string }[]): void {
    const seen = new Map<string, number>();
    for (const [origin, names] of this.#planesByOrigin) {
      const expiry = names.map((name) => this.#expiry.get(name)).find((at) => at !== undefined);
      if (expiry !== undefined) seen.set(origin, expiry);
    }
    this.#planesByOrigin.clear();
    this.#expiry.clear();
    for (const plane of planes) {
      const url = new URL(plane.inferenceUrl);
      if (url.protocol !== 'https:') continue;
      const list = this.#planesByOrigin.get(url.origin) ?? [];
      list.push(plane.name);
      this.#planesByOrigin.set(url.origin, list);
      const expiry = seen.get(url.origin);
      if (expiry !== undefined) this.#expiry.set(plane.name, expiry);
    }
    if (this.#started) this.#subscribe();
  }

  /** Starts listening; with no HTTPS plane there is nothing to listen for. */
  start(): void {
    this.#started = true;
    this.#subscribe();
  }

  #subscribe(): void {
    if (this.#subscribed || this.#planesByOrigin.size === 0) return;
    subscribe(CONNECTED, this.#onConnected);
    this.#subscribed = true;
  }

  stop(): void {
    this.#started = false;
    if (!this.#subscribed) return;
    unsubscribe(CONNECTED, this.#onConnected);
    this.#subscribed = false;
  }

  /** Each HTTPS plane whose certificate has been seen, with its expiry in epoch milliseconds. */
  expiries(): ReadonlyMap<string, number> {
    return this.#expiry;
  }

  readonly #onConnected = (message: unknown): void => {
    const { connectParams, socket } = message as ConnectedMessage;
    if (!(socket instanceof TLSSocket) || connectParams?.protocol !== 'https:' || !connectParams.host) return;
    const planes = this.#planesByOrigin.get(new URL(`https://${connectParams.host}`).origin);
    if (planes === undefined) return;
    const validTo = Date.parse(socket.getPeerCertificate().valid_to);
    if (Number.isNaN(validTo)) return;
    for (const plane of planes) this.#expiry.set(plane, validTo);
  };
}
