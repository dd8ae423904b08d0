// Parses a calling-webhook `commsNotifications` batch into normalized notifications, tolerating every documented
// variation (changeType/status case, string result codes, `subCode`, legacy `resource`, object or array resourceData).
import { z } from 'zod';
import { CallError } from './call-error.js';
import {
  callStateSchema,
  contentSharingSessionSchema,
  directionSchema,
  GRAPH_ID_PATTERN,
  operationBodySchema,
  parseParticipants,
  participantSchema,
  resultInfoSchema,
  toCommsOperation,
  toneInfoSchema,
  intLike,
  type CallDirection,
  type CallState,
  type ChatInfo,
  type CommsOperation,
  type ContentSharingSession,
  type InvitationParticipantInfo,
  type Participant,
  type ParticipantInfo,
  type ResultInfo,
  type ToneInfo,
} from './graph-shapes.js';

export type ChangeType = 'created' | 'updated' | 'deleted';

/** The partial call a call notification carries. Only what was present is set. */
export interface CallData {
  state?: CallState;
  direction?: CallDirection;
  resultInfo?: ResultInfo;
  toneInfo?: ToneInfo;
  mediaState?: { audio?: string; [key: string]: unknown };
  chatInfo?: ChatInfo;
  meetingInfo?: Record<string, unknown>;
  source?: ParticipantInfo;
  targets?: InvitationParticipantInfo[];
  myParticipantId?: string;
  callChainId?: string;
  terminationReason?: string;
  incomingContext?: Record<string, unknown>;
  requestedModalities?: string[];
  subject?: string;
  tenantId?: string;
}

export type CallNotification =
  | { kind: 'call'; callId: string; changeType: ChangeType; call: CallData }
  | { kind: 'participants'; callId: string; changeType: ChangeType; participants: Participant[]; sequenceNumber?: number; delta: boolean }
  | { kind: 'operation'; callId: string; operationId: string; changeType: ChangeType; operation: CommsOperation }
  /**
   * `…/contentsharingsessions[/{id}]` (application-post-calls Example 1): created = sharing started, updated, deleted =
   * ended. Sent only to calls created or answered with callOptions.isContentSharingNotificationEnabled. `sessions` is
   * resourceData's array (the documented form); an object or the id in the URL are accepted too; app-hosted media
   * may send none.
   */
  | { kind: 'contentSharing'; callId: string; changeType: ChangeType; sessions: ContentSharingSession[] }
  | { kind: 'other'; resourceUrl: string; changeType: ChangeType; callId?: string };

/** A roster notification (full or delta). */
export type RosterNotification = Extract<CallNotification, { kind: 'participants' }>;

export const MAX_NOTIFICATIONS_PER_BATCH = 1_000;
const MAX_PARTICIPANTS = 20_000;
const MAX_SHARING_SESSIONS = 100;

const changeTypeSchema = z
  .string()
  .max(32)
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['created', 'updated', 'deleted']));

const looseObject = z.record(z.string(), z.unknown());

const notificationSchema = z
  .object({
    '@odata.type': z.string().max(200).optional(),
    changeType: changeTypeSchema,
    resourceUrl: z.string().max(2048).nullish(),
    resource: z.string().max(2048).nullish(),
    callbackUri: z.string().max(2048).nullish(),
    resourceData: z.union([looseObject, z.array(z.unknown()).max(MAX_PARTICIPANTS)]).nullish(),
  })
  .loose()
  .refine((n) => Boolean(n.resourceUrl || n.resource), { message: 'resourceUrl (or legacy resource) is required', path: ['resourceUrl'] });

const batchSchema = z.object({ value: z.array(z.unknown()).max(MAX_NOTIFICATIONS_PER_BATCH) }).loose();

