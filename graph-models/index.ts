// Microsoft's published TypeScript models of Graph (@microsoft/microsoft-graph-types), for the cloud-communications
// shapes both sides of Switchboard speak: the app's comms/ (requests it sends, responses and notifications it parses)
// and the emulator (what it answers and sends). Types only — this file compiles to nothing (test/architecture checks
// it), so sharing it shares no logic. Where the published models lag behind the API reference, they are extended here,
// each with the doc page that prints the field.
import type * as Graph from '@microsoft/microsoft-graph-types';

export type { Graph };

/** An object as Graph prints it on the wire: the model plus its `@odata.type`. */
export type WithODataType<T, Name extends string = `#microsoft.graph.${string}`> = T & { '@odata.type': Name };

/** The model with an optional `@odata.type` allowed on every object inside it (Graph prints one on most). */
export type DeepODataTyped<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends ReadonlyArray<infer U>
    ? Array<DeepODataTyped<U>>
    : { [K in keyof T]: DeepODataTyped<T[K]> } & { '@odata.type'?: `#microsoft.graph.${string}` };

/**
 * identity in a call: `tenantId` beside id and displayName on user, application and applicationInstance identities
 * (communicationsUserIdentity has it; application-post-calls.md prints it on the bot's `application` and on
 * `applicationInstance` too).
 */
export type CallIdentity = Graph.Identity & { tenantId?: string | null };

/** communicationsIdentitySet with its identities as calls print them (application-post-calls.md, call-answer.md). */
export type CallIdentitySet = { [K in keyof Graph.CommunicationsIdentitySet]?: K extends 'endpointType' ? Graph.CommunicationsIdentitySet[K] : CallIdentity | null };

/** participantInfo whose identity is a CallIdentitySet. */
export type CallParticipantInfo = Omit<Graph.ParticipantInfo, 'identity'> & { identity?: CallIdentitySet };

/**
 * invitationParticipantInfo whose identity is a CallIdentitySet (participant-invite.md). An incoming call's target
 * also carries participantInfo's endpointType, region and languageId and the participant's `id`, which the models
 * lack (call-redirect.md, beta, Example 3: a phone calling an application instance).
 */
export type CallInvitationParticipantInfo = Omit<Graph.InvitationParticipantInfo, 'identity'> & {
  identity?: CallIdentitySet;
  participantId?: string | null;
  endpointType?: Graph.EndpointType | null;
  id?: string | null;
  region?: string | null;
  languageId?: string | null;
};

/**
 * resultInfo: the models say `subcode`; the call-transfer failure examples print `subCode`, and the call-delete
 * example prints code and subcode as strings (call-transfer.md, call-delete.md).
 */
export type WireResultInfo = Omit<Graph.ResultInfo, 'code' | 'subcode'> & { code?: number | string | null; subcode?: number | string | null; subCode?: number | string | null };

/**
 * participant: a person just invited has `id: null` until they join (participant-invite.md, the roster notification
 * after an invite) — the models' Entity has `id?: string`.
 */
export type WireParticipant = DeepODataTyped<Omit<Graph.Participant, 'id' | 'info'>> & { id?: string | null; info?: CallParticipantInfo };

/**
 * commsNotification: the models carry only changeType and resourceUrl; every notification the reference prints also
 * has `resourceData` (the call, the participants array, the operation), and meeting rosters a notification-level
 * `callbackUri` (application-post-calls.md, participant-invite.md, call-answer.md, call-updaterecordingstatus.md).
 */
export type WireCommsNotification = WithODataType<Omit<Graph.CommsNotification, 'changeType'>, '#microsoft.graph.commsNotification'> & {
  changeType?: WireChangeType;
  resourceData?: unknown;
  callbackUri?: string;
};

/** The envelope POSTed to the callback: `{ "@odata.type": "#microsoft.graph.commsNotifications", value: [...] }`. */
export type WireCommsNotifications = Omit<Graph.CommsNotifications, 'value'> & { '@odata.type'?: '#microsoft.graph.commsNotifications'; value: WireCommsNotification[] };

/** modality: resources/call.md lists `unknown` among requestedModalities' values; the models' enum has not got it. */
export type CallModality = Graph.Modality | 'unknown';

/**
 * call, as GET and the create response print it (resources/call.md, call-get.md), with the modality above and what
 * the v1.0 examples print that the models do not have: `routingPolicies` (`[]`, application-post-calls.md Examples 3
 * and 5), `ringingTimeoutInSeconds` and `answeredBy` (`null`, call-get.md Example 1), `terminationReason` (beta
 * call-get.md, and the terminated notifications) and `meetingCapability` (beta call-get.md).
 */
export type WireCall = DeepODataTyped<Omit<Graph.Call, 'requestedModalities' | 'activeModalities'>> & {
  requestedModalities?: CallModality[];
  activeModalities?: CallModality[];
  routingPolicies?: string[];
  ringingTimeoutInSeconds?: number | null;
  answeredBy?: CallParticipantInfo | null;
  terminationReason?: string | null;
  meetingCapability?: null;
  '@odata.context'?: string;
};

/** changeType as notifications carry it: tone notifications have been seen with `Updated` (MicrosoftDocs/msteams-docs#9170). */
export type WireChangeType = Graph.ChangeType | 'Updated';
