// The Graph cloud-communications wire shapes comms/calls reads and writes (call, participant, operation,
// resultInfo, toneInfo, contentSharingSession), with zod schemas that accept the documented variations and normalize them.
import { z } from 'zod';
import type { CallIdentity, CallIdentitySet, CallInvitationParticipantInfo, CallParticipantInfo, Graph, WireOperationStatus, WireParticipant, WireRecordOperation } from '../../graph-models/index.js';

export const CALL_STATES = [
  'incoming',
  'establishing',
  'ringing',
  'established',
  'hold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'terminating',
  'terminated',
  'unknownFutureValue',
] as const satisfies ReadonlyArray<Graph.CallState | 'ringing'>; // ringing: beta's callState (resources/call.md, beta)
export type CallState = (typeof CALL_STATES)[number];

export const OPERATION_STATUSES = ['notStarted', 'running', 'completed', 'failed'] as const satisfies readonly WireOperationStatus[];
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const TONES = [
  'tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9',
  'star', 'pound', 'a', 'b', 'c', 'd', 'flash',
] as const satisfies readonly Graph.Tone[];
export type Tone = (typeof TONES)[number];

export type Modality = Exclude<Graph.Modality, 'unknownFutureValue'>;
export type CallDirection = Graph.CallDirection;

// Each shape below is the normalized form of Microsoft's model (graph-models/): `extends` makes the compiler check
// that every field kept here has the model's name and a type the model allows.
export interface ResultInfo extends Graph.ResultInfo {
  code: number;
  subcode?: number;
  message?: string;
}

/** toneInfo, normalized: a tone the models do not list yet is kept as its text. */
export interface ToneInfo extends Omit<Graph.ToneInfo, 'tone'> {
  sequenceId: number;
  tone: string;
}

// identitySet, participantInfo and invitationParticipantInfo are the models' (graph-models/), with the documented
// extensions there (tenantId on identities, phone and applicationInstance, an incoming target's extra fields).
export type Identity = CallIdentity;
export type IdentitySet = CallIdentitySet;
export type ParticipantInfo = CallParticipantInfo;
export type InvitationParticipantInfo = CallInvitationParticipantInfo;

/**
 * participant, normalized: the model's fields with their nulls dropped (graph-models' WireParticipant), and what else
 * Graph sends kept as it came. mediaStreams, recordingInfo and removedState are not checked inside by the schema below,
 * so they stay `unknown` and their readers check what they use.
 */
export interface Participant extends Omit<WireParticipant, 'mediaStreams' | 'recordingInfo' | 'removedState'> {
  id: string | null;
  mediaStreams?: unknown[];
  recordingInfo?: unknown;
  removedState?: unknown;
  isMuted?: boolean;
  isInLobby?: boolean;
  rosterSequenceNumber?: number;
  [key: string]: unknown;
}

export interface ChatInfo extends Graph.ChatInfo {
  threadId?: string;
  messageId?: string;
  replyChainMessageId?: string | null;
  [key: string]: unknown;
}

/** A commsOperation (and its record / sendDtmfTones subtypes) as answered by an action or reported on the callback, normalized. */
export interface CommsOperation extends Omit<WireRecordOperation, '@odata.type'> {
  id: string;
  /** From `@odata.type`, e.g. `playPromptOperation`; `commsOperation` when absent. */
  type: string;
  status: OperationStatus;
  clientContext?: string;
  resultInfo?: ResultInfo;
  recordingLocation?: string;
  recordingAccessToken?: string;
  completionReason?: string;
}

// ---- zod pieces -----------------------------------------------------------------------------------------------

/** Int32 sent as a number or as a numeric string (the call-delete example prints `"200"`). */
export const intLike = z.union([
  z.number().int(),
  z.string().regex(/^-?\d{1,10}$/).transform((s) => Number(s)),
]);

