/**
 * @module
 * A real server for tests: in-memory SQLite, its own memory bus, port 0, no logs.
 */
import { createServer, type ServerOptions, type SightlineServer } from '../../src/index.js';
import { SDK_KEY, SDK_SECRET } from './tokens.js';

/** A started test server and its base URLs. */
export interface TestServer {
  server: SightlineServer;
  url: string;
  wsUrl: string;
  /** The sockets of `flows.ts` skip consent frames and the `pending_consent` state. */
  quietConsent: boolean;
  close(): Promise<void>;
}

/**
 * Creates (and, unless `listen: false`, starts) a server with the test app. `quietConsent`, for
 * tests of something else than consent: the app pre-approves viewing and the sockets of
 * `flows.ts` skip the consent frames and the `pending_consent` state.
 */
export async function startServer(
  options: Partial<ServerOptions> = {},
  { listen = true, quietConsent = false }: { listen?: boolean; quietConsent?: boolean } = {},
): Promise<TestServer> {
  const server = await createServer({
    sdkKey: SDK_KEY,
    sdkSecret: SDK_SECRET,
    dataDir: ':memory:',
    port: 0,
    logger: false,
    ...(quietConsent ? { viewConsent: 'pre_approved' as const } : {}),
    ...options,
  });
  const url = listen ? await server.listen() : server.url;
  return {
    server,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    quietConsent,
    close: () => server.close(),
  };
}
