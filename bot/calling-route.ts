// POST /api/calling: Graph's calling notifications. The bearer JWT is validated before the body is read (fail closed:
// 401/403/503, nothing recorded); a valid batch is recorded and acknowledged with 202, and processed after.
import type { Request, RequestHandler, Response, Server, Next } from 'restify';
import { StoreError } from '../comms/store/index.js';
import { CallError, isLegacyNotification, type CallingTokenValidator, type CallService } from '../comms/calls/index.js';

export const CALLING_PATH = '/api/calling';

export interface CallingRouteDeps {
  validator: CallingTokenValidator;
  calls: CallService;
  parseBody: RequestHandler[];
  /** The body's bytes as parseBody read them, when it keeps them (full rosters are recorded as they came). */
  bodyBytes?: (req: Request) => Uint8Array | undefined;
  log: (req: Request) => { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

export function registerCallingRoute(server: Server, deps: CallingRouteDeps): void {
  const tenants = new WeakMap<Request, string>();

  const authenticate: RequestHandler = (req: Request, res: Response, next: Next) => {
    // Acknowledgements first: applying notifications waits while this request is read and answered.
    const answered = deps.calls.receiving();
    res.once('finish', answered);
    res.once('close', answered);
    deps.validator.validate(req.headers.authorization).then(
      (token) => {
        tenants.set(req, token.tenantId);
        next();
      },
      (err: unknown) => {
        const e = err instanceof CallError ? err : undefined;
        const status = e?.status ?? 403;
        deps.log(req).warn({ code: e?.code ?? 'calls/forbidden', status }, 'calling webhook request refused');
        res.send(status, { error: { code: e?.code ?? 'calls/forbidden', message: status === 503 ? 'The calling service keys cannot be read right now; try again.' : 'The request is not authenticated as Microsoft\'s calling service.' } });
        next(false);
      },
    );
  };

  server.post(CALLING_PATH, authenticate, ...deps.parseBody, async (req: Request, res: Response) => {
    const body: unknown = req.body;
    if (isLegacyNotification(body)) {
      // Documented protocol negotiation: 204 asks the service to resend in Graph's format.
      res.send(204);
      return;
    }
    try {
      const { recorded, duplicates } = await deps.calls.receive(body, tenants.get(req)!, deps.bodyBytes?.(req));
      if (duplicates > 0) deps.log(req).info({ recorded, duplicates }, 'duplicate calling notifications acknowledged');
      res.send(202);
    } catch (err) {
      if (err instanceof CallError && err.code === 'calls/invalid-notification') {
        res.send(400, { error: { code: err.code, message: err.detail ?? err.message } });
        return;
      }
      if (err instanceof StoreError && err.code === 'store/unavailable') {
        // Nothing was recorded: 503 makes Graph deliver the batch again, to this or another instance.
        deps.log(req).warn({ code: err.code }, 'calling notifications refused: the store is unavailable');
        res.setHeader('retry-after', '5');
        res.send(503, { error: { code: err.code, message: 'Switchboard cannot record notifications right now; deliver them again shortly.' } });
        return;
      }
      throw err;
    }
  });
}
