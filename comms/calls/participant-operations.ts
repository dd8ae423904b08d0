// The operations on a call's participants: the roster (read back and stored), invitations, muting and removing
// others, and hold music. Each runs through CallOperations (errors recorded, retries, waiting for completion).
import { CALL_EVENTS } from './call-events.js';
import { isPeerToPeer } from './call-session.js';
import type { CommsOperation, Participant } from './graph-shapes.js';
import type * as media from './media-actions.js';
import * as participantActions from './participant-actions.js';
import type { OperationOptions } from './call-options.js';
import type { CallOperations } from './call-operations.js';
import type { CallStore } from './call-store.js';
import type { CallCore } from './call-core.js';

export class ParticipantOperations {
  constructor(
    private readonly core: CallCore,
    private readonly ops: CallOperations,
    private readonly calls: CallStore,
  ) {}

  async listParticipants(callId: string): Promise<Participant[]> {
    await this.ops.requireCall(callId);
    const participants = await this.ops.step(callId, 'list participants', () => participantActions.listParticipants(this.core.graph, callId));
    await this.calls.updateRoster(callId, (r) => ({ ...r, participants }));
    return participants;
  }

  async getParticipant(callId: string, participantId: string): Promise<Participant> {
    await this.ops.requireCall(callId);
    return this.ops.step(callId, 'get participant', () => participantActions.getParticipant(this.core.graph, callId, participantId));
  }

  async invite(callId: string, invitees: participantActions.Invitee[], options: OperationOptions = {}): Promise<CommsOperation> {
    const session = await this.ops.requireLive(callId);
    const escalates = isPeerToPeer(session) && !invitees.some((i) => i.replacesCallId);
    // Never repeated after an ambiguous failure: a second invite could ring the person twice (calls/outcome-unknown).
    const op = await this.ops.step(callId, 'invite', () => this.ops.send(callId, 'invite', 'fail', () => participantActions.inviteParticipants(this.core.graph, callId, invitees, options)));
    // Inviting into a peer-to-peer call escalates it: from now on Graph sends no roster for it (wave2-facts §2.6).
    if (escalates) await this.markRosterUnavailable(callId);
    return this.ops.await(callId, op, options.timeoutMs);
  }

  private async markRosterUnavailable(callId: string): Promise<void> {
    let before: Participant[] = [];
    await this.calls.updateRoster(callId, (r) => {
      before = r.participants;
      return { ...r, participants: [], rosterUnavailable: 'escalated' };
    });
    this.core.bus.publish({ type: CALL_EVENTS.participants, callId, joined: [], left: before, updated: [], count: 0, unavailable: 'escalated', at: this.core.iso(this.core.now()) });
    this.core.logger.info({ callId }, 'the call became a group call: Graph sends no roster for it any more');
  }

  async muteParticipant(callId: string, participantId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'mute participant', () => participantActions.muteParticipant(this.core.graph, callId, participantId, options));
  }

  async removeParticipant(callId: string, participantId: string): Promise<void> {
    await this.ops.requireLive(callId);
    await this.ops.step(callId, 'remove participant', () => participantActions.removeParticipant(this.core.graph, callId, participantId));
  }

  async startHoldMusic(callId: string, participantId: string, options: OperationOptions & { customPrompt?: media.PromptInput } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    const op = await this.ops.step(callId, 'startHoldMusic', () => participantActions.startHoldMusic(this.core.graph, callId, participantId, options));
    return this.ops.await(callId, op, options.timeoutMs);
  }

  async stopHoldMusic(callId: string, participantId: string, options: OperationOptions = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    const op = await this.ops.step(callId, 'stopHoldMusic', () => participantActions.stopHoldMusic(this.core.graph, callId, participantId, options));
    return this.ops.await(callId, op, options.timeoutMs);
  }
}
