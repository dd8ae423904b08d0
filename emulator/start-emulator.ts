// Composition: loads (or creates) the TLS certificate and signing keys, wires the identity, Graph, calling and
// control areas into one HTTPS server on 127.0.0.1, and returns the handle tests and the server use.

import { createServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CallingService } from './calling/calling-service.js';
import { CallsEngine } from './calls/calls-engine.js';
import { callsGraphRoutes } from './calls/calls-graph-routes.js';
import { isAllowedServiceUrl } from './calls/local-urls.js';
import { createRecordingsArea } from './calls/recordings-area.js';
import { consoleRoutes } from './console/console-routes.js';
import { callingEventsRoutes } from './control/calling-events-routes.js';
import { callingWebhookRoutes } from './control/calling-webhook-routes.js';
import { callsControlRoutes } from './control/calls-control-routes.js';
import { createControlArea } from './control/control-area.js';
import { directoryRoutes } from './control/directory-routes.js';
import { FaultInjector } from './control/fault-injector.js';
import { faultRoutes } from './control/fault-routes.js';
import { notificationFaultRoutes } from './control/notification-fault-routes.js';
import { peopleRoutes } from './control/people-routes.js';
import { callersRoutes } from './control/callers-routes.js';
import { phoneRoutes } from './control/phone-routes.js';
import { RequestLog } from './control/request-log.js';
import { requestLogRoutes } from './control/request-log-routes.js';
import { UserDirectory } from './directory/user-directory.js';
import { EmulatorError } from './emulator-error.js';
import { resolveOptions, type EmulatorOptions, type ResolvedOptions, type RunningEmulator } from './emulator-options.js';
import { GraphTokenValidator } from './graph/graph-auth.js';
import { createGraphArea } from './graph/graph-area.js';
import { usersRoutes } from './graph/users-routes.js';
import { createRequestListener } from './http/request-pipeline.js';
import { AppRegistry } from './identity/app-registry.js';
import { createIdentityArea } from './identity/identity-area.js';
import { TokenIssuer } from './identity/token-issuer.js';
import { ensureDataDir } from './keys/data-dir-files.js';
import { SigningKey } from './keys/signing-key.js';
import { loadOrCreateTlsCertificate } from './keys/tls-certificate.js';
import { createMeetingsServices } from './meetings-services.js';
import { PeopleAutopilot } from './calls/people-autopilot.js';
import { emulatorStateParts, watchState, type PersistedStores } from './state/emulator-state.js';
import { StateFile } from './state/state-file.js';

