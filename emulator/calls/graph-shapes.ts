// Graph's JSON for the calling resources, as the API reference prints them: identitySet, participantInfo,
// participant, call, commsOperation subtypes and resultInfo (with @odata.type on every typed object).

import { isPhonePerson } from '../directory/phone-network.js';
import type { EmulatedApplicationInstance, EmulatedUser } from '../emulator-options.js';
import type { EmulatedCall, Json, OperationExtra, OperationRecord, Participant } from './call-model.js';
import type { ResultCode } from './result-codes.js';
import type {
  CallIdentity,
  CallIdentitySet,
  CallInvitationParticipantInfo,
  CallParticipantInfo,
  Graph,
  WireCall,
  WireCommsOperation,
  WireOperationStatus,
  WireParticipant,
  WireResultInfo,
  WithODataType,
} from '../../graph-models/index.js';

/** Checked against Microsoft's model (graph-models/) where it is built; handed on as plain JSON. */
type Typed<T> = WithODataType<T>;

export const callPath = (callId: string): string => `/communications/calls/${callId}`;
export const operationPath = (callId: string, operationId: string): string => `${callPath(callId)}/operations/${operationId}`;
export const participantsPath = (callId: string): string => `${callPath(callId)}/participants`;

export function identity(fields: { id: string; displayName?: string; tenantId?: string }): Typed<CallIdentity> {
  return { '@odata.type': '#microsoft.graph.identity', ...fields } satisfies WithODataType<CallIdentity>;
}

export function userIdentitySet(user: EmulatedUser, tenantId: string): CallIdentitySet {
  return { '@odata.type': '#microsoft.graph.identitySet', user: identity({ id: user.id, displayName: user.displayName, tenantId }) } satisfies Typed<CallIdentitySet>;
}

/** A PSTN party: `phone { id: E.164 }` (application-post-calls Example 9), with a displayName only when caller ID has one. */
export function phoneIdentitySet(number: string, displayName?: string): CallIdentitySet {
  return { '@odata.type': '#microsoft.graph.identitySet', phone: identity({ id: number, ...(displayName ? { displayName } : {}) }) } satisfies Typed<CallIdentitySet>;
}

/** A directory person's `user` identity, or a phone network number's `phone` identity. */
export function personIdentitySet(user: EmulatedUser, tenantId: string): CallIdentitySet {
  if (!isPhonePerson(user)) return userIdentitySet(user, tenantId);
  return phoneIdentitySet(user.id, user.displayName !== user.id ? user.displayName : undefined);
}

/** The resource account as an incoming call's target names it (beta call-redirect, Example 3). */
export function instanceIdentitySet(instance: EmulatedApplicationInstance, tenantId: string): CallIdentitySet {
  return { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: identity({ id: instance.id, displayName: instance.displayName, tenantId }) } satisfies Typed<CallIdentitySet>;
}

export function appIdentitySet(appId: string, displayName: string, tenantId?: string): CallIdentitySet {
  return { '@odata.type': '#microsoft.graph.identitySet', application: identity({ id: appId, displayName, ...(tenantId ? { tenantId } : {}) }) } satisfies Typed<CallIdentitySet>;
}

export function participantInfo(identitySet: CallIdentitySet, extra: Omit<CallParticipantInfo, 'identity'> = {}): Typed<CallParticipantInfo> {
  return { '@odata.type': '#microsoft.graph.participantInfo', identity: identitySet, ...extra } satisfies Typed<CallParticipantInfo>;
}

export function invitationParticipantInfo(identitySet: CallIdentitySet, extra: Omit<CallInvitationParticipantInfo, 'identity'> = {}): Typed<CallInvitationParticipantInfo> {
  return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: identitySet, ...extra } satisfies Typed<CallInvitationParticipantInfo>;
}

export interface ResultInfoStyle {
  /** `"200"` instead of 200 (the call-delete example). */
  strings?: boolean;
  /** `subCode` instead of `subcode` (the call-transfer failure examples). */
  subCodeKey?: boolean;
}

