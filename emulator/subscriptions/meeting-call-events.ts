// A meeting's call as meetingCallEvents subscribers see it (changenotifications-for-onlinemeeting): the first person
// to join starts the call (callStarted, then a rosterUpdated naming them), each later join or leave is a rosterUpdated
// with participants@delta (a leave carries removedState), and the last one out ends it (rosterUpdated, then
// callEnded). The delta "depicts user participant changes": bots' legs are not in it.

import type { Conversation, Participant } from '../calls/call-model.js';
import type { ConversationObserver } from '../calls/calls-engine.js';
import type { CallEventParticipant, MeetingCallEvent } from './subscription-service.js';

/** The reason Graph's example gives for someone who left the call. */
export const LEFT_REASON = 'Participant has left the meeting call.';

export class MeetingCallEvents implements ConversationObserver {
  constructor(
    private readonly publish: (threadId: string, event: MeetingCallEvent) => void,
    private readonly tenantId: string,
  ) {}

  participantAdded(conversation: Conversation, participant: Participant): void {
    const threadId = conversation.threadId;
    if (conversation.kind !== 'meeting' || !threadId) return;
    const callChainId = conversation.callChainId;
    if (conversation.participants.size === 1) this.publish(threadId, { eventType: 'callStarted', callChainId });
    if (participant.kind === 'person') this.publish(threadId, { eventType: 'rosterUpdated', callChainId, participants: [this.delta(participant)] });
  }

  participantRemoved(conversation: Conversation, participant: Participant, emptied: boolean): void {
    const threadId = conversation.threadId;
    if (conversation.kind !== 'meeting' || !threadId) return;
    const callChainId = conversation.callChainId;
    if (participant.kind === 'person') {
      this.publish(threadId, { eventType: 'rosterUpdated', callChainId, participants: [{ ...this.delta(participant), removedState: { reason: LEFT_REASON } }] });
    }
    if (emptied) this.publish(threadId, { eventType: 'callEnded', callChainId });
  }

  private delta(p: Participant): CallEventParticipant {
    return {
      id: p.id,
      info: { identity: { user: { id: p.personId ?? p.id, displayName: p.displayName, tenantId: this.tenantId } } },
      isInLobby: p.isInLobby,
    };
  }
}
