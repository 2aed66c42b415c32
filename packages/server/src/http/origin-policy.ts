/**
 * @module
 * Which page origins may act as customers: open a customer socket (checked on the WebSocket
 * upgrade) or call `POST /api/customer/start` (checked with CORS). Used by `http/` and `ws/`.
 *
 * A request without an `Origin` header is not from a browser page and is allowed: the header only
 * protects browsers, and anything else can forge it. A page on the server's own origin (the demo
 * shop, the console) is always allowed, whichever host name it was reached by.
 */

/** The allow-list, resolved lazily because the default (the public URL) is known only once listening. */
export class OriginPolicy {
  constructor(
    private readonly configured: readonly string[] | '*' | undefined,
    private readonly publicOrigin: () => string,
  ) {}

  /**
   * Whether a request carrying `origin` (the `Origin` header) and `host` (the `Host` header) may
   * act as a customer.
   */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.configured === '*') return true;
    const list = this.configured ?? [this.publicOrigin()];
    if (list.includes(origin)) return true;
    return host !== undefined && sameHost(origin, host);
  }
}

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
