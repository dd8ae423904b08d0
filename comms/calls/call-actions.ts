// Call-level Graph operations: create (peer-to-peer, group, join a meeting), get, hang up, answer, reject,
// redirect, transfer, keepAlive, changeScreenSharingRole. Thin: plain values in, typed results out.
import type {
  AnswerRequest,
  ChangeScreenSharingRoleRequest,
  CreateCallRequest,
  RedirectRequest,
  RejectRequest,
  TransferRequest,
  WireMediaConfig,
  WireMediaInfo,
} from '../../graph-models/index.js';
import type { GraphClient } from '../graph/index.js';
import { callPath, checkClientContext, checkCount, checkHttpsUrl, checkId, checkInt, checkText, invalidArgument } from './action-arguments.js';
import { CallError } from './call-error.js';
import { toIdentitySet, toInvitation, toParticipantInfo, type CallTarget } from './call-targets.js';
import type { Modality } from './graph-shapes.js';
import { parseCallResource, type CallData } from './notification-schema.js';

export interface MediaInfoInput {
  uri: string;
  resourceId?: string;
}

export type GraphCall = CallData & { id: string; callbackUri?: string };

export interface CreateCallCommon {
  callbackUri: string;
  /** The bot's identity (`application`) or its PSTN resource account (`applicationInstance`). */
  source?: CallTarget;
  subject?: string;
  tenantId?: string;
  requestedModalities?: Modality[];
  /** Prompts Graph should fetch ahead of time (serviceHostedMediaConfig.preFetchMedia). */
  preFetchMedia?: MediaInfoInput[];
}

export type MeetingToJoin =
  | {
      kind: 'organizer';
      organizerId: string;
      organizerDisplayName?: string;
      tenantId: string;
      threadId: string;
      messageId?: string;
      replyChainMessageId?: string;
      allowConversationWithoutHost?: boolean;
    }
  | { kind: 'joinMeetingId'; joinMeetingId: string; passcode?: string; tenantId: string };

const MODALITIES: Modality[] = ['audio', 'video', 'videoBasedScreenSharing', 'data'];

export function mediaInfo(input: MediaInfoInput, what = 'prompt uri'): WireMediaInfo {
  if (!input || typeof input !== 'object') throw invalidArgument(`${what} must be an object with a uri`);
  const info: WireMediaInfo = { '@odata.type': '#microsoft.graph.mediaInfo', uri: checkHttpsUrl(input.uri, what) };
  if (input.resourceId !== undefined) info.resourceId = checkText(input.resourceId, 'resourceId', 256)!;
  return info;
}

function mediaConfig(preFetchMedia?: MediaInfoInput[]): WireMediaConfig {
  const config: WireMediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
  if (preFetchMedia !== undefined) {
    checkCount(preFetchMedia, 'preFetchMedia', 0, 100);
    config.preFetchMedia = preFetchMedia.map((m) => mediaInfo(m, 'preFetchMedia uri'));
  }
  return config;
}

function modalities(list: Modality[] | undefined, what: string): Modality[] {
  const value = list ?? ['audio'];
  checkCount(value, what, 1, 4);
  for (const m of value) if (!MODALITIES.includes(m)) throw invalidArgument(`${what} may only hold ${MODALITIES.join(', ')}`);
  return value;
}

function baseCallBody(input: CreateCallCommon): CreateCallRequest {
  const body: CreateCallRequest = {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: checkHttpsUrl(input.callbackUri, 'callbackUri'),
    requestedModalities: modalities(input.requestedModalities, 'requestedModalities'),
    mediaConfig: mediaConfig(input.preFetchMedia),
  };
  if (input.source !== undefined) body.source = toParticipantInfo(input.source);
  if (input.subject !== undefined) body.subject = checkText(input.subject, 'subject', 1024);
  if (input.tenantId !== undefined) body.tenantId = checkId(input.tenantId, 'tenantId');
  return body;
}

async function postCall(graph: GraphClient, body: CreateCallRequest): Promise<GraphCall> {
  // Never repeated behind our back: a repeat would place a second call.
  const res = await graph.post<unknown>('/communications/calls', body);
  const call = parseCallResource(res.body);
  const id = call.id ?? res.location?.split('/').filter(Boolean).pop();
  if (!id) throw new CallError('calls/invalid-response', `Graph created a call but returned no id (request-id ${res.requestId ?? 'none'})`);
  return { ...call, id, state: call.state ?? 'establishing', direction: call.direction ?? 'outgoing' };
}

