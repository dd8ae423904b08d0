// The public shape of the emulator's options and of a running emulator, and how missing options get their defaults
// (tenant, the local app registration, the built-in directory).

import { DEFAULT_USERS } from './directory/default-users.js';
import { DEFAULT_PHONES, defaultApplicationInstance } from './directory/phone-network.js';

export interface EmulatedApp {
  clientId: string;
  clientSecret?: string;
  /** PEM of the app's X.509 certificate (or its SPKI public key): verifies client assertions. */
  certificatePem?: string;
  displayName: string;
  /** Graph application permissions granted to the app (the `roles` claim). */
  roles: string[];
  /** Where the calling service POSTs incoming calls for this app (the bot's registered calling webhook). */
  callingWebhookUrl?: string;
  /** The app's Bot Framework messaging endpoint (/api/messages): chat messages and Teams meeting events go there. */
  messagingEndpointUrl?: string;
}

export interface EmulatedUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  jobTitle?: string;
  officeLocation?: string;
  businessPhones?: string[];
  mobilePhone?: string | null;
  preferredLanguage?: string;
}

/** A telephone on the emulated phone network (PSTN): it rings, answers, declines and presses keys like a person. */
export interface EmulatedPhone {
  /** E.164, e.g. +14255550142. */
  number: string;
  /** What the console shows; also the phone identity's displayName when set (caller ID name). */
  displayName?: string;
}

/**
 * An application instance (a Teams resource account): a disabled user object holding a phone number, linked to a
 * bot's app id (New-CsOnlineApplicationInstance -ApplicationId). Calls to its number reach that app; the app places
 * PSTN calls with `source.identity.applicationInstance.id` = this object id.
 */
export interface EmulatedApplicationInstance {
  /** The instance's object id. */
  id: string;
  displayName: string;
  userPrincipalName: string;
  /** E.164. */
  phoneNumber: string;
  /** The app id (client id) it is linked to. */
  applicationId: string;
}

export interface EmulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EmulatorOptions {
  /** Only 127.0.0.1 is accepted: the control API has no authentication. */
  host?: string;
  /** Default 3979; 0 picks an ephemeral port (tests). */
  port?: number;
  /** Keys and the TLS certificate are persisted here; created if missing. */
  dataDir: string;
  tenantId?: string;
  apps?: EmulatedApp[];
  users?: EmulatedUser[];
  /** The emulated phone network's numbers (default: a few in the fictional 555-01xx range). */
  phones?: EmulatedPhone[];
  /** Resource accounts with phone numbers (default: one linked to the first app, +1 425 555 0100). */
  applicationInstances?: EmulatedApplicationInstance[];
  logger?: EmulatorLogger;
  /** Delay before each calling notification is POSTed (order per call is kept). Default 40. */
  notificationDelayMs?: number;
  /** How long an incoming call waits for answer/reject/redirect before the service ends it. Default 15000 (Graph: 15 s). */
  answerWindowMs?: number;
  /** How long a person the bot calls, invites or transfers to rings before giving up. Default 60000. */
  ringTimeoutMs?: number;
  /** A call with no successful keepAlive for this long is ended (408/8537). Default 45 min. */
  keepAliveTimeoutMs?: number;
  /** Media runs this many times faster than real time (prompt playback, record timeouts, DTMF). Default 1. */
  mediaSpeed?: number;
  /** Reproduce Microsoft's documented real-world shape variations in notifications (see emulator/calls/variations.ts). Default true. */
  variations?: boolean;
  /** How long after a call or meeting ends its callRecord appears (and callRecord subscriptions hear of it). Default 5000. */
  callRecordDelayMs?: number;
  /** Meeting roster changes (people, scripts) and participant join/leave events are coalesced within this window. Default 250. */
  rosterBatchMs?: number;
  /** How long the subscription validation handshake waits for the notificationUrl to answer. Default 10000 (Graph: 10 s). */
  subscriptionValidationTimeoutMs?: number;
  /** How long a change-notification POST may take before it counts as failed (and is retried). Default 3000 (Graph: 3 s). */
  changeNotificationTimeoutMs?: number;
  /** How long a failing change notification is retried before it is dropped. Default 4 h (Graph: 4 hours). */
  changeNotificationRetryWindowMs?: number;
  /**
   * Emulated people can say words (POST /emulator/calls/{id}/speak {"text"}), synthesized with the optional espeak-ng
   * package. Default true; false answers such requests 503, as when the package is not installed.
   */
  speechSynthesis?: boolean;
  /**
   * What emulated people do when the bot calls them, unless the console or control API set it for them: 'auto' —
   * answer after peopleAnswerDelayMs, and press 1 when a prompt ends while the bot listens for keys (a reminder's
   * "press 1"); 'manual' — ring until someone answers through the console or control API. Default 'manual' (tests
   * drive people themselves); `npm start` and `npm run emulator` use 'auto'.
   */
  peopleAnswer?: 'auto' | 'manual';
  /** How long people on auto let it ring before they answer ("a couple of rings"). Default 3000. */
  peopleAnswerDelayMs?: number;
  /**
   * Keep what Microsoft's cloud keeps — online meetings, subscriptions, call records, the access policy, app
   * endpoints, people's on-call settings, chats — in `<dataDir>/state.json` across restarts. Default true; false
   * starts from scratch every time (as a shared or throw-away data folder wants).
   */
  persistState?: boolean;
}

