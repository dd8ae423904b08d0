// Who is sharing content in a call: contentSharingSession notifications (application-post-calls Example 1; sent only
// when the call was created or answered with callOptions.isContentSharingNotificationEnabled) kept on the stored call
// (context.contentSharing: the open session ids) and published as `call.sharing`. v1.0 sessions carry only an id, so
// the presenter comes from beta's presenterParticipantId when present, else from the latest roster: the participant
// sending a videoBasedScreenSharing stream. The roster update may come after the sharing notification, so a presenter
// may be missing from `call.sharing`; the following `call.participants` event shows the stream.
import { CALL_EVENTS, type CallEvent, type CallSharingEvent } from './call-events.js';
import type { CallRecord, JsonObject } from './call-session.js';
import type { Participant } from './graph-shapes.js';
import type { CallNotification } from './notification-schema.js';

export type ContentSharingNotification = Extract<CallNotification, { kind: 'contentSharing' }>;

/** Where the open sessions are kept on the call (CallSession.context is the features' free-form JSON). */
export const CONTENT_SHARING_CONTEXT_KEY = 'contentSharing';
const MAX_OPEN_SESSIONS = 20;

interface StoredSharing {
  sessions: Array<{ id: string; since: string }>;
}

/** The ids of the content sharing sessions open on the call, oldest first. */
export function openSharingSessions(session: Pick<CallRecord, 'context'>): string[] {
  const stored = session.context?.[CONTENT_SHARING_CONTEXT_KEY] as StoredSharing | undefined;
  return Array.isArray(stored?.sessions) ? stored.sessions.map((s) => s.id) : [];
}

/** The call with the notification's sessions opened (created/updated) or closed (deleted). Pure. */
export function applyContentSharing<T extends Pick<CallRecord, 'context'>>(session: T, n: ContentSharingNotification, at: string): T {
  const stored = session.context?.[CONTENT_SHARING_CONTEXT_KEY] as StoredSharing | undefined;
  const before = Array.isArray(stored?.sessions) ? stored.sessions : [];
  const ids = new Set(n.sessions.map((s) => s.id));
  let after: StoredSharing['sessions'];
  if (n.changeType === 'deleted') {
    after = before.filter((s) => !ids.has(s.id));
  } else {
    const known = new Set(before.map((s) => s.id));
    after = [...before, ...n.sessions.filter((s) => !known.has(s.id)).map((s) => ({ id: s.id, since: at }))].slice(-MAX_OPEN_SESSIONS);
  }
  if (after.length === before.length && after.every((s, i) => s.id === before[i]?.id)) return session;
  const context: JsonObject = { ...session.context };
  if (after.length > 0) context[CONTENT_SHARING_CONTEXT_KEY] = { sessions: after } satisfies StoredSharing;
  else delete context[CONTENT_SHARING_CONTEXT_KEY];
  return { ...session, context };
}

/** Whether a participant sends a screen-sharing stream (the roster's mediaStreams). */
export function isSharingScreen(p: Participant): boolean {
  if (!Array.isArray(p.mediaStreams)) return false;
  return p.mediaStreams.some((s) => {
    const stream = s as { mediaType?: unknown; direction?: unknown } | null;
    return stream?.mediaType === 'videoBasedScreenSharing' && (stream.direction === 'sendOnly' || stream.direction === 'sendReceive');
  });
}

function describe(p: Participant): NonNullable<CallSharingEvent['presenter']> {
  const identity = p.info?.identity ?? {};
  const named = [identity.user, identity.guest, identity.phone, identity.application].find((v) => v && typeof v === 'object') as
    | { id?: unknown; displayName?: unknown }
    | undefined;
  const out: NonNullable<CallSharingEvent['presenter']> = { participantId: p.id! };
  if (identity.user && typeof identity.user === 'object' && typeof identity.user.id === 'string' && identity.user.id) out.userId = identity.user.id;
  if (typeof named?.displayName === 'string' && named.displayName) out.displayName = named.displayName;
  return out;
}

/** The presenter when known: the session's presenterParticipantId (beta), else the only screen sharer in the roster. */
export function findPresenter(participants: Participant[], presenterParticipantId?: string): CallSharingEvent['presenter'] {
  if (presenterParticipantId) {
    const named = participants.find((p) => p.id === presenterParticipantId);
    return named ? describe(named) : { participantId: presenterParticipantId };
  }
  const sharers = participants.filter((p) => p.id && isSharingScreen(p));
  return sharers.length === 1 ? describe(sharers[0]!) : undefined;
}

/** The `call.sharing` events one notification means (one per session it names), given the call after applying it. */
export function sharingEvents(after: Pick<CallRecord, 'context'>, participants: Participant[], n: ContentSharingNotification): CallSharingEvent[] {
  const change = n.changeType === 'created' ? 'started' : n.changeType === 'updated' ? 'updated' : 'ended';
  const sharing = openSharingSessions(after).length > 0;
  return n.sessions.map((s) => {
    const event: CallSharingEvent = { type: CALL_EVENTS.sharing, callId: n.callId, change, sessionId: s.id, sharing };
    const presenter = change === 'ended' ? undefined : findPresenter(participants, s.presenterParticipantId);
    if (presenter) event.presenter = presenter;
    return event;
  });
}

export interface ContentSharingDeps {
  /** CallStore.update: the per-call serialized read-modify-write (the change may run again; it is pure). */
  update(callId: string, change: (s: CallRecord) => CallRecord): Promise<CallRecord | undefined>;
  /** The call's latest roster (where a presenter is looked for). */
  participants(callId: string): Promise<Participant[]>;
  /** CallChanges.publish. */
  publish(event: CallEvent): void;
  /** Now, as an ISO string. */
  now(): string;
}

/**
 * Handles a contentSharing notification for a stored call: records the open sessions on it and publishes `call.sharing`.
 * A notification for a call that is not stored is ignored (the caller holds orphans before this is reached).
 * Wiring (NotificationApplier.apply, beside the operation branch):
 *   if (notification.kind === 'contentSharing') { await trackContentSharing(notification, { update: …, participants: …, publish: …, now: … }); return; }
 */
export async function trackContentSharing(n: ContentSharingNotification, deps: ContentSharingDeps): Promise<CallSharingEvent[]> {
  if (n.sessions.length === 0) return [];
  const at = deps.now();
  // The last run of the change is the one that was written: a repeated created/deleted changes nothing and is not
  // published again; `updated` never changes the open sessions and is always published.
  let changed = false;
  const after = await deps.update(n.callId, (s) => {
    const next = applyContentSharing(s, n, at);
    changed = next !== s;
    return next;
  });
  if (!after || (!changed && n.changeType !== 'updated')) return [];
  const events = sharingEvents(after, n.changeType === 'deleted' ? [] : await deps.participants(n.callId), n);
  for (const event of events) deps.publish(event);
  return events;
}
