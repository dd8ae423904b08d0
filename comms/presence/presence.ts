// Presence reads: one user (presence-get) or many in batches of at most 650 (getPresencesByUserId). Someone Graph does
// not know (or an id that is not a user object id) is reported PresenceUnknown, never an error. Values are PascalCase
// as on the wire (the metadata comments list them in lower case; the examples and the service send PascalCase).
import { z } from 'zod';
import { GraphError, type GraphClient } from '../graph/index.js';
import { PresenceError } from './presence-error.js';
import type { GetPresencesByUserIdRequest } from '../../graph-models/index.js';

export interface Presence {
  id: string;
  availability: string;
  activity: string;
}

export const PRESENCE_UNKNOWN = 'PresenceUnknown';
/** getPresencesByUserId takes at most 650 ids per request. */
export const MAX_PRESENCE_IDS_PER_REQUEST = 650;
/** A single call may ask for this many people (in several requests). */
export const MAX_PRESENCE_IDS = 10_000;

export const AVAILABILITY_VALUES = ['Available', 'AvailableIdle', 'Away', 'BeRightBack', 'Busy', 'BusyIdle', 'DoNotDisturb', 'Offline', 'PresenceUnknown'] as const;
export const ACTIVITY_VALUES = [
  'Available', 'Away', 'BeRightBack', 'Busy', 'DoNotDisturb', 'InACall', 'InAConferenceCall', 'Inactive', 'InAMeeting',
  'Offline', 'OffWork', 'OutOfOffice', 'PresenceUnknown', 'Presenting', 'UrgentInterruptionsOnly',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CANONICAL = new Map<string, string>([...AVAILABILITY_VALUES, ...ACTIVITY_VALUES].map((v) => [v.toLowerCase(), v]));

const presenceSchema = z
  .object({
    id: z.string().max(256).nullish(),
    availability: z.string().max(64).nullish(),
    activity: z.string().max(64).nullish(),
  })
  .loose();

export function unknownPresence(id: string): Presence {
  return { id, availability: PRESENCE_UNKNOWN, activity: PRESENCE_UNKNOWN };
}

/** A wire value in its PascalCase spelling; an unknown newer value passes through; junk becomes PresenceUnknown. */
function value(raw: string | null | undefined): string {
  if (!raw) return PRESENCE_UNKNOWN;
  const known = CANONICAL.get(raw.toLowerCase());
  if (known) return known;
  return /^[A-Za-z]{1,64}$/.test(raw) ? raw : PRESENCE_UNKNOWN;
}

function toPresence(id: string, body: z.infer<typeof presenceSchema>): Presence {
  return { id, availability: value(body.availability), activity: value(body.activity) };
}

function checkIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length > MAX_PRESENCE_IDS) {
    throw new PresenceError('presence/invalid-argument', `ids must be a list of at most ${MAX_PRESENCE_IDS} user ids`);
  }
  for (const id of ids) if (typeof id !== 'string' || id.length > 256) throw new PresenceError('presence/invalid-argument', 'each id must be a user id');
  return ids as string[];
}

/** Presence.Read.All · presence-get (`GET /communications/presences/{id}`). */
export async function getPresence(graph: GraphClient, userId: string): Promise<Presence> {
  const [id] = checkIds([userId]);
  if (!GUID.test(id!)) return unknownPresence(id!);
  let body: unknown;
  try {
    body = await graph.get<unknown>(`/communications/presences/${encodeURIComponent(id!)}`);
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found') return unknownPresence(id!);
    throw err;
  }
  // The presence-get example prints the object wrapped in value[]; the service answers the object itself.
  const wrapped = z.object({ value: z.array(z.unknown()).max(1) }).loose().safeParse(body);
  const parsed = presenceSchema.safeParse(wrapped.success ? (wrapped.data.value[0] ?? {}) : body);
  if (!parsed.success) throw new PresenceError('presence/invalid-response', 'Graph answered with a presence that is not valid');
  return toPresence(id!, parsed.data);
}

/**
 * Presence.Read.All · cloudcommunications-getpresencesbyuserid — one Presence per distinct id, in the order asked,
 * in requests of at most 650 ids. Ids that are not user object ids are not sent and come back PresenceUnknown.
 */
export async function getPresences(graph: GraphClient, userIds: string[], options: { batchSize?: number } = {}): Promise<Presence[]> {
  const ids = [...new Set(checkIds(userIds))];
  const batchSize = Math.min(MAX_PRESENCE_IDS_PER_REQUEST, Math.max(1, Math.floor(options.batchSize ?? MAX_PRESENCE_IDS_PER_REQUEST)));
  const found = new Map<string, Presence>();
  const ask = ids.filter((id) => GUID.test(id));
  for (let i = 0; i < ask.length; i += batchSize) {
    const chunk = ask.slice(i, i + batchSize);
    // A read: safe to repeat on throttling.
    const res = await graph.post<unknown>('/communications/getPresencesByUserId', { ids: chunk } satisfies GetPresencesByUserIdRequest, { repeatable: true });
    const parsed = z.object({ value: z.array(presenceSchema).max(MAX_PRESENCE_IDS_PER_REQUEST * 2) }).loose().safeParse(res.body);
    if (!parsed.success) throw new PresenceError('presence/invalid-response', 'Graph answered with a presence list that is not valid');
    const asked = new Map(chunk.map((id) => [id.toLowerCase(), id]));
    for (const item of parsed.data.value) {
      const id = item.id ? asked.get(item.id.toLowerCase()) : undefined;
      if (id !== undefined) found.set(id, toPresence(id, item));
    }
  }
  return ids.map((id) => found.get(id) ?? unknownPresence(id));
}
