// A persisted RS256 signing key pair (private JWK on disk, kid = its RFC 7638 thumbprint): one for the identity
// issuer, a separate one for the calling service. Signs JWTs and publishes the public half as a JWKS.

import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { EmulatorError } from '../emulator-error.js';
import { readIfExists, writeAtomically } from './data-dir-files.js';

export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  alg: 'RS256';
  n: string;
  e: string;
}

export class SigningKey {
  private constructor(
    readonly kid: string,
    readonly publicJwk: PublicJwk,
    private readonly privateKey: CryptoKey,
  ) {}

  /** Loads `<dataDir>/<name>.json`, or generates and persists a new key pair when it is missing. */
  static async loadOrCreate(dataDir: string, name: string): Promise<SigningKey> {
    const path = join(dataDir, `${name}.json`);
    const text = await readIfExists(path);
    if (text !== undefined) return SigningKey.fromText(text, path);

    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    const stored: JWK = { ...jwk, kid, alg: 'RS256', use: 'sig' };
    await writeAtomically(path, JSON.stringify(stored, null, 2) + '\n', 0o600);
    return SigningKey.fromJwk(stored);
  }

  private static async fromText(text: string, path: string): Promise<SigningKey> {
    try {
      const jwk = JSON.parse(text) as JWK;
      if (jwk.kty !== 'RSA' || !jwk.d || !jwk.kid || !jwk.n || !jwk.e) throw new Error('not an RSA private JWK with a kid');
      return await SigningKey.fromJwk(jwk);
    } catch (err) {
      throw new EmulatorError('emulator/corrupt-key-file', `The signing key file ${path} cannot be read (${(err as Error).message}): delete it and restart the emulator to generate a new key.`, 500, { cause: err });
    }
  }

  private static async fromJwk(jwk: JWK): Promise<SigningKey> {
    const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
    const publicJwk: PublicJwk = { kty: 'RSA', use: 'sig', kid: jwk.kid!, alg: 'RS256', n: jwk.n!, e: jwk.e! };
    return new SigningKey(jwk.kid!, publicJwk, privateKey);
  }

  /** Signs the claims as given (iat/nbf/exp included by the caller), RS256 with `kid` and `typ: JWT` in the header. */
  async sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid }).sign(this.privateKey);
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: [this.publicJwk] };
  }
}