/** Calls.Initiate.All · application-post-calls (peer-to-peer: exactly one target, a user or a phone number) */
export async function createPeerToPeerCall(graph: GraphClient, input: CreateCallCommon & { target: CallTarget }): Promise<GraphCall> {
  const body = baseCallBody(input);
  body.targets = [toInvitation(input.target)];
  return postCall(graph, body);
}

/** Calls.InitiateGroupCall.All · application-post-calls (group call of up to 5 VoIP users; no chat, no recording) */
export async function createGroupCall(graph: GraphClient, input: CreateCallCommon & { targets: CallTarget[] }): Promise<GraphCall> {
  checkCount(input.targets, 'targets', 1, 5);
  if (input.targets.some((t) => t?.kind === 'phone')) throw invalidArgument('a bot-created group call takes VoIP users only, not phone numbers');
  const body = baseCallBody(input);
  body.targets = input.targets.map((t) => toInvitation(t));
  return postCall(graph, body);
}

/** Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) · application-post-calls (join a scheduled meeting) */
export async function joinMeeting(graph: GraphClient, input: CreateCallCommon & { meeting: MeetingToJoin }): Promise<GraphCall> {
  const meeting = input.meeting;
  const body = baseCallBody({ ...input, tenantId: input.tenantId ?? meeting?.tenantId });
  if (meeting?.kind === 'organizer') {
    body.chatInfo = {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: checkText(meeting.threadId, 'threadId', 512),
      messageId: checkText(meeting.messageId ?? '0', 'messageId', 128),
      ...(meeting.replyChainMessageId !== undefined ? { replyChainMessageId: checkText(meeting.replyChainMessageId, 'replyChainMessageId', 128) } : {}),
    };
    if (!meeting.threadId) throw invalidArgument('threadId is required to join a meeting by organizer');
    body.meetingInfo = {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: toIdentitySet({ kind: 'user', id: meeting.organizerId, tenantId: meeting.tenantId, displayName: meeting.organizerDisplayName }),
      ...(meeting.allowConversationWithoutHost !== undefined ? { allowConversationWithoutHost: Boolean(meeting.allowConversationWithoutHost) } : {}),
    };
  } else if (meeting?.kind === 'joinMeetingId') {
    const joinMeetingId = checkText(meeting.joinMeetingId, 'joinMeetingId', 64);
    if (!joinMeetingId || !/^[0-9 ]{4,64}$/.test(joinMeetingId)) throw invalidArgument('joinMeetingId must be the digits of the meeting id');
    body.meetingInfo = {
      '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
      joinMeetingId,
      passcode: meeting.passcode === undefined ? null : checkText(meeting.passcode, 'passcode', 64),
    };
  } else {
    throw invalidArgument('meeting must be { kind: "organizer", … } or { kind: "joinMeetingId", … }');
  }
  // application-post-calls (outgoingCallOptions): contentSharingSession notifications tell who shares (content-sharing.ts).
  body.callOptions = { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true };
  return postCall(graph, body);
}

/** Calls.Initiate.All · call-get */
export async function getCall(graph: GraphClient, callId: string): Promise<GraphCall> {
  const body = await graph.get<unknown>(callPath(callId));
  // callbackUri is kept apart from the notification fields: it is how a create with a lost answer is recognized.
  const callbackUri = (body as { callbackUri?: unknown } | undefined)?.callbackUri;
  return { ...parseCallResource(body), id: callId, ...(typeof callbackUri === 'string' && callbackUri.length <= 2048 ? { callbackUri } : {}) };
}

/** Calls.Initiate.All · call-delete (hang up; in a group call only the bot's leg ends) */
export async function hangUp(graph: GraphClient, callId: string): Promise<void> {
  await graph.delete(callPath(callId), { repeatable: true });
}

export interface AnswerInput {
  callbackUri: string;
  acceptedModalities?: Modality[];
  preFetchMedia?: MediaInfoInput[];
  participantCapacity?: number;
}

