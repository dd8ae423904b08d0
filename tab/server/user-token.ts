// The tab's identity: a user access token (Teams SSO via authentication.getAuthToken, or the emulator's user token
// in local mode) validated on the server — signature from the issuer's keys, issuer, audience, tenant allowlist,
// scope, lifetime. What getContext() says is never taken as proof of who the user is.
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import type { HttpTransport } from '../../comms/graph/index.js';

export interface TabUser {
  /** Entra object id: the user's identity for authorization. */
  userId: string;
  tenantId: string;
  name?: string;
  upn?: string;
}

export interface UserTokenValidatorOptions {
  jwksUrl: string;
  issuers: string[];
  /** The app's client id and its application ID URI (api://host/clientId). */
  audiences: string[];
  allowedTenants: string[];
  requiredScope: string;
  transport: HttpTransport;
  clockToleranceSeconds?: number;
}

export class TabAuthError extends Error {
  readonly code: 'tab/unauthenticated' | 'tab/invalid-token' | 'tab/forbidden-tenant' | 'tab/missing-scope';
  readonly status = 401;
  constructor(code: TabAuthError['code'], message: string) {
    super(message);
    this.name = 'TabAuthError';
    this.code = code;
  }
}

export interface UserTokenValidator {
  validate(authorization: string | undefined): Promise<TabUser>;
}

export function createUserTokenValidator(options: UserTokenValidatorOptions): UserTokenValidator {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: 60_000,
    cacheMaxAge: 24 * 3600_000,
    [customFetch]: async (url, init) => {
      const res = await options.transport.send({ method: 'GET', url, headers: Object.fromEntries(init.headers.entries()) });
      return new Response(new Uint8Array(res.body), { status: res.status, headers: res.headers });
    },
  });
  const tenants = new Set(options.allowedTenants.map((t) => t.toLowerCase()));

  return {
    async validate(authorization) {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization ?? '');
      if (!match) throw new TabAuthError('tab/unauthenticated', 'Sign in to see this.');
      let payload: JWTPayload & { tid?: string; oid?: string; scp?: string; name?: string; preferred_username?: string; upn?: string };
      try {
        ({ payload } = await jwtVerify(match[1]!, jwks, {
          algorithms: ['RS256'],
          issuer: options.issuers,
          audience: options.audiences,
          clockTolerance: options.clockToleranceSeconds ?? 300,
          requiredClaims: ['exp', 'tid', 'oid'],
        }));
      } catch (err) {
        const expired = err instanceof errors.JWTExpired;
        throw new TabAuthError('tab/invalid-token', expired ? 'Your sign-in has expired: sign in again.' : 'Your sign-in could not be verified: sign in again.');
      }
      if (!payload.tid || !tenants.has(payload.tid.toLowerCase())) throw new TabAuthError('tab/forbidden-tenant', 'Your organization does not use this Switchboard.');
      const scopes = (payload.scp ?? '').split(' ');
      if (!scopes.includes(options.requiredScope)) throw new TabAuthError('tab/missing-scope', 'The sign-in does not allow this app to act for you: sign in again to consent.');
      return { userId: payload.oid!, tenantId: payload.tid, name: payload.name, upn: payload.preferred_username ?? payload.upn };
    },
  };
}
