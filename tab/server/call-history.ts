// The personal tab's call history: the call-record summaries the signed-in user took part in (comms/records decides
// whose a call is, by object id), reduced to a list row — who or what the call was, when, how long, whether it
// connected and how their audio was — and a call's detail with the quality series the charts draw.
import { personalCall, tookPart, type CallContext, type CallRecordSummary, type PersonalCall } from '../../comms/records/index.js';
import type { PersonSeries } from './quality-series.js';

export { tookPart };

export interface CallListItem {
  id: string;
  type: string;
  kind: PersonalCall['kind'];
  /** Who or what the call was: "Call with Jonas Lindqvist", "Call to the front desk", "Meeting: Design review"… */
  title: string;
  direction?: PersonalCall['direction'];
  start?: string;
  end?: string;
  durationSeconds?: number;
  /** The other people in the call (the user and apps left out), by name. */
  with: string[];
  organizer?: string;
  participantCount: number;
  /** connected: audio flowed (the record has stream quality); otherwise the call never connected. */
  result: 'connected' | 'not-connected';
  /** Why it did not connect, in the user's terms: they missed it, or nobody answered their call. */
  outcome: PersonalCall['outcome'];
  quality: 'good' | 'poor' | 'unknown';
  joinWebUrl?: string;
}

export interface CallDetail extends CallListItem {
  modalities: string[];
  participants: Array<{ key: string; kind: string; displayName?: string; isYou: boolean }>;
  quality: CallListItem['quality'];
  /** Averages per person (from the summary). */
  people: Array<{ key: string; displayName?: string; jitterMs?: number; packetLossPercent?: number; roundTripMs?: number; poor: boolean }>;
  series: PersonSeries[];
  /** Set when the per-segment figures could not be read from Graph (the averages still show). */
  seriesError?: string;
}

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

export function callListItem(summary: CallRecordSummary, userId: string, context: CallContext = {}): CallListItem {
  const call = personalCall(summary, userId, context);
  return {
    id: summary.id,
    type: summary.type,
    kind: call.kind,
    title: call.title,
    ...(call.direction ? { direction: call.direction } : {}),
    ...(summary.start ? { start: summary.start } : {}),
    ...(summary.end ? { end: summary.end } : {}),
    ...(summary.durationSeconds !== undefined ? { durationSeconds: summary.durationSeconds } : {}),
    with: call.others,
    ...(summary.organizer ? { organizer: summary.organizer.displayName ?? summary.organizer.upn ?? 'someone' } : {}),
    participantCount: summary.participants.length,
    result: call.outcome === 'connected' ? 'connected' : 'not-connected',
    outcome: call.outcome,
    quality: call.quality,
    ...(summary.joinWebUrl ? { joinWebUrl: summary.joinWebUrl } : {}),
  };
}

export function callDetail(summary: CallRecordSummary, userId: string, series: PersonSeries[], seriesError?: string, context: CallContext = {}): CallDetail {
  return {
    ...callListItem(summary, userId, context),
    modalities: summary.modalities,
    participants: summary.participants.map((p) => ({ key: p.key, kind: p.kind, ...(p.displayName ? { displayName: p.displayName } : {}), isYou: p.kind === 'user' && same(p.id, userId) })),
    people: summary.quality.map((q) => ({
      key: q.person.key,
      ...(q.person.displayName ? { displayName: q.person.displayName } : {}),
      ...(q.averageJitterMs !== undefined ? { jitterMs: q.averageJitterMs } : {}),
      ...(q.averagePacketLossRate !== undefined ? { packetLossPercent: Math.round(q.averagePacketLossRate * 10_000) / 100 } : {}),
      ...(q.averageRoundTripTimeMs !== undefined ? { roundTripMs: q.averageRoundTripTimeMs } : {}),
      poor: q.poor,
    })),
    series,
    ...(seriesError ? { seriesError } : {}),
  };
}
