// Local mode only: the browser stand-in for Teams SSO. Outside Teams the tab lets a developer pick an emulated
// person; these routes list the emulator's people and mint that person's user token for the app (the emulator's
// issuer signs it exactly as Entra would), which the tab then uses like an SSO token. In cloud mode they are 404.
import type { Request, RequestHandler, Response, Server } from 'restify';
import { z } from 'zod';
import type { HttpTransport } from '../../comms/graph/index.js';
import { parseBody, sendTabError } from './api-handler.js';
import { TAB_API } from './meeting-routes.js';
import { TabError, toTabError } from './tab-error.js';

export interface DevRoutesDeps {
  mode: 'local' | 'cloud';
  /** The emulator's base URL (local mode). */
  emulatorUrl?: string;
  appId: string;
  transport: HttpTransport;
  parseBody: RequestHandler[];
}

const tokenBody = z.object({ user: z.string().trim().min(1).max(320).regex(/^[A-Za-z0-9._%+'@-]+$/, 'a user id or UPN') }).strict();
const emulatorUsers = z.object({
  value: z.array(z.object({ id: z.string(), displayName: z.string(), userPrincipalName: z.string(), jobTitle: z.string().nullish() }).loose()).max(10_000),
});
const emulatorToken = z.object({ access_token: z.string(), expires_in: z.number().optional() }).loose();

export function registerDevRoutes(server: Server, deps: DevRoutesDeps): void {
  const local = deps.mode === 'local' && deps.emulatorUrl !== undefined;
  const guard = (res: Response) => {
    if (local) return false;
    sendTabError(res, new TabError('tab/not-found', 'Only in local mode: in Teams the tab signs in with Teams.'));
    return true;
  };
  const emulator = async (method: string, path: string, body?: unknown) => {
    const res = await deps.transport.send({
      method,
      url: `${deps.emulatorUrl}${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = res.body.length > 0 ? JSON.parse(res.body.toString('utf8')) : undefined;
    return { status: res.status, json };
  };
  const answer = (res: Response, status: number, body: unknown) => {
    res.setHeader('cache-control', 'no-store');
    res.send(status, body);
  };

  server.get(`${TAB_API}/dev/users`, async (_req: Request, res: Response) => {
    if (guard(res)) return;
    try {
      const reply = await emulator('GET', '/emulator/users');
      const users = emulatorUsers.parse(reply.json).value;
      answer(res, 200, { users: users.map((u) => ({ id: u.id, displayName: u.displayName, upn: u.userPrincipalName, ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}) })) });
    } catch {
      sendTabError(res, new TabError('tab/unavailable', 'The emulator did not answer: is local mode running?'));
    }
  });

  server.post(`${TAB_API}/dev/token`, ...deps.parseBody, async (req: Request, res: Response) => {
    if (guard(res)) return;
    try {
      const { user } = parseBody(tokenBody, req.body);
      const reply = await emulator('POST', `/emulator/users/${encodeURIComponent(user)}/token`, { audience: deps.appId });
      if (reply.status === 404) throw new TabError('tab/not-found', `There is no emulated person '${user}'.`);
      if (reply.status !== 200) throw new TabError('tab/unavailable', 'The emulator did not give a token.');
      const token = emulatorToken.parse(reply.json);
      answer(res, 200, { accessToken: token.access_token, ...(token.expires_in !== undefined ? { expiresIn: token.expires_in } : {}) });
    } catch (err) {
      sendTabError(res, err instanceof TabError ? err : toTabError(err));
    }
  });
}
