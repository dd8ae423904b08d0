// What of the emulator's state survives a restart, as Microsoft's cloud keeps it: online meetings, active
// change-notification subscriptions, call records, the meetings access policy, the apps' calling webhooks and
// messaging endpoints, people's on-call settings, and the local Bot Connector's chats with their recent activities.
// Each part is bounded (the newest kept) and checked when read back; live calls, rosters and recordings are not kept
// (a call does not survive its calling service restarting, and media is never written down).

import type { ChatConversation, ConnectorActivity, ConnectorStore } from '../connector/connector-store.js';
import type { CallingEvents } from '../calls/calling-events.js';
import type { OnCallBehavior, PeopleBehavior, PersonBehavior } from '../calls/people-behavior.js';
import type { AppRegistry } from '../identity/app-registry.js';
import type { AccessPolicy, AccessPolicyState } from '../meetings/access-policy.js';
import type { OnlineMeetingRecord } from '../meetings/meeting-model.js';
import type { MeetingStore } from '../meetings/meeting-store.js';
import type { StoredRecord } from '../records/call-record-store.js';
import type { CallRecordStore } from '../records/call-record-store.js';
import type { SubscriptionRecord } from '../subscriptions/subscription-model.js';
import type { SubscriptionService } from '../subscriptions/subscription-service.js';
import type { StatePart } from './state-file.js';

export const STATE_LIMITS = {
  meetings: 2_000,
  subscriptions: 500,
  callRecords: 500,
  conversations: 1_000,
  activities: 300,
} as const;

export interface PersistedStores {
  meetings: MeetingStore;
  policy: AccessPolicy;
  subscriptions: SubscriptionService;
  records: CallRecordStore;
  apps: AppRegistry;
  behaviors: PeopleBehavior;
  connector: ConnectorStore;
}

/** The calling events after which the state has changed (the rest of a change tells the state file directly). */
const CHANGING_EVENTS = new Set([
  'meeting.created', 'meeting.updated', 'meeting.deleted',
  'subscription.created', 'subscription.renewed', 'subscription.reauthorized', 'subscription.lifecycle',
  'subscription.expired', 'subscription.deleted', 'subscription.removed',
  'callRecord.created', 'activity.to-bot', 'activity.from-bot',
]);

