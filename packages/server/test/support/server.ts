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
  close(): Promise<void>;
}

/** Creates (and, unless `listen: false`, starts) a server with the test app. */
export async function startServer(
  options: Partial<ServerOptions> = {},
  { listen = true }: { listen?: boolean } = {},
): Promise<TestServer> {
  const server = await createServer({
    sdkKey: SDK_KEY,
    sdkSecret: SDK_SECRET,
    dataDir: ':memory:',
    port: 0,
    logger: false,
    ...options,
  });
  const url = listen ? await server.listen() : server.url;
  return {
    server,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    close: () => server.close(),
  };
}
