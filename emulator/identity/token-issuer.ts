// Mints the identity issuer's access tokens: v1-style Graph app tokens (client credentials) and user tokens for
// emulated people (the local stand-in for Teams SSO): v1 when the audience is Graph, as Entra does, else v2.

import { randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { EmulatedUser } from '../emulator-options.js';
import type { SigningKey } from '../keys/signing-key.js';
import type { RegisteredApp } from './app-registry.js';
import { pairwiseSubject } from './stable-id.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Graph accepts tokens whose `aud` is any of these. */
export const GRAPH_AUDIENCES: readonly string[] = [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID];
/** Teams web client: the `azp` of a Teams SSO token when the caller names no client. */
export const TEAMS_WEB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
export const APP_TOKEN_LIFETIME_SECONDS = 3599;
export const USER_TOKEN_LIFETIME_SECONDS = 3600;

export interface UserTokenRequest {
  audience: string;
  scopes: string[];
  clientId: string;
  /** Negative values mint an already-expired token (for tests). */
  expiresInSeconds: number;
}

export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    readonly baseUrl: string,
    readonly tenantId: string,
  ) {}

  /** v1 issuer: what Graph tokens carry (Entra's is https://sts.windows.net/{tid}/). */
  get v1Issuer(): string {
    return `${this.baseUrl}/${this.tenantId}/`;
  }

  get v2Issuer(): string {
    return `${this.baseUrl}/${this.tenantId}/v2.0`;
  }

  async appToken(app: RegisteredApp, credential: 'secret' | 'certificate'): Promise<string> {
    const now = nowSeconds();
    const claims: JWTPayload = {
      aud: GRAPH_RESOURCE,
      iss: this.v1Issuer,
      iat: now,
      nbf: now,
      exp: now + APP_TOKEN_LIFETIME_SECONDS,
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: credential === 'secret' ? '1' : '2',
      azp: app.clientId,
      idp: this.v1Issuer,
      idtyp: 'app',
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      tid: this.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    if (app.roles.length > 0) claims.roles = [...app.roles];
    return this.key.sign(claims);
  }

  /** Signs claims as given with the issuer's key (validationTokens of rich change notifications). */
  sign(claims: JWTPayload): Promise<string> {
    return this.key.sign(claims);
  }

  async userToken(user: EmulatedUser, request: UserTokenRequest): Promise<string> {
    const now = nowSeconds();
    const lifetime = { iat: now, nbf: now, exp: now + request.expiresInSeconds };
    const common = {
      aud: request.audience,
      ...lifetime,
      name: user.displayName,
      oid: user.id,
      scp: request.scopes.join(' '),
      sub: pairwiseSubject(user.id, request.clientId),
      tid: this.tenantId,
      uti: randomBytes(16).toString('base64url'),
    };
    if (GRAPH_AUDIENCES.includes(request.audience)) {
      return this.key.sign({
        ...common,
        iss: this.v1Issuer,
        acr: '1',
        amr: ['pwd'],
        appid: request.clientId,
        appidacr: '0',
        family_name: user.surname,
        given_name: user.givenName,
        idtyp: 'user',
        ipaddr: '127.0.0.1',
        unique_name: user.userPrincipalName,
        upn: user.userPrincipalName,
        ver: '1.0',
      });
    }
    return this.key.sign({
      ...common,
      iss: this.v2Issuer,
      azp: request.clientId,
      azpacr: '0',
      preferred_username: user.userPrincipalName,
      ver: '2.0',
    });
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