const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** The saved state in the data folder (emulator/state/). */
export const STATE_FILE_NAME = 'state.json';
const REQUEST_LOG_CAPACITY = 2000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const o = resolveOptions(options);
  checkOptions(o);

  await ensureDataDir(o.dataDir);
  const [tls, issuerKey, callingKey] = await Promise.all([
    loadOrCreateTlsCertificate(o.dataDir),
    SigningKey.loadOrCreate(o.dataDir, 'identity-signing-key'),
    SigningKey.loadOrCreate(o.dataDir, 'calling-signing-key'),
  ]);
  if (tls.created) o.logger.info({ certPath: tls.certPath }, 'emulator created a new self-signed TLS certificate');

  const server = createServer({ cert: tls.certPem, key: tls.keyPem });
  let listener: ReturnType<typeof createRequestListener> | undefined;
  server.on('request', (req, res) => {
    if (listener) return listener(req, res);
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"error":{"code":"emulator/starting","message":"The emulator is starting."}}');
  });
  await listen(server, o.port, o.host);

  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const authorityUrl = `${url}/${o.tenantId}`;
  const graphUrl = `${url}/v1.0`;

  const apps = new AppRegistry(o.apps, o.tenantId);
  const directory = new UserDirectory(o.users, o.phones, o.applicationInstances);
  const issuer = new TokenIssuer(issuerKey, url, o.tenantId);
  const calling = new CallingService(callingKey, url, o.tenantId);
  const faults = new FaultInjector();
  const requestLog = new RequestLog(REQUEST_LOG_CAPACITY);
  const closing = new AbortController();

  const calls = new CallsEngine({
    options: {
      notificationDelayMs: o.notificationDelayMs,
      answerWindowMs: o.answerWindowMs,
      ringTimeoutMs: o.ringTimeoutMs,
      keepAliveTimeoutMs: o.keepAliveTimeoutMs,
      mediaSpeed: o.mediaSpeed,
      variations: o.variations,
      rosterBatchMs: o.rosterBatchMs,
      speechSynthesis: o.speechSynthesis,
      people: { onCall: o.peopleAnswer, autoAnswerDelayMs: o.peopleAnswerDelayMs },
    },
    baseUrl: url,
    graphUrl,
    tenantId: o.tenantId,
    apps,
    directory,
    calling,
    logger: o.logger,
  });

  const meetings = createMeetingsServices({
    engine: calls,
    apps,
    directory,
    issuer,
    tenantId: o.tenantId,
    url,
    options: {
      callRecordDelayMs: o.callRecordDelayMs,
      rosterBatchMs: o.rosterBatchMs,
      notificationDelayMs: o.notificationDelayMs,
      subscriptionValidationTimeoutMs: o.subscriptionValidationTimeoutMs,
      changeNotificationTimeoutMs: o.changeNotificationTimeoutMs,
      changeNotificationRetryWindowMs: o.changeNotificationRetryWindowMs,
      variations: o.variations,
    },
    logger: o.logger,
    closing: closing.signal,
  });
  new PeopleAutopilot(calls);

  // What Microsoft's cloud would still know after a restart comes back from the data folder.
  let state: StateFile | undefined;
  if (o.persistState) {
    const stores: PersistedStores = { ...meetings.stores, apps, behaviors: calls.behaviors };
    state = new StateFile({ path: join(o.dataDir, STATE_FILE_NAME), parts: emulatorStateParts(stores), logger: o.logger });
    const restored = await state.load();
    if (Object.values(restored).some((n) => n > 0)) o.logger.info({ restored }, 'emulator restored its saved state');
    const file = state;
    watchState(stores, calls.events, () => file.changed());
  }

  const graph = createGraphArea(new GraphTokenValidator(issuerKey, issuer.v1Issuer, o.tenantId, authorityUrl), graphUrl);
  for (const route of usersRoutes(directory)) graph.register(route);
  for (const route of callsGraphRoutes(calls)) graph.register(route);
  for (const route of meetings.graphRoutes) graph.register(route);

  const control = createControlArea(
    [
      ...faultRoutes(faults),
      ...requestLogRoutes(requestLog),
      ...directoryRoutes(directory, apps, issuer),
      ...callingWebhookRoutes(apps),
      ...peopleRoutes(calls),
      ...callersRoutes(calls),
      ...phoneRoutes(calls),
      ...callsControlRoutes(calls),
      ...callingEventsRoutes(calls),
      ...notificationFaultRoutes(calls.notificationFaults),
      ...consoleRoutes(),
      ...meetings.controlRoutes,
    ],
    { url, tenantId: o.tenantId, authorityUrl, graphUrl, callingOpenIdMetadataUrl: calling.metadataUrl },
  );
  const identity = createIdentityArea({ baseUrl: url, tenantId: o.tenantId, signingKey: issuerKey, apps, issuer, directory });

  listener = createRequestListener({
    areas: [control, graph, calling.area(), createRecordingsArea(calls), ...meetings.areas, identity],
    faults,
    requestLog,
    logger: o.logger,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    closing: closing.signal,
  });
  o.logger.info({ url, tenantId: o.tenantId, apps: apps.list().map((a) => a.clientId) }, 'emulator listening');

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    tenantId: o.tenantId,
    caCertPem: tls.certPem,
    caCertPath: tls.certPath,
    authorityUrl,
    graphUrl,
    callingOpenIdMetadataUrl: calling.metadataUrl,
    signCallingToken: (claims) => calling.signToken(claims),
    setCallingWebhook: (clientId, webhookUrl) => {
      apps.setCallingWebhook(clientId, webhookUrl);
    },
    setMessagingEndpoint: (endpointUrl, clientId = apps.list()[0]!.clientId) => {
      apps.setMessagingEndpoint(clientId, endpointUrl);
    },
    connectorUrl: meetings.serviceUrl,
    close() {
      closed ??= (async () => {
        closing.abort();
        await state?.close();
        await calls.close();
        await meetings.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

function checkOptions(o: ResolvedOptions): void {
  if (o.host !== '127.0.0.1') {
    throw new EmulatorError('emulator/non-loopback-host', `The emulator binds to 127.0.0.1 only (its control API has no authentication), not '${o.host}': leave host unset.`, 500);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new EmulatorError('emulator/invalid-port', `Port ${o.port} is not a TCP port: use 0–65535 (0 picks a free one).`, 500);
  }
  if (!GUID.test(o.tenantId)) {
    throw new EmulatorError('emulator/invalid-tenant-id', `Tenant id '${o.tenantId}' is not a GUID: Entra tenant ids are GUIDs.`, 500);
  }
  const seen = new Set<string>();
  for (const app of o.apps) {
    const id = app.clientId.toLowerCase();
    if (!id || seen.has(id)) throw new EmulatorError('emulator/invalid-app', `App client id '${app.clientId}' is empty or registered twice.`, 500);
    if (app.callingWebhookUrl !== undefined && !isAllowedServiceUrl(app.callingWebhookUrl)) {
      throw new EmulatorError('emulator/invalid-app', `App ${app.clientId}: callingWebhookUrl '${app.callingWebhookUrl}' must be https (or http on 127.0.0.1).`, 500);
    }
    seen.add(id);
  }
  const durations: Array<[string, number]> = [
    ['notificationDelayMs', o.notificationDelayMs],
    ['answerWindowMs', o.answerWindowMs],
    ['ringTimeoutMs', o.ringTimeoutMs],
    ['keepAliveTimeoutMs', o.keepAliveTimeoutMs],
    ['callRecordDelayMs', o.callRecordDelayMs],
    ['rosterBatchMs', o.rosterBatchMs],
    ['subscriptionValidationTimeoutMs', o.subscriptionValidationTimeoutMs],
    ['changeNotificationTimeoutMs', o.changeNotificationTimeoutMs],
    ['changeNotificationRetryWindowMs', o.changeNotificationRetryWindowMs],
    ['peopleAnswerDelayMs', o.peopleAnswerDelayMs],
  ];
  for (const [name, value] of durations) {
    if (!Number.isFinite(value) || value < 0 || value > 2_147_483_647) {
      throw new EmulatorError('emulator/invalid-option', `${name} ${value} is not a duration in milliseconds: use 0–2147483647.`, 500);
    }
  }
  if (o.peopleAnswer !== 'auto' && o.peopleAnswer !== 'manual') {
    throw new EmulatorError('emulator/invalid-option', `peopleAnswer '${String(o.peopleAnswer)}' must be 'auto' (people answer by themselves) or 'manual' (through the console).`, 500);
  }
  if (!Number.isFinite(o.mediaSpeed) || o.mediaSpeed <= 0 || o.mediaSpeed > 10_000) {
    throw new EmulatorError('emulator/invalid-option', `mediaSpeed ${o.mediaSpeed} must be a number above 0 (1 = real time, 20 = twenty times faster).`, 500);
  }
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE'
        ? new EmulatorError('emulator/port-in-use', `Port ${port} on ${host} is already in use: stop the other process or set EMULATOR_PORT to a free port.`, 500, { cause: err })
        : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
