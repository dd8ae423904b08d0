// One person's call history, the rule the chat's `calls` and the personal tab share: which records are theirs (they
// called, were called, or took part — matched by Entra object id, never by name), and each call in their terms: who or
// what it was, whether it connected (otherwise missed, or not answered when they called), how long, and how their
// audio was. Who may see everyone's calls is a configured list (HISTORY_ADMINS), checked here.
import type { CallRecordSummary, ParticipantQuality, RecordPerson } from './call-record-summary.js';

export type CallOutcome = 'connected' | 'missed' | 'not-answered';
export type CallKind = 'one-to-one' | 'group' | 'meeting';

export interface PersonalCall {
  id: string;
  kind: CallKind;
  /** "Call with Jonas Lindqvist", "Call to the front desk", "Reminder call", "Meeting: Design review"… */
  title: string;
  /** The other people (not apps), by name. */
  others: string[];
  /** one-to-one: who called (the record's organizer). */
  direction?: 'outgoing' | 'incoming';
  outcome: CallOutcome;
  start?: string;
  durationSeconds?: number;
  /** How the person's own audio was (the call's, when they sent no stream of their own). */
  quality: 'good' | 'poor' | 'unknown';
  /** The person's own averages, when the record has them. */
  audio?: { jitterMs?: number; packetLossPercent?: number; roundTripMs?: number };
}

/** What the app knows beyond the record: the meeting's subject, and what the call was for (its purpose). */
export interface CallContext {
  meetingSubject?: string;
  /** The app's own purpose for the call: front-desk, reminder, chat-call, queue, queue-callback, queue-offer, meeting. */
  purpose?: string;
}

const PEOPLE_KINDS = new Set(['user', 'guest', 'acsUser', 'spoolUser', 'phone']);

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function isUser(p: RecordPerson | undefined, userId: string): boolean {
  return p !== undefined && p.kind === 'user' && same(p.id, userId);
}

export function nameOf(p: RecordPerson): string {
  return p.displayName ?? p.upn ?? (p.kind === 'phone' ? p.id ?? 'a phone' : 'someone');
}

/** The person called, was called, or took part (by object id). */
export function tookPart(summary: CallRecordSummary, userId: string): boolean {
  return isUser(summary.organizer, userId) || summary.participants.some((p) => isUser(p, userId));
}

/** Whether this person may list everyone's calls: their object id or UPN is in the configured list. */
export function isHistoryAdmin(admins: readonly string[], user: { userId: string; upn?: string | undefined }): boolean {
  return admins.some((a) => same(user.userId, a) || (user.upn !== undefined && same(user.upn, a)));
}

/** Whether the list names anyone by UPN (then the asker's UPN must be looked up). */
export function adminsNeedUpn(admins: readonly string[]): boolean {
  return admins.some((a) => a.includes('@'));
}

function listNames(names: string[]): string {
  if (names.length <= 2) return names.join(' and ');
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}

function titleOf(kind: CallKind, others: string[], apps: string[], direction: PersonalCall['direction'], context: CallContext): string {
  if (kind === 'meeting') return context.meetingSubject ? `Meeting: ${context.meetingSubject}` : 'Teams meeting';
  switch (context.purpose) {
    case 'front-desk':
      return 'Call to the front desk';
    case 'reminder':
      return 'Reminder call';
    case 'queue':
      return 'Call to a call queue';
    case 'queue-callback':
      return 'Call back from a call queue';
    case 'queue-offer':
      return 'Call queue: a caller offered to you';
    default:
      break;
  }
  if (others.length > 0) return kind === 'group' ? `Group call with ${listNames(others)}` : `Call with ${others[0]}`;
  const app = apps[0];
  if (kind === 'group') return 'Group call';
  if (!app) return 'Call';
  return direction === 'outgoing' ? `Call to ${app}` : `Call from ${app}`;
}

function yours(summary: CallRecordSummary, userId: string): ParticipantQuality | undefined {
  return summary.quality.find((q) => isUser(q.person, userId));
}

export function personalCall(summary: CallRecordSummary, userId: string, context: CallContext = {}): PersonalCall {
  const kind: CallKind = summary.joinWebUrl ? 'meeting' : summary.type === 'peerToPeer' ? 'one-to-one' : 'group';
  const others = summary.participants.filter((p) => !isUser(p, userId) && PEOPLE_KINDS.has(p.kind)).map(nameOf);
  const apps = summary.participants.filter((p) => !PEOPLE_KINDS.has(p.kind)).map(nameOf);
  const direction = kind === 'one-to-one' && summary.organizer ? (isUser(summary.organizer, userId) ? 'outgoing' : 'incoming') : undefined;
  // Audio flowed when the record has stream quality; a record without any is a call that never connected.
  const connected = summary.quality.length > 0;
  const outcome: CallOutcome = connected ? 'connected' : direction === 'outgoing' ? 'not-answered' : 'missed';
  const own = yours(summary, userId);
  const quality = !connected ? 'unknown' : (own ? own.poor : summary.poorQuality) ? 'poor' : 'good';
  const audio = own && {
    ...(own.averageJitterMs !== undefined ? { jitterMs: own.averageJitterMs } : {}),
    ...(own.averagePacketLossRate !== undefined ? { packetLossPercent: Math.round(own.averagePacketLossRate * 10_000) / 100 } : {}),
    ...(own.averageRoundTripTimeMs !== undefined ? { roundTripMs: own.averageRoundTripTimeMs } : {}),
  };
  return {
    id: summary.id,
    kind,
    title: titleOf(kind, others, apps, direction, context),
    others,
    ...(direction ? { direction } : {}),
    outcome,
    ...(summary.start ? { start: summary.start } : {}),
    ...(summary.durationSeconds !== undefined ? { durationSeconds: summary.durationSeconds } : {}),
    quality,
    ...(audio && Object.keys(audio).length > 0 ? { audio } : {}),
  };
}