export interface RunningEmulator {
  /** e.g. https://127.0.0.1:3979 */
  url: string;
  port: number;
  tenantId: string;
  /** The self-signed TLS certificate the app must trust. */
  caCertPem: string;
  /** Where caCertPem is stored (usable as NODE_EXTRA_CA_CERTS). */
  caCertPath: string;
  /** `${url}/${tenantId}`: the MSAL authority. */
  authorityUrl: string;
  /** `${url}/v1.0` */
  graphUrl: string;
  callingOpenIdMetadataUrl: string;
  /** A JWT as the calling service signs webhook POSTs. */
  signCallingToken(claims: { audience: string; tenantId?: string; issuer?: string; expiresInSeconds?: number }): Promise<string>;
  /** Registers the app's calling webhook (https, or http on 127.0.0.1): incoming calls are POSTed there. */
  setCallingWebhook(clientId: string, url: string): void;
  /** Registers the app's Bot Framework messaging endpoint (default: the first app): chat and meeting events are POSTed there. */
  setMessagingEndpoint(url: string, clientId?: string): void;
  /** The local Bot Connector (`${url}/connector/`): the serviceUrl of every activity the emulator sends. */
  connectorUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 3979;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TENANT_ID = '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90';

/** Well-known development values (like Azurite's account key): the server's local mode uses the same ones. */
export const DEV_APP_ID = '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13';
export const DEV_APP_SECRET = 'switchboard-local-development-secret';

/** The Graph application permissions the local app is granted: everything Switchboard's features use. */
export const DEV_APP_ROLES: readonly string[] = [
  'Calls.Initiate.All',
  'Calls.InitiateGroupCall.All',
  'Calls.JoinGroupCall.All',
  'Calls.JoinGroupCallAsGuest.All',
  'Calls.AccessMedia.All',
  'OnlineMeetings.ReadWrite.All',
  'Presence.Read.All',
  'CallRecords.Read.All',
  'User.Read.All',
];

export interface ResolvedOptions {
  host: string;
  port: number;
  dataDir: string;
  tenantId: string;
  apps: EmulatedApp[];
  users: EmulatedUser[];
  phones: EmulatedPhone[];
  applicationInstances: EmulatedApplicationInstance[];
  logger: EmulatorLogger;
  notificationDelayMs: number;
  answerWindowMs: number;
  ringTimeoutMs: number;
  keepAliveTimeoutMs: number;
  mediaSpeed: number;
  variations: boolean;
  callRecordDelayMs: number;
  rosterBatchMs: number;
  subscriptionValidationTimeoutMs: number;
  changeNotificationTimeoutMs: number;
  changeNotificationRetryWindowMs: number;
  speechSynthesis: boolean;
  peopleAnswer: 'auto' | 'manual';
  peopleAnswerDelayMs: number;
  persistState: boolean;
}

export const DEFAULT_CALL_RECORD_DELAY_MS = 5_000;
export const DEFAULT_ROSTER_BATCH_MS = 250;
export const DEFAULT_SUBSCRIPTION_VALIDATION_TIMEOUT_MS = 10_000;
export const DEFAULT_CHANGE_NOTIFICATION_TIMEOUT_MS = 3_000;
export const DEFAULT_CHANGE_NOTIFICATION_RETRY_WINDOW_MS = 4 * 3_600_000;
export const DEFAULT_NOTIFICATION_DELAY_MS = 40;
export const DEFAULT_ANSWER_WINDOW_MS = 15_000;
export const DEFAULT_RING_TIMEOUT_MS = 60_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 45 * 60_000;
export const DEFAULT_PEOPLE_ANSWER_DELAY_MS = 3_000;

const silentLogger: EmulatorLogger = { info() {}, warn() {}, error() {} };

export function defaultApp(env: NodeJS.ProcessEnv = process.env): EmulatedApp {
  return {
    clientId: env.EMULATOR_APP_ID?.trim() || DEV_APP_ID,
    clientSecret: env.EMULATOR_APP_SECRET?.trim() || DEV_APP_SECRET,
    displayName: 'Switchboard (local)',
    roles: [...DEV_APP_ROLES],
  };
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  return {
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    dataDir: options.dataDir,
    tenantId: (options.tenantId ?? DEFAULT_TENANT_ID).toLowerCase(),
    apps: options.apps ?? [defaultApp()],
    users: options.users ?? DEFAULT_USERS,
    phones: options.phones ?? DEFAULT_PHONES,
    applicationInstances: options.applicationInstances ?? [defaultApplicationInstance((options.apps ?? [defaultApp()])[0]?.clientId ?? DEV_APP_ID)],
    logger: options.logger ?? silentLogger,
    notificationDelayMs: options.notificationDelayMs ?? DEFAULT_NOTIFICATION_DELAY_MS,
    answerWindowMs: options.answerWindowMs ?? DEFAULT_ANSWER_WINDOW_MS,
    ringTimeoutMs: options.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    mediaSpeed: options.mediaSpeed ?? 1,
    variations: options.variations ?? true,
    callRecordDelayMs: options.callRecordDelayMs ?? DEFAULT_CALL_RECORD_DELAY_MS,
    rosterBatchMs: options.rosterBatchMs ?? DEFAULT_ROSTER_BATCH_MS,
    subscriptionValidationTimeoutMs: options.subscriptionValidationTimeoutMs ?? DEFAULT_SUBSCRIPTION_VALIDATION_TIMEOUT_MS,
    changeNotificationTimeoutMs: options.changeNotificationTimeoutMs ?? DEFAULT_CHANGE_NOTIFICATION_TIMEOUT_MS,
    changeNotificationRetryWindowMs: options.changeNotificationRetryWindowMs ?? DEFAULT_CHANGE_NOTIFICATION_RETRY_WINDOW_MS,
    speechSynthesis: options.speechSynthesis ?? true,
    peopleAnswer: options.peopleAnswer ?? 'manual',
    peopleAnswerDelayMs: options.peopleAnswerDelayMs ?? DEFAULT_PEOPLE_ANSWER_DELAY_MS,
    persistState: options.persistState ?? true,
  };
}
