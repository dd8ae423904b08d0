// The key pair Graph encrypts rich presence notifications for: an RSA 2,048-bit key and a self-signed certificate
// (Graph only uses its public key and checks no issuer). Local mode creates one under the data folder on first use and
// keeps it (private key 0600); cloud mode reads a PEM with the certificate and its private key. The id sent as
// encryptionCertificateId is derived from the certificate (its SHA-1 thumbprint), so a replaced certificate gets a
// new id and notifications still naming the old one find the old key for a while.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';
import { PresenceError } from './presence-error.js';
import type { NotificationKeyring } from './rich-notifications.js';

export interface NotificationCertificate {
  /** encryptionCertificateId: ≤ 128 characters, echoed in every item. */
  id: string;
  /** encryptionCertificate: base64 of the DER bytes (no PEM armour). */
  base64: string;
  thumbprint: string;
  privateKey: KeyObject;
  notAfter: string;
}

const CERT_FILE = 'notification-cert.pem';
const KEY_FILE = 'notification-key.pem';
const VALIDITY_DAYS = 365;
const RENEW_BEFORE_MS = 14 * 24 * 3600_000;

/** A certificate and its private key from PEM text (both may be in one file); throws PresenceError('presence/certificate'). */
export function notificationCertificateFromPem(certPem: string, keyPem: string = certPem): NotificationCertificate {
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(certPem);
    privateKey = createPrivateKey(keyPem);
  } catch (err) {
    throw new PresenceError('presence/certificate', 'The presence notification certificate is not a PEM certificate with its private key', err);
  }
  const bits = certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (certificate.publicKey.asymmetricKeyType !== 'rsa' || bits < 2048 || bits > 4096) {
    throw new PresenceError('presence/certificate', 'The presence notification certificate must hold an RSA key of 2048 to 4096 bits');
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new PresenceError('presence/certificate', 'The private key does not belong to the presence notification certificate');
  const thumbprint = certificate.fingerprint.replace(/:/g, '').toUpperCase();
  return { id: `switchboard-${thumbprint.slice(0, 20).toLowerCase()}`, base64: certificate.raw.toString('base64'), thumbprint, privateKey, notAfter: new Date(certificate.validTo).toISOString() };
}

/** Local mode: `<folder>/notification-cert.pem` + `notification-key.pem`, created when missing or near expiry. */
export async function loadOrCreateNotificationCertificate(folder: string, now = Date.now()): Promise<NotificationCertificate & { created: boolean }> {
  const certPath = join(folder, CERT_FILE);
  const keyPath = join(folder, KEY_FILE);
  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8').catch(() => undefined), readFile(keyPath, 'utf8').catch(() => undefined)]);
  if (certPem && keyPem) {
    try {
      const loaded = notificationCertificateFromPem(certPem, keyPem);
      if (Date.parse(loaded.notAfter) - now > RENEW_BEFORE_MS) return { ...loaded, created: false };
    } catch {
      // unreadable: make a new one
    }
  }
  const notBefore = new Date(now - 3600_000);
  const notAfter = new Date(now + VALIDITY_DAYS * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'Switchboard presence notifications' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', keyEncipherment: true, dataEncipherment: true, critical: true }],
  });
  await writePrivately(keyPath, pems.private, 0o600);
  await writePrivately(certPath, pems.cert, 0o644);
  return { ...notificationCertificateFromPem(pems.cert, pems.private), created: true };
}

/** The current certificate, plus earlier ones still accepted (rotation: Graph may use the old key for a while). */
export class CertificateKeyring implements NotificationKeyring {
  private readonly keys = new Map<string, KeyObject>();

  constructor(readonly current: NotificationCertificate, previous: NotificationCertificate[] = []) {
    for (const c of [current, ...previous]) this.keys.set(c.id, c.privateKey);
  }

  privateKey(certificateId: string): KeyObject | undefined {
    return this.keys.get(certificateId);
  }
}

async function writePrivately(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, path);
}
