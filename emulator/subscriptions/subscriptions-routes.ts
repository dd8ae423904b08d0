// Graph /subscriptions: create (201 after the validation handshake), list and get the app's own, renew (PATCH
// expirationDateTime), delete (204), reauthorize (204). Creating needs the resource's read permission
// (CallRecords.Read.All for /communications/callRecords, delegated Presence.Read.All for presences, application
// OnlineMeetings.Read.All or .ReadWrite.All for a meeting's meetingCallEvents; includeResourceData with
// encryptionCertificate + encryptionCertificateId for presences and meetingCallEvents). Served on v1.0 and beta
// (meetingCallEvents only on beta).

import { z } from 'zod';
import { parseGraphBody } from '../calls/graph-request-schemas.js';
import type { GraphContext, GraphPermissions, GraphRoute } from '../graph/graph-area.js';
import { subscriptionJson, type SubscriptionService } from './subscription-service.js';

/** Any permission that lets an app subscribe to something the emulator offers (each resource is checked on create). */
const ANY: GraphPermissions = {
  application: ['CallRecords.Read.All', 'Presence.Read.All', 'Presence.ReadWrite.All', 'OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
  // Delegated OnlineMeetings scopes reach the create so that it can say meetingCallEvents refuses delegated tokens.
  delegated: ['Presence.Read.All', 'Presence.ReadWrite.All', 'OnlineMeetings.Read', 'OnlineMeetings.ReadWrite', 'OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
};

const createSchema = z.object({
  changeType: z.string({ error: 'changeType is required' }).min(1, 'changeType is required'),
  notificationUrl: z.string({ error: 'notificationUrl is required' }).min(1, 'notificationUrl is required'),
  resource: z.string({ error: 'resource is required' }).min(1, 'resource is required'),
  expirationDateTime: z.string({ error: 'expirationDateTime is required' }),
  clientState: z.string().max(128, 'clientState can have a maximum of 128 characters').optional().nullable(),
  lifecycleNotificationUrl: z.string().optional().nullable(),
  latestSupportedTlsVersion: z.enum(['v1_0', 'v1_1', 'v1_2', 'v1_3']).optional().nullable(),
  includeResourceData: z.boolean().optional().nullable(),
  encryptionCertificate: z.string().optional().nullable(),
  encryptionCertificateId: z.string().optional().nullable(),
  notificationQueryOptions: z.string().optional().nullable(),
  notificationUrlAppId: z.string().optional().nullable(),
});
const renewSchema = z.object({
  expirationDateTime: z.string({ error: 'expirationDateTime is required' }),
  encryptionCertificate: z.string().optional().nullable(),
  encryptionCertificateId: z.string().optional().nullable(),
});

export function subscriptionsRoutes(service: SubscriptionService): GraphRoute[] {
  const entity = (ctx: GraphContext) => `${ctx.graphUrl}/$metadata#subscriptions/$entity`;
  const own = (ctx: GraphContext) => service.get(ctx.params.id!, ctx.principal.appId);
  const routes: GraphRoute[] = [
    {
      method: 'POST',
      path: '/subscriptions',
      permissions: ANY,
      handle: async (ctx) => {
        const body = parseGraphBody(ctx.request, createSchema, 'subscription', { allowed: [...Object.keys(createSchema.shape), 'id', 'applicationId', 'creatorId'] });
        const subscription = await service.create(ctx.principal, body, ctx.version);
        return { status: 201, json: subscriptionJson(subscription, entity(ctx)) };
      },
    },
    {
      method: 'GET',
      path: '/subscriptions',
      permissions: ANY,
      handle: (ctx) => ({ status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#subscriptions`, value: service.list(ctx.principal.appId).map((s) => subscriptionJson(s)) } }),
    },
    { method: 'GET', path: '/subscriptions/:id', permissions: ANY, handle: (ctx) => ({ status: 200, json: subscriptionJson(own(ctx), entity(ctx)) }) },
    {
      method: 'PATCH',
      path: '/subscriptions/:id',
      permissions: ANY,
      handle: (ctx) => {
        const subscription = own(ctx);
        const body = parseGraphBody(ctx.request, renewSchema, 'subscription');
        return { status: 200, json: subscriptionJson(service.renew(subscription, body.expirationDateTime, body), entity(ctx)) };
      },
    },
    {
      method: 'DELETE',
      path: '/subscriptions/:id',
      permissions: ANY,
      handle: (ctx) => {
        service.delete(own(ctx));
        return { status: 204 };
      },
    },
    ...['reauthorize', 'microsoft.graph.reauthorize'].map((action): GraphRoute => ({
      method: 'POST',
      path: `/subscriptions/:id/${action}`,
      permissions: ANY,
      handle: (ctx) => {
        service.reauthorize(own(ctx));
        return { status: 204 };
      },
    })),
  ];
  return routes.map((route) => ({ ...route, beta: true }));
}
