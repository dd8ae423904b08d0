// Graph's bearer-token check, done before anything else on /v1.0: a JWT from the emulator's issuer (signature by
// a published kid, 5-minute clock skew), Graph audience, v1 issuer, this tenant. Failures are 401 InvalidAuthenticationToken.

import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKey } from '../keys/signing-key.js';
import { GRAPH_APP_ID, GRAPH_AUDIENCES } from '../identity/token-issuer.js';
import { GraphError } from './graph-error.js';

/** Who a valid Graph token acts for. Application tokens carry `roles`; delegated (user) tokens carry `scp`. */
export interface GraphPrincipal {
  kind: 'application' | 'delegated';
  appId: string;
  tenantId: string;
  roles: string[];
  scopes: string[];
  /** The signed-in user's object id, for delegated tokens. */
  userId?: string;
}

const CLOCK_SKEW_SECONDS = 300;
/** Tokens whose signature was checked, kept to check only their lifetime when they come again (as a token cache does). */
const VERIFIED_TOKENS = 1_000;

export class GraphTokenValidator {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;
  /** token → its claims, for tokens that verified (a client reuses its token for an hour: RS256 each time was a tenth of the emulator's CPU). */
  private readonly verified = new Map<string, JWTPayload>();

  constructor(
    signingKey: SigningKey,
    private readonly issuer: string,
    private readonly tenantId: string,
    private readonly authorityUrl: string,
    /** The clock (ms), for tests. */
    private readonly now: () => number = Date.now,
  ) {
    this.keys = createLocalJWKSet(signingKey.jwks());
  }

  async validate(authorization: string | undefined): Promise<GraphPrincipal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw this.unauthorized('Access token is empty.');
    const token = match[1]!;
    const claims = this.verified.get(token) ?? (await this.verify(token));
    const now = this.now() / 1000;
    if (typeof claims.exp === 'number' && now - CLOCK_SKEW_SECONDS >= claims.exp) {
      this.verified.delete(token);
      throw this.unauthorized('Lifetime validation failed, the token is expired.');
    }
    if (typeof claims.nbf === 'number' && now + CLOCK_SKEW_SECONDS < claims.nbf) throw this.unauthorized('Lifetime validation failed, the token is not yet valid.');

    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => typeof a === 'string' && GRAPH_AUDIENCES.includes(a))) {
      throw this.unauthorized('Access token validation failure. Invalid audience.');
    }
    if (claims.iss !== this.issuer || String(claims.tid ?? '').toLowerCase() !== this.tenantId) {
      throw this.unauthorized('Access token validation failure. Invalid issuer.');
    }

    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [];
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    const appId = String(claims.appid ?? claims.azp ?? '');
    const delegated = claims.idtyp === 'user' || scopes.length > 0;
    return {
      kind: delegated ? 'delegated' : 'application',
      appId,
      tenantId: this.tenantId,
      roles,
      scopes,
      ...(delegated && typeof claims.oid === 'string' ? { userId: claims.oid } : {}),
    };
  }

  /** Signature and lifetime (jose); a token that verifies is remembered, the oldest forgotten past VERIFIED_TOKENS. */
  private async verify(token: string): Promise<JWTPayload> {
    if (token.split('.').length !== 3) throw this.unauthorized('CompactToken parsing failed with error code: 80049217');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys, { algorithms: ['RS256'], clockTolerance: CLOCK_SKEW_SECONDS, currentDate: new Date(this.now()) }));
    } catch (err) {
      throw this.unauthorized(failureMessage(err));
    }
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  private unauthorized(message: string): GraphError {
    return new GraphError(401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': `Bearer realm="", authorization_uri="${this.authorityUrl}/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
    });
  }
}

function failureMessage(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'Lifetime validation failed, the token is expired.';
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf') return 'Lifetime validation failed, the token is not yet valid.';
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JOSEAlgNotAllowed) {
    return 'Access token validation failure. Invalid signature.';
  }
  return 'CompactToken parsing failed with error code: 80049217';
}
