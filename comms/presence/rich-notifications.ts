// Change notifications with resource data, the app's side (change-notifications-with-resource-data): the batch's
// validationTokens are checked (signature by the identity platform's keys, issuer, not expired, aud = this app,
// appid/azp = Graph's change-tracking publisher), then each item's encryptedContent: the private key is picked by
// encryptionCertificateId, the symmetric key is unwrapped (RSA-OAEP, SHA-1 — don't "upgrade" the hash), the HMAC-SHA256
// over the ciphertext is compared in constant time, and only then is the AES-256-CBC data (IV = the key's first 16
// bytes) decrypted. Every refusal is a PresenceError with a stable code; nothing here logs or keeps a token.
import { constants, createDecipheriv, createHmac, privateDecrypt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { changeNotificationItemSchema, type HttpTransport } from '../graph/index.js';
import { PresenceError } from './presence-error.js';

/** The publisher of change notifications: validationTokens carry it in `appid` (v1) or `azp` (v2). */
export const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
const MAX_FIELD = 64 * 1024;

export const encryptedContentSchema = z
  .object({
    data: z.string().min(1).max(MAX_FIELD),
    dataSignature: z.string().min(1).max(1024),
    dataKey: z.string().min(1).max(4096),
    encryptionCertificateId: z.string().min(1).max(128),
    encryptionCertificateThumbprint: z.string().max(128).nullish(),
  })
  .loose();
export type EncryptedContent = z.infer<typeof encryptedContentSchema>;

/** The private keys notifications may be encrypted for, by certificate id (the current one and, after a rotation, the previous). */
export interface NotificationKeyring {
  privateKey(certificateId: string): KeyObject | undefined;
}

/** Unwraps, verifies and decrypts one item's resource; throws PresenceError('presence/notification-refused'). */
export function decryptResource(content: unknown, keys: NotificationKeyring): unknown {
  const parsed = encryptedContentSchema.safeParse(content);
  if (!parsed.success) throw refused('the encryptedContent is not valid', 'invalid-content');
  const { data, dataSignature, dataKey, encryptionCertificateId } = parsed.data;
  const privateKey = keys.privateKey(encryptionCertificateId);
  if (!privateKey) throw refused('the item names a certificate this app does not hold', 'unknown-certificate');
  let key: Buffer;
  try {
    key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(dataKey, 'base64'));
  } catch {
    throw refused('the data key does not open with this certificate\'s private key', 'wrong-certificate');
  }
  if (key.length !== 32) throw refused('the data key is not a 256-bit key', 'wrong-certificate');
  const ciphertext = Buffer.from(data, 'base64');
  const expected = createHmac('sha256', key).update(ciphertext).digest();
  const given = Buffer.from(dataSignature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused('the data signature does not match: the item was changed on the way', 'bad-signature');
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    text = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    throw refused('the data does not decrypt to JSON', 'undecryptable');
  }
}

export interface ValidationTokenOptions {
  /** Where the signing keys are published (Entra: https://login.microsoftonline.com/common/discovery/v2.0/keys). */
  jwksUrl: string;
  /** Accepted issuers (Entra v1: https://sts.windows.net/{tenant}/ for each allowed tenant). */
  issuers: string[];
  /** This app's id(s): the tokens' audience. */
  appIds: string[];
  transport: HttpTransport;
  clockToleranceSeconds?: number;
}

export interface ValidationTokenVerifier {
  /** Resolves when every token passes; throws PresenceError('presence/notification-refused') naming the first failure. */
  verifyAll(tokens: unknown): Promise<void>;
}

