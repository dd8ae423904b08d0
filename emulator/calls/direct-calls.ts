// After a transfer completes, the transferee and the target talk to each other without the bot: the calling service
// still carries that call — both are Busy / InACall — but no app hears of it (the bot's legs ended with 7015 or
// AppTransferred). These calls exist only as emulator truth: the control API lists them and hangs them up, which is
// how a test says "the agent's conversation with the caller is over". People on auto (npm start's default) end it by
// themselves after a minute of conversation, so a person put through to stays busy only for a while.

import { randomUUID } from 'node:crypto';
import type { Conversation } from './call-model.js';
import type { CallsEngine } from './calls-engine.js';

export interface DirectCall {
  id: string;
  /** Directory ids of the two people (the transferee first). */
  people: [string, string];
  since: string;
  /** The bot call whose transfer started it. */
  fromCallId: string;
  consultative: boolean;
  conversation: Conversation;
  endedAt?: string;
}

const MAX_KEPT = 500;
/** How long people on auto talk before one of them hangs up, in media time (divided by mediaSpeed). */
export const AUTO_TALK_MS = 60_000;

export class DirectCalls {
  private readonly calls = new Map<string, DirectCall>();

  constructor(private readonly engine: CallsEngine) {}

  start(transfereeId: string | undefined, targetId: string | undefined, from: { callId: string; consultative: boolean }): DirectCall | undefined {
    const a = transfereeId ? this.engine.person(transfereeId) : undefined;
    const b = targetId ? this.engine.person(targetId) : undefined;
    if (!a || !b) return undefined;
    const conversation = this.engine.newConversation('peerToPeer');
    this.engine.addPerson(conversation, a);
    this.engine.addPerson(conversation, b);
    const call: DirectCall = { id: randomUUID(), people: [a.id, b.id], since: new Date().toISOString(), fromCallId: from.callId, consultative: from.consultative, conversation };
    this.calls.set(call.id, call);
    this.prune();
    this.engine.events.emit('direct-call.started', { callId: from.callId, directCallId: call.id, people: call.people });
    const auto = call.people.find((p) => this.engine.behaviors.get(p).onCall === 'auto');
    if (auto) this.engine.scheduler.after(Math.round(AUTO_TALK_MS / this.engine.options.mediaSpeed), () => this.hangUp(call, auto));
    return call;
  }

  list(): DirectCall[] {
    return [...this.calls.values()];
  }

  get(id: string): DirectCall | undefined {
    return this.calls.get(id);
  }

  /** The live direct call a person is in. */
  forPerson(personId: string): DirectCall | undefined {
    return this.list().find((c) => !c.endedAt && c.people.some((p) => p.toLowerCase() === personId.toLowerCase()));
  }

  /** One of them hangs up: the call is over for both (their presence follows). */
  hangUp(call: DirectCall, by?: string): void {
    if (call.endedAt) return;
    call.endedAt = new Date().toISOString();
    call.conversation.ended = true;
    call.conversation.participants.clear();
    this.engine.events.emit('direct-call.ended', { callId: call.fromCallId, directCallId: call.id, by });
  }

  view(call: DirectCall): Record<string, unknown> {
    return {
      id: call.id,
      people: call.people.map((id) => ({ id, displayName: this.engine.person(id)?.displayName ?? id })),
      since: call.since,
      endedAt: call.endedAt ?? null,
      fromCallId: call.fromCallId,
      consultative: call.consultative,
    };
  }

  private prune(): void {
    for (const [id, call] of this.calls) {
      if (this.calls.size <= MAX_KEPT) return;
      if (call.endedAt) this.calls.delete(id);
    }
  }
}
