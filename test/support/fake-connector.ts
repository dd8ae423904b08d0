// A minimal Bot Connector stand-in: records the activities the bot sends to its serviceUrl.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeConnector {
  serviceUrl: string;
  sent: Array<{ path: string; activity: any }>;
  /** In-place updates (PUT …/activities/{id}), in arrival order. */
  updates: Array<{ activityId: string; activity: any }>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: FakeConnector['sent'] = [];
  const updates: FakeConnector['updates'] = [];
  const unexpected: string[] = [];
  let seq = 0;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^\/+/, '/');
      if (req.method === 'POST' && path.startsWith('/v3/conversations/')) {
        sent.push({ path, activity: data ? JSON.parse(data) : undefined });
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `reply-${++seq}` }));
      } else if (req.method === 'PUT' && /^\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(path)) {
        updates.push({ activityId: decodeURIComponent(path.split('/').pop()!), activity: data ? JSON.parse(data) : undefined });
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: path.split('/').pop() }));
      } else {
        unexpected.push(`${req.method} ${req.url}`);
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    sent,
    updates,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} activities from the bot, got ${sent.length} (other requests: ${unexpected.join(', ') || 'none'})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
