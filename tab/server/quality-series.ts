// Audio quality over time for the personal tab's charts: for each person in a call record, each of their audio
// streams (what they sent, what they received) as a series with one point per segment — the segment's span and its
// average and maximum jitter, packet loss and round-trip time. Graph reports quality per segment, not per second, so
// a point covers its segment's whole span (the chart draws it as a step).
// Attribution follows comms/records' summary: a stream belongs to the endpoint that sent it; service endpoints
// (the conference, the bot) are nobody.
import { parseIsoDuration, personFromIdentitySet, type CallRecordData, type RecordPerson } from '../../comms/records/index.js';

export interface QualityPoint {
  start: string;
  end: string;
  jitterMs?: number;
  maxJitterMs?: number;
  packetLossPercent?: number;
  maxPacketLossPercent?: number;
  roundTripMs?: number;
  maxRoundTripMs?: number;
}

export interface StreamSeries {
  /** sent: from this person; received: to this person. */
  direction: 'sent' | 'received';
  label: string;
  points: QualityPoint[];
}

export interface PersonSeries {
  person: Pick<RecordPerson, 'key' | 'displayName' | 'id'>;
  streams: StreamSeries[];
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function time(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 64 && Number.isFinite(Date.parse(value)) ? value : undefined;
}

function personOf(endpoint: unknown): RecordPerson | undefined {
  const e = obj(endpoint);
  if (!e) return undefined;
  if (typeof e['@odata.type'] === 'string' && /serviceEndpoint$/i.test(e['@odata.type'])) return undefined;
  const associated = obj(e.associatedIdentity);
  if (associated) {
    const p = personFromIdentitySet({ user: associated });
    if (p) return p;
  }
  return personFromIdentitySet(e.identity);
}

function percent(rate: number | undefined): number | undefined {
  return rate === undefined ? undefined : Math.round(rate * 10_000) / 100;
}

function point(stream: Obj, start: string, end: string): QualityPoint | undefined {
  const p: QualityPoint = { start, end };
  const set = <K extends keyof QualityPoint>(key: K, value: QualityPoint[K] | undefined) => {
    if (value !== undefined) p[key] = value;
  };
  set('jitterMs', parseIsoDuration(stream.averageJitter));
  set('maxJitterMs', parseIsoDuration(stream.maxJitter));
  set('packetLossPercent', percent(num(stream.averagePacketLossRate)));
  set('maxPacketLossPercent', percent(num(stream.maxPacketLossRate)));
  set('roundTripMs', parseIsoDuration(stream.averageRoundTripTime));
  set('maxRoundTripMs', parseIsoDuration(stream.maxRoundTripTime));
  return p.jitterMs === undefined && p.packetLossPercent === undefined && p.roundTripMs === undefined ? undefined : p;
}

function isAudio(label: string | undefined, stream: Obj): boolean {
  if (label) return /audio/i.test(label);
  return stream.audioCodec !== undefined || stream.averageAudioDegradation !== undefined;
}

export function qualitySeries(record: CallRecordData): PersonSeries[] {
  const people = new Map<string, { person: RecordPerson; streams: Map<string, StreamSeries> }>();
  const add = (person: RecordPerson | undefined, direction: StreamSeries['direction'], label: string, p: QualityPoint) => {
    if (!person) return;
    let entry = people.get(person.key);
    if (!entry) people.set(person.key, (entry = { person, streams: new Map() }));
    if (!entry.person.displayName && person.displayName) entry.person = person;
    const key = `${direction}\u0000${label}`;
    let series = entry.streams.get(key);
    if (!series) entry.streams.set(key, (series = { direction, label, points: [] }));
    series.points.push(p);
  };
  for (const session of record.sessions) {
    for (const rawSegment of session.segments ?? []) {
      const segment = obj(rawSegment);
      if (!segment) continue;
      const start = time(segment.startDateTime) ?? time(session.startDateTime);
      const end = time(segment.endDateTime) ?? time(session.endDateTime);
      if (!start || !end) continue;
      const caller = personOf(segment.caller) ?? personOf(session.caller);
      const callee = personOf(segment.callee) ?? personOf(session.callee);
      for (const rawMedia of Array.isArray(segment.media) ? segment.media : []) {
        const media = obj(rawMedia);
        if (!media) continue;
        const label = typeof media.label === 'string' && media.label.length <= 128 ? media.label : 'audio';
        for (const rawStream of Array.isArray(media.streams) ? media.streams : []) {
          const stream = obj(rawStream);
          if (!stream || !isAudio(label, stream)) continue;
          const p = point(stream, start, end);
          if (!p) continue;
          const reverse = stream.streamDirection === 'calleeToCaller';
          add(reverse ? callee : caller, 'sent', label, p);
          add(reverse ? caller : callee, 'received', label, p);
        }
      }
    }
  }
  return [...people.values()]
    .map(({ person, streams }) => ({
      person: { key: person.key, ...(person.id ? { id: person.id } : {}), ...(person.displayName ? { displayName: person.displayName } : {}) },
      streams: [...streams.values()]
        .map((s) => ({ ...s, points: s.points.sort((a, b) => a.start.localeCompare(b.start)) }))
        .sort((a, b) => a.direction.localeCompare(b.direction) || a.label.localeCompare(b.label)),
    }))
    .sort((a, b) => (a.person.displayName ?? a.person.key).localeCompare(b.person.displayName ?? b.person.key));
}