const ON_CALL = new Set<OnCallBehavior>(['auto', 'manual', 'answer', 'decline', 'busy', 'ignore']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const newest = <T>(items: T[], limit: number): T[] => items.slice(Math.max(0, items.length - limit));
const byTime = <T>(time: (item: T) => string) => (a: T, b: T) => (Date.parse(time(a)) || 0) - (Date.parse(time(b)) || 0);

/** Keeps the items that pass `valid`, at most `limit` of the newest. */
function arrayOf<T>(value: unknown, valid: (item: Obj) => boolean, limit: number): T[] {
  if (!Array.isArray(value)) throw new Error('not a list');
  return newest(value.filter((item): item is Obj => isObj(item) && valid(item)), limit) as T[];
}

export function emulatorStateParts(stores: PersistedStores): Record<string, StatePart> {
  const { meetings, policy, subscriptions, records, apps, behaviors, connector } = stores;
  return {
    meetings: {
      snapshot: () => newest(meetings.list().sort(byTime((m) => m.creationDateTime)), STATE_LIMITS.meetings),
      restore: (value) => {
        const kept = arrayOf<OnlineMeetingRecord>(value, (m) => isStr(m.id) && isStr(m.threadId) && isStr(m.organizerId) && isStr(m.joinWebUrl)
          && isStr(m.joinMeetingId) && Array.isArray(m.attendees) && isObj(m.settings), STATE_LIMITS.meetings);
        meetings.restore(kept);
        return kept.length;
      },
    },
    accessPolicy: {
      snapshot: () => policy.get(),
      restore: (value) => {
        if (!isObj(value) || typeof value.global !== 'boolean' || !Array.isArray(value.userIds)) throw new Error('not an access policy');
        policy.set({ global: value.global, userIds: value.userIds.filter(isStr) } satisfies AccessPolicyState);
        return 1;
      },
    },
    subscriptions: {
      snapshot: () => newest(subscriptions.snapshot(), STATE_LIMITS.subscriptions),
      restore: (value) => subscriptions.restore(arrayOf<SubscriptionRecord>(value, (s) => isStr(s.id) && isStr(s.appId) && isStr(s.resource)
        && isStr(s.notificationUrl) && isStr(s.expirationDateTime) && Array.isArray(s.changeTypes) && (s.kind === 'callRecords' || s.kind === 'presence'), STATE_LIMITS.subscriptions)),
    },
    callRecords: {
      snapshot: () => newest(records.list().sort(byTime((r) => r.createdAt)), STATE_LIMITS.callRecords),
      restore: (value) => {
        const kept = arrayOf<StoredRecord>(value, (r) => isStr(r.id) && isStr(r.createdAt) && isStr(r.startDateTime) && isObj(r.record)
          && Array.isArray(r.sessions) && Array.isArray(r.participants) && Array.isArray(r.participantIds), STATE_LIMITS.callRecords);
        records.restore(kept);
        return kept.length;
      },
    },
    apps: {
      snapshot: () => apps.list().map((a) => ({
        clientId: a.clientId,
        ...(a.callingWebhookUrl ? { callingWebhookUrl: a.callingWebhookUrl } : {}),
        ...(a.messagingEndpointUrl ? { messagingEndpointUrl: a.messagingEndpointUrl } : {}),
      })),
      restore: (value) => {
        let kept = 0;
        for (const saved of arrayOf<{ clientId: string; callingWebhookUrl?: unknown; messagingEndpointUrl?: unknown }>(value, (a) => isStr(a.clientId), 1_000)) {
          if (!apps.find(saved.clientId)) continue; // an app no longer registered
          // The registry checks each URL as the control API does; a bad one is left out.
          if (isStr(saved.callingWebhookUrl)) kept += tryOrZero(() => apps.setCallingWebhook(saved.clientId, saved.callingWebhookUrl as string));
          if (isStr(saved.messagingEndpointUrl)) kept += tryOrZero(() => apps.setMessagingEndpoint(saved.clientId, saved.messagingEndpointUrl as string));
        }
        return kept;
      },
    },
    people: {
      snapshot: () => behaviors.snapshot(),
      restore: (value) => behaviors.restore(arrayOf<{ personId: string } & PersonBehavior>(value, (b) => isStr(b.personId) && ON_CALL.has(b.onCall as OnCallBehavior)
        && typeof b.answerDelayMs === 'number' && b.answerDelayMs >= 0 && b.answerDelayMs <= 600_000, 10_000)),
    },
    chat: {
      snapshot: () => ({
        conversations: newest(connector.listConversations().sort(byTime((c) => c.createdAt)), STATE_LIMITS.conversations),
        activities: newest(connector.list(), STATE_LIMITS.activities),
      }),
      restore: (value) => {
        if (!isObj(value)) throw new Error('not the chats');
        const conversations = arrayOf<ChatConversation>(value.conversations, (c) => isStr(c.id) && isStr(c.kind) && Array.isArray(c.memberIds), STATE_LIMITS.conversations);
        const activities = arrayOf<ConnectorActivity>(value.activities, (a) => typeof a.seq === 'number' && isStr(a.conversationId) && typeof a.activityId === 'string'
          && (a.direction === 'to-bot' || a.direction === 'from-bot'), STATE_LIMITS.activities);
        connector.restore(conversations, activities);
        return conversations.length + activities.length;
      },
    },
  };
}

/** Calls `changed` whenever something the parts hold changes. */
export function watchState(stores: PersistedStores, events: CallingEvents, changed: () => void): void {
  events.subscribe((event) => {
    if (CHANGING_EVENTS.has(event.type)) changed();
  });
  stores.policy.onChange(changed);
  stores.apps.onChange(changed);
  stores.behaviors.onChange(changed);
}

function tryOrZero(fn: () => unknown): number {
  try {
    fn();
    return 1;
  } catch {
    return 0;
  }
}
