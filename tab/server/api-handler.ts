// The shape every tab API route shares: authenticate the bearer token first (before any body is read), run the
// handler with the user, answer JSON that is never cached, and turn failures into { error: { code, message } }.
import type { Request, RequestHandler, Response } from 'restify';
import type { ZodType } from 'zod';
import { TabError, toTabError } from './tab-error.js';
import type { TabUser, UserTokenValidator } from './user-token.js';

export interface ApiContext {
  req: Request;
  res: Response;
  user: TabUser;
}

export interface ApiLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** undefined: the handler answered itself (a stream). */
export type ApiResult = { status?: number; body: unknown } | undefined;

const users = new WeakMap<Request, TabUser>();

export function sendTabError(res: Response, err: TabError): void {
  res.setHeader('cache-control', 'no-store');
  if (err.status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.send(err.status, err.toJSON());
}

/** First handler of every API route: a valid user token, or 401 and nothing else runs. */
export function authenticate(validator: UserTokenValidator): RequestHandler {
  // Callback style (restify: an async handler cannot stop the chain).
  return (req: Request, res: Response, next) => {
    validator.validate(req.headers.authorization).then(
      (user) => {
        users.set(req, user);
        next();
      },
      (err: unknown) => {
        sendTabError(res, toTabError(err));
        next(false);
      },
    );
  };
}

/** The route's own handler (after `authenticate` and any body parser). */
export function apiHandler(log: (req: Request) => ApiLogger, handler: (ctx: ApiContext) => Promise<ApiResult>): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const user = users.get(req);
      if (!user) throw new TabError('tab/unauthenticated', 'Sign in to see this.');
      const result = await handler({ req, res, user });
      if (result === undefined) return;
      res.setHeader('cache-control', 'no-store');
      res.send(result.status ?? 200, result.body);
    } catch (err) {
      const tabError = toTabError(err);
      if (tabError.status >= 500) log(req).error({ err, code: tabError.code }, 'tab API request failed');
      else log(req).warn({ code: tabError.code, status: tabError.status }, 'tab API request refused');
      if (res.headersSent) {
        if (!res.writableEnded) res.end();
        return;
      }
      sendTabError(res, tabError);
    }
  };
}

/** A request body checked against a schema; the first problem is named in a 400. */
export function parseBody<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new TabError('tab/invalid-request', `The request is not valid (${where}${issue?.message ?? 'unexpected body'}).`);
  }
  return parsed.data;
}
