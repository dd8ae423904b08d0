// POST /api/notifications/presence: Graph's change notifications for the presence subscriptions made on behalf of
// signed-in people. A validation request (?validationToken=…) is echoed as text/plain; a delivery is answered 202
// at once — before anything is checked, as Graph asks (so a failed check tells a prober nothing) — and only then
// validated fail-closed by comms/presence (validationTokens, clientState, certificate, signature); what fails is
// dropped and logged without its tokens.
import type { Request, RequestHandler, Response, Server } from 'restify';
import type { PresenceSubscriptions } from '../../comms/presence/index.js';
import { validationResponse } from '../../comms/records/index.js';
import type { ApiLogger } from './api-handler.js';

export const PRESENCE_NOTIFICATIONS_PATH = '/api/notifications/presence';

export interface PresenceRoutesDeps {
  /** Undefined when live presence is off (no certificate): deliveries are acknowledged and dropped. */
  presence: PresenceSubscriptions | undefined;
  parseBody: RequestHandler[];
  log: (req: Request) => ApiLogger;
}

export function registerPresenceRoutes(server: Server, deps: PresenceRoutesDeps): void {
  const validate: RequestHandler = (req: Request, res: Response, next) => {
    const token = validationResponse(req.getQuery());
    if (token === undefined) return next();
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(token);
    return next(false);
  };

  server.post(PRESENCE_NOTIFICATIONS_PATH, validate, ...deps.parseBody, (req: Request, res: Response, next) => {
    const body: unknown = req.body;
    res.send(202);
    next(false);
    const log = deps.log(req);
    if (!deps.presence) {
      log.warn({}, 'presence: a change notification arrived but live presence is off; dropped');
      return;
    }
    deps.presence.receive(body).catch((err: Error) => log.warn({ message: err.message }, 'presence: a change notification could not be handled; dropped'));
  });
}