export function createValidationTokenVerifier(options: ValidationTokenOptions): ValidationTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    // Keys rotate daily: cache them briefly, and let an unknown kid refetch (after a short cooldown).
    cacheMaxAge: 3600_000,
    cooldownDuration: 30_000,
    [customFetch]: async (url, init) => {
      const res = await options.transport.send({ method: 'GET', url, headers: Object.fromEntries(init.headers.entries()) });
      return new Response(new Uint8Array(res.body), { status: res.status, headers: res.headers });
    },
  });
  const audiences = options.appIds.map((a) => a.toLowerCase());
  return {
    async verifyAll(tokens) {
      if (!Array.isArray(tokens) || tokens.length === 0) throw refused('the batch carries no validationTokens', 'no-validation-token');
      if (tokens.length > 100) throw refused('the batch carries too many validationTokens', 'invalid-validation-token');
      for (const token of tokens) {
        if (typeof token !== 'string' || token.length > 16 * 1024) throw refused('a validation token is not a JWT', 'invalid-validation-token');
        let claims: JWTPayload;
        try {
          ({ payload: claims } = await jwtVerify(token, jwks, {
            algorithms: ['RS256'],
            issuer: options.issuers,
            clockTolerance: options.clockToleranceSeconds ?? 300,
            requiredClaims: ['exp', 'aud'],
          }));
        } catch (err) {
          if (err instanceof errors.JWTExpired) throw refused('a validation token has expired', 'expired-validation-token');
          throw refused('a validation token is not signed by the identity platform (or names another issuer)', 'invalid-validation-token');
        }
        const aud = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
        if (!aud.some((a) => audiences.includes(a.toLowerCase()))) throw refused('a validation token is for another app (aud)', 'wrong-audience');
        const publisher = String(claims.appid ?? claims.azp ?? '');
        if (publisher.toLowerCase() !== CHANGE_TRACKING_APP_ID) throw refused('a validation token was not issued to Graph change tracking (appid)', 'wrong-appid');
      }
    },
  };
}

const richItemSchema = changeNotificationItemSchema.extend({ encryptedContent: z.unknown().optional() });
const richBatchSchema = z.object({ value: z.array(z.unknown()).max(1_000), validationTokens: z.unknown().optional() }).loose();
export type RichNotificationItem = z.infer<typeof richItemSchema>;

/**
 * A batch after its first checks: the items that parsed, and what was refused with why and how many — the whole
 * batch (not a batch, or a validation token failed: no items), or the items that did not parse ('invalid-item').
 */
export interface OpenedBatch {
  items: RichNotificationItem[];
  refused?: { reason: string; count: number };
}

/**
 * The first checks of any batch of rich change notifications: it is a batch, and when any item carries
 * encryptedContent every validation token passes (or the whole batch is refused, naming why and how many items).
 */
export async function openRichBatch(body: unknown, verifier: ValidationTokenVerifier): Promise<OpenedBatch> {
  const batch = richBatchSchema.safeParse(body);
  if (!batch.success) return { items: [], refused: { reason: 'invalid-batch', count: 1 } };
  const parsed = batch.data.value.map((raw) => richItemSchema.safeParse(raw));
  if (parsed.some((i) => i.success && i.data.encryptedContent !== undefined)) {
    try {
      await verifier.verifyAll(batch.data.validationTokens);
    } catch (err) {
      return { items: [], refused: { reason: err instanceof PresenceError ? err.reason ?? err.code : 'invalid-validation-token', count: parsed.length } };
    }
  }
  const items = parsed.flatMap((i) => (i.success ? [i.data] : []));
  const invalid = parsed.length - items.length;
  return { items, ...(invalid > 0 ? { refused: { reason: 'invalid-item', count: invalid } } : {}) };
}

export type RefusalReason =
  | 'invalid-content'
  | 'unknown-certificate'
  | 'wrong-certificate'
  | 'bad-signature'
  | 'undecryptable'
  | 'no-validation-token'
  | 'invalid-validation-token'
  | 'expired-validation-token'
  | 'wrong-audience'
  | 'wrong-appid';

function refused(message: string, reason: RefusalReason): PresenceError {
  return new PresenceError('presence/notification-refused', message, undefined, reason);
}
