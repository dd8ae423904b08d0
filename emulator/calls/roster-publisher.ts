// Roster notifications for group calls and meetings: each update stamps rosterSequenceNumber on the participants that
// changed, then every connected bot leg gets the full participant array — or, when it asked for
// callOptions.isDeltaRosterEnabled, a deltaParticipants object with only what changed since its last one (left people
// flagged with removedState). Bursts (scripted attendees) are coalesced: schedule() sends at most one update per
// conversation per batch window, carrying the latest state.

import type { Conversation, EmulatedCall, Participant } from './call-model.js';
import { participantJson, participantsPath, type ParticipantJson } from './graph-shapes.js';
import type { WireDeltaParticipants } from '../../graph-models/index.js';
import type { CommsNotification } from './notifier.js';
import type { Cancel, Scheduler } from './scheduler.js';
import type { Variations } from './variations.js';

export interface RosterPublisherDeps {
  scheduler: Scheduler;
  variations: Variations;
  /** The window schedule() coalesces changes in. */
  batchMs: number;
  leg(callId: string): EmulatedCall | undefined;
  isConnected(call: EmulatedCall): boolean;
  send(call: EmulatedCall, notification: CommsNotification): void;
  /** Told after each published update (events for the console). */
  published(conversation: Conversation, info: { sequenceNumber: number; changed: number; removed: number; legs: number }): void;
}

interface RosterState {
  sequence: number;
  /** Participant id → its last published shape (fingerprint without rosterSequenceNumber, and the JSON). */
  published: Map<string, { fingerprint: string; json: ParticipantJson }>;
  /** Participants that left, kept until every delta leg has heard about it. */
  removed: Map<string, { sequence: number; json: ParticipantJson }>;
  /** Leg (call id) → the last sequence number it was sent. */
  legSequence: Map<string, number>;
  pending?: Cancel;
}

/** The removedState the emulator puts on a participant that left, in a delta roster. */
export const REMOVED_REASON = 'Participant left the conversation';

export class RosterPublisher {
  private readonly states = new WeakMap<Conversation, RosterState>();

  constructor(private readonly deps: RosterPublisherDeps) {}

  /** Publishes within the batch window (coalescing whatever else changes meanwhile). */
  schedule(conversation: Conversation): void {
    if (conversation.kind === 'peerToPeer') return;
    const state = this.state(conversation);
    if (state.pending) return;
    state.pending = this.deps.scheduler.after(this.deps.batchMs, () => {
      delete state.pending;
      this.publish(conversation);
    });
  }