const callDataSchema = z
  .object({
    state: callStateSchema.nullish(),
    direction: directionSchema.nullish(),
    resultInfo: resultInfoSchema.nullish(),
    toneInfo: toneInfoSchema.nullish(),
    mediaState: looseObject.nullish(),
    chatInfo: looseObject.nullish(),
    meetingInfo: looseObject.nullish(),
    source: looseObject.nullish(),
    targets: z.array(looseObject).max(100).nullish(),
    myParticipantId: z.string().max(256).nullish(),
    callChainId: z.string().max(256).nullish(),
    terminationReason: z.string().max(256).nullish(),
    incomingContext: looseObject.nullish(),
    requestedModalities: z.array(z.string().max(64)).max(16).nullish(),
    subject: z.string().max(1024).nullish(),
    tenantId: z.string().max(256).nullish(),
  })
  .loose();

const deltaParticipantsSchema = z
  .object({
    sequenceNumber: intLike.nullish(),
    participants: z.array(participantSchema).max(MAX_PARTICIPANTS),
  })
  .loose();

type ResourceRef =
  | { kind: 'call'; callId: string }
  | { kind: 'participants'; callId: string }
  | { kind: 'operation'; callId: string; operationId: string }
  | { kind: 'contentSharing'; callId: string; sessionId?: string }
  | { kind: 'other'; callId?: string };

/**
 * `/communications/calls/{id}[/participants|/operations/{opId}|/contentsharingsessions…]`, with or without the leading
 * slash, also as the legacy `/app/calls/…`, a version prefix (`v1.0/`, `beta/`) or an absolute Graph URL.
 */