/** Calls.JoinGroupCall.All (+ Calls.Initiate.All to read the caller) · call-answer (within 15 s of the incoming call) */
export async function answer(graph: GraphClient, callId: string, input: AnswerInput): Promise<void> {
  const body: AnswerRequest = {
    callbackUri: checkHttpsUrl(input.callbackUri, 'callbackUri'),
    mediaConfig: mediaConfig(input.preFetchMedia),
    acceptedModalities: modalities(input.acceptedModalities, 'acceptedModalities'),
  };
  if (input.participantCapacity !== undefined) body.participantCapacity = checkInt(input.participantCapacity, 'participantCapacity', 1, 10_000);
  await graph.post(callPath(callId, 'answer'), body);
}

export type RejectReason = 'none' | 'busy' | 'forbidden';

/** None (checked at call creation) · call-reject (reason none | busy | forbidden, within 15 s) */
export async function reject(graph: GraphClient, callId: string, input: { reason?: RejectReason; callbackUri?: string } = {}): Promise<void> {
  const reason = input.reason ?? 'none';
  if (!['none', 'busy', 'forbidden'].includes(reason)) throw invalidArgument('reason must be none, busy or forbidden');
  const body: RejectRequest = { reason };
  if (input.callbackUri !== undefined) body.callbackUri = checkHttpsUrl(input.callbackUri, 'callbackUri');
  await graph.post(callPath(callId, 'reject'), body);
}

export interface RedirectInput {
  /** One target forwards; several (at most 25) ring simultaneously. */
  targets: CallTarget[];
  /** 15–90 s; Graph's default is 55 s for one target, 60 s for several. */
  timeoutSeconds?: number;
  /** Send the call to the (single) target user's voicemail. */
  voicemail?: boolean;
  callbackUri?: string;
}

/** Calls.Initiate.All · call-redirect (un-answered incoming calls only, within 15 s) */
export async function redirect(graph: GraphClient, callId: string, input: RedirectInput): Promise<void> {
  checkCount(input.targets, 'targets', 1, 25);
  if (input.voicemail && (input.targets.length !== 1 || input.targets[0]?.kind !== 'user')) {
    throw invalidArgument('a redirect to voicemail takes exactly one user target');
  }
  const body: RedirectRequest = {
    targets: input.targets.map((t) => toInvitation(t, input.voicemail ? { endpointType: 'voicemail' } : {})),
  };
  if (input.timeoutSeconds !== undefined) body.timeout = checkInt(input.timeoutSeconds, 'timeoutSeconds', 15, 90);
  if (input.callbackUri !== undefined) body.callbackUri = checkHttpsUrl(input.callbackUri, 'callbackUri');
  await graph.post(callPath(callId, 'redirect'), body);
}

export interface TransferInput {
  target: CallTarget;
  /** Consultative transfer: the call the target is already in with the bot. */
  replacesCallId?: string;
  /** Required when transferring out of a group call: who is being transferred. */
  transferee?: { target: CallTarget; participantId?: string };
  clientContext?: string;
}

/** Calls.Initiate.All · call-transfer (blind, consultative with replacesCallId, transferee for group calls) */
export async function transfer(graph: GraphClient, callId: string, input: TransferInput): Promise<void> {
  const body: TransferRequest = {
    transferTarget: toInvitation(input.target, {
      endpointType: 'default',
      ...(input.replacesCallId !== undefined ? { replacesCallId: input.replacesCallId } : {}),
    }),
  };
  if (input.transferee !== undefined) body.transferee = toParticipantInfo(input.transferee.target, input.transferee.participantId);
  const clientContext = checkClientContext(input.clientContext);
  if (clientContext !== undefined) body.clientContext = clientContext;
  await graph.post(callPath(callId, 'transfer'), body);
}

/** Calls.Initiate.All · call-keepalive (at least every 45 min; 404 once the call has ended) */
export async function keepAlive(graph: GraphClient, callId: string): Promise<void> {
  await graph.post(callPath(callId, 'keepAlive'), undefined, { repeatable: true });
}

/** Calls.AccessMedia.All · call-changescreensharingrole (app-hosted group calls) */
export async function changeScreenSharingRole(graph: GraphClient, callId: string, role: 'viewer' | 'sharer'): Promise<void> {
  if (role !== 'viewer' && role !== 'sharer') throw invalidArgument('role must be viewer or sharer');
  await graph.post(callPath(callId, 'changeScreenSharingRole'), { role } satisfies ChangeScreenSharingRoleRequest, { repeatable: true });
}
