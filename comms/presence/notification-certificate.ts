// The key pair Graph encrypts rich presence notifications for: an RSA 2,048-bit key and a self-signed certificate
// (Graph only uses its public key and checks no issuer). Local mode creates one under the data folder on first use and
// keeps it (the private key's file is 0600); cloud mode reads a PEM with the certificate and its private key. The id sent as
// encryptionCertificateId is derived from the certificate (its SHA-1 thumbprint), so a replaced certificate gets a
// new id and notifications still naming the old one find the old key for a while.
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Local mode: `<folder>/notification-key.pem` (0600: the certificate and its private key — the one that counts) and
 * `notification-cert.pem` (the certificate alone, to look at), created when missing or near expiry. Instances that
 * share the folder (a local cluster) end up with the same key: the first to create it wins (an exclusive link), the
 * others read it.
 */
export async function loadOrCreateNotificationCertificate(folder: string, now = Date.now()): Promise<NotificationCertificate & { created: boolean }> {
  const keyPath = join(folder, KEY_FILE);
  const existing = await readUsable(keyPath, now);
  if (existing) return { ...existing, created: false };
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
  const both = `${pems.cert.trim()}\n${pems.private.trim()}\n`;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temp = `${keyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, both, { mode: 0o600 });
  try {
    const meanwhile = await readUsable(keyPath, now); // another instance was quicker
    if (meanwhile) return { ...meanwhile, created: false };
    if (await readFile(keyPath).then(() => true, () => false)) await rename(temp, keyPath); // an unusable one is replaced
    else await link(temp, keyPath); // fails if another instance created it meanwhile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = await readUsable(keyPath, now);
    if (theirs) return { ...theirs, created: false };
    await rename(temp, keyPath);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const mine = notificationCertificateFromPem(both);
  await writeFile(join(folder, CERT_FILE), pems.cert, { mode: 0o644 }).catch(() => undefined);
  return { ...mine, created: true };
}

async function readUsable(keyPath: string, now: number): Promise<NotificationCertificate | undefined> {
  const text = await readFile(keyPath, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const loaded = notificationCertificateFromPem(text);
    return Date.parse(loaded.notAfter) - now > RENEW_BEFORE_MS ? loaded : undefined;
  } catch {
    return undefined; // unreadable: make a new one
  }
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
