// The one table of event names comms/calls publishes on the bus, and the payload each carries.
import type { CallDirection, CallState, ChatInfo, InvitationParticipantInfo, Participant, ParticipantInfo, ResultInfo } from './graph-shapes.js';

export const CALL_EVENTS = {
  /** A new incoming call: decide within 15 s (answer / reject / redirect). */
  incoming: 'call.incoming',
  state: 'call.state',
  tone: 'call.tone',
  operation: 'call.operation',
  participants: 'call.participants',
  error: 'call.error',
  /** A call whose create answer was lost, found again by its correlation id (see create-claims.ts). */
  adopted: 'call.adopted',
  /** Someone started or stopped sharing content (contentSharingSession notifications; see content-sharing.ts). */
  sharing: 'call.sharing',
  /** Cluster only: an instance stored a new call; instances holding early notifications for it apply them. */
  stored: 'call.stored',
} as const;

export type CallEventType = (typeof CALL_EVENTS)[keyof typeof CALL_EVENTS];

export type CallIncomingEvent = {
  type: 'call.incoming';
  callId: string;
  tenantId: string;
  direction?: CallDirection;
  source?: ParticipantInfo;
  targets?: InvitationParticipantInfo[];
  requestedModalities?: string[];
  meetingInfo?: Record<string, unknown>;
  chatInfo?: ChatInfo;
  incomingContext?: Record<string, unknown>;
  myParticipantId?: string;
  callChainId?: string;
};

export type CallStateEvent = {
  type: 'call.state';
  callId: string;
  state: CallState;
  previous: CallState;
  resultInfo?: ResultInfo;
  terminationReason?: string;
};

export type CallToneEvent = { type: 'call.tone'; callId: string; tone: string; sequenceId: number };

export type CallOperationEvent = {
  type: 'call.operation';
  callId: string;
  operationId: string;
  /** e.g. playPromptOperation, recordOperation, inviteParticipantsOperation */
  operationType: string;
  status: string;
  resultInfo?: ResultInfo;
  clientContext?: string;
  completionReason?: string;
  /** recordOperation only: whether a recording is ready (its location and token are never published). */
  hasRecording?: boolean;
};

export type CallParticipantsEvent = {
  type: 'call.participants';
  callId: string;
  joined: Participant[];
  left: Participant[];
  updated: Participant[];
  /** Size of the roster after the change. */
  count: number;
  /** Graph stopped sending the roster (an escalated peer-to-peer call): the list is gone, not empty. */
  unavailable?: 'escalated';
};

export type CallErrorEvent = { type: 'call.error'; callId: string; code: string; message: string };

export type CallAdoptedEvent = { type: 'call.adopted'; callId: string; correlationId: string; state: CallState; purpose?: string };

export type CallSharingEvent = {
  type: 'call.sharing';
  callId: string;
  /** started (created), updated (e.g. another presenter took over), ended (deleted). */
  change: 'started' | 'updated' | 'ended';
  sessionId: string;
  /** Whether any session is still open after this change. */
  sharing: boolean;
  /**
   * Who is presenting, when known: beta's presenterParticipantId, else the one participant whose roster entry sends a
   * screen-sharing stream (v1.0 notifications name no presenter). Absent when the roster is silent or ambiguous.
   */
  presenter?: { participantId: string; userId?: string; displayName?: string };
};

export type CallStoredEvent = { type: 'call.stored'; callId: string };

export type CallEvent = CallIncomingEvent | CallStateEvent | CallToneEvent | CallOperationEvent | CallParticipantsEvent | CallErrorEvent | CallAdoptedEvent | CallSharingEvent | CallStoredEvent;