  /**
   * Publishes now (any scheduled update is folded into this one). `justInvited`: participants an invite has just
   * brought in, printed once with `id: null` in full rosters as the participant-invite examples print them.
   */
  publish(conversation: Conversation, justInvited: ReadonlySet<string> = new Set()): void {
    if (conversation.kind === 'peerToPeer') return;
    const state = this.state(conversation);
    state.pending?.();
    delete state.pending;

    const current = [...conversation.participants.values()];
    const changed: Participant[] = [];
    for (const p of current) {
      const fingerprint = JSON.stringify(participantJson({ ...p, rosterSequenceNumber: undefined }));
      if (state.published.get(p.id)?.fingerprint !== fingerprint) changed.push(p);
      state.published.set(p.id, { fingerprint, json: { '@odata.type': '#microsoft.graph.participant' } }); // its JSON is filled in below
      state.removed.delete(p.id);
    }
    const leftIds = [...state.published.keys()].filter((id) => !conversation.participants.has(id));
    if (changed.length > 0 || leftIds.length > 0) {
      state.sequence += 1;
      for (const p of changed) p.rosterSequenceNumber = state.sequence;
      for (const id of leftIds) {
        state.removed.set(id, { sequence: state.sequence, json: state.published.get(id)!.json });
        state.published.delete(id);
      }
    }
    const full = current.map((p) => participantJson(p));
    full.forEach((json, i) => (state.published.get(current[i]!.id)!.json = json));
    let legs = 0;
    for (const legId of conversation.legs) {
      const leg = this.deps.leg(legId);
      if (!leg || !this.deps.isConnected(leg)) continue;
      const resourceUrl = participantsPath(leg.id);
      const resource = this.deps.variations.legacyResource(resourceUrl, 'roster');
      if (leg.callOptions?.isDeltaRosterEnabled === true) {
        const since = state.legSequence.get(leg.id);
        const participants = since === undefined ? full : this.delta(state, current, since);
        state.legSequence.set(leg.id, state.sequence);
        if (since !== undefined && participants.length === 0) continue;
        this.deps.send(leg, {
          changeType: 'updated',
          ...(resource ? { resource } : {}),
          resourceUrl,
          resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: state.sequence, participants } satisfies WireDeltaParticipants,
        });
      } else {
        state.legSequence.set(leg.id, state.sequence);
        const data = justInvited.size === 0 ? full : full.map((json, i) => (justInvited.has(current[i]!.id) ? { ...json, id: null } : json));
        // The meeting roster example (application-post-calls Example 5) carries the notification-level callbackUri.
        const callbackUri = conversation.kind === 'meeting' ? { callbackUri: leg.callbackUri } : {};
        this.deps.send(leg, { changeType: 'updated', ...(resource ? { resource } : {}), resourceUrl, ...callbackUri, resourceData: data });
      }
      legs += 1;
    }
    this.prune(conversation, state);
    // The people printed with `id: null` are named in the next update (chosen: the docs print only the first one).
    // They count as changed then (a new rosterSequenceNumber), so a client ordering full rosters takes the update.
    if (justInvited.size > 0) {
      for (const id of justInvited) {
        const published = state.published.get(id);
        if (published) published.fingerprint = '';
      }
      this.schedule(conversation);
    }
    if (changed.length > 0 || leftIds.length > 0) {
      this.deps.published(conversation, { sequenceNumber: state.sequence, changed: changed.length, removed: leftIds.length, legs });
    }
  }

  /** The current sequence number of a conversation's roster (0 before the first update). */
  sequence(conversation: Conversation): number {
    return this.states.get(conversation)?.sequence ?? 0;
  }

  cancel(conversation: Conversation): void {
    const state = this.states.get(conversation);
    state?.pending?.();
    if (state) delete state.pending;
  }

  private delta(state: RosterState, current: Participant[], since: number): ParticipantJson[] {
    const out: ParticipantJson[] = current.filter((p) => (p.rosterSequenceNumber ?? 0) > since).map((p) => participantJson(p));
    for (const [id, left] of state.removed) {
      if (left.sequence <= since) continue;
      out.push({
        ...left.json,
        id,
        rosterSequenceNumber: left.sequence,
        removedState: { '@odata.type': '#microsoft.graph.removedState', reason: REMOVED_REASON },
      });
    }
    return out;
  }

  /** Forgets departures every delta leg has been told about, and legs that left. */
  private prune(conversation: Conversation, state: RosterState): void {
    for (const legId of [...state.legSequence.keys()]) if (!conversation.legs.has(legId)) state.legSequence.delete(legId);
    const deltaLegs = [...state.legSequence.entries()].filter(([id]) => this.deps.leg(id)?.callOptions?.isDeltaRosterEnabled === true);
    if (deltaLegs.length === 0) {
      state.removed.clear();
      return;
    }
    const oldest = Math.min(...deltaLegs.map(([, seq]) => seq));
    for (const [id, left] of state.removed) if (left.sequence <= oldest) state.removed.delete(id);
  }

  private state(conversation: Conversation): RosterState {
    let state = this.states.get(conversation);
    if (!state) {
      state = { sequence: 0, published: new Map(), removed: new Map(), legSequence: new Map() };
      this.states.set(conversation, state);
    }
    return state;
  }
}