export function resultInfo(result: ResultCode, style: ResultInfoStyle = {}): Typed<WireResultInfo> {
  const code = style.strings ? String(result.code) : result.code;
  const subcode = style.strings ? String(result.subcode) : result.subcode;
  // Keys in the order the reference prints them: code, subcode (or subCode), message.
  const info: Typed<WireResultInfo> = style.subCodeKey
    ? { '@odata.type': '#microsoft.graph.resultInfo', code, subCode: subcode, message: result.message }
    : { '@odata.type': '#microsoft.graph.resultInfo', code, subcode, message: result.message };
  return info;
}

/** The language and media region an emulated person's participant reports (chosen; the docs print en-US and amer/westus). */
export const PERSON_LANGUAGE_ID = 'en-US';
export const PERSON_REGION = 'amer';

export function participantJson(p: Participant): ParticipantJson {
  const streams: Array<Typed<Graph.MediaStream>> = [
    { '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', label: 'main-audio', sourceId: p.kind === 'bot' ? '10' : '1', direction: p.onHold ? 'inactive' : 'sendReceive', serverMuted: false },
  ];
  if (p.sharingRole === 'sharer') {
    streams.push({ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'videoBasedScreenSharing', label: 'applicationsharing-video', sourceId: '8', direction: 'sendOnly', serverMuted: false });
  }
  const out: Typed<WireParticipant> = {
    '@odata.type': '#microsoft.graph.participant',
    id: p.id,
    // People carry languageId and region as the participant resource and the meeting roster example print them
    // (resources/participant.md, application-post-calls Example 5); the bot's own participant carries neither.
    info: participantInfo(p.identity, p.kind === 'person' ? { endpointType: 'default', languageId: PERSON_LANGUAGE_ID, region: PERSON_REGION } : { endpointType: 'default' }),
    mediaStreams: streams,
    isMuted: p.isMuted,
    isInLobby: p.isInLobby,
  };
  if (p.recordingStatus) out.recordingInfo = { '@odata.type': '#microsoft.graph.recordingInfo', recordingStatus: p.recordingStatus };
  if (p.rosterSequenceNumber !== undefined) out.rosterSequenceNumber = p.rosterSequenceNumber;
  return out;
}

/** A participant as participantJson prints it. */
export type ParticipantJson = Typed<WireParticipant>;

/** The call as GET /communications/calls/{id} and the create response print it. */
export function callJson(call: EmulatedCall, context: string): Json {
  const json: WireCall = {
    '@odata.type': '#microsoft.graph.call',
    '@odata.context': context,
    id: call.id,
    state: call.state,
    direction: call.direction,
    callbackUri: call.callbackUri,
    callChainId: call.callChainId,
    callRoutes: [],
    source: call.source,
    targets: call.targets,
    requestedModalities: call.requestedModalities,
    activeModalities: call.state === 'established' ? ['audio'] : [],
    mediaConfig: call.mediaConfig ?? null,
    chatInfo: call.chatInfo ?? null,
    meetingInfo: call.meetingInfo ?? null,
    myParticipantId: call.myParticipantId,
    subject: call.subject ?? null,
    tenantId: call.tenantId,
    routingPolicies: [],
    ringingTimeoutInSeconds: null,
    mediaState: call.state === 'established' ? { '@odata.type': '#microsoft.graph.callMediaState', audio: call.mediaState } : null,
    resultInfo: call.resultInfo ? resultInfo(call.resultInfo) : null,
    terminationReason: call.terminationReason ?? null,
    answeredBy: null,
    transcription: null,
    toneInfo: null,
    meetingCapability: null,
  };
  return json as Json; // checked against the model above
}

/** The operation as the action's response body prints it. */
export function operationJson(op: OperationRecord, statusText: WireOperationStatus = op.status): OperationJson {
  const out: OperationJson = { '@odata.type': op.odataType, id: op.id, status: statusText, clientContext: op.clientContext ?? null };
  if (op.resultInfo || op.type === 'recordResponse' || op.type === 'invite') out.resultInfo = op.resultInfo ? resultInfo(op.resultInfo) : null;
  if (op.completionReason) out.completionReason = op.completionReason;
  return { ...out, ...op.extra };
}

/** A commsOperation with whichever subtype's fields it has (graph-models' WireCommsOperation, WireRecordOperation…). */
export type OperationJson = WireCommsOperation & OperationExtra;
