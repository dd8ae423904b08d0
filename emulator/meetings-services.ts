// Composition of everything around meetings that sits on the calling service: onlineMeetings and the access policy,
// meeting people and scripted attendees, presence, call records, change-notification subscriptions, Teams meeting
// events and chat through the local Bot Connector. start-emulator registers what this returns.

import { Agent } from 'undici';
import type { CallsEngine } from './calls/calls-engine.js';
import { isAllowedServiceUrl } from './calls/local-urls.js';
import { BotMessenger } from './connector/bot-messenger.js';
import { ChatService } from './connector/chat-service.js';
import { CONNECTOR_PREFIX, createConnectorArea } from './connector/connector-area.js';
import { ConnectorStore } from './connector/connector-store.js';
import { MeetingEvents } from './connector/meeting-events.js';
import { ActivityIds } from './connector/teams-ids.js';
import { connectorRoutes } from './control/connector-routes.js';
import type { ControlRoute } from './control/control-area.js';
import { meetingsControlRoutes } from './control/meetings-routes.js';
import { presenceControlRoutes } from './control/presence-control-routes.js';
import { subscriptionsControlRoutes } from './control/subscriptions-control-routes.js';
import type { UserDirectory } from './directory/user-directory.js';
import type { EmulatorLogger } from './emulator-options.js';
import type { GraphRoute } from './graph/graph-area.js';
import type { Area } from './http/request-pipeline.js';
import type { AppRegistry } from './identity/app-registry.js';
import { nowSeconds, type TokenIssuer } from './identity/token-issuer.js';
import { AccessPolicy } from './meetings/access-policy.js';
import { AttendeeScripts } from './meetings/attendee-scripts.js';
import { MeetingRooms } from './meetings/meeting-rooms.js';
import { MeetingStore } from './meetings/meeting-store.js';
import { onlineMeetingsRoutes } from './meetings/online-meetings-routes.js';
import { PresenceBook } from './presence/presence-book.js';
import { presenceRoutes } from './presence/presence-routes.js';
import { buildCallRecord } from './records/call-record-builder.js';
import { CallRecordStore } from './records/call-record-store.js';
import { callRecordsRoutes } from './records/call-records-routes.js';
import { CallTracker } from './records/call-tracker.js';
import { validationTokenClaims } from './subscriptions/encrypted-content.js';
import { MeetingCallEvents } from './subscriptions/meeting-call-events.js';
import { SubscriptionService } from './subscriptions/subscription-service.js';
import { subscriptionsRoutes } from './subscriptions/subscriptions-routes.js';
import { WebhookDelivery } from './subscriptions/webhook-delivery.js';

export interface MeetingsServicesOptions {
  callRecordDelayMs: number;
  rosterBatchMs: number;
  notificationDelayMs: number;
  subscriptionValidationTimeoutMs: number;
  changeNotificationTimeoutMs: number;
  changeNotificationRetryWindowMs: number;
  variations: boolean;
}

export interface MeetingsServicesDeps {
  engine: CallsEngine;
  apps: AppRegistry;
  directory: UserDirectory;
  /** Signs the validationTokens of rich change notifications. */
  issuer: TokenIssuer;
  tenantId: string;
  /** The emulator's base URL (the connector's serviceUrl is under it). */
  url: string;
  options: MeetingsServicesOptions;
  logger: EmulatorLogger;
  closing: AbortSignal;
}

export interface MeetingsServices {
  graphRoutes: GraphRoute[];
  controlRoutes: ControlRoute[];
  areas: Area[];
  serviceUrl: string;
  /** What the emulator's saved state keeps of these services. */
  stores: { meetings: MeetingStore; policy: AccessPolicy; subscriptions: SubscriptionService; records: CallRecordStore; connector: ConnectorStore };
  close(): Promise<void>;
}

