// Control routes for the emulated tenant: list people and registered apps (never secrets), and mint a user token
// for an emulated person (the local stand-in for Teams SSO).

import { z } from 'zod';
import type { UserDirectory } from '../directory/user-directory.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { AppRegistry } from '../identity/app-registry.js';
import { TEAMS_WEB_CLIENT_ID, USER_TOKEN_LIFETIME_SECONDS, type TokenIssuer } from '../identity/token-issuer.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const userTokenSchema = z.strictObject({
  audience: z.string().min(1),
  scopes: z.array(z.string().regex(/^\S+$/, 'a scope name without spaces')).min(1).optional(),
  clientId: z.string().min(1).optional(),
  expiresInSeconds: z.number().int().min(-86_400).max(86_400).refine((n) => n !== 0, 'must not be 0').optional(),
});

export function directoryRoutes(directory: UserDirectory, apps: AppRegistry, issuer: TokenIssuer): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/users`,
      description: 'The emulated people: { value: [...] }.',
      handle: () => jsonReply(200, { value: directory.list() }),
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/apps`,
      description: 'Registered apps (client id, name, roles, credential kinds; never secrets): { value: [...] }.',
      handle: () => jsonReply(200, {
        value: apps.list().map((a) => ({
          clientId: a.clientId,
          displayName: a.displayName,
          roles: a.roles,
          servicePrincipalId: a.servicePrincipalId,
          hasSecret: a.clientSecret !== undefined,
          hasCertificate: a.certificate !== undefined,
        })),
      }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/users/:userId/token`,
      description: 'A user token for an emulated person (id or UPN): { audience, scopes?=["access_as_user"], clientId?, expiresInSeconds? } → { access_token, token_type, expires_in }.',
      handle: async (request, params) => {
        const body = parseWith(userTokenSchema, parseJsonBody(request) ?? {});
        const user = directory.find(params.userId!);
        if (!user) throw new EmulatorError('emulator/unknown-user', `There is no emulated user '${params.userId}': GET ${CONTROL_PREFIX}/users lists them.`, 404);
        const expiresIn = body.expiresInSeconds ?? USER_TOKEN_LIFETIME_SECONDS;
        const token = await issuer.userToken(user, {
          audience: body.audience,
          scopes: body.scopes ?? ['access_as_user'],
          clientId: body.clientId ?? TEAMS_WEB_CLIENT_ID,
          expiresInSeconds: expiresIn,
        });
        return jsonReply(200, { token_type: 'Bearer', access_token: token, expires_in: expiresIn });
      },
    },
  ];
}
