/**
 * The reference relay under test: @y/websocket-server 0.1.1 (in-memory, no persistence, as its bin runs it),
 * on 127.0.0.1 and a free port. Run as its own process by the relay benchmark; prints `listening <port>`.
 * `ws` resolves here to the copy the package itself resolves (6.2.7, its own dependency), as its bin would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

// ws 6 has no named `WebSocketServer` export; its `Server` is the same class the types describe.
const Server = (WebSocket as unknown as { Server: typeof WebSocketServer }).Server;
const wss = new Server({ noServer: true });
wss.on('connection', (conn, req) => setupWSConnection(conn, req));

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('okay');
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

const shutdown = (): void => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
