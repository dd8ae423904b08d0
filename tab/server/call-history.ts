// The personal tab's call history: the call-record summaries the signed-in user took part in (matched by their
// object id, never by name), reduced to a list row — who else, when, how long, and whether the audio was good — and
// a call's detail with the quality series the charts draw.
import type { CallRecordSummary, RecordPerson } from '../../comms/records/index.js';
import type { PersonSeries } from './quality-series.js';

export interface CallListItem {
  id: string;
  type: string;
  start?: string;
  end?: string;
  durationSeconds?: number;
  /** The other people in the call (the user left out), by name. */
  with: string[];
  organizer?: string;
  participantCount: number;
  /** connected: audio flowed (the record has stream quality); otherwise the call never connected. */
  result: 'connected' | 'not-connected';
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

function isUser(p: RecordPerson | undefined, userId: string): boolean {
  return p !== undefined && p.kind === 'user' && same(p.id, userId);
}

export function tookPart(summary: CallRecordSummary, userId: string): boolean {
  return isUser(summary.organizer, userId) || summary.participants.some((p) => isUser(p, userId));
}

function nameOf(p: RecordPerson): string {
  return p.displayName ?? p.upn ?? (p.kind === 'phone' ? p.id ?? 'a phone' : 'someone');
}

export function callListItem(summary: CallRecordSummary, userId: string): CallListItem {
  const others = summary.participants.filter((p) => !isUser(p, userId));
  const connected = summary.quality.length > 0;
  return {
    id: summary.id,
    type: summary.type,
    ...(summary.start ? { start: summary.start } : {}),
    ...(summary.end ? { end: summary.end } : {}),
    ...(summary.durationSeconds !== undefined ? { durationSeconds: summary.durationSeconds } : {}),
    with: others.map(nameOf),
    ...(summary.organizer ? { organizer: nameOf(summary.organizer) } : {}),
    participantCount: summary.participants.length,
    result: connected ? 'connected' : 'not-connected',
    quality: !connected ? 'unknown' : summary.poorQuality ? 'poor' : 'good',
    ...(summary.joinWebUrl ? { joinWebUrl: summary.joinWebUrl } : {}),
  };
}

export function callDetail(summary: CallRecordSummary, userId: string, series: PersonSeries[], seriesError?: string): CallDetail {
  return {
    ...callListItem(summary, userId),
    modalities: summary.modalities,
    participants: summary.participants.map((p) => ({ key: p.key, kind: p.kind, ...(p.displayName ? { displayName: p.displayName } : {}), isYou: isUser(p, userId) })),
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