export function createMeetingsServices(deps: MeetingsServicesDeps): MeetingsServices {
  const { engine, apps, directory, tenantId, options, logger, closing } = deps;
  const emit = (type: string, fields: Record<string, unknown>) => engine.events.emit(type, fields);
  const dispatcher = new Agent({ connect: { timeout: 5_000 } });
  const serviceUrl = `${deps.url}${CONNECTOR_PREFIX}/`;

  // Meetings and the people in them.
  const meetings = new MeetingStore();
  const policy = new AccessPolicy();
  const rooms = new MeetingRooms(engine, meetings);
  const scripts = new AttendeeScripts(engine, rooms);
  engine.meetingLookup = {
    byJoinMeetingId: (joinMeetingId) => {
      const m = meetings.byJoinMeetingId(joinMeetingId);
      return m ? { threadId: m.threadId, passcode: m.passcode, isPasscodeRequired: m.isPasscodeRequired } : undefined;
    },
  };

  // Change notifications.
  const delivery = new WebhookDelivery({
    dispatcher,
    scheduler: engine.scheduler,
    logger,
    delayMs: options.notificationDelayMs,
    timeoutMs: options.changeNotificationTimeoutMs,
    retryWindowMs: options.changeNotificationRetryWindowMs,
    closing,
  });
  const subscriptions = new SubscriptionService({
    tenantId,
    scheduler: engine.scheduler,
    delivery,
    dispatcher,
    validationTimeoutMs: options.subscriptionValidationTimeoutMs,
    documentedCallRecordType: options.variations,
    isAllowedUrl: isAllowedServiceUrl,
    servicePrincipalId: (appId) => apps.find(appId)?.servicePrincipalId,
    meetingByJoinUrl: (url) => meetings.byJoinUrl(url),
    validationToken: (appId) => deps.issuer.sign(validationTokenClaims({ issuer: deps.issuer.v1Issuer, appId, tenantId, now: nowSeconds() })),
    logger,
    closing,
    emit,
  });

  // A meeting's call events (beta meetingCallEvents) follow its conversation.
  engine.observe(new MeetingCallEvents((threadId, event) => subscriptions.meetingCallEvent(threadId, event), tenantId));

  // Presence follows calls and meetings.
  const presence = new PresenceBook(directory);
  engine.observe(presence);
  presence.onChange((id, p) => {
    emit('presence.changed', { person: id, availability: p.availability, activity: p.activity });
    subscriptions.presenceChanged(id, p);
  });

  // Call records after each call ends.
  const records = new CallRecordStore();
  const tracker = new CallTracker(engine, () => options.callRecordDelayMs, (ended) => {
    const meeting = ended.threadId ? meetings.byThread(ended.threadId) : undefined;
    const parts = buildCallRecord(ended, {
      tenantId,
      directory,
      ...(meeting ? { meeting: { organizerId: meeting.organizerId, joinWebUrl: meeting.joinWebUrl } } : {}),
    });
    records.add(parts);
  });
  engine.observe(tracker);
  records.onAdded((record) => {
    emit('callRecord.created', { callRecordId: record.id, type: record.record.type, sessions: record.sessions.length });
    subscriptions.callRecordCreated(record.id);
  });

  // Teams activities: meeting events, chat, and the local Bot Connector.
  const connector = new ConnectorStore();
  const ids = new ActivityIds();
  const messenger = new BotMessenger({ store: connector, dispatcher, scheduler: engine.scheduler, logger, delayMs: options.notificationDelayMs, closing, emit });
  engine.observe(new MeetingEvents({
    rooms,
    store: meetings,
    apps: () => apps.list(),
    messenger,
    ids,
    scheduler: engine.scheduler,
    serviceUrl,
    tenantId,
    batchMs: options.rosterBatchMs,
  }));
  const chat = new ChatService({ store: connector, messenger, ids, rooms, apps, serviceUrl, tenantId });

  return {
    serviceUrl,
    stores: { meetings, policy, subscriptions, records, connector },
    graphRoutes: [
      ...onlineMeetingsRoutes({ store: meetings, directory, policy, tenantId, changed: (kind, m) => emit(`meeting.${kind}`, { meetingId: m.id, threadId: m.threadId }) }),
      ...presenceRoutes(presence),
      ...callRecordsRoutes(records),
      ...subscriptionsRoutes(subscriptions),
    ],
    controlRoutes: [
      ...meetingsControlRoutes({ engine, directory, policy, store: meetings, rooms, scripts }),
      ...presenceControlRoutes(presence, directory),
      ...subscriptionsControlRoutes(subscriptions, records, tracker),
      ...connectorRoutes(apps, connector, chat, serviceUrl),
    ],
    areas: [createConnectorArea({ store: connector, engine, rooms, meetings, ids, tenantId, serviceUrl, emit })],
    async close() {
      scripts.cancelAll();
      subscriptions.close();
      await dispatcher.close().catch(() => undefined);
    },
  };
}
