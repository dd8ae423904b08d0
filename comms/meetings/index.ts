// comms/meetings: join-link parsing, Graph onlineMeetings, joining meetings through comms/calls, the live roster per
// meeting (diffs on the bus), participant controls, and the meeting rules the faces share (how to join, who may be muted).
export { parseJoinLink, isJoinLink, isMeetingThreadId, JOIN_LINK_REASONS, MAX_JOIN_LINK_LENGTH, MAX_CONTEXT_LENGTH, type JoinLink, type ParseJoinLinkOptions } from './join-link.js';
export { MeetingError, type MeetingErrorCode } from './meeting-error.js';
export {
  createOnlineMeeting,
  createOrGetOnlineMeeting,
  getOnlineMeeting,
  findOnlineMeetingByJoinUrl,
  findOnlineMeetingByJoinMeetingId,
  deleteOnlineMeeting,
  joinWebUrlFilter,
  toMeeting,
  type Meeting,
  type MeetingPerson,
  type MeetingRole,
  type MeetingAttendeeInput,
  type CreateMeetingInput,
} from './online-meetings.js';
export { MeetingRoster, type MeetingEventInput, type RosterSnapshot, type ReconcileOptions } from './meeting-roster.js';
export {
  MEETING_EVENTS,
  type MeetingEvent,
  type MeetingRosterEvent,
  type MeetingStateEvent,
  type MeetingInputEvent,
  type MeetingMuteAllEvent,
  type MeetingSeenEvent,
  type MeetingCallEvent,
  type MeetingCallState,
  type MeetingState,
  type RosterDiff,
  type RosterEntry,
  type RosterChangeFields,
  type RosterLeft,
} from './meeting-events.js';
export { MeetingService, MEETING_CALLS_COLLECTION, type MeetingRosterView } from './meeting-service.js';
export { parseCallEvent, CALL_EVENT_TYPES, type CallEventInput, type CallEventParticipant, type CallEventType } from './call-events.js';
export {
  MeetingCallEventSubscriptions,
  meetingCallEventsResource,
  CALL_EVENT_SUBSCRIPTIONS_COLLECTION,
  CALL_EVENT_SUBSCRIPTION_MINUTES,
  type CallEventSubscriptionsOptions,
  type CallEventsOutcome,
  type StoredCallEventSubscription,
} from './call-event-subscriptions.js';
export { DEFAULT_REPAIR_INTERVAL_MS, type MeetingServiceOptions } from './meeting-core.js';
export { MEETINGS_COLLECTION, botCallIn, type MeetingRecord } from './meeting-records.js';
export { PARTICIPANT_LIST_CAP } from './roster-keeper.js';
export { MIN_MUTE_PACING_MS, MUTE_ALL_JOBS_COLLECTION, whyNotMutable, type MuteAllReport, type MuteAllResult } from './mute-all.js';
export { joinInputFor, type JoinInput } from './join-targets.js';
export type { JoinResult } from './meeting-joining.js';
export { meetingAccess, type MeetingAccess, type MeetingAccessFacts, type MeetingAccessUser, type MeetingRoleName } from './meeting-access.js';
export { MEETING_CHATS_COLLECTION, type MeetingChatInfo } from './meeting-chats.js';