export const resultInfoSchema = z
  .object({
    code: intLike.nullish(),
    subcode: intLike.nullish(),
    subCode: intLike.nullish(),
    message: z.string().nullish(),
  })
  .loose()
  .transform((r): ResultInfo | undefined => {
    if (r.code === null || r.code === undefined) return undefined;
    const out: ResultInfo = { code: r.code };
    const subcode = r.subcode ?? r.subCode;
    if (subcode !== null && subcode !== undefined) out.subcode = subcode;
    if (r.message !== null && r.message !== undefined) out.message = r.message;
    return out;
  });

export const toneInfoSchema = z
  .object({ sequenceId: intLike, tone: z.string().min(1).max(32) })
  .loose()
  .transform((t): ToneInfo => ({ sequenceId: t.sequenceId, tone: t.tone }));

const CALL_STATE_BY_LOWER = new Map<string, CallState>(CALL_STATES.map((s) => [s.toLowerCase(), s]));
export const callStateSchema = z.string().max(64).transform((s): CallState => CALL_STATE_BY_LOWER.get(s.toLowerCase()) ?? 'unknownFutureValue');

const STATUS_BY_LOWER = new Map<string, OperationStatus>(OPERATION_STATUSES.map((s) => [s.toLowerCase(), s]));
export const operationStatusSchema = z
  .string()
  .max(32)
  .refine((s) => STATUS_BY_LOWER.has(s.toLowerCase()), { message: 'unknown operation status' })
  .transform((s) => STATUS_BY_LOWER.get(s.toLowerCase()) as OperationStatus);

export const directionSchema = z
  .string()
  .max(16)
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['incoming', 'outgoing']));

const looseObject = z.record(z.string(), z.unknown());

export const participantSchema = z
  .object({
    id: z.string().max(256).nullish(),
    info: looseObject.nullish(),
    isMuted: z.boolean().nullish(),
    isInLobby: z.boolean().nullish(),
    mediaStreams: z.array(z.unknown()).nullish(),
    rosterSequenceNumber: intLike.nullish(),
    removedState: z.unknown().optional(),
  })
  .loose()
  .transform((p): Participant => {
    const out: Participant = { ...(p as Record<string, unknown>), id: p.id ?? null };
    delete out['@odata.type'];
    if (p.info === null) delete out.info;
    for (const key of ['isMuted', 'isInLobby', 'mediaStreams', 'rosterSequenceNumber'] as const) {
      if (p[key] === null) delete out[key];
    }
    if (p.rosterSequenceNumber !== null && p.rosterSequenceNumber !== undefined) out.rosterSequenceNumber = p.rosterSequenceNumber;
    return out;
  });

const PARTICIPANT_NULLABLE = new Set(['info', 'isMuted', 'isInLobby', 'mediaStreams', 'rosterSequenceNumber']);
const SEQUENCE_TEXT = /^-?\d{1,10}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * participantSchema's answer for a participant that is plainly valid, built directly (a 10,000-person roster
 * notification goes through this for every person); undefined when in any doubt, and zod decides (and explains).
 */
function plainParticipant(raw: unknown): Participant | undefined {
  if (!isPlainRecord(raw) || Object.hasOwn(raw, '__proto__')) return undefined;
  const { id, info, isMuted, isInLobby, mediaStreams, rosterSequenceNumber } = raw;
  if (!(id == null || (typeof id === 'string' && id.length <= 256))) return undefined;
  if (!(info == null || (isPlainRecord(info) && !Object.hasOwn(info, '__proto__')))) return undefined;
  if (!(isMuted == null || typeof isMuted === 'boolean')) return undefined;
  if (!(isInLobby == null || typeof isInLobby === 'boolean')) return undefined;
  if (!(mediaStreams == null || Array.isArray(mediaStreams))) return undefined;
  let sequence: number | undefined;
  if (typeof rosterSequenceNumber === 'number') {
    if (!Number.isSafeInteger(rosterSequenceNumber)) return undefined;
    sequence = rosterSequenceNumber;
  } else if (typeof rosterSequenceNumber === 'string') {
    if (!SEQUENCE_TEXT.test(rosterSequenceNumber)) return undefined;
    sequence = Number(rosterSequenceNumber);
  } else if (rosterSequenceNumber != null) {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key === '@odata.type') continue;
    const value = raw[key];
    if (value === null && PARTICIPANT_NULLABLE.has(key)) continue;
    out[key] = value;
  }
  out.id = id ?? null;
  if (info) out.info = { ...info };
  if (mediaStreams) out.mediaStreams = [...mediaStreams];
  if (sequence !== undefined) out.rosterSequenceNumber = sequence;
  return out as Participant;
}

