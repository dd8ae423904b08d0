// A meeting's call events as the app reads them (changenotifications-for-onlinemeeting, beta callEvent): the decrypted
// payload parsed at the edge — eventType (beta's metadata names it callEventType: both are read), eventDateTime and
// participants@delta, each a user with isInLobby, and removedState when they left the call or the lobby. An event
// type the app does not know (transcriptionStateUpdated, anything newer) is `undefined`: ignored, never an error.
import { z } from 'zod';

export const CALL_EVENT_TYPES = ['callStarted', 'callEnded', 'rosterUpdated'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export interface CallEventParticipant {
  userId: string;
  displayName?: string;
  inLobby: boolean;
  /** removedState was set: the person left the call (or the lobby), or became inactive. */
  removed: boolean;
}

export interface CallEventInput {
  eventType: CallEventType;
  /** ISO time; when Graph gave none, the time it was read. */
  eventDateTime: string;
  participants: CallEventParticipant[];
}

const MAX_DELTA = 1_000;
const userSchema = z.object({ id: z.string().min(1).max(128).regex(/^[A-Za-z0-9:._@-]+$/), displayName: z.string().max(256).nullish() }).loose();
const participantSchema = z
  .object({
    info: z.object({ identity: z.object({ user: userSchema }).loose() }).loose(),
    isInLobby: z.boolean().nullish(),
    removedState: z.object({ reason: z.string().max(1024).nullish() }).loose().nullish(),
  })
  .loose();
const eventSchema = z
  .object({
    eventType: z.string().max(64).nullish(),
    callEventType: z.string().max(64).nullish(),
    eventDateTime: z.string().max(64).nullish(),
    'participants@delta': z.array(z.unknown()).max(MAX_DELTA).nullish(),
  })
  .loose();

/**
 * The call event in a decrypted payload; undefined when it is not one the app acts on (an unknown type). Throws
 * nothing: a payload that is not an object, or whose fields are malformed, is also undefined.
 */
export function parseCallEvent(payload: unknown, now: () => number = Date.now): CallEventInput | undefined {
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const type = parsed.data.eventType ?? parsed.data.callEventType;
  if (!type || !(CALL_EVENT_TYPES as readonly string[]).includes(type)) return undefined;
  const at = parsed.data.eventDateTime && Number.isFinite(Date.parse(parsed.data.eventDateTime)) ? new Date(parsed.data.eventDateTime).toISOString() : new Date(now()).toISOString();
  const participants: CallEventParticipant[] = [];
  for (const raw of parsed.data['participants@delta'] ?? []) {
    // Only user participants are in the roster's terms; an item without a user (an app, a phone) is skipped.
    const p = participantSchema.safeParse(raw);
    if (!p.success) continue;
    const user = p.data.info.identity.user;
    participants.push({
      userId: user.id,
      ...(user.displayName ? { displayName: user.displayName } : {}),
      inLobby: p.data.isInLobby ?? false,
      removed: p.data.removedState !== undefined && p.data.removedState !== null,
    });
  }
  return { eventType: type as CallEventType, eventDateTime: at, participants };
}
