// The calling service's state: a call is one bot leg (what /communications/calls/{id} names); legs that share a
// conversation (a group call, or a meeting keyed by its chat thread) see the same roster of participants.

import type { ResultCode } from './result-codes.js';

export type CallState =
  | 'incoming' | 'establishing' | 'established' | 'hold' | 'transferring' | 'transferAccepted' | 'redirecting' | 'terminating' | 'terminated';
export type CallKind = 'peerToPeer' | 'groupCall' | 'meeting';
export type Json = Record<string, unknown>;

export interface Participant {
  id: string;
  kind: 'person' | 'bot';
  /** Directory id of an emulated person. */
  personId?: string;
  /** The bot leg this participant is (for kind 'bot'). */
  callId?: string;
  displayName: string;
  /** The participant's identitySet as Graph prints it. */
  identity: Json;
  isMuted: boolean;
  isInLobby: boolean;
  onHold: boolean;
  sharingRole: 'viewer' | 'sharer';
  recordingStatus?: string;
  joinedAt: string;
}

export interface Conversation {
  id: string;
  kind: CallKind;
  threadId?: string;
  participants: Map<string, Participant>;
  /** Bot legs (call ids) currently in the conversation. */
  legs: Set<string>;
  ended: boolean;
}

export type OperationType =
  | 'playPrompt' | 'recordResponse' | 'subscribeToTone' | 'sendDtmfTones' | 'cancelMediaProcessing' | 'mute' | 'unmute'
  | 'updateRecordingStatus' | 'invite' | 'muteParticipant';

export interface OperationRecord {
  id: string;
  type: OperationType;
  /** Graph's @odata.type for the operation. */
  odataType: string;
  status: 'notStarted' | 'running' | 'completed' | 'failed';
  clientContext?: string;
  createdAt: string;
  completedAt?: string;
  resultInfo?: ResultCode;
  completionReason?: string;
  /** Type-specific fields echoed in Graph's shape (participants of an invite, recordingLocation…). */
  extra: Json;
}

export interface PromptRecord {
  operationId: string;
  uri: string;
  clientContext?: string;
  status: 'queued' | 'playing' | 'played' | 'failed' | 'cancelled';
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  problem?: string;
}

export interface ToneRecord {
  person?: string;
  tone: string;
  time: string;
  /** The sequenceId sent to the bot, when it was subscribed. */
  sequenceId?: number;
  notified: boolean;
}

export interface NotificationRecord {
  seq: number;
  time: string;
  changeType: string;
  resourceUrl: string;
  state?: string;
  status: 'queued' | 'delivered' | 'failed' | 'dropped' | 'held';
  httpStatus?: number;
  attempts: number;
  fault?: string;
}

export interface EmulatedCall {
  id: string;
  appId: string;
  appDisplayName: string;
  tenantId: string;
  kind: CallKind;
  direction: 'incoming' | 'outgoing';
  state: CallState;
  /** Where notifications for this call go now. */
  callbackUri: string;
  callChainId: string;
  myParticipantId: string;
  source: Json;
  targets: Json[];
  requestedModalities: string[];
  mediaConfig?: Json;
  mediaHosting: 'service' | 'app';
  chatInfo?: Json;
  meetingInfo?: Json;
  subject?: string;
  callOptions?: Json;
  conversation: Conversation;
  /** The person who dialled the bot (incoming) or the P2P target (outgoing). */
  peerPersonId?: string;
  createdAt: string;
  answeredAt?: string;
  endedAt?: string;
  resultInfo?: ResultCode;
  terminationReason?: string;
  endReason?: string;
  etag: number;
  toneSubscribed: boolean;
  toneSequence: number;
  tones: ToneRecord[];
  prompts: PromptRecord[];
  dtmfSent: string[];
  operations: Map<string, OperationRecord>;
  notifications: NotificationRecord[];
  recordings: string[];
  /** Invited people still ringing: participant id → person id (DELETE participants/{id} cancels them). */
  pendingInvites: Map<string, string>;
  mediaState: 'active' | 'inactive';
  rejectReason?: string;
  /** outcome: ringing | answered | voicemail (answeredBy = the voicemail's owner) | forwarded-to-app | unanswered | cancelled. */
  redirect?: { targets: string[]; outcome: string; answeredBy?: string };
  transfer?: { target: string; outcome: string };
  keepAliveAt: string;
}
