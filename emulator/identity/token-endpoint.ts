// POST /{tenant}/oauth2/v2.0/token: the client-credentials grant with a client secret (post or basic) or a
// certificate client assertion, for the Graph `.default` scope; and the on-behalf-of grant (jwt-bearer,
// requested_token_use=on_behalf_of) that turns a user's token for the app (Teams SSO) into a delegated Graph token
// for the same user. Failures in Entra's shapes and AADSTS codes.

import { createHash, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { UserDirectory } from '../directory/user-directory.js';
import type { SigningKey } from '../keys/signing-key.js';
import type { EmulatorRequest, HttpReply } from '../http/http-types.js';
import { headerValue } from '../http/http-types.js';
import type { AppRegistry } from './app-registry.js';
import { verifyClientAssertion } from './client-assertion.js';
import { EntraError, entraHeaders } from './entra-error.js';
import { APP_TOKEN_LIFETIME_SECONDS, GRAPH_APP_ID, GRAPH_RESOURCE, USER_TOKEN_LIFETIME_SECONDS, type TokenIssuer } from './token-issuer.js';

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** OIDC scopes MSAL adds to every user request; they name no Graph permission. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
/** What `.default` grants on behalf of a user: the emulator's stand-in for the tenant's admin consent. */
export const CONSENTED_DELEGATED_SCOPES = ['Presence.Read.All', 'User.Read'];

export interface TokenEndpointDeps {
  apps: AppRegistry;
  issuer: TokenIssuer;
  tokenEndpointUrl: string;
  /** On-behalf-of: the key user tokens are checked with, and the people they may name. */
  signingKey?: SigningKey;
  directory?: UserDirectory;
}

export async function handleTokenRequest(deps: TokenEndpointDeps, request: EmulatorRequest): Promise<HttpReply> {
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  const basic = basicCredentials(headerValue(request, 'authorization'));

  const grantType = form.get('grant_type');
  if (!grantType) throw missingParameter('grant_type');
  if (grantType !== 'client_credentials' && grantType !== JWT_BEARER_GRANT) {
    throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }

  const clientId = form.get('client_id') ?? basic?.clientId;
  if (!clientId) throw missingParameter('client_id');
  const app = deps.apps.find(clientId);
  if (!app) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${deps.issuer.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  request.appId = app.clientId;

  const secret = form.get('client_secret') ?? basic?.secret;
  const assertion = form.get('client_assertion');
  let credential: 'secret' | 'certificate';
  if (assertion) {
    const assertionType = form.get('client_assertion_type');
    if (assertionType !== JWT_BEARER_ASSERTION) {
      throw new EntraError(400, 'invalid_request', 50027, `Invalid client_assertion_type '${assertionType ?? ''}': use '${JWT_BEARER_ASSERTION}'.`);
    }
    await verifyClientAssertion(assertion, app, deps.tokenEndpointUrl);
    credential = 'certificate';
  } else if (secret) {
    if (!app.clientSecret || !sameSecret(secret, app.clientSecret)) {
      throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    credential = 'secret';
  } else {
    throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }

  if (grantType === JWT_BEARER_GRANT) return onBehalfOf(deps, request, form, app);

  checkScope(form.get('scope'), deps.issuer.tenantId);

  const accessToken = await deps.issuer.appToken(app, credential);
  return {
    status: 200,
    headers: entraHeaders(request),
    json: { token_type: 'Bearer', expires_in: APP_TOKEN_LIFETIME_SECONDS, ext_expires_in: APP_TOKEN_LIFETIME_SECONDS, access_token: accessToken },
  };
}

/** The on-behalf-of flow: the assertion must be a current user token from this issuer whose audience is the caller. */
async function onBehalfOf(deps: TokenEndpointDeps, request: EmulatorRequest, form: URLSearchParams, app: { clientId: string }): Promise<HttpReply> {
  if (form.get('requested_token_use') !== 'on_behalf_of') throw missingParameter('requested_token_use');
  const assertion = form.get('assertion');
  if (!assertion) throw missingParameter('assertion');
  if (!deps.signingKey || !deps.directory) throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${JWT_BEARER_GRANT}'.`);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(assertion, createLocalJWKSet(deps.signingKey.jwks()), {
      algorithms: ['RS256'],
      issuer: [deps.issuer.v2Issuer, deps.issuer.v1Issuer],
      clockTolerance: 300,
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new EntraError(400, 'invalid_grant', 500133, 'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.');
    throw new EntraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
  }
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  const forCaller = audiences.some((a) => a.toLowerCase() === app.clientId.toLowerCase() || a.toLowerCase().endsWith(`/${app.clientId.toLowerCase()}`));
  if (!forCaller) throw new EntraError(400, 'invalid_grant', 50013, 'Assertion audience does not match the Client app presenting the assertion.');
  if (String(claims.tid ?? '').toLowerCase() !== deps.issuer.tenantId.toLowerCase()) throw new EntraError(400, 'invalid_grant', 50013, 'Assertion contains an invalid tenant.');
  const user = typeof claims.oid === 'string' ? deps.directory.find(claims.oid) : undefined;
  if (!user) throw new EntraError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');

  const requested = (form.get('scope') ?? '').trim().split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  if (requested.length === 0) throw missingParameter('scope');
  const scopes = new Set<string>();
  for (const scope of requested) {
    const slash = scope.lastIndexOf('/');
    const resource = slash >= 0 ? scope.slice(0, slash).toLowerCase() : GRAPH_RESOURCE;
    const name = slash >= 0 ? scope.slice(slash + 1) : scope;
    if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
      throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${scope.slice(0, slash)} was not found in the tenant named ${deps.issuer.tenantId}.`);
    }
    for (const granted of name === '.default' ? CONSENTED_DELEGATED_SCOPES : [name]) scopes.add(granted);
  }
  const accessToken = await deps.issuer.userToken(user, { audience: GRAPH_RESOURCE, scopes: [...scopes], clientId: app.clientId, expiresInSeconds: USER_TOKEN_LIFETIME_SECONDS });
  return {
    status: 200,
    headers: entraHeaders(request),
    json: {
      token_type: 'Bearer',
      scope: [...scopes].map((s) => `${GRAPH_RESOURCE}/${s}`).join(' '),
      expires_in: USER_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: USER_TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
  };
}

function checkScope(scope: string | null, tenantId: string): void {
  if (!scope || scope.trim() === '') throw missingParameter('scope');
  const scopes = scope.trim().split(/\s+/);
  const only = scopes[0]!;
  if (scopes.length !== 1 || !only.endsWith('/.default')) {
    throw new EntraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = only.slice(0, -'/.default'.length);
  if (resource.toLowerCase() !== GRAPH_RESOURCE && resource.toLowerCase() !== GRAPH_APP_ID) {
    throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
}

function missingParameter(name: string): EntraError {
  return new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
}

/** client_secret_basic: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
