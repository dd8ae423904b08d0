// Follows every call the calling service carries, from its first participant to its last (a P2P call, a group call, one
// run of a meeting), by callChainId: who was in it and when — and P2P calls the bot placed that nobody answered. When
// one ends, its call record is built after callRecordDelayMs — the delay Microsoft's pipeline has before one exists.

import type { CallKind, Conversation, Participant } from '../calls/call-model.js';
import type { CallsEngine, ConversationObserver } from '../calls/calls-engine.js';
import type { Cancel } from '../calls/scheduler.js';

export interface TrackedParticipant {
  participantId: string;
  kind: 'person' | 'bot';
  personId?: string;
  displayName: string;
  /** The bot leg (kind bot). */
  callId?: string;
  appId?: string;
  synthetic: boolean;
  joinedAt: string;
  leftAt?: string;
}

export interface EndedCall {
  callChainId: string;
  conversationId: string;
  kind: CallKind;
  threadId?: string;
  startedAt: string;
  endedAt: string;
  participants: TrackedParticipant[];
  /** Bot legs that were in the call, with their direction (who called whom in a P2P call). */
  legs: Array<{ callId: string; appId: string; appDisplayName: string; direction: 'incoming' | 'outgoing' }>;
}

interface ActiveCall {
  ended: Omit<EndedCall, 'endedAt'>;
  open: Map<string, TrackedParticipant>;
}

const MAX_SEEN = 10_000;

export class CallTracker implements ConversationObserver {
  private readonly active = new Map<string, ActiveCall>();
  private readonly pending = new Set<Cancel>();
  /** callChainIds that had participants (a call nobody ever joined is recorded when its leg ends). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly engine: CallsEngine,
    private readonly delayMs: () => number,
    private readonly ended: (call: EndedCall) => void,
  ) {
    engine.events.subscribe((event) => {
      if (event.type === 'call.ended' && event.callId) {
        try {
          this.unanswered(event.callId);
        } catch {
          // a bookkeeping failure must not unsubscribe the tracker
        }
      }
    });
  }

  /** A P2P call the bot placed that nobody answered (declined, busy, rang out): a record with the target, no media. */
  private unanswered(callId: string): void {
    const call = this.engine.calls.get(callId);
    if (!call || call.kind !== 'peerToPeer' || this.seen.has(call.callChainId)) return;
    const target = call.peerPersonId ? this.engine.person(call.peerPersonId) : undefined;
    const endedAt = new Date().toISOString();
    this.schedule({
      callChainId: call.callChainId,
      conversationId: call.conversation.id,
      kind: call.kind,
      startedAt: call.createdAt,
      endedAt,
      participants: target ? [{ participantId: target.id, kind: 'person', personId: target.id, displayName: target.displayName, synthetic: false, joinedAt: call.createdAt, leftAt: endedAt }] : [],
      legs: [{ callId: call.id, appId: call.appId, appDisplayName: call.appDisplayName, direction: call.direction }],
    });
  }

  private schedule(ended: EndedCall): void {
    const cancel = this.engine.scheduler.after(this.delayMs(), () => {
      this.pending.delete(cancel);
      this.ended(ended);
    });
    this.pending.add(cancel);
  }

  participantAdded(conversation: Conversation, p: Participant): void {
    let call = this.active.get(conversation.callChainId);
    if (!call) {
      call = {
        ended: {
          callChainId: conversation.callChainId,
          conversationId: conversation.id,
          kind: conversation.kind,
          ...(conversation.threadId ? { threadId: conversation.threadId } : {}),
          startedAt: new Date().toISOString(),
          participants: [],
          legs: [],
        },
        open: new Map(),
      };
      this.active.set(conversation.callChainId, call);
      if (this.seen.size >= MAX_SEEN) this.seen.delete(this.seen.values().next().value!);
      this.seen.add(conversation.callChainId);
    }
    const leg = p.callId ? this.engine.calls.get(p.callId) : undefined;
    const tracked: TrackedParticipant = {
      participantId: p.id,
      kind: p.kind,
      ...(p.personId ? { personId: p.personId } : {}),
      displayName: p.displayName,
      ...(p.callId ? { callId: p.callId } : {}),
      ...(leg ? { appId: leg.appId } : {}),
      synthetic: p.synthetic ?? false,
      joinedAt: new Date().toISOString(),
    };
    call.ended.participants.push(tracked);
    call.open.set(p.id, tracked);
    if (leg && !call.ended.legs.some((l) => l.callId === leg.id)) {
      call.ended.legs.push({ callId: leg.id, appId: leg.appId, appDisplayName: leg.appDisplayName, direction: leg.direction });
    }
  }

  participantRemoved(conversation: Conversation, p: Participant, emptied: boolean): void {
    const call = this.active.get(conversation.callChainId);
    if (!call) return;
    const tracked = call.open.get(p.id);
    if (tracked) {
      // Scripted attendees are marked synthetic after they were added.
      tracked.synthetic = tracked.synthetic || (p.synthetic ?? false);
      tracked.leftAt = new Date().toISOString();
      call.open.delete(p.id);
    }
    if (!emptied) return;
    this.active.delete(conversation.callChainId);
    this.schedule({ ...call.ended, endedAt: new Date().toISOString() });
  }

  /** Calls still going on (for the console), by callChainId. */
  ongoing(): string[] {
    return [...this.active.keys()];
  }

  get pendingRecords(): number {
    return this.pending.size;
  }
}
