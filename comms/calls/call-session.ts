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

export interface CallSession {
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

export const MAX_TONE_HISTORY = 200;

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
