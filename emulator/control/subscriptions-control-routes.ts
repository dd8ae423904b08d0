// Control routes for change notifications and call records: every subscription with the outcome of each delivery,
// lifecycle notifications on demand, expiring a subscription now, and the call records (and those still pending).

import { z } from 'zod';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { CallRecordStore } from '../records/call-record-store.js';
import type { CallTracker } from '../records/call-tracker.js';
import type { SubscriptionRecord } from '../subscriptions/subscription-model.js';
import type { SubscriptionService } from '../subscriptions/subscription-service.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const lifecycleSchema = z.strictObject({ event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']) });

function view(s: SubscriptionRecord): Record<string, unknown> {
  return {
    id: s.id,
    appId: s.appId,
    creatorId: s.creatorId,
    resource: s.resource,
    changeType: s.changeType,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    hasClientState: s.clientState !== undefined,
    includeResourceData: s.includeResourceData ?? false,
    encryptionCertificateId: s.encryptionCertificateId ?? null,
    expirationDateTime: s.expirationDateTime,
    state: s.state,
    awaitingReauthorization: s.awaitingReauthorization,
    createdAt: s.createdAt,
    endedAt: s.endedAt ?? null,
    deliveries: s.deliveries,
  };
}

export function subscriptionsControlRoutes(service: SubscriptionService, records: CallRecordStore, tracker: CallTracker): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/subscriptions`,
      description: 'Every change-notification subscription (active, then recently ended) with each delivery\'s outcome: { value: [...] }.',
      handle: () => jsonReply(200, { value: service.all().map(view) }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/subscriptions/:id/lifecycle`,
      description: 'Send a lifecycle notification to the subscription\'s lifecycleNotificationUrl: { event: reauthorizationRequired|subscriptionRemoved|missed } → 202 the subscription.',
      handle: (request, p) => {
        const { event } = parseWith(lifecycleSchema, parseJsonBody(request) ?? {});
        return jsonReply(202, view(service.lifecycle(p.id!, event)));
      },
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/subscriptions/:id/expire`,
      description: 'The subscription expires now (deliveries stop; Graph then answers 404 for it) → the subscription.',
      handle: (_r, p) => jsonReply(200, view(service.expireNow(p.id!))),
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/call-records`,
      description: 'Call records that exist (newest last) and how many ended calls are still within callRecordDelayMs: { value: [{ id, type, startDateTime, endDateTime, sessions, createdAt }], pending, ongoing }.',
      handle: () => jsonReply(200, {
        value: records.list().map((r) => ({ id: r.id, type: r.record.type, startDateTime: r.startDateTime, endDateTime: r.endDateTime, sessions: r.sessions.length, participants: r.participants.length, createdAt: r.createdAt })),
        pending: tracker.pendingRecords,
        ongoing: tracker.ongoing(),
      }),
    },
  ];
}