export function parseResourceUrl(resourceUrl: string): ResourceRef {
  let path = resourceUrl.trim();
  const absolute = /^https?:\/\/[^/]+(\/.*)?$/i.exec(path);
  if (absolute) path = absolute[1] ?? '';
  path = path.split(/[?#]/)[0]!.replace(/^\/+/, '').replace(/\/+$/, '');
  path = path.replace(/^(v1\.0|beta)\//i, '');
  const parts = path.split('/');
  const [root, calls, callId, sub, subId, ...rest] = parts;
  const isCalls = (root?.toLowerCase() === 'communications' || root?.toLowerCase() === 'app') && calls?.toLowerCase() === 'calls';
  if (!isCalls || !callId || !GRAPH_ID_PATTERN.test(callId)) return { kind: 'other' };
  if (sub === undefined) return { kind: 'call', callId };
  const subLower = sub.toLowerCase();
  if (subLower === 'participants' && subId === undefined) return { kind: 'participants', callId };
  if (subLower === 'operations' && subId !== undefined && rest.length === 0 && GRAPH_ID_PATTERN.test(subId)) {
    return { kind: 'operation', callId, operationId: subId };
  }
  if (subLower === 'contentsharingsessions' && rest.length === 0) {
    if (subId === undefined) return { kind: 'contentSharing', callId };
    if (GRAPH_ID_PATTERN.test(subId)) return { kind: 'contentSharing', callId, sessionId: subId };
  }
  return { kind: 'other', callId };
}

function issuesText(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`)
    .join('; ');
}

function invalid(detail: string): CallError {
  return new CallError('calls/invalid-notification', `The calling notification batch is not valid: ${detail}`, { detail });
}

function withoutNulls<T extends Record<string, unknown>>(obj: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (value !== null && value !== undefined) out[key] = value;
  return out as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

const CALL_DATA_KEYS = [
  'state', 'direction', 'resultInfo', 'toneInfo', 'mediaState', 'chatInfo', 'meetingInfo', 'source', 'targets',
  'myParticipantId', 'callChainId', 'terminationReason', 'incomingContext', 'requestedModalities', 'subject', 'tenantId',
] as const;

function normalizeOne(raw: unknown, index: number): CallNotification {
  const prefix = `value.${index}`;
  const parsed = notificationSchema.safeParse(raw);
  if (!parsed.success) throw invalid(issuesText(parsed.error, prefix));
  const item = parsed.data;
  const resourceUrl = (item.resourceUrl || item.resource) as string;
  const ref = parseResourceUrl(resourceUrl);
  const changeType = item.changeType;
  const data = item.resourceData ?? undefined;

  switch (ref.kind) {
    case 'call': {
      if (Array.isArray(data)) throw invalid(`${prefix}.resourceData: a call notification carries an object, not an array`);
      const res = callDataSchema.safeParse(data ?? {});
      if (!res.success) throw invalid(issuesText(res.error, `${prefix}.resourceData`));
      const picked: Record<string, unknown> = {};
      for (const key of CALL_DATA_KEYS) picked[key] = res.data[key];
      const call = withoutNulls(picked) as CallData;
      // A deleted call resource is an ended call, even when only @odata.type/@odata.id came along (after reject).
      if (changeType === 'deleted' && call.state === undefined) call.state = 'terminated';
      return { kind: 'call', callId: ref.callId, changeType, call };
    }
    case 'participants': {
      if (Array.isArray(data)) {
        const res = parseParticipants(data);
        if (!res.success) throw invalid(issuesText(res.error, `${prefix}.resourceData`));
        return { kind: 'participants', callId: ref.callId, changeType, participants: res.data, delta: false };
      }
      // deltaParticipants (delta roster): { sequenceNumber, participants: [...] }
      const res = deltaParticipantsSchema.safeParse(data ?? {});
      if (!res.success) throw invalid(issuesText(res.error, `${prefix}.resourceData`));
      const out: CallNotification = { kind: 'participants', callId: ref.callId, changeType, participants: res.data.participants, delta: true };
      if (res.data.sequenceNumber != null) out.sequenceNumber = res.data.sequenceNumber;
      return out;
    }
    case 'operation': {
      if (Array.isArray(data)) throw invalid(`${prefix}.resourceData: an operation notification carries an object, not an array`);
      const res = operationBodySchema.safeParse(data ?? {});
      if (!res.success) throw invalid(issuesText(res.error, `${prefix}.resourceData`));
      return { kind: 'operation', callId: ref.callId, operationId: ref.operationId, changeType, operation: toCommsOperation(res.data, ref.operationId) };
    }
    case 'contentSharing': {
      const items = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const res = z.array(contentSharingSessionSchema).max(MAX_SHARING_SESSIONS).safeParse(items);
      if (!res.success) throw invalid(issuesText(res.error, `${prefix}.resourceData`));
      const sessions = res.data;
      if (sessions.length === 0 && ref.sessionId) sessions.push({ id: ref.sessionId });
      return { kind: 'contentSharing', callId: ref.callId, changeType, sessions };
    }
    default: {
      const out: CallNotification = { kind: 'other', resourceUrl, changeType };
      if (ref.callId) out.callId = ref.callId;
      return out;
    }
  }
}

/** Throws CallError('calls/invalid-notification') with the issues in `detail` (the route answers 400 with it). */
export function parseNotificationBatch(body: unknown): CallNotification[] {
  const batch = batchSchema.safeParse(body);
  if (!batch.success) throw invalid(issuesText(batch.error, ''));
  return batch.data.value.map((raw, index) => normalizeOne(raw, index));
}

/**
 * The legacy (Skype calling) format a first incoming-call POST may use: answer 204 to have it re-sent as Graph.
 * Its bodies are single objects with an `id` and `callState`/`conversationResult`/`links`/`operationOutcome`, never
 * a `value` array.
 */
export function isLegacyNotification(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const obj = body as Record<string, unknown>;
  if ('value' in obj) return false;
  if (typeof obj.id !== 'string' || obj.id.length === 0) return false;
  return ['callState', 'conversationResult', 'links', 'operationOutcome'].some((key) => key in obj);
}

/** A call resource as Graph answers it (create, GET): the same normalization as a call notification's resourceData. */
// Built once: extending the schema on every call cost zod a compile each time (restart re-reads every live call).
const callResourceSchema = callDataSchema.extend({ id: z.string().max(256).nullish() });

export function parseCallResource(body: unknown): CallData & { id?: string } {
  const res = callResourceSchema.safeParse(body ?? {});
  if (!res.success) {
    throw new CallError('calls/invalid-response', `Graph answered with a call that is not valid: ${issuesText(res.error, '')}`);
  }
  const picked: Record<string, unknown> = { id: res.data.id };
  for (const key of CALL_DATA_KEYS) picked[key] = res.data[key];
  return withoutNulls(picked) as CallData & { id?: string };
}
