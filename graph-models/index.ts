// Microsoft's published TypeScript models of Graph (@microsoft/microsoft-graph-types), for the cloud-communications
// shapes both sides of Switchboard speak: the app's comms/ (requests it sends, responses and notifications it parses)
// and the emulator (what it answers and sends). Types only — this file compiles to nothing (test/architecture checks
// it), so sharing it shares no logic. Where the published models lag behind the API reference, they are extended here,
// each with the doc page that prints the field.
import type * as Graph from '@microsoft/microsoft-graph-types';

export type { Graph };

/** An object as Graph prints it on the wire: the model plus its `@odata.type`. */
export type WithODataType<T, Name extends string = ODataTypeName> = T & { '@odata.type': Name };

/** Any Graph type name as `@odata.type` prints it. */
export type ODataTypeName = `#microsoft.graph.${string}`;

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
export type CallIdentity = Graph.Identity & { tenantId?: string | null; '@odata.type'?: ODataTypeName };

/**
 * communicationsIdentitySet with its identities as calls print them (application-post-calls.md, call-answer.md);
 * the set's own `@odata.type` is `#microsoft.graph.identitySet` in the examples.
 */
export type CallIdentitySet = { [K in keyof Graph.CommunicationsIdentitySet]?: K extends 'endpointType' ? Graph.CommunicationsIdentitySet[K] : CallIdentity | null } & {
  '@odata.type'?: '#microsoft.graph.identitySet' | '#microsoft.graph.communicationsIdentitySet';
};

/** participantInfo whose identity is a CallIdentitySet. */
export type CallParticipantInfo = Omit<Graph.ParticipantInfo, 'identity'> & { identity?: CallIdentitySet; '@odata.type'?: '#microsoft.graph.participantInfo' };

/**
 * invitationParticipantInfo whose identity is a CallIdentitySet (participant-invite.md). An incoming call's target
 * also carries participantInfo's endpointType, region and languageId and the participant's `id`, which the models
 * lack (call-redirect.md, beta, Example 3: a phone calling an application instance).
 */
