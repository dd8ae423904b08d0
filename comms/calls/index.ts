// comms/calls: the app's side of Graph cloud communications — webhook auth and parsing, the per-call state
// machine, every call operation, durable call state, keepAlive and restart reconciliation.
export { CallService } from './call-service.js';
export { RECONCILE_PARALLEL } from './call-reconciliation.js';
export { CALLS_COLLECTION, ROSTERS_COLLECTION } from './call-core.js';
export { INBOX_COLLECTION } from './notification-inbox.js';
export type { CallServiceOptions, CallDeadlines, PlaceCallInput, OperationOptions, RecordedResponse } from './call-options.js';
export { CallError, type CallErrorCode } from './call-error.js';
export { CALL_EVENTS, type CallEvent, type CallEventType, type CallIncomingEvent, type CallStateEvent, type CallToneEvent, type CallOperationEvent, type CallParticipantsEvent, type CallErrorEvent, type CallAdoptedEvent, type CallSharingEvent, type CallStoredEvent } from './call-events.js';
export { type CallSession, type CallRecord, type CallRoster, type JsonObject, isLive } from './call-session.js';
export { applyCallUpdate, nextCallState, INFERRED_END, type CallUpdate } from './call-state.js';
export { parseNotificationBatch, isLegacyNotification, parseResourceUrl, type CallNotification, type CallData, type ChangeType } from './notification-schema.js';
export { createCallingTokenValidator, type CallingTokenValidator, type CallingTokenValidatorOptions, type ValidatedCallingToken } from './webhook-auth.js';
export { OperationTracker, OPERATIONS_COLLECTION, type PendingOperationRecord } from './operation-tracker.js';
export { KeepAliveScheduler, DEFAULT_KEEP_ALIVE_INTERVAL_MS, MAX_KEEP_ALIVE_INTERVAL_MS, KEEP_ALIVE_SLOT_CAPACITY, KEEP_ALIVE_SLOT_MS } from './keep-alive.js';
export { downloadRecording, checkRecordingLocation, type Recording } from './recording.js';
export { diffRoster, participantKey, type RosterDiff } from './roster-diff.js';
export type { CallTarget, InvitationOptions } from './call-targets.js';
export { applicationInstanceOf, maskedNumber, toE164 } from './call-targets.js';
export type { MeetingToJoin, MediaInfoInput, RedirectInput, TransferInput, RejectReason, GraphCall } from './call-actions.js';
export type { PromptInput, RecordResponseInput, RecordingStatus } from './media-actions.js';
export type { Invitee } from './participant-actions.js';
export type { CallState, CommsOperation, OperationStatus, Participant, ResultInfo, ToneInfo, Tone } from './graph-shapes.js';
export { classifyFailure, type FailureKind } from './request-retry.js';
export { CORRELATION_PARAM } from './create-claims.js';
export * as callActions from './call-actions.js';
export * as mediaActions from './media-actions.js';
export * as participantActions from './participant-actions.js';
