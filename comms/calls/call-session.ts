// The stored shape of one call (collection `calls`): Graph's view of it as last heard, plus what features hang on it.
import type {
  CallDirection,
  CallState,
  ChatInfo,
  InvitationParticipantInfo,
  Participant,
  ParticipantInfo,
  ResultInfo,
  ToneInfo,
} from './graph-shapes.js';

export type JsonObject = { [key: string]: unknown };

/**
 * Who is in the call, as Graph last reported it. Stored apart from the rest of the call (collection `call-rosters`,
 * keyed by call id): a meeting call's roster can be megabytes, and a state change, a key press or a feature's context
 * should not read and rewrite it — nor a roster change the call.
 */
export interface CallRoster {
  /** The latest full roster. */
  participants: Participant[];
  /**
   * Set when Graph no longer tells the bot who is in the call: a peer-to-peer call the bot invited someone into
   * ("escalated" to a multiparty call) gets no more roster updates and an empty participant list (calls overview;
   * wave2-facts §2.6). `participants` is then emptied rather than left stale.
   */
  rosterUnavailable?: 'escalated';
  /** Highest roster sequence number applied (deltaParticipants.sequenceNumber or participants' rosterSequenceNumber). */
  rosterVersion?: number;
}

export const ROSTER_FIELDS = ['participants', 'rosterUnavailable', 'rosterVersion'] as const satisfies ReadonlyArray<keyof CallRoster>;

/** A call without its roster: what collection `calls` holds. */
export interface CallRecord {
  id: string;
  /** From the webhook token's `tid` (incoming) or the tenant the call was placed in; notifications must match it. */
  tenantId?: string;
  direction?: CallDirection;
  state: CallState;
  source?: ParticipantInfo;
  targets?: InvitationParticipantInfo[];
  subject?: string;
  meetingInfo?: JsonObject;
  chatInfo?: ChatInfo;
  requestedModalities?: string[];
  incomingContext?: JsonObject;
  createdAt: string;
  updatedAt: string;
  /** The end reason once terminated; the last reported outcome (e.g. a failed transfer) while live. */
  resultInfo?: ResultInfo;
  terminationReason?: string;
  myParticipantId?: string;
  callChainId?: string;
  /** Key presses heard on this call, deduplicated and ordered by sequenceId. */
  toneHistory: ToneInfo[];
  nextKeepAliveAt?: string;
  /** What the call is for ('front-desk', 'reminder', 'meeting'…): set by the feature that owns it. */
  purpose?: string;
  /** Free-form JSON the features keep on the call (e.g. the IVR position). */
  context: JsonObject;
  lastError?: { code: string; message: string; at: string };
  /** The caller's id for this call, carried in its callbackUri (see create-claims.ts). */
  correlationId?: string;
  /** When the app asked Graph to end the call: from then on keepAlive repeats the hang-up instead of holding it open. */
  endRequestedAt?: string;
}

/** A call with its roster: what reads of a call return. */
export interface CallSession extends CallRecord, CallRoster {}

export const MAX_TONE_HISTORY = 200;

/** The roster part of a call, and the rest: how a session is stored. */
export function splitSession(session: CallSession): { record: CallRecord; roster: CallRoster } {
  return { record: withoutRoster(session), roster: rosterOf(session) ?? { participants: [] } };
}

/** A call read back with its roster (none stored yet: nobody known). */
export function joinSession(record: CallRecord, roster: CallRoster | undefined): CallSession {
  const base = withoutRoster(record);
  const r = roster ?? rosterOf(record) ?? { participants: [] };
  return { ...base, ...r };
}

/**
 * The roster fields of a value, when it has any: a stored roster, a session, or a call stored before rosters were
 * kept apart (whose roster stays where it was until the next roster change moves it).
 */
export function rosterOf(value: object): CallRoster | undefined {
  const v = value as Partial<CallRoster>;
  if (v.participants === undefined) return undefined;
  return {
    participants: v.participants,
    ...(v.rosterUnavailable !== undefined ? { rosterUnavailable: v.rosterUnavailable } : {}),
    ...(v.rosterVersion !== undefined ? { rosterVersion: v.rosterVersion } : {}),
  };
}

/** The call without any roster fields (they may be in a call stored before rosters were kept apart). */
export function withoutRoster<T extends object>(value: T): Omit<T, (typeof ROSTER_FIELDS)[number]> {
  if (!ROSTER_FIELDS.some((k) => k in value)) return value;
  const out = { ...value } as Record<string, unknown>;
  for (const k of ROSTER_FIELDS) delete out[k];
  return out as Omit<T, (typeof ROSTER_FIELDS)[number]>;
}

export function newCallSession(init: Pick<CallSession, 'id' | 'state' | 'createdAt'> & Partial<CallSession>): CallSession {
  return {
    participants: [],
    toneHistory: [],
    context: {},
    updatedAt: init.createdAt,
    ...init,
  };
}

export function isLive(session: Pick<CallSession, 'state'>): boolean {
  return session.state !== 'terminated';
}

/** A peer-to-peer call: no meeting, no chat thread, and at most one person rung. */
export function isPeerToPeer(session: Pick<CallSession, 'meetingInfo' | 'chatInfo' | 'targets'>): boolean {
  return !session.meetingInfo && !session.chatInfo && (session.targets?.length ?? 0) <= 1;
}
