// Content sharing in a call (resources/contentsharingsession, application-post-calls Example 1): when a person starts
// sharing their screen the conversation gets a contentSharingSession, and every connected bot leg that asked for it
// (callOptions.isContentSharingNotificationEnabled on create or answer) is told `created`; a presenter taking over is
// `updated` (chosen: the docs print an `updated` example without saying what causes it); sharing ending — the person
// stops or leaves — is `deleted`. The notification's resourceUrl is `…/contentsharingsessions` in lower case without the
// session id, and resourceData is an array of `{ @odata.type, id }` (v1.0 has only `id`), exactly as the example prints.
// Chosen: one session per conversation at a time (Teams shows one presenter); a leg established while someone shares
// is told `created` for that session; the bot's own changeScreenSharingRole opens no session (app-hosted media).

import { randomBytes } from 'node:crypto';
import type { CallingEvents } from './calling-events.js';
import type { Conversation, EmulatedCall, Json, Participant } from './call-model.js';
import { callPath } from './graph-shapes.js';
import type { CommsNotification } from './notifier.js';
import type { Graph, WithODataType } from '../../graph-models/index.js';

export interface SharingSession {
  /** 64 upper-case hex digits, like the documented example's id. */
  id: string;
  participantId: string;
  startedAt: string;
}

export interface ContentSharingDeps {
  leg(callId: string): EmulatedCall | undefined;
  isConnected(call: EmulatedCall): boolean;
  send(call: EmulatedCall, notification: CommsNotification): void;
  events: CallingEvents;
}

export const contentSharingSessionsPath = (callId: string): string => `${callPath(callId)}/contentsharingsessions`;

export function contentSharingSessionJson(session: SharingSession): Json {
  return { '@odata.type': '#microsoft.graph.contentSharingSession', id: session.id } satisfies WithODataType<Graph.ContentSharingSession>;
}

export function wantsContentSharing(call: EmulatedCall): boolean {
  return call.callOptions?.isContentSharingNotificationEnabled === true;
}

export class ContentSharing {
  /** Conversation id → its session. */
  private readonly sessions = new Map<string, SharingSession>();

  constructor(private readonly deps: ContentSharingDeps) {}

  current(conversation: Conversation): SharingSession | undefined {
    return this.sessions.get(conversation.id);
  }

  /** A person starts or stops sharing; false when nothing changed. Updates sharingRole (the roster's screen-sharing stream). */
  share(conversation: Conversation, participant: Participant, sharing: boolean): boolean {
    const session = this.sessions.get(conversation.id);
    if (sharing) {
      if (participant.sharingRole === 'sharer') return false;
      participant.sharingRole = 'sharer';
      if (session) {
        const previous = conversation.participants.get(session.participantId);
        if (previous) previous.sharingRole = 'viewer';
        session.participantId = participant.id;
        this.publish(conversation, 'updated', session);
      } else {
        const created: SharingSession = { id: randomBytes(32).toString('hex').toUpperCase(), participantId: participant.id, startedAt: new Date().toISOString() };
        this.sessions.set(conversation.id, created);
        this.publish(conversation, 'created', created);
      }
      return true;
    }
    if (participant.sharingRole !== 'sharer') return false;
    participant.sharingRole = 'viewer';
    if (session?.participantId === participant.id) this.end(conversation, session);
    return true;
  }

  /** The presenter left the conversation: their session ends. */
  participantRemoved(conversation: Conversation, participant: Participant): void {
    const session = this.sessions.get(conversation.id);
    if (session?.participantId === participant.id) this.end(conversation, session);
  }

  /** A leg that asked for content sharing notifications is established while someone shares: it is told `created`. */
  legEstablished(call: EmulatedCall): void {
    const session = this.sessions.get(call.conversation.id);
    if (session && wantsContentSharing(call)) this.deps.send(call, notification(call, 'created', session));
  }

  private end(conversation: Conversation, session: SharingSession): void {
    this.sessions.delete(conversation.id);
    this.publish(conversation, 'deleted', session);
  }

  private publish(conversation: Conversation, changeType: 'created' | 'updated' | 'deleted', session: SharingSession): void {
    const legs = [...conversation.legs].map((id) => this.deps.leg(id)).filter((c): c is EmulatedCall => Boolean(c));
    let notified = 0;
    for (const call of legs) {
      if (!this.deps.isConnected(call) || !wantsContentSharing(call)) continue;
      this.deps.send(call, notification(call, changeType, session));
      notified += 1;
    }
    this.deps.events.emit(`content-sharing.${changeType}`, {
      conversationId: conversation.id,
      ...(conversation.threadId ? { threadId: conversation.threadId } : {}),
      sessionId: session.id,
      participantId: session.participantId,
      notifiedLegs: notified,
    });
  }
}

function notification(call: EmulatedCall, changeType: 'created' | 'updated' | 'deleted', session: SharingSession): CommsNotification {
  return { changeType, resourceUrl: contentSharingSessionsPath(call.id), resourceData: [contentSharingSessionJson(session)] };
}
