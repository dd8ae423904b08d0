// Realistic calling-webhook batches for the load figures, in the shapes Graph documents (commsNotifications with one
// commsNotification each): a call-state update, a tone, and a full 1,000-participant roster. Each is a template whose
// `__SEQ__` (and `__MUTED__`) markers make every request unique (a new etag, tone sequence id or roster sequence
// number), so the app's idempotency check never short-cuts the work.
import { LOCAL_APP } from '../../server/config.js';

export const SEQ = '__SEQ__';
export const MUTED = '__MUTED__';

/** A stable GUID-shaped id from a label and a number. */
export function benchId(label: number, n: number): string {
  const hex = (label * 1_000_003 + n).toString(16).padStart(12, '0').slice(-12);
  return `b3c4${hex.slice(0, 4)}-0000-4000-8000-${hex}`;
}

export interface SeededCall {
  id: string;
  kind: 'peerToPeer' | 'meeting';
}

export const STATE_CALL: SeededCall = { id: benchId(1, 1), kind: 'peerToPeer' };
export const TONE_CALL: SeededCall = { id: benchId(1, 2), kind: 'peerToPeer' };
export const ROSTER_CALL: SeededCall = { id: benchId(1, 3), kind: 'meeting' };
export const CHAIN_ID = benchId(2, 1);

function user(n: number): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.identitySet',
    user: { '@odata.type': '#microsoft.graph.identity', id: benchId(3, n), displayName: `Attendee ${String(n).padStart(4, '0')}`, tenantId: LOCAL_APP.tenantId },
  };
}

/** One meeting participant as Graph prints it (participant resource). */
export function participant(n: number, sequence: number | string, muted: boolean | string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id: benchId(4, n),
    info: { '@odata.type': '#microsoft.graph.participantInfo', identity: user(n), endpointType: 'default', languageId: 'en-US', region: 'euno' },
    mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', label: 'main-audio', sourceId: String(n + 1), direction: 'sendReceive', serverMuted: false }],
    isMuted: muted,
    isInLobby: false,
    rosterSequenceNumber: sequence,
  };
}

function envelope(notification: Record<string, unknown>): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', ...notification }] };
}

/** Marks become raw JSON: `"__SEQ__"` → `__SEQ__` so the marker can stand for a number or a boolean. */
function template(batch: Record<string, unknown>): string {
  return JSON.stringify(batch).replaceAll(`"${SEQ}"`, SEQ).replaceAll(`"${MUTED}"`, MUTED);
}

export function callStateTemplate(callId = STATE_CALL.id): string {
  return template(
    envelope({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        '@odata.id': `/communications/calls/${callId}`,
        '@odata.etag': `W/"${SEQ}"`,
        state: 'established',
        callChainId: CHAIN_ID,
        mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio: 'active' },
        resultInfo: null,
      },
    }),
  );
}

export function toneTemplate(callId = TONE_CALL.id): string {
  return template(
    envelope({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        '@odata.id': `/communications/calls/${callId}`,
        state: 'established',
        toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: SEQ, tone: 'tone1' },
      },
    }),
  );
}

/** A full roster of `size` people (plus the bot); participant 0 changes (mute toggles, sequence number rises) each time. */
export function rosterTemplate(size = 1000, callId = ROSTER_CALL.id): string {
  const people = [participant(0, SEQ, MUTED)];
  for (let n = 1; n < size; n++) people.push(participant(n, 1, n % 5 === 0));
  return template(envelope({ changeType: 'updated', resourceUrl: `/communications/calls/${callId}/participants`, resourceData: people }));
}

/** Fills a template's markers (numbers start at 2: above every seeded sequence number). */
export function fill(text: string, seq: number): string {
  return text.replaceAll(SEQ, String(seq)).replaceAll(MUTED, seq % 2 === 0 ? 'true' : 'false');
}

/** The stored call sessions the templates refer to (the app applies notifications only to calls it knows). */
export function seededSessions(now = new Date().toISOString()): Array<Record<string, unknown>> {
  const base = { state: 'established', createdAt: now, updatedAt: now, tenantId: LOCAL_APP.tenantId, participants: [], toneHistory: [], context: {}, callChainId: CHAIN_ID };
  return [
    { ...base, id: STATE_CALL.id, direction: 'incoming', purpose: 'bench' },
    { ...base, id: TONE_CALL.id, direction: 'incoming', purpose: 'bench' },
    { ...base, id: ROSTER_CALL.id, direction: 'outgoing', purpose: 'bench', chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_YmVuY2g@thread.v2', messageId: '0' } },
  ];
}
