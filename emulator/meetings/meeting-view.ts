// The emulator's own view of a meeting for the console and tests (GET /emulator/meetings): its coordinates, whether
// its call is on, the bot legs in it, and the live roster — the truth the app's roster is compared against.

import type { Conversation, Json, Participant } from '../calls/call-model.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import { teamsMeetingId } from './join-link.js';
import type { OnlineMeetingRecord } from './meeting-model.js';

export function meetingView(engine: CallsEngine, threadId: string, meeting: OnlineMeetingRecord | undefined, conversation: Conversation | undefined): Json {
  const participants = conversation ? [...conversation.participants.values()] : [];
  const people = participants.filter((p) => p.kind === 'person');
  return {
    id: meeting?.id ?? null,
    threadId,
    teamsMeetingId: teamsMeetingId(threadId),
    subject: meeting?.subject ?? null,
    organizerId: meeting?.organizerId ?? null,
    joinWebUrl: meeting?.joinWebUrl ?? null,
    joinMeetingId: meeting?.joinMeetingId ?? null,
    passcode: meeting?.passcode ?? null,
    startDateTime: meeting?.startDateTime ?? null,
    endDateTime: meeting?.endDateTime ?? null,
    /** active: someone (person or bot) is in the meeting's call. */
    state: participants.length > 0 ? 'active' : 'idle',
    callChainId: conversation && participants.length > 0 ? conversation.callChainId : null,
    rosterSequenceNumber: conversation ? engine.roster.sequence(conversation) : 0,
    botCallIds: conversation ? [...conversation.legs] : [],
    peopleCount: people.length,
    people: people.map(personEntry),
    bots: participants.filter((p) => p.kind === 'bot').map((p) => ({ participantId: p.id, callId: p.callId ?? null, displayName: p.displayName, isMuted: p.isMuted })),
  };
}

/** One person in a meeting's roster, as the control API shows them. */
export function personEntry(p: Participant): Json {
  return {
    participantId: p.id,
    personId: p.personId ?? null,
    displayName: p.displayName,
    synthetic: p.synthetic ?? false,
    isMuted: p.isMuted,
    handRaised: p.handRaised ?? false,
    sharing: p.sharingRole === 'sharer',
    onHold: p.onHold,
    rosterSequenceNumber: p.rosterSequenceNumber ?? null,
    joinedAt: p.joinedAt,
  };
}
