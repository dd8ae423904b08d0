// POST /api/notifications/call-records: Graph change notifications for call records. A validation request
// (?validationToken=…) is echoed as text/plain; a delivery is checked item by item against the subscription's
// clientState (the secret that authenticates these webhooks) and acknowledged with 202 once queued.
import type { Request, RequestHandler, Response, Server } from 'restify';
import { RecordsError, validationResponse, type CallRecordsService } from '../comms/records/index.js';

export const CALL_RECORDS_NOTIFICATIONS_PATH = '/api/notifications/call-records';

/** Graph's subscription validation request (?validationToken=…): the token echoed; anything else goes on. */
export const validationEcho: RequestHandler = (req: Request, res: Response, next) => {
  const token = validationResponse(req.getQuery());
  if (token === undefined) return next();
  // Echo exactly (never HTML-escaped — Graph compares bytes), as plain text that browsers will not sniff.
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(token);
  return next(false);
};

export function registerRecordsRoute(server: Server, deps: { records: CallRecordsService; parseBody: RequestHandler[] }): void {
  server.post(CALL_RECORDS_NOTIFICATIONS_PATH, validationEcho, ...deps.parseBody, async (req: Request, res: Response) => {
    try {
      await deps.records.receiveChangeNotifications(req.body);
      res.send(202);
    } catch (err) {
      if (err instanceof RecordsError && err.code === 'records/invalid-notification') {
        res.send(400, { error: { code: err.code, message: err.message } });
        return;
      }
      throw err;
    }
  });
}
