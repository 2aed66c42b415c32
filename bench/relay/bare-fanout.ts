/**
 * The floor: a bare `ws` server that forwards every frame from the customer socket to every agent
 * socket, unchanged, and does nothing else. Run as a child process by `relay.bench.ts`, so it pays
 * the same process and loopback costs as the Sightline server it is compared with.
 */
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2]);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const agents = new Set<WebSocket>();

server.on('connection', (socket, request) => {
  if (request.url?.includes('role=customer')) {
    socket.on('message', (data, isBinary) => {
      for (const agent of agents) agent.send(data, { binary: isBinary });
    });
  } else {
    agents.add(socket);
    socket.on('close', () => agents.delete(socket));
  }
});
server.on('listening', () => process.stdout.write('ready\n'));
