// Validates the bearer JWT on every calling-webhook POST before the body is read: RS256 by a key from the calling
// service's OpenID metadata, allowed issuer, audience = app id, non-empty `tid` (= the app's tenant for a single-tenant
// app), lifetime with tolerance. Fails closed. A token verified once is remembered (by its exact text, for the key set
// it was verified with) until it expires: Graph sends the same token with many notifications, and the RS256 check is
// most of the webhook's cost per request; its lifetime is still checked on every use.
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { HttpTransport } from '../graph/index.js';
import { CallError } from './call-error.js';
import { systemClock, type Clock } from '../runtime/clock.js';

export interface CallingTokenValidatorOptions {
  /** e.g. https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration, or the emulator's. */
  openIdMetadataUrl: string;
  /** https://graph.microsoft.com and https://api.botframework.com in the cloud. */
  issuers: string[];
  /** The bot's Microsoft App ID. */
  audience: string;
  /** Single-tenant app: the only tenant whose calls are accepted (`tid`). Omit for a multi-tenant app. */
  tenantId?: string;
  transport: HttpTransport;
  clockToleranceSeconds?: number;
  now?: Clock;
  /** Keys are re-read this often (the official sample: 2 h). */
  refreshIntervalMs?: number;
  /** An unknown `kid` forces a re-read at most this often. */
  forcedRefreshIntervalMs?: number;
  /** Keys older than this are not used any more when re-reading keeps failing. */
  maxKeyAgeMs?: number;
}

export interface ValidatedCallingToken {
  tenantId: string;
  claims: JWTPayload;
}

export interface CallingTokenValidator {
  validate(authorizationHeader: string | undefined): Promise<ValidatedCallingToken>;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
/** Verified tokens remembered at most (Graph uses a handful at a time; an attacker's garbage is never remembered). */
const VERIFIED_CACHE_SIZE = 256;

interface VerifiedToken {
  result: ValidatedCallingToken;
  /** ms; the token is good from notBefore - tolerance to expires + tolerance. */
  notBefore: number;
  expires: number;
}

export function createCallingTokenValidator(options: CallingTokenValidatorOptions): CallingTokenValidator {
  const now = options.now ?? systemClock;
  const tolerance = options.clockToleranceSeconds ?? 300;
  const refreshIntervalMs = options.refreshIntervalMs ?? 2 * 60 * 60_000;
  const forcedRefreshIntervalMs = options.forcedRefreshIntervalMs ?? 60_000;
  const maxKeyAgeMs = options.maxKeyAgeMs ?? 24 * 60 * 60_000;
  if (!options.audience) throw new CallError('calls/invalid-argument', 'The calling webhook needs the app id as audience');
  const ownTenant = options.tenantId?.trim().toLowerCase();
  if (options.tenantId !== undefined && !ownTenant) throw new CallError('calls/invalid-argument', 'A single-tenant calling webhook needs the tenant id');
  if (options.issuers.length === 0) throw new CallError('calls/invalid-argument', 'The calling webhook needs at least one allowed issuer');

  let keys: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number; verified: Map<string, VerifiedToken> } | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  async function fetchJson(url: string, what: string): Promise<Record<string, unknown>> {
    let res;
    try {
      res = await options.transport.send({ method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs: 10_000 });
    } catch (err) {
      throw unavailable(`${what} could not be fetched: ${(err as Error).message}`, err);
    }
    if (res.status !== 200) throw unavailable(`${what} answered HTTP ${res.status}`);
    try {
      const parsed = JSON.parse(res.body.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch (err) {
      throw unavailable(`${what} is not a JSON object`, err);
    }
  }

  async function refresh(): Promise<void> {
    lastAttemptAt = now();
    const metadata = await fetchJson(options.openIdMetadataUrl, 'The calling OpenID metadata');
    if (typeof metadata.jwks_uri !== 'string') throw unavailable('The calling OpenID metadata has no jwks_uri');
    const jwks = await fetchJson(metadata.jwks_uri, 'The calling signing keys');
    if (!Array.isArray(jwks.keys)) throw unavailable('The calling signing keys document has no keys');
    // New keys, new cache: a token verified with a key the service has since withdrawn is checked again.
    keys = { set: createLocalJWKSet(jwks as unknown as JSONWebKeySet), fetchedAt: now(), verified: new Map() };
  }

  function refreshOnce(): Promise<void> {
    inflight ??= refresh().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function currentKeys(): Promise<NonNullable<typeof keys>> {
    if (!keys || now() - keys.fetchedAt >= refreshIntervalMs) {
      try {
        await refreshOnce();
      } catch (err) {
        // Stale keys are still good signatures for a while; with none, or too old, fail closed.
        if (!keys || now() - keys.fetchedAt >= maxKeyAgeMs) throw err;
      }
    }
    return keys!;
  }

  return {
    async validate(authorizationHeader) {
      const match = typeof authorizationHeader === 'string' ? BEARER.exec(authorizationHeader) : null;
      if (!match) {
        throw new CallError('calls/unauthorized', 'The calling webhook needs "Authorization: Bearer <token>"');
      }
      const token = match[1]!;
      let loaded = await currentKeys();
      const known = loaded.verified.get(token);
      if (known) {
        const at = now();
        if (at >= known.notBefore - tolerance * 1000 && at < known.expires + tolerance * 1000) return known.result;
        loaded.verified.delete(token);
      }
      const verifiedWith = loaded;
      const getKey: Parameters<typeof jwtVerify>[1] = async (header, jws) => {
        try {
          return await loaded.set(header, jws);
        } catch (err) {
          const unknownKid = err instanceof joseErrors.JWKSNoMatchingKey;
          if (!unknownKid || now() - lastAttemptAt < forcedRefreshIntervalMs) throw err;
          // A key we have not seen: the service may have rotated. Re-read, at most once per interval.
          await refreshOnce();
          loaded = keys!;
          return loaded.set(header, jws);
        }
      };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: ['RS256'],
          issuer: options.issuers,
          audience: options.audience,
          clockTolerance: tolerance,
          currentDate: new Date(now()),
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        if (err instanceof CallError) throw err;
        throw new CallError('calls/forbidden', `The calling webhook token was refused (${(err as { code?: string }).code ?? 'invalid'})`, { cause: err });
      }
      const tid = payload.tid;
      if (typeof tid !== 'string' || tid.trim() === '') {
        throw new CallError('calls/forbidden', 'The calling webhook token has no tenant (tid)');
      }
      if (ownTenant !== undefined && tid.trim().toLowerCase() !== ownTenant) {
        throw new CallError('calls/forbidden', "The calling webhook token is from another tenant than this single-tenant app's");
      }
      const result = { tenantId: tid, claims: payload };
      // Remembered only with the keys it was checked against (a forced refresh during the check starts a new cache).
      if (loaded === verifiedWith && keys === loaded) {
        if (loaded.verified.size >= VERIFIED_CACHE_SIZE) loaded.verified.delete(loaded.verified.keys().next().value!);
        loaded.verified.set(token, {
          result,
          notBefore: typeof payload.nbf === 'number' ? payload.nbf * 1000 : Number.NEGATIVE_INFINITY,
          expires: payload.exp! * 1000,
        });
      }
      return result;
    },
  };
}

function unavailable(message: string, cause?: unknown): CallError {
  return new CallError('calls/auth-unavailable', `${message}; calling notifications are refused until it is back`, { cause });
}
