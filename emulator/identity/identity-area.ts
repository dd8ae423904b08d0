// The Entra ID stand-in's URL space: /{tenant}/v2.0/.well-known/openid-configuration (and without /v2.0 for OIDC
// protocol mode), /{tenant}/discovery/v2.0/keys and /{tenant}/oauth2/v2.0/token. Unknown tenants get AADSTS90002.

import { EmulatorError } from '../emulator-error.js';
import { emulatorErrorReply } from '../http/emulator-reply.js';
import type { EmulatorRequest, HttpReply, RouteParams } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';
import type { SigningKey } from '../keys/signing-key.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { AppRegistry } from './app-registry.js';
import { EntraError, entraErrorReply, entraHeaders, entraStatusError, unknownTenantError } from './entra-error.js';
import { openIdConfiguration } from './openid-metadata.js';
import { handleTokenRequest } from './token-endpoint.js';
import type { TokenIssuer } from './token-issuer.js';

export interface IdentityAreaDeps {
  baseUrl: string;
  tenantId: string;
  signingKey: SigningKey;
  apps: AppRegistry;
  issuer: TokenIssuer;
  /** The people an on-behalf-of token may be for. */
  directory?: UserDirectory;
}

type Handler = (request: EmulatorRequest, params: RouteParams) => Promise<HttpReply>;

export function createIdentityArea(deps: IdentityAreaDeps): Area {
  const tokenEndpointUrl = `${deps.baseUrl}/${deps.tenantId}/oauth2/v2.0/token`;
  const metadata: Handler = async (request) => ({ status: 200, headers: entraHeaders(request), json: openIdConfiguration(deps.baseUrl, deps.tenantId) });
  const keys: Handler = async (request) => ({ status: 200, headers: entraHeaders(request), json: deps.signingKey.jwks() });
  const token: Handler = (request) => handleTokenRequest({ apps: deps.apps, issuer: deps.issuer, tokenEndpointUrl, signingKey: deps.signingKey, ...(deps.directory ? { directory: deps.directory } : {}) }, request);

  const routes = new RouteTable<Handler>()
    .add('GET', '/:tenant/v2.0/.well-known/openid-configuration', metadata)
    .add('GET', '/:tenant/.well-known/openid-configuration', metadata)
    .add('GET', '/:tenant/discovery/v2.0/keys', keys)
    .add('GET', '/:tenant/discovery/keys', keys)
    .add('POST', '/:tenant/oauth2/v2.0/token', token);

  return {
    name: 'identity',
    observed: true,
    owns: () => true,
    headers: entraHeaders,
    statusReply: (request, status) => entraErrorReply(request, entraStatusError(status)),
    async handle(request) {
      const match = routes.resolve(request.method, request.path);
      try {
        if (match.kind === 'not-found') {
          throw new EmulatorError('emulator/not-found', `No emulator route for ${request.method} ${request.path}: see GET /emulator for what is served.`, 404);
        }
        if (match.kind === 'method-not-allowed') {
          throw new EntraError(400, 'invalid_request', 900561, `The endpoint only accepts ${match.allowed.join(', ')} requests. Received a ${request.method} request.`);
        }
        const tenant = match.params.tenant!;
        if (tenant.toLowerCase() !== deps.tenantId) throw unknownTenantError(tenant);
        return await match.handler(request, match.params);
      } catch (err) {
        if (err instanceof EntraError) return entraErrorReply(request, err);
        if (err instanceof EmulatorError) return emulatorErrorReply(err);
        throw err;
      }
    },
  };
}

