// The per-call state machine as a pure reducer: order-tolerant (a late `established` never revives a terminated
// call) and idempotent (a duplicate changes nothing), so notifications can be applied as they come.
import { MAX_TONE_HISTORY, type CallRecord, type CallRoster, type CallSession } from './call-session.js';
import type { CallState, Participant, ResultInfo } from './graph-shapes.js';
import type { CallData, CallNotification } from './notification-schema.js';
import { participantKey, RosterIndex } from './roster-diff.js';

export type CallUpdate = CallNotification;

const PRE_ESTABLISHED: Partial<Record<CallState, number>> = { incoming: 0, establishing: 1, ringing: 2 };

/** The state a call moves to when `next` is reported while it is `current`; `current` when the report is stale. */
export function nextCallState(current: CallState, next: CallState): CallState {
  if (next === current || next === 'unknownFutureValue') return current;
  if (current === 'terminated') return current;
  if (next === 'terminated') return next;
  if (current === 'terminating') return current;
  if (next === 'terminating') return next;
  // Past these points only terminating/terminated (handled above) may follow.
  if (current === 'transferAccepted' || current === 'redirecting') return current;
  const currentPre = PRE_ESTABLISHED[current];
  const nextPre = PRE_ESTABLISHED[next];
  if (nextPre !== undefined) {
    // incoming → establishing → ringing only move forward, and never after the call was established.
    return currentPre !== undefined && nextPre > currentPre ? next : current;
  }
  switch (next) {
    case 'established':
      // From setting up, back from hold, or back after a failed transfer.
      return currentPre !== undefined || current === 'hold' || current === 'transferring' || current === 'unknownFutureValue' ? next : current;
    case 'hold':
      return currentPre !== undefined || current === 'established' || current === 'unknownFutureValue' ? next : current;
    case 'transferring':
      return currentPre !== undefined || current === 'established' || current === 'hold' || current === 'unknownFutureValue' ? next : current;
    case 'transferAccepted':
      return next;
    case 'redirecting':
      return currentPre !== undefined ? next : current;
    default:
      return current;
  }
}

const DESCRIPTIVE_KEYS = [
  'direction',
  'source',
  'targets',
  'subject',
  'meetingInfo',
  'chatInfo',
  'requestedModalities',
  'incomingContext',
  'myParticipantId',
  'callChainId',
] as const;

/**
 * The end we infer when Graph answers 404 for a call we thought live (keepAlive, reconciliation, an action). If Graph's
 * own `terminated` notification arrives afterwards, its resultInfo is the real reason and replaces this one.
 */
export const INFERRED_END: ResultInfo = { code: 404, subcode: 0, message: 'The call ended while the app was not looking' };

function isInferredEnd(info: ResultInfo | undefined): boolean {
  return info !== undefined && info.message === INFERRED_END.message && Number(info.code) === INFERRED_END.code;
}

