// Verifies a certificate client assertion (RFC 7523 private_key_jwt) the way Entra does: signed by the registered
// certificate's key (RS256, or PS256 as MSAL uses with x5t#S256), aud = token endpoint, iss = sub = client id, in time.

import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { RegisteredApp } from './app-registry.js';
import { EntraError } from './entra-error.js';

const DOCS = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

export async function verifyClientAssertion(assertion: string, app: RegisteredApp, tokenEndpoint: string): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  if (!app.certificate) {
    throw new EntraError(401, 'invalid_client', 700027, `Client assertion failed signature validation. [Reason - The key was not found., Please visit the Azure Portal to see configured keys for app Id '${app.clientId}'.] ${DOCS}`);
  }
  if (!thumbprintMatches(header, app.certificate)) {
    throw new EntraError(401, 'invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprintOf(header)}', Please visit the Azure Portal to see configured keys for app Id '${app.clientId}'.] ${DOCS}`);
  }

  let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload: claims } = await jwtVerify(assertion, app.certificate.publicKey, { algorithms: ['RS256', 'PS256'], clockTolerance: 300, requiredClaims: ['exp'] }));
  } catch (err) {
    if (err instanceof errors.JWTExpired || (err instanceof errors.JWTClaimValidationFailed && (err.claim === 'nbf' || err.claim === 'exp'))) {
      throw new EntraError(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. ${DOCS}`);
    }
    throw new EntraError(401, 'invalid_client', 700027, `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprintOf(header)}'] ${DOCS}`);
  }

  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((a) => typeof a === 'string' && a.toLowerCase() === tokenEndpoint.toLowerCase())) {
    throw new EntraError(401, 'invalid_client', 700023, `Client assertion audience claim does not match Realm issuer. ${DOCS}`);
  }
  const clientId = app.clientId.toLowerCase();
  if (claims.iss?.toLowerCase() !== clientId || claims.sub?.toLowerCase() !== clientId) {
    throw new EntraError(401, 'invalid_client', 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`);
  }
}

function thumbprintMatches(header: Record<string, unknown>, cert: NonNullable<RegisteredApp['certificate']>): boolean {
  const sha1 = header['x5t'];
  const sha256 = header['x5t#S256'];
  if (typeof sha256 === 'string' && cert.sha256Thumbprint) return Buffer.from(sha256, 'base64url').equals(cert.sha256Thumbprint);
  if (typeof sha1 === 'string' && cert.sha1Thumbprint) return Buffer.from(sha1, 'base64url').equals(cert.sha1Thumbprint);
  return true;
}

function thumbprintOf(header: Record<string, unknown>): string {
  const value = header['x5t#S256'] ?? header['x5t'];
  return typeof value === 'string' ? Buffer.from(value, 'base64url').toString('hex').toUpperCase() : '';
}
