// Test support: change notifications with resource data as Graph would send them to a local Switchboard — a resource
// encrypted for a public key (AES-256-CBC under a fresh key, HMAC-SHA256, the key under RSA-OAEP SHA-1), and
// validation tokens signed with the emulator's own issuer key, so that only the checks under test can refuse them.
import { constants, createCipheriv, createHmac, publicEncrypt, randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { LOCAL_APP } from '../../server/config.js';
import type { LocalSwitchboard } from './local-switchboard.js';

/** `encryptedContent` for one item: the resource encrypted for `publicKey`, naming `certificateId` and `certificate`'s thumbprint. */
export function encryptFor(resource: unknown, publicKey: KeyObject, certificateId: string, certificate: X509Certificate) {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  return {
    data: data.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    dataKey: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: certificate.fingerprint.replace(/:/g, ''),
  };
}

/** Signs claims with the emulator's identity key (what its validationTokens are signed with). */
export function emulatorSigner(app: LocalSwitchboard): (claims: Record<string, unknown>) => Promise<string> {
  const jwk = JSON.parse(readFileSync(join(app.dataDir, 'emulator', 'identity-signing-key.json'), 'utf8')) as JWK;
  return async (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid! }).sign(await importJWK(jwk, 'RS256'));
}

/** A validation token as Graph change tracking's for the local app; `appid` may be overridden to forge one. */
export function changeTrackingToken(app: LocalSwitchboard, sign: (claims: Record<string, unknown>) => Promise<string>, appid = '0bf30f3b-4a52-48df-9a82-234910c4a086'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ aud: LOCAL_APP.id, iss: `${app.emulator!.url}/${LOCAL_APP.tenantId}/`, iat: now, nbf: now, exp: now + 600, appid, tid: LOCAL_APP.tenantId, ver: '1.0' });
}