/** A roster's participants: the plainly valid ones directly, the rest (and any error) through participantSchema. */
export function parseParticipants(data: unknown[]): { success: true; data: Participant[] } | { success: false; error: z.ZodError } {
  const out: Participant[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const plain = plainParticipant(data[i]);
    if (plain) {
      out[i] = plain;
      continue;
    }
    // zod reports the issue at the participant's index, as the array schema would.
    const res = z.array(participantSchema).safeParse(data.slice(i));
    if (!res.success) return { success: false, error: reindexed(res.error, i) };
    for (let j = 0; j < res.data.length; j++) out[i + j] = res.data[j]!;
    return { success: true, data: out };
  }
  return { success: true, data: out };
}

function reindexed(error: z.ZodError, offset: number): z.ZodError {
  if (offset === 0) return error;
  return new z.ZodError(error.issues.map((issue) => (typeof issue.path[0] === 'number' ? { ...issue, path: [issue.path[0] + offset, ...issue.path.slice(1)] } : issue)));
}

/** `#microsoft.graph.playPromptOperation` → `playPromptOperation`. */
export function typeFromOdata(odataType: unknown, fallback: string): string {
  if (typeof odataType !== 'string') return fallback;
  const name = odataType.replace(/^#?microsoft\.graph\./i, '').replace(/^#/, '');
  return /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name) ? name : fallback;
}

/** A commsOperation body (action response or notification resourceData); `id` may come from the URL instead. */
export const operationBodySchema = z
  .object({
    '@odata.type': z.string().max(200).optional(),
    id: z.string().max(256).nullish(),
    status: operationStatusSchema.nullish(),
    clientContext: z.string().max(4096).nullish(),
    resultInfo: resultInfoSchema.nullish(),
    recordingLocation: z.string().max(4096).nullish(),
    recordingAccessToken: z.string().max(16384).nullish(),
    completionReason: z.string().max(64).nullish(),
  })
  .loose();

export function toCommsOperation(body: z.infer<typeof operationBodySchema>, id: string): CommsOperation {
  const op: CommsOperation = {
    id,
    type: typeFromOdata(body['@odata.type'], 'commsOperation'),
    // Graph documents `null` status as "not finished yet": the final state comes by notification.
    status: body.status ?? 'running',
  };
  if (body.clientContext != null) op.clientContext = body.clientContext;
  if (body.resultInfo != null) op.resultInfo = body.resultInfo;
  if (body.recordingLocation != null) op.recordingLocation = body.recordingLocation;
  if (body.recordingAccessToken != null) op.recordingAccessToken = body.recordingAccessToken;
  if (body.completionReason != null) op.completionReason = body.completionReason;
  return op;
}

/**
 * contentSharingSession (resources/contentsharingsession): v1.0 has only `id`; beta adds `presenterParticipantId` and
 * `pngOfCurrentSlide` — kept when present, never relied on.
 */
export interface ContentSharingSession extends Graph.ContentSharingSession {
  id: string;
  presenterParticipantId?: string;
}

export const contentSharingSessionSchema = z
  .object({
    '@odata.type': z.string().max(200).optional(),
    id: z.string().min(1).max(256),
    presenterParticipantId: z.string().max(256).nullish(),
  })
  .loose()
  .transform((s): ContentSharingSession => ({ id: s.id, ...(s.presenterParticipantId ? { presenterParticipantId: s.presenterParticipantId } : {}) }));

/** Graph ids we put into URL paths: no slashes, no dot segments, nothing to escape. */
export const GRAPH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;
