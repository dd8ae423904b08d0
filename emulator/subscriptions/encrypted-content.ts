// Change notifications with resource data (change-notifications-with-resource-data), Graph's side: the certificate a
// subscription names (base64 DER X.509, RSA 2,048–4,096 bits), and per item a fresh 32-byte key that encrypts the
// resource (AES-256-CBC, PKCS7, IV = the key's first 16 bytes), signs the ciphertext (HMAC-SHA256) and travels
// encrypted with the certificate's public key (RSA-OAEP, SHA-1/MGF1). Plus the batch's validationTokens: JWTs from
// the emulator's identity issuer with aud = the app and appid = Graph's change-tracking publisher.

import { createCipheriv, createHmac, constants, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { GraphError } from '../graph/graph-error.js';

/** The app id validationTokens carry in `appid`/`azp` (the change-notification publisher). */
export const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
export const MAX_CERTIFICATE_ID_LENGTH = 128;
export const VALIDATION_TOKEN_LIFETIME_SECONDS = 3600;

export interface EncryptionCertificate {
  /** As the app sent it (echoed by GET /subscriptions/{id}). */
  base64: string;
  id: string;
  /** SHA-1 of the DER bytes, upper-case hex (what encryptionCertificateThumbprint carries). */
  thumbprint: string;
  publicKey: KeyObject;
}

export interface EncryptedContent {
  data: string;
  dataSignature: string;
  dataKey: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint: string;
}

/** Checks what a subscription with includeResourceData must carry; 400 as Graph answers otherwise. */
export function readEncryptionCertificate(base64: string | null | undefined, id: string | null | undefined): EncryptionCertificate {
  if (!base64) throw new GraphError(400, 'InvalidRequest', 'An encryptionCertificate is required when includeResourceData is true.');
  if (!id) throw new GraphError(400, 'InvalidRequest', 'An encryptionCertificateId is required when includeResourceData is true.');
  if (id.length > MAX_CERTIFICATE_ID_LENGTH) throw new GraphError(400, 'InvalidRequest', `encryptionCertificateId can have a maximum of ${MAX_CERTIFICATE_ID_LENGTH} characters.`);
  let certificate: X509Certificate;
  try {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) throw new Error('not base64');
    certificate = new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw new GraphError(400, 'InvalidRequest', 'encryptionCertificate is not a base64-encoded X.509 certificate (the DER bytes, without PEM armour).');
  }
  const key = certificate.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048 || bits > 4096) {
    throw new GraphError(400, 'InvalidRequest', 'encryptionCertificate must hold an RSA public key of 2048 to 4096 bits.');
  }
  return { base64, id, thumbprint: certificate.fingerprint.replace(/:/g, '').toUpperCase(), publicKey: key };
}

/** Encrypts one resource for one item: a new symmetric key every time. */
export function encryptResource(resource: unknown, certificate: EncryptionCertificate): EncryptedContent {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  const signature = createHmac('sha256', key).update(data).digest();
  const dataKey = publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key);
  return {
    data: data.toString('base64'),
    dataSignature: signature.toString('base64'),
    dataKey: dataKey.toString('base64'),
    encryptionCertificateId: certificate.id,
    encryptionCertificateThumbprint: certificate.thumbprint,
  };
}

/** The claims of a validation token for one app and tenant (v1 form, as the doc's example). */
export function validationTokenClaims(input: { issuer: string; appId: string; tenantId: string; now: number }): JWTPayload {
  return {
    aud: input.appId,
    iss: input.issuer,
    iat: input.now,
    nbf: input.now,
    exp: input.now + VALIDATION_TOKEN_LIFETIME_SECONDS,
    aio: randomBytes(12).toString('base64url'),
    appid: CHANGE_TRACKING_APP_ID,
    appidacr: '2',
    idp: input.issuer,
    tid: input.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
}
