// The floor for the webhook figure: the same kind of server as the app's (createHttpServer: request ids, an access
// log line per request at info level, the same JSON body parser and limit) with one route that only parses the
// JSON and answers 202 — no token check, no store, no processing.
import type { Server } from 'restify';
import { createHttpServer, jsonBody } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { discardingStream } from './bench-app.js';

/** The app's calling webhook body limit (server/start.ts). */
export const CALLING_BODY_LIMIT = 8 * 1024 * 1024;

export interface FloorServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startFloorServer(path = '/api/calling'): Promise<FloorServer> {
  const server = createHttpServer(createLogger('info', discardingStream()));
  server.post(path, ...jsonBody(CALLING_BODY_LIMIT), async (_req, res) => {
    res.send(202);
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
