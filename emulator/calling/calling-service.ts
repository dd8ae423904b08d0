// The calling service's signing side (Microsoft's api.aps.skype.com): its own key pair, OpenID metadata and JWKS
// under /skype/v1, and the JWTs it puts on webhook POSTs ({ aud: app id, iss, tid, iat, nbf, exp }).

import { EmulatorError } from '../emulator-error.js';
import { emulatorErrorReply, emulatorStatusError, jsonReply } from '../http/emulator-reply.js';
import type { HttpReply } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';
import type { SigningKey } from '../keys/signing-key.js';

export const CALLING_ISSUER = 'https://api.botframework.com';
export const CALLING_METADATA_PATH = '/skype/v1/.well-known/OpenIdConfiguration';
const CALLING_KEYS_PATH = '/skype/v1/keys';

export interface CallingTokenClaims {
  audience: string;
  tenantId?: string;
  issuer?: string;
  expiresInSeconds?: number;
}

export class CallingService {
  constructor(
    private readonly key: SigningKey,
    private readonly baseUrl: string,
    private readonly defaultTenantId: string,
  ) {}

  get metadataUrl(): string {
    return `${this.baseUrl}${CALLING_METADATA_PATH}`;
  }

  metadata(): Record<string, unknown> {
    return {
      issuer: CALLING_ISSUER,
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: `${this.baseUrl}${CALLING_KEYS_PATH}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  async signToken(claims: CallingTokenClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.key.sign({
      aud: claims.audience,
      iss: claims.issuer ?? CALLING_ISSUER,
      tid: claims.tenantId ?? this.defaultTenantId,
      iat: now,
      nbf: now,
      exp: now + (claims.expiresInSeconds ?? 3600),
    });
  }

  area(): Area {
    const routes = new RouteTable<() => HttpReply>()
      .add('GET', CALLING_METADATA_PATH, () => jsonReply(200, this.metadata()))
      .add('GET', CALLING_KEYS_PATH, () => jsonReply(200, this.key.jwks()));
    return {
      name: 'calling',
      observed: true,
      owns: (path) => path.toLowerCase().startsWith('/skype/'),
      headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
      statusReply: (_request, status) => emulatorErrorReply(emulatorStatusError(status)),
      async handle(request) {
        const match = routes.resolve(request.method, request.path);
        if (match.kind === 'found') return match.handler();
        const err = match.kind === 'method-not-allowed'
          ? new EmulatorError('emulator/method-not-allowed', `${request.method} is not allowed on ${request.path}.`, 405)
          : new EmulatorError('emulator/not-found', `No emulator route for ${request.method} ${request.path}: see GET /emulator for what is served.`, 404);
        return emulatorErrorReply(err);
      },
    };
  }
}