export type CallInvitationParticipantInfo = Omit<Graph.InvitationParticipantInfo, 'identity'> & {
  '@odata.type'?: '#microsoft.graph.invitationParticipantInfo';
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

/** deltaParticipants (resources/deltaparticipants.md): the delta roster's resourceData, its participants as WireParticipant. */
export type WireDeltaParticipants = Omit<Graph.DeltaParticipants, 'participants' | 'id'> & {
  '@odata.type': '#microsoft.graph.deltaParticipants';
  participants?: WireParticipant[] | null;
};

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
 * call, as GET and the create response print it (resources/call.md, call-get.md), with the modality above, resultInfo
 * as WireResultInfo (a terminated call's, call-delete.md), and what
 * the v1.0 examples print that the models do not have: `routingPolicies` (`[]`, application-post-calls.md Examples 3
 * and 5), `ringingTimeoutInSeconds` and `answeredBy` (`null`, call-get.md Example 1), `terminationReason` (beta
 * call-get.md, and the terminated notifications) and `meetingCapability` (beta call-get.md).
 */
export type WireCall = DeepODataTyped<Omit<Graph.Call, 'requestedModalities' | 'activeModalities' | 'resultInfo'>> & {
  resultInfo?: WireResultInfo | null;
  requestedModalities?: CallModality[];
  activeModalities?: CallModality[];
  routingPolicies?: string[];
  ringingTimeoutInSeconds?: number | null;
  answeredBy?: CallParticipantInfo | null;
  terminationReason?: string | null;
  meetingCapability?: null;
  /**
   * An opaque string on a failed consultative transfer's notification (call-transfer.md Example 2; printed, undescribed,
   * in resources/call.md's JSON; in neither the v1.0 nor the beta metadata).
   */
  replacesContext?: string;
  '@odata.context'?: string;
};

/** changeType as notifications carry it: tone notifications have been seen with `Updated` (MicrosoftDocs/msteams-docs#9170). */
export type WireChangeType = Graph.ChangeType | 'Updated';

/** The OData annotations Graph prints beside an entity (`@odata.context` on a response, `@odata.id` / `@odata.etag` in notifications). */
export type ODataAnnotations = {
  '@odata.context'?: string;
  '@odata.id'?: string;
  '@odata.etag'?: string;
};

/** The commsOperation subtypes the calling actions answer with (resources/commsoperation.md and each action's page). */
export type CommsOperationType =
  | '#microsoft.graph.commsOperation'
  | '#microsoft.graph.playPromptOperation'
  | '#microsoft.graph.recordOperation'
  | '#microsoft.graph.subscribeToToneOperation'
  | '#microsoft.graph.sendDtmfTonesOperation'
  | '#microsoft.graph.cancelMediaProcessingOperation'
  | '#microsoft.graph.muteParticipantOperation'
  | '#microsoft.graph.unmuteParticipantOperation'
  | '#microsoft.graph.updateRecordingStatusOperation'
  | '#microsoft.graph.inviteParticipantsOperation'
  | '#microsoft.graph.startHoldMusicOperation'
  | '#microsoft.graph.stopHoldMusicOperation';

/**
 * commsOperation status: the models' enum is PascalCase, while the action examples print camelCase (`"running"`,
 * `"completed"` in call-playprompt.md, call-subscribetotone.md) and participant-invite.md prints `"Running"`.
 */
export type WireOperationStatus = Graph.OperationStatus | 'notStarted' | 'running' | 'completed' | 'failed';

/**
 * commsOperation and its subtypes as the action responses and operation notifications print them: the status above,
 * resultInfo as WireResultInfo, and `completionReason` on the media operations (call-cancelmediaprocessing.md prints
 * `operationCanceled` on a cancelled playPrompt; the models have it on sendDtmfTonesOperation only).
 */
export type WireCommsOperation<Name extends ODataTypeName = CommsOperationType> = Omit<Graph.CommsOperation, 'status' | 'resultInfo' | 'id'> & ODataAnnotations & {
  '@odata.type': Name;
  id?: string | null;
  status?: WireOperationStatus | null;
  resultInfo?: WireResultInfo | null;
  completionReason?: string | null;
};

/** recordOperation (call-record.md): recordingLocation and recordingAccessToken beside the commsOperation. */
export type WireRecordOperation = WireCommsOperation<'#microsoft.graph.recordOperation'> & Pick<Graph.RecordOperation, 'recordingLocation' | 'recordingAccessToken'>;

/** inviteParticipantsOperation (participant-invite.md): the invited participants, echoed with their tenantId. */
export type WireInviteParticipantsOperation = WireCommsOperation<'#microsoft.graph.inviteParticipantsOperation'> & { participants?: CallInvitationParticipantInfo[] };

// ---- Action parameters ----------------------------------------------------------------------------------------
// The models describe resources, not the bodies of actions: each type below is the parameter table of its page
// (v1.0), built from the models' pieces. The app's request bodies are checked against them with `satisfies`.

/** mediaInfo (resources/mediainfo.md) as a prompt or a pre-fetch names it. */
export type WireMediaInfo = Graph.MediaInfo & { '@odata.type'?: '#microsoft.graph.mediaInfo' };

/** mediaPrompt (resources/mediaprompt.md). */
export type WireMediaPrompt = Omit<Graph.MediaPrompt, 'mediaInfo'> & { '@odata.type': '#microsoft.graph.mediaPrompt'; mediaInfo?: WireMediaInfo };

/** serviceHostedMediaConfig / appHostedMediaConfig, told apart by `@odata.type` (application-post-calls.md). */
export type WireMediaConfig =
  | (Omit<Graph.ServiceHostedMediaConfig, 'preFetchMedia'> & { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig'; preFetchMedia?: WireMediaInfo[] | null })
  | (Graph.AppHostedMediaConfig & { '@odata.type': '#microsoft.graph.appHostedMediaConfig' });

/**
 * organizerMeetingInfo (application-post-calls.md, "Join scheduled meeting with service hosted media"): the organizer
 * as a CallIdentitySet (its user carries tenantId) and `allowConversationWithoutHost`, which the models lack.
 */
export type WireOrganizerMeetingInfo = Omit<Graph.OrganizerMeetingInfo, 'organizer'> & {
  '@odata.type': '#microsoft.graph.organizerMeetingInfo';
  organizer?: CallIdentitySet;
  allowConversationWithoutHost?: boolean;
};

/** joinMeetingIdMeetingInfo (resources/joinmeetingidmeetinginfo.md). */
export type WireJoinMeetingIdMeetingInfo = Graph.JoinMeetingIdMeetingInfo & { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo' };

/** chatInfo (resources/chatinfo.md). */
export type WireChatInfo = Graph.ChatInfo & { '@odata.type'?: '#microsoft.graph.chatInfo' };

/** The meetingInfo subtypes a bot joins with (application-post-calls.md). */
export type WireMeetingInfo = WireOrganizerMeetingInfo | WireJoinMeetingIdMeetingInfo;

/** callOptions: outgoingCallOptions on create, incomingCallOptions on answer (resources/calloptions.md). */
export type WireCallOptions = Graph.CallOptions & { '@odata.type'?: '#microsoft.graph.outgoingCallOptions' | '#microsoft.graph.incomingCallOptions' };

/** POST /communications/calls (application-post-calls.md): the call's writable properties. */
export interface CreateCallRequest {
  '@odata.type': '#microsoft.graph.call';
  callbackUri: string;
  requestedModalities: CallModality[];
  mediaConfig: WireMediaConfig;
  source?: CallParticipantInfo;
  targets?: CallInvitationParticipantInfo[];
  chatInfo?: WireChatInfo;
  meetingInfo?: WireMeetingInfo;
  tenantId?: string;
  subject?: string;
  callOptions?: Graph.OutgoingCallOptions & { '@odata.type'?: '#microsoft.graph.outgoingCallOptions' };
}

/** call-answer.md. */
export interface AnswerRequest {
  callbackUri: string;
  acceptedModalities: Graph.Modality[];
  mediaConfig: WireMediaConfig;
  participantCapacity?: number;
  callOptions?: Graph.IncomingCallOptions & { '@odata.type'?: '#microsoft.graph.incomingCallOptions' };
}

/** call-reject.md. */
export interface RejectRequest {
  reason?: Graph.RejectReason;
  callbackUri?: string;
}

/** call-redirect.md: `timeout` in seconds. */
export interface RedirectRequest {
  targets: CallInvitationParticipantInfo[];
  timeout?: number;
  callbackUri?: string;
}

/** call-transfer.md: `transferee` is required when transferring out of a group call. */
export interface TransferRequest {
  transferTarget: CallInvitationParticipantInfo;
  transferee?: CallParticipantInfo;
  clientContext?: string;
}

/** The actions whose only parameter is clientContext: subscribeToTone, cancelMediaProcessing, mute, unmute, participant mute, stopHoldMusic. */
export interface ClientContextRequest {
  clientContext?: string;
}

/** call-playprompt.md. */
export interface PlayPromptRequest extends ClientContextRequest {
  prompts: WireMediaPrompt[];
}

/** call-record.md (recordResponse). */
export interface RecordResponseRequest extends ClientContextRequest {
  prompts?: WireMediaPrompt[];
  bargeInAllowed?: boolean;
  initialSilenceTimeoutInSeconds?: number;
  maxSilenceTimeoutInSeconds?: number;
  maxRecordDurationInSeconds?: number;
  playBeep?: boolean;
  stopTones?: string[];
}

/** call-senddtmftones.md. */
export interface SendDtmfTonesRequest extends ClientContextRequest {
  tones: Graph.Tone[];
  delayBetweenTonesMs?: number;
}

/** call-updaterecordingstatus.md. */
export interface UpdateRecordingStatusRequest extends ClientContextRequest {
  status: Exclude<Graph.RecordingStatus, 'unknown' | 'unknownFutureValue'>;
}

/** call-changescreensharingrole.md. */
export interface ChangeScreenSharingRoleRequest {
  role: Graph.ScreenSharingRole;
}

/** participant-invite.md. */
export interface InviteParticipantsRequest extends ClientContextRequest {
  participants: CallInvitationParticipantInfo[];
}

/** participant-startholdmusic.md: customPrompt is a mediaPrompt. */
export interface StartHoldMusicRequest extends ClientContextRequest {
  customPrompt?: WireMediaPrompt;
}

// ---- onlineMeeting ---------------------------------------------------------------------------------------------

/** An identity in a meeting's participants: the user also carries `identityProvider` (`"AAD"`, onlinemeeting-get.md). */
export type MeetingIdentity = CallIdentity & { identityProvider?: string | null };

/** meetingParticipantInfo with its identity as the examples print it (a user with tenantId and identityProvider). */
export type WireMeetingParticipantInfo = Omit<Graph.MeetingParticipantInfo, 'identity'> & {
  identity?: { user?: MeetingIdentity | null; '@odata.type'?: '#microsoft.graph.identitySet' } | null;
};

/**
 * meetingParticipants: the onlinemeeting-get and application-post-onlinemeetings examples also print `producers` and
 * `contributors` (empty) beside organizer and attendees.
 */
export type WireMeetingParticipants = {
  organizer?: WireMeetingParticipantInfo | null;
  attendees?: WireMeetingParticipantInfo[] | null;
  producers?: WireMeetingParticipantInfo[] | null;
  contributors?: WireMeetingParticipantInfo[] | null;
};

/**
 * onlineMeeting (resources/onlinemeeting.md) as the examples print it, with what they print that the models lack:
 * `anonymizeIdentityForRoles` (resources/onlinemeetingbase.md), the legacy `autoAdmittedUsers` ("EveryoneInCompany")
 * and `outerMeetingAutoAdmittedUsers` (onlinemeeting-get.md, application-post-onlinemeetings.md), and participants as
 * above.
 */
export type WireOnlineMeeting = Omit<Graph.OnlineMeeting, 'participants' | 'attendanceReports' | 'recordings' | 'transcripts' | 'attendeeReport'> &
  ODataAnnotations & {
    '@odata.type'?: '#microsoft.graph.onlineMeeting';
    participants?: WireMeetingParticipants | null;
    anonymizeIdentityForRoles?: Graph.OnlineMeetingRole[] | null;
    autoAdmittedUsers?: string | null;
    outerMeetingAutoAdmittedUsers?: string | null;
  };

/** The settings onlinemeeting-update may change (its request-body table). */
export type WireMeetingSettings = Pick<
  WireOnlineMeeting,
  | 'allowAttendeeToEnableCamera'
  | 'allowAttendeeToEnableMic'
  | 'allowBreakoutRooms'
  | 'allowCopyingAndSharingMeetingContent'
  | 'allowedLobbyAdmitters'
  | 'allowedPresenters'
  | 'allowLiveShare'
  | 'allowMeetingChat'
  | 'allowPowerPointSharing'
  | 'allowRecording'
  | 'allowTeamworkReactions'
  | 'allowTranscription'
  | 'allowWhiteboard'
  | 'anonymizeIdentityForRoles'
  | 'isEntryExitAnnounced'
  | 'lobbyBypassSettings'
  | 'recordAutomatically'
  | 'watermarkProtection'
  | 'broadcastSettings'
>;

/**
 * POST /users/{id}/onlineMeetings (application-post-onlinemeetings.md) and createOrGet (onlinemeeting-createorget.md):
 * what the app sends.
 */
export type CreateOnlineMeetingRequest = Pick<WireOnlineMeeting, 'subject' | 'startDateTime' | 'endDateTime' | 'externalId' | 'joinMeetingIdSettings'> & {
  participants?: { attendees?: WireMeetingParticipantInfo[] };
};

// ---- presence, subscriptions, change notifications ---------------------------------------------------------------

/** presence (resources/presence.md) as presence-get prints it. */
export type WirePresence = Graph.Presence & ODataAnnotations & { '@odata.type'?: '#microsoft.graph.presence' };

/** POST /communications/getPresencesByUserId (cloudcommunications-getpresencesbyuserid.md). */
export interface GetPresencesByUserIdRequest {
  ids: string[];
}

/**
 * POST /subscriptions (subscription-post-subscriptions.md): changeType, notificationUrl, resource and
 * expirationDateTime are required; the rest of the writable properties optional.
 */
export type CreateSubscriptionRequest = Required<Pick<Graph.Subscription, 'changeType' | 'notificationUrl' | 'resource' | 'expirationDateTime'>> &
  Pick<Graph.Subscription, 'clientState' | 'lifecycleNotificationUrl' | 'includeResourceData' | 'encryptionCertificate' | 'encryptionCertificateId' | 'latestSupportedTlsVersion' | 'notificationUrlAppId'>;

/** PATCH /subscriptions/{id} (subscription-update.md): renew by a new expirationDateTime. */
export type UpdateSubscriptionRequest = Required<Pick<Graph.Subscription, 'expirationDateTime'>> & Pick<Graph.Subscription, 'notificationUrl'>;

/** subscription as Graph answers it (subscription-post-subscriptions.md, subscription-get.md). */
export type WireSubscription = Graph.Subscription & ODataAnnotations;
