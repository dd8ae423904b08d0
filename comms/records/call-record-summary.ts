// A call record reduced to what the chat and the tab show: who (organizer, participants), when, how long, what kind,
// which modalities, and per person the audio quality — average jitter, packet loss and round-trip time over their
// audio streams, and their worst stream, judged against the Call Quality Dashboard's poor-stream thresholds
// (jitter > 30 ms, packet loss > 10 %, round trip > 500 ms, network MOS degradation > 1.0, concealed samples > 7 %).
// A stream counts for the person who sent it; one between a person and a Teams service counts for the person.
import type { CallRecordData } from './call-record-fetch.js';
import { parseIsoDuration } from './iso-duration.js';

export interface RecordPerson {
  /** Stable key: `user:<id>`, `phone:<number>`, `guest:<id>`… */
  key: string;
  kind: string;
  id?: string;
  displayName?: string;
  tenantId?: string;
  upn?: string;
}

export interface StreamQuality {
  streamId?: string;
  direction?: string;
  label?: string;
  averageJitterMs?: number;
  maxJitterMs?: number;
  averagePacketLossRate?: number;
  maxPacketLossRate?: number;
  averageRoundTripTimeMs?: number;
  maxRoundTripTimeMs?: number;
  averageAudioDegradation?: number;
  averageRatioOfConcealedSamples?: number;
  /** Crossed at least one poor-stream threshold. */
  poor: boolean;
}

export interface ParticipantQuality {
  person: RecordPerson;
  streamCount: number;
  averageJitterMs?: number;
  averagePacketLossRate?: number;
  averageRoundTripTimeMs?: number;
  worstStream?: StreamQuality;
  poor: boolean;
}

export interface CallRecordSummary {
  id: string;
  version?: number;
  type: string;
  modalities: string[];
  start?: string;
  end?: string;
  durationSeconds?: number;
  joinWebUrl?: string;
  organizer?: RecordPerson;
  participants: RecordPerson[];
  quality: ParticipantQuality[];
  poorQuality: boolean;
  sessionCount: number;
  segmentCount: number;
  summarizedAt: string;
}

export const POOR_STREAM_THRESHOLDS = {
  jitterMs: 30,
  packetLossRate: 0.1,
  roundTripTimeMs: 500,
  audioDegradation: 1.0,
  concealedSamplesRatio: 0.07,
} as const;

const IDENTITY_KINDS = ['user', 'guest', 'acsUser', 'spoolUser', 'phone', 'applicationInstance', 'application', 'device'];

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function str(value: unknown, max = 1024): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function person(kind: string, identity: Obj, upn?: string): RecordPerson | undefined {
  const id = str(identity.id, 256);
  const displayName = str(identity.displayName, 256);
  if (!id && !displayName) return undefined;
  const out: RecordPerson = { key: `${kind}:${id ?? displayName}`, kind };
  if (id) out.id = id;
  if (displayName) out.displayName = displayName;
  const tenantId = str(identity.tenantId, 256);
  if (tenantId) out.tenantId = tenantId;
  const principal = upn ?? str(identity.userPrincipalName, 320);
  if (principal) out.upn = principal;
  return out;
}

/** identitySet → the person it names (user first). */
export function personFromIdentitySet(set: unknown): RecordPerson | undefined {
  const identities = obj(set);
  if (!identities) return undefined;
  for (const kind of IDENTITY_KINDS) {
    const identity = obj(identities[kind]);
    if (identity) {
      const p = person(kind, identity);
      if (p) return p;
    }
  }
  return undefined;
}

/** participantEndpoint → person (`associatedIdentity` in newer records, `identity` in older); serviceEndpoint → none. */
function personFromEndpoint(endpoint: unknown): RecordPerson | undefined {
  const e = obj(endpoint);
  if (!e) return undefined;
  if (typeof e['@odata.type'] === 'string' && /serviceEndpoint$/i.test(e['@odata.type'])) return undefined;
  const associated = obj(e.associatedIdentity);
  if (associated) {
    const p = person('user', associated);
    if (p) return p;
  }
  return personFromIdentitySet(e.identity);
}

function streamQuality(raw: unknown, label: string | undefined): StreamQuality | undefined {
  const s = obj(raw);
  if (!s) return undefined;
  const q: StreamQuality = { poor: false };
  const streamId = str(s.streamId, 256);
  if (streamId) q.streamId = streamId;
  const direction = str(s.streamDirection, 64);
  if (direction) q.direction = direction;
  if (label) q.label = label;
  const set = <K extends keyof StreamQuality>(key: K, value: StreamQuality[K] | undefined) => {
    if (value !== undefined) q[key] = value;
  };
  set('averageJitterMs', parseIsoDuration(s.averageJitter));
  set('maxJitterMs', parseIsoDuration(s.maxJitter));
  set('averagePacketLossRate', num(s.averagePacketLossRate));
  set('maxPacketLossRate', num(s.maxPacketLossRate));
  set('averageRoundTripTimeMs', parseIsoDuration(s.averageRoundTripTime));
  set('maxRoundTripTimeMs', parseIsoDuration(s.maxRoundTripTime));
  set('averageAudioDegradation', num(s.averageAudioDegradation));
  set('averageRatioOfConcealedSamples', num(s.averageRatioOfConcealedSamples));
  q.poor = badness(q) > 1;
  return q;
}

