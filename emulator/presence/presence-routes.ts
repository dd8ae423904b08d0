// Graph presence reads (presence-get, cloudcommunications-getpresencesbyuserid): GET /communications/presences/{id},
// GET /users/{id}/presence, GET /me/presence, POST /communications/getPresencesByUserId { ids } (at most 650).
// Permissions: Presence.Read.All (application and delegated), Presence.Read (delegated, own presence).

import { z } from 'zod';
import { parseGraphBody } from '../calls/graph-request-schemas.js';
import type { WirePresence } from '../../graph-models/index.js';
import type { GraphContext, GraphPermissions, GraphRoute } from '../graph/graph-area.js';
import { GraphError } from '../graph/graph-error.js';
import { UNKNOWN_PRESENCE, type PresenceBook } from './presence-book.js';

const READ_ALL: GraphPermissions = {
  application: ['Presence.Read.All', 'Presence.ReadWrite.All'],
  delegated: ['Presence.Read.All', 'Presence.ReadWrite.All'],
};
const READ_OWN: GraphPermissions = {
  application: [],
  delegated: ['Presence.Read', 'Presence.Read.All', 'Presence.ReadWrite', 'Presence.ReadWrite.All'],
};
export const MAX_PRESENCE_IDS = 650;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idsSchema = z.object({ ids: z.array(z.string(), { error: 'ids is required' }) });

export function presenceRoutes(book: PresenceBook): GraphRoute[] {
  const json = (id: string, context?: string): WirePresence => {
    const presence = book.get(id);
    return {
      ...(context ? { '@odata.context': context } : {}),
      id: presence?.id ?? id,
      availability: (presence ?? UNKNOWN_PRESENCE).availability,
      activity: (presence ?? UNKNOWN_PRESENCE).activity,
      statusMessage: null,
      outOfOfficeSettings: { message: null, isOutOfOffice: false },
    };
  };
  const entity = (ctx: GraphContext) => `${ctx.graphUrl}/$metadata#communications/presences/$entity`;
  const userPresence = (ctx: GraphContext, id: string) => {
    if (!book.get(id)) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    return { status: 200, json: json(id, `${ctx.graphUrl}/$metadata#users('${book.get(id)!.id}')/presence/$entity`) };
  };

  return [
    {
      method: 'GET',
      path: '/communications/presences/:id',
      permissions: READ_ALL,
      handle: (ctx) => {
        const id = ctx.params.id!;
        if (!GUID.test(id)) throw new GraphError(400, 'BadRequest', `'${id}' is not a valid user object id: presences are looked up by the user's object id (a GUID).`);
        return { status: 200, json: json(id, entity(ctx)) };
      },
    },
    { method: 'GET', path: '/users/:id/presence', permissions: READ_ALL, handle: (ctx) => userPresence(ctx, ctx.params.id!) },
    {
      method: 'GET',
      path: '/me/presence',
      permissions: READ_OWN,
      handle: (ctx) => {
        if (!ctx.principal.userId) throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
        return userPresence(ctx, ctx.principal.userId);
      },
    },
    ...['/communications/getPresencesByUserId', '/communications/microsoft.graph.getPresencesByUserId'].map((path): GraphRoute => ({
      method: 'POST',
      path,
      permissions: READ_ALL,
      handle: (ctx) => {
        const { ids } = parseGraphBody(ctx.request, idsSchema, 'getPresencesByUserId');
        if (ids.length === 0) throw new GraphError(400, 'BadRequest', 'ids must contain at least one user object id.');
        if (ids.length > MAX_PRESENCE_IDS) throw new GraphError(400, 'BadRequest', `The request has ${ids.length} ids: at most ${MAX_PRESENCE_IDS} user ids are supported per request.`);
        const invalid = ids.find((id) => !GUID.test(id));
        if (invalid !== undefined) throw new GraphError(400, 'BadRequest', `'${invalid}' is not a valid user object id (a GUID).`);
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#Collection(microsoft.graph.presence)`, value: ids.map((id) => json(id)) } };
      },
    })),
  ];
}
