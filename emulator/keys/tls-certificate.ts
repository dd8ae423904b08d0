// The emulator's self-signed TLS certificate (RSA 2048, SAN IP:127.0.0.1 + DNS:localhost), created on first start
// and reused from the data directory afterwards; regenerated only when missing, unreadable or about to expire.

import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { readIfExists, writeAtomically } from './data-dir-files.js';

export interface TlsCertificate {
  certPem: string;
  keyPem: string;
  certPath: string;
}

const CERT_FILE = 'tls-cert.pem';
const KEY_FILE = 'tls-key.pem';
const VALIDITY_YEARS = 10;
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export async function loadOrCreateTlsCertificate(dataDir: string): Promise<TlsCertificate & { created: boolean }> {
  const certPath = join(dataDir, CERT_FILE);
  const keyPath = join(dataDir, KEY_FILE);
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (certPem && keyPem && isUsable(certPem)) return { certPem, keyPem, certPath, created: false };

  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + VALIDITY_YEARS);
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }, { name: 'organizationName', value: 'Switchboard emulator' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  await writeAtomically(keyPath, pems.private, 0o600);
  await writeAtomically(certPath, pems.cert, 0o644);
  return { certPem: pems.cert, keyPem: pems.private, certPath, created: true };
}

function isUsable(certPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS && cert.checkIP('127.0.0.1') !== undefined;
  } catch {
    return false;
  }
}