/** How far past the poor thresholds a stream is (1 = at a threshold). */
function badness(q: StreamQuality): number {
  const t = POOR_STREAM_THRESHOLDS;
  return Math.max(
    (q.averageJitterMs ?? 0) / t.jitterMs,
    (q.averagePacketLossRate ?? 0) / t.packetLossRate,
    (q.averageRoundTripTimeMs ?? 0) / t.roundTripTimeMs,
    (q.averageAudioDegradation ?? 0) / t.audioDegradation,
    (q.averageRatioOfConcealedSamples ?? 0) / t.concealedSamplesRatio,
  );
}

function mean(values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, b) => a + b, 0) / present.length;
}

function isAudio(label: string | undefined, stream: Obj): boolean {
  if (label) return /audio/i.test(label);
  return stream.audioCodec !== undefined || stream.averageAudioDegradation !== undefined;
}

export function summarizeCallRecord(record: CallRecordData, now: number = Date.now()): CallRecordSummary {
  const people = new Map<string, RecordPerson>();
  const add = (p: RecordPerson | undefined) => {
    if (!p) return undefined;
    const known = people.get(p.key);
    if (!known) people.set(p.key, p);
    else if (!known.displayName && p.displayName) people.set(p.key, { ...known, ...p });
    return people.get(p.key);
  };
  const organizer = personFromIdentitySet(obj(record.organizer_v2)?.identity) ?? personFromIdentitySet(record.organizer);
  add(organizer);
  for (const p of record.participants_v2 ?? []) add(personFromIdentitySet(obj(p)?.identity));
  for (const p of record.participants ?? []) add(personFromIdentitySet(p));

  const streams = new Map<string, StreamQuality[]>();
  let segmentCount = 0;
  for (const session of record.sessions) {
    const sessionCaller = add(personFromEndpoint(session.caller));
    const sessionCallee = add(personFromEndpoint(session.callee));
    for (const segment of session.segments ?? []) {
      segmentCount += 1;
      const caller = add(personFromEndpoint(segment.caller)) ?? sessionCaller;
      const callee = add(personFromEndpoint(segment.callee)) ?? sessionCallee;
      for (const media of Array.isArray(segment.media) ? segment.media : []) {
        const m = obj(media);
        if (!m) continue;
        const label = str(m.label, 128);
        for (const raw of Array.isArray(m.streams) ? m.streams : []) {
          const s = obj(raw);
          if (!s || !isAudio(label, s)) continue;
          const quality = streamQuality(s, label);
          if (!quality) continue;
          const sender = quality.direction === 'calleeToCaller' ? callee : caller;
          const receiver = quality.direction === 'calleeToCaller' ? caller : callee;
          const owner = sender ?? receiver;
          if (!owner) continue;
          const list = streams.get(owner.key) ?? [];
          list.push(quality);
          streams.set(owner.key, list);
        }
      }
    }
  }

  const quality: ParticipantQuality[] = [];
  for (const [key, list] of streams) {
    let worst: StreamQuality | undefined;
    for (const s of list) if (!worst || badness(s) > badness(worst)) worst = s;
    const pq: ParticipantQuality = { person: people.get(key)!, streamCount: list.length, poor: list.some((s) => s.poor) };
    const jitter = mean(list.map((s) => s.averageJitterMs));
    const loss = mean(list.map((s) => s.averagePacketLossRate));
    const rtt = mean(list.map((s) => s.averageRoundTripTimeMs));
    if (jitter !== undefined) pq.averageJitterMs = round(jitter);
    if (loss !== undefined) pq.averagePacketLossRate = round(loss, 4);
    if (rtt !== undefined) pq.averageRoundTripTimeMs = round(rtt);
    if (worst) pq.worstStream = worst;
    quality.push(pq);
  }
  quality.sort((a, b) => Number(b.poor) - Number(a.poor) || (a.person.displayName ?? a.person.key).localeCompare(b.person.displayName ?? b.person.key));

  const start = str(record.startDateTime, 64);
  const end = str(record.endDateTime, 64);
  const summary: CallRecordSummary = {
    id: record.id,
    type: str(record.type, 64) ?? 'unknown',
    modalities: [...new Set([...(record.modalities ?? []), ...record.sessions.flatMap((s) => s.modalities ?? [])])],
    participants: [...people.values()],
    quality,
    poorQuality: quality.some((q) => q.poor),
    sessionCount: record.sessions.length,
    segmentCount,
    summarizedAt: new Date(now).toISOString(),
  };
  if (typeof record.version === 'number') summary.version = record.version;
  if (start) summary.start = start;
  if (end) summary.end = end;
  if (start && end) {
    const seconds = (Date.parse(end) - Date.parse(start)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) summary.durationSeconds = Math.round(seconds);
  }
  const joinWebUrl = str(record.joinWebUrl, 4096);
  if (joinWebUrl) summary.joinWebUrl = joinWebUrl;
  if (organizer) summary.organizer = people.get(organizer.key) ?? organizer;
  return summary;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
