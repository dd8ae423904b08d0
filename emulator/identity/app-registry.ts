// The app registrations the emulated tenant knows: lookup by client id, each app's service-principal object id, its
// certificate (parsed once) for client assertions, and its calling webhook.

import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatedApp } from '../emulator-options.js';
import { ALLOWED_URL_RULE, isAllowedServiceUrl } from '../calls/local-urls.js';
import { stableGuid } from './stable-id.js';

export interface RegisteredApp extends EmulatedApp {
  /** Object id of the app's service principal in this tenant (the token's `oid`). */
  servicePrincipalId: string;
  certificate?: { publicKey: KeyObject; sha1Thumbprint?: Buffer; sha256Thumbprint?: Buffer };
}

export class AppRegistry {
  private readonly apps: RegisteredApp[];
  private readonly listeners = new Set<() => void>();

  constructor(apps: readonly EmulatedApp[], tenantId: string) {
    this.apps = apps.map((app) => ({
      ...app,
      roles: [...app.roles],
      servicePrincipalId: stableGuid('service-principal', tenantId, app.clientId.toLowerCase()),
      ...(app.certificatePem ? { certificate: parseCertificate(app) } : {}),
    }));
  }

  find(clientId: string): RegisteredApp | undefined {
    const key = clientId.toLowerCase();
    return this.apps.find((a) => a.clientId.toLowerCase() === key);
  }

  list(): readonly RegisteredApp[] {
    return this.apps;
  }

  /** Told after an app's calling webhook or messaging endpoint changes (the emulator's saved state). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Registers where the calling service POSTs the app's incoming calls (its calling webhook). */
  setCallingWebhook(clientId: string, url: string): RegisteredApp {
    const app = this.find(clientId);
    if (!app) throw new EmulatorError('emulator/unknown-app', `There is no app '${clientId}': GET /emulator/apps lists them.`, 404);
    if (!isAllowedServiceUrl(url)) {
      throw new EmulatorError('emulator/invalid-webhook-url', `The calling webhook '${url}' ${ALLOWED_URL_RULE}.`, 400);
    }
    app.callingWebhookUrl = url;
    for (const listener of this.listeners) listener();
    return app;
  }

  /** Registers where Teams activities for the app (chat, meeting events) are POSTed (its Bot Framework messaging endpoint). */
  setMessagingEndpoint(clientId: string, url: string): RegisteredApp {
    const app = this.find(clientId);
    if (!app) throw new EmulatorError('emulator/unknown-app', `There is no app '${clientId}': GET /emulator/apps lists them.`, 404);
    if (!isAllowedServiceUrl(url)) {
      throw new EmulatorError('emulator/invalid-messaging-endpoint', `The messaging endpoint '${url}' ${ALLOWED_URL_RULE}.`, 400);
    }
    app.messagingEndpointUrl = url;
    for (const listener of this.listeners) listener();
    return app;
  }
}

function parseCertificate(app: EmulatedApp): RegisteredApp['certificate'] {
  const pem = app.certificatePem!;
  try {
    if (pem.includes('BEGIN CERTIFICATE')) {
      const cert = new X509Certificate(pem);
      return {
        publicKey: cert.publicKey,
        sha1Thumbprint: createHash('sha1').update(cert.raw).digest(),
        sha256Thumbprint: createHash('sha256').update(cert.raw).digest(),
      };
    }
    return { publicKey: createPublicKey(pem) };
  } catch (err) {
    throw new EmulatorError('emulator/invalid-app-certificate', `certificatePem of app ${app.clientId} is neither an X.509 certificate nor a public key in PEM form: fix the app registration passed to startEmulator.`, 500, { cause: err });
  }
}