/** Applies a call's state as Graph reports it to the call (its roster is not involved). Pure. */
export function applyCallData<T extends CallRecord>(session: T, call: CallData): T {
  const out: T = { ...session };
  const wasTerminated = session.state === 'terminated';
  const reported = call.state;
  const state = reported === undefined ? session.state : nextCallState(session.state, reported);
  out.state = state;
  // A report is current when it moved the call, confirmed its state, or carried no state at all (e.g. chatInfo filled
  // in). Stale reports (rejected transitions, anything after termination) only fill gaps.
  const current = !wasTerminated && (reported === undefined || reported === state);
  const becameTerminated = !wasTerminated && state === 'terminated';

  for (const key of DESCRIPTIVE_KEYS) {
    const value = call[key];
    if (value === undefined) continue;
    if (current || out[key] === undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  const realEndAfterInferred = wasTerminated && reported === 'terminated' && isInferredEnd(session.resultInfo) && !isInferredEnd(call.resultInfo);
  if (call.resultInfo !== undefined && (becameTerminated || (current && !wasTerminated) || out.resultInfo === undefined || realEndAfterInferred)) {
    out.resultInfo = call.resultInfo;
  }
  if (call.terminationReason !== undefined && (becameTerminated || current || out.terminationReason === undefined)) {
    out.terminationReason = call.terminationReason;
  }
  if (call.toneInfo !== undefined && !session.toneHistory.some((t) => t.sequenceId === call.toneInfo!.sequenceId)) {
    // Tones are history: kept whatever the order they arrive in (also after the call ended), ordered by sequenceId.
    out.toneHistory = [...session.toneHistory, { sequenceId: call.toneInfo.sequenceId, tone: call.toneInfo.tone }]
      .sort((a, b) => a.sequenceId - b.sequenceId)
      .slice(-MAX_TONE_HISTORY);
  }
  return out;
}

/**
 * Roster ordering. A delta roster carries a roster-level `sequenceNumber` (deltaParticipants): an older or equal one
 * changes nothing. A full roster has none: each participant's `rosterSequenceNumber` is the update in which *that
 * participant* last changed, so the highest one is only a lower bound on the roster's own version. A full roster is
 * applied when that bound is newer than what we have; when it is not, it is applied only if it is exactly our roster
 * minus some people with everyone else unchanged — a leave, which bumps nobody's number — and ignored otherwise
 * (stale or duplicate). One case stays ambiguous in Graph's data (a stale roster from before someone joined looks
 * like that person leaving); the meeting roster's periodic repair settles it.
 */
export function applyRoster<T extends CallRoster>(session: T, update: Extract<CallUpdate, { kind: 'participants' }>): T {
  if (update.delta || update.sequenceNumber !== undefined) {
    const current = new Map(session.participants.map((p) => [participantKey(p), p]));
    const version = update.sequenceNumber;
    if (version !== undefined && session.rosterVersion !== undefined && version <= session.rosterVersion) return session;
    let participants: Participant[];
    if (update.delta) {
      for (const p of update.participants) {
        const key = participantKey(p);
        if (p.removedState !== undefined && p.removedState !== null) current.delete(key);
        else current.set(key, newerOf(current.get(key), p));
      }
      participants = [...current.values()];
    } else {
      participants = update.participants;
    }
    return { ...session, participants, ...(version !== undefined ? { rosterVersion: version } : {}) };
  }
  // A full roster: the people we have, found by id (what most of a 10,000-person roster is keyed by).
  const current = new RosterIndex(session.participants);
  const bound = highestSequence(update.participants);
  if (bound === undefined || session.rosterVersion === undefined || bound > session.rosterVersion) {
    const participants = update.participants.map((p) => newerOf(current.find(p), p));
    return { ...session, participants, ...(bound !== undefined ? { rosterVersion: bound } : {}) };
  }
  const isLeave =
    update.participants.length < session.participants.length &&
    update.participants.every((p) => current.find(p)?.rosterSequenceNumber === p.rosterSequenceNumber);
  return isLeave ? { ...session, participants: update.participants.map((p) => current.find(p)!) } : session;
}

function highestSequence(participants: Participant[]): number | undefined {
  let max: number | undefined;
  for (const p of participants) {
    if (typeof p.rosterSequenceNumber === 'number' && (max === undefined || p.rosterSequenceNumber > max)) max = p.rosterSequenceNumber;
  }
  return max;
}

function newerOf(known: Participant | undefined, incoming: Participant): Participant {
  const a = known?.rosterSequenceNumber;
  const b = incoming.rosterSequenceNumber;
  return typeof a === 'number' && typeof b === 'number' && a > b ? known! : incoming;
}

/** Applies one normalized notification to a call. Pure: neither argument is modified; timestamps are the caller's. */
export function applyCallUpdate(session: CallSession, update: CallUpdate): CallSession {
  switch (update.kind) {
    case 'call':
      return applyCallData(session, update.call);
    case 'participants':
      return applyRoster(session, update);
    default:
      // Operations are tracked by the operation tracker; content sharing and the like do not change the call.
      return session;
  }
}
