/**
 * The load bench's floor: a bare `ws` server that forwards every frame a customer socket sends to
 * the agent sockets of the same session (`/?session=<n>&role=customer|agent`), unchanged, and
 * does nothing else: no handshake, validation, storage or ack. Run as a child process by
 * `load.bench.ts`, so it pays the same process and loopback costs as the servers it is compared
 * with.
 *
 *   node --import tsx bench/load/floor.ts <port>
 */
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2]);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const agents = new Map<string, Set<WebSocket>>();

server.on('connection', (socket, request) => {
  const query = new URL(request.url ?? '/', 'http://floor').searchParams;
  const session = query.get('session') ?? '';
  if (query.get('role') === 'customer') {
    socket.on('message', (data, isBinary) => {
      for (const agent of agents.get(session) ?? []) agent.send(data, { binary: isBinary });
    });
    return;
  }
  const set = agents.get(session) ?? new Set<WebSocket>();
  agents.set(session, set);
  set.add(socket);
  socket.on('close', () => {
    set.delete(socket);
    if (set.size === 0) agents.delete(session);
  });
});
server.on('listening', () => process.stdout.write('ready\n'));
