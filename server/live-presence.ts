// Live presence's wiring: the notification certificate (local mode: made once under the data folder; cloud mode:
// PRESENCE_CERTIFICATE_PATH, a PEM with the certificate and its private key — a bad file stops the start with a
// config error; unset: presence stays polled), the validationTokens verifier for this mode's identity issuer, the
// on-behalf-of client, and PresenceSubscriptions itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMsalOnBehalfOf, type AppCredential, type HttpTransport } from '../comms/graph/index.js';
import {
  CertificateKeyring,
  createValidationTokenVerifier,
  loadOrCreateNotificationCertificate,
  notificationCertificateFromPem,
  PresenceSubscriptions,
  type NotificationCertificate,
  type ValidationTokenVerifier,
} from '../comms/presence/index.js';
import type { Logger } from '../comms/runtime/index.js';
import type { EventBus, Store } from '../comms/store/index.js';
import { ConfigError } from './config-error.js';
import { PRESENCE_NOTIFICATIONS_PATH } from '../tab/server/presence-routes.js';

export interface LivePresenceInput {
  mode: 'local' | 'cloud';
  app: { id: string; tenantId: string; credential: AppCredential };
  dataDir: string;
  publicBaseUrl: string;
  graphBaseUrl: string;
  authorityUrl: string;
  knownAuthorities?: string[];
  transport: HttpTransport;
  store: Store;
  bus: EventBus;
  logger: Logger;
  env?: Record<string, string | undefined>;
}

/**
 * The certificate for this mode: local mode makes (or reads) it under the data folder when first needed; cloud mode
 * reads PRESENCE_CERTIFICATE_PATH now (a bad file throws ConfigError) or has none (undefined).
 */
export function notificationCertificate(input: Pick<LivePresenceInput, 'mode' | 'dataDir' | 'env'>): (() => Promise<NotificationCertificate>) | undefined {
  if (input.mode === 'local') {
    let made: Promise<NotificationCertificate> | undefined;
    return () => {
      made ??= loadOrCreateNotificationCertificate(join(input.dataDir, 'presence'));
      made.catch(() => (made = undefined));
      return made;
    };
  }
  const loaded = cloudCertificate(input);
  return loaded && (async () => loaded);
}

function cloudCertificate(input: Pick<LivePresenceInput, 'env'>): NotificationCertificate | undefined {
  const path = (input.env ?? process.env).PRESENCE_CERTIFICATE_PATH?.trim();
  if (!path) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([{ variable: 'PRESENCE_CERTIFICATE_PATH', code: 'config/invalid-PRESENCE_CERTIFICATE_PATH', message: `PRESENCE_CERTIFICATE_PATH: ${path} cannot be read. Point it at a PEM file with the certificate and its RSA private key (README › Live presence), or unset it to poll presence.` }]);
  }
  try {
    return notificationCertificateFromPem(pem);
  } catch (err) {
    throw new ConfigError([{ variable: 'PRESENCE_CERTIFICATE_PATH', code: 'config/invalid-PRESENCE_CERTIFICATE_PATH', message: `PRESENCE_CERTIFICATE_PATH: ${(err as Error).message}. It needs a PEM with the certificate and its RSA (2048–4096-bit) private key (README › Live presence).` }]);
  }
}

/** The validationTokens verifier for this mode's identity issuer (rich change notifications: presence, meeting call events). */
export function notificationVerifier(input: Pick<LivePresenceInput, 'mode' | 'app' | 'authorityUrl' | 'transport'>): ValidationTokenVerifier {
  const local = input.mode === 'local';
  return createValidationTokenVerifier({
    jwksUrl: local ? `${input.authorityUrl}/discovery/v2.0/keys` : 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    issuers: local ? [`${input.authorityUrl}/`] : [`https://sts.windows.net/${input.app.tenantId}/`],
    appIds: [input.app.id],
    transport: input.transport,
  });
}

export async function startLivePresence(input: LivePresenceInput): Promise<PresenceSubscriptions | undefined> {
  const certificate = notificationCertificate(input);
  if (!certificate) {
    input.logger.info({}, 'presence: PRESENCE_CERTIFICATE_PATH is not set, so presence is polled (app-only); set it for live presence (README › Live presence)');
    return undefined;
  }
  const verifier = notificationVerifier(input);
  const onBehalfOf = createMsalOnBehalfOf({
    clientId: input.app.id,
    authorityUrl: input.authorityUrl,
    credential: input.app.credential,
    transport: input.transport,
    ...(input.knownAuthorities ? { knownAuthorities: input.knownAuthorities } : {}),
  });
  return new PresenceSubscriptions({
    graphBaseUrl: input.graphBaseUrl,
    transport: input.transport,
    onBehalfOf,
    store: input.store,
    bus: input.bus,
    logger: input.logger,
    notificationUrl: `${input.publicBaseUrl}${PRESENCE_NOTIFICATIONS_PATH}`,
    certificates: async () => new CertificateKeyring(await certificate()),
    verifier,
  });
}
