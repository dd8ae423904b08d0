// POST /api/messages: Bot Framework activities from Teams (or the Agents Playground) into the bot. The body is read by
// the bounded JSON reader and handed to botbuilder parsed. In cloud mode a request without a well-formed bearer token
// is refused with 401 before its body is read (botbuilder then validates the token fully, with the activity); the
// answers botbuilder writes for 401 and 5xx are replaced by ones that carry no internal error text.
import type { CloudAdapter } from 'botbuilder';
import type { Request, RequestHandler, Response, Server } from 'restify';
import type { TeamsBot } from './teams-bot.js';

export interface MessagesRouteOptions {
  /** Cloud mode: refuse requests without `Authorization: Bearer <JWT>` before reading the body. */
  requireBearer?: boolean;
  log?: (req: Request) => { warn(obj: object, msg?: string): void };
}

const BEARER_JWT = /^Bearer [\w-]+\.[\w-]+\.[\w-]*$/;

export function registerMessagesRoute(server: Server, parseBody: RequestHandler[], adapter: CloudAdapter, bot: TeamsBot, options: MessagesRouteOptions = {}): void {
  const bearerFirst: RequestHandler = (req: Request, res: Response, next) => {
    if (!options.requireBearer || BEARER_JWT.test(req.headers.authorization ?? '')) return next();
    options.log?.(req).warn({ status: 401 }, 'bot messages request refused: no bearer token');
    res.setHeader('www-authenticate', 'Bearer');
    res.send(401, UNAUTHENTICATED);
    return next(false);
  };
  server.post('/api/messages', bearerFirst, ...parseBody, async (req: Request, res: Response) => {
    const body = req.body as { type?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.type !== 'string' || body.type === '') {
      // botbuilder would throw on this (a 500); it is the sender's mistake.
      res.send(400, { error: { code: 'bot/invalid-activity', message: 'The body is not a Bot Framework activity (an object with a type).' } });
      return;
    }
    await adapter.process(req, sanitized(res), (context) => bot.run(context));
  });
}

const UNAUTHENTICATED = { error: { code: 'bot/unauthenticated', message: 'The request is not authenticated as the Bot Framework service.' } };
const INTERNAL = { error: { code: 'InternalError', message: 'Internal error; see the server log for this request id.' } };

/** The response botbuilder writes to, with its 401 and 5xx bodies (which carry error messages) replaced. */
function sanitized(res: Response) {
  const facade = {
    socket: res.socket,
    status(code: number) {
      res.status(code);
      return facade;
    },
    header(name: string, value: unknown) {
      res.header(name, value);
      return facade;
    },
    send(body: unknown) {
      if (res.statusCode === 401) res.send(UNAUTHENTICATED);
      else if (res.statusCode >= 500) res.send(INTERNAL);
      else res.send(body);
      return facade;
    },
    end() {
      if (!res.writableEnded) res.end();
      return facade;
    },
  };
  return facade;
}
