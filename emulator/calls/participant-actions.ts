// The participants of a call (call-list-participants, participant-get) and what the bot may do to them:
// invite (participant-invite, ≤ 5, replacesCallId moves a P2P call in), mute (participant-mute), remove
// (participant-delete; also cancels a pending invitation), hold music (participant-startholdmusic / -stopholdmusic).

import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { GraphError } from '../graph/graph-error.js';
import type { EmulatedCall, Json, OperationRecord, Participant } from './call-model.js';
import { requireConnected, requireGroup } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { requireInstanceForPhone } from './pstn.js';
import { identity, invitationParticipantInfo, operationJson, participantJson } from './graph-shapes.js';
import type { inviteSchema, startHoldMusicSchema } from './graph-request-schemas.js';
import { RESULTS, type ResultCode } from './result-codes.js';
import type { RingOutcome } from './ringing.js';

/**
 * Peer-to-peer calls the bot has invited someone into: an "escalation" to a multiparty call, after which Graph sends
 * the bot no roster updates and list participants answers an empty list (calls overview; microsoft-graph-comms-samples
 * #140, #166; wave2-facts §2.6). The emulator's rule (chosen from those reports): from the invite on, no roster
 * notification for the call (a P2P call never had one) and `GET …/participants` → `{ value: [] }`.
 */
const escalated = new WeakSet<EmulatedCall>();

export function isEscalated(call: EmulatedCall): boolean {
  return escalated.has(call);
}

export function listParticipants(call: EmulatedCall): Json[] {
  if (escalated.has(call)) return [];
  return [...call.conversation.participants.values()].map(participantJson);
}

export function getParticipant(call: EmulatedCall, participantId: string): Json {
  const p = call.conversation.participants.get(participantId) ?? [...call.conversation.participants.values()].find((x) => x.id.toLowerCase() === participantId.toLowerCase());
  if (!p) throw new GraphError(404, 'itemNotFound', `Participant '${participantId}' was not found in call '${call.id}'.`);
  return participantJson(p);
}

/** Starts the invite; returns the operation and the 200 response body (participants echoed as the docs print them). */
export function invite(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof inviteSchema>): { op: OperationRecord; json: Json } {
  requireConnected(call, 'invite participants');
  const replacesCallId = body.participants[0]?.replacesCallId ?? undefined;
  if (call.kind === 'peerToPeer') {
    if (replacesCallId || body.participants.length > 1) throw new GraphError(400, 'BadRequest', 'A peer-to-peer call can invite one participant, without replacesCallId.');
    escalated.add(call);
    engine.events.emit('call.escalated', { callId: call.id });
  }
  const invitees = replacesCallId ? body.participants.slice(0, 1) : body.participants;
  if (invitees.length > 1 && !call.chatInfo) {
    throw new GraphError(400, 'BadRequest', 'Inviting more than one participant needs a call with a valid chatInfo (a bot-created group call has none): invite one at a time.');
  }
  for (const [i, p] of invitees.entries()) {
    if (!(p.identity.user?.id || p.identity.phone?.id || p.identity.application?.id)) {
      throw new GraphError(400, 'BadRequest', `participants[${i}].identity needs a user, application or phone identity with an id.`);
    }
  }
  requireInstanceForPhone(engine, call, invitees.map((p) => p.identity), 'Inviting');
  const tenantId = call.tenantId;
  const withTenant = (id: Json | null | undefined) => (id ? identity({ ...(id as { id: string }), tenantId: (id.tenantId as string | undefined) ?? tenantId }) : null);
  const completionParticipants = invitees.map((p) => invitationParticipantInfo({ '@odata.type': '#microsoft.graph.identitySet', ...(p.identity.user ? { user: withTenant(p.identity.user) } : {}), ...(p.identity.phone ? { phone: withTenant(p.identity.phone) } : {}), ...(p.identity.application ? { application: withTenant(p.identity.application) } : {}) }));
  const op = engine.newOperation(call, 'invite', '#microsoft.graph.inviteParticipantsOperation', body.clientContext, 'running', { participants: completionParticipants });
  const echo = invitees.map((p) => ({
    endpointType: p.endpointType ?? null,
    id: null,
    replacesCallId: p.replacesCallId ?? null,
    identity: { user: withTenant(p.identity.user), application: withTenant(p.identity.application), device: null, phone: withTenant(p.identity.phone) },
  }));
  const json = { ...operationJson(op, engine.variations.inviteStatus('running')), participants: echo };

  if (replacesCallId) {
    moveP2pCall(engine, call, op, replacesCallId, invitees[0]!.identity.user?.id ?? undefined);
    return { op, json };
  }

  let pending = invitees.length;
  let joined = 0;
  const joinedIds = new Set<string>();
  let failure: ResultCode | undefined;
  for (const invitee of invitees) {
    const personId = invitee.identity.user?.id ?? invitee.identity.phone?.id ?? undefined;
    const participantId = invitee.participantId ?? randomUUID();
    if (personId) call.pendingInvites.set(participantId, personId);
    engine.ring(personId, call.id, 'invite', (outcome, user) => {
      pending -= 1;
      call.pendingInvites.delete(participantId);
      if (call.state === 'terminated') return;
      if (outcome === 'answered' && user) {
        joined += 1;
        joinedIds.add(engine.addPerson(call.conversation, user, participantId).id);
      } else {
        failure ??= inviteFailure(outcome);
      }
      if (pending > 0) return;
      if (joined > 0) {
        engine.finishOperation(call, op, { status: 'completed' });
        // participant-invite, "roster updated with participant added": the people just invited print `id: null`.
        engine.notifyRoster(call.conversation, joinedIds);
      } else {
        engine.finishOperation(call, op, { status: 'failed', result: failure ?? RESULTS.inviteUnanswered });
      }
    });
  }
  return { op, json };
}

/** replacesCallId: the P2P call's peer joins this group call without ringing; the P2P call then ends. */
function moveP2pCall(engine: CallsEngine, call: EmulatedCall, op: OperationRecord, replacesCallId: string, personId: string | undefined): void {
  engine.scheduler.after(engine.options.notificationDelayMs, () => {
    if (call.state === 'terminated') return;
    const p2p = engine.calls.get(replacesCallId.toLowerCase());
    const user = personId ? engine.person(personId) : undefined;
    const valid = p2p && user && p2p.appId === call.appId && p2p.kind === 'peerToPeer' && p2p.state === 'established'
      && p2p.peerPersonId?.toLowerCase() === user.id.toLowerCase();
    if (!valid || !user || !p2p) {
      engine.finishOperation(call, op, { status: 'failed', result: RESULTS.inviteReplaceFailed });
      return;
    }
    const moved = engine.addPerson(call.conversation, user);
    engine.finishOperation(call, op, { status: 'completed' });
    engine.notifyRoster(call.conversation, new Set([moved.id]));
    engine.events.emit('call.replaced', { callId: p2p.id, by: call.id, person: user.id });
    engine.endCall(p2p, { reason: `moved into group call ${call.id}`, result: RESULTS.replacedByGroupCall });
  });
}

export function muteParticipant(engine: CallsEngine, call: EmulatedCall, participantId: string, clientContext: string | undefined): Json {
  requireGroup(call, 'Muting a participant');
  requireConnected(call, 'mute a participant');
  const p = call.conversation.participants.get(participantId);
  if (!p) throw new GraphError(404, 'itemNotFound', `Participant '${participantId}' was not found in call '${call.id}'.`);
  const op = engine.newOperation(call, 'muteParticipant', '#microsoft.graph.muteParticipantOperation', clientContext, 'completed');
  if (!p.isMuted) {
    p.isMuted = true;
    engine.events.emit('participant.muted', { callId: call.id, participantId, by: 'bot' });
    engine.notifyRoster(call.conversation);
  }
  return { ...operationJson(op), '@odata.context': `${engine.deps.graphUrl}/$metadata#muteParticipantOperation` };
}

export function removeParticipant(engine: CallsEngine, call: EmulatedCall, participantId: string): void {
  requireGroup(call, 'Removing a participant');
  const pendingPerson = call.pendingInvites.get(participantId);
  if (pendingPerson) {
    engine.ringing.find(call.id, pendingPerson)?.settle('cancelled');
    return;
  }
  const p = call.conversation.participants.get(participantId);
  if (!p) throw new GraphError(404, 'itemNotFound', `Participant '${participantId}' was not found in call '${call.id}'.`);
  if (p.kind === 'bot') throw new GraphError(400, 'BadRequest', 'To remove the bot itself, hang up its call leg with DELETE /communications/calls/{id}.');
  call.conversation.participants.delete(participantId);
  engine.events.emit('participant.removed', { callId: call.id, participantId, person: p.personId });
  engine.notifyRoster(call.conversation);
}

function inviteFailure(outcome: RingOutcome): ResultCode {
  switch (outcome) {
    case 'declined':
      return RESULTS.inviteDeclined;
    case 'busy':
      return RESULTS.inviteBusy;
    case 'no-endpoint':
      return RESULTS.inviteNoEndpoints;
    case 'cancelled':
      return RESULTS.inviteCancelled;
    default:
      return RESULTS.inviteUnanswered;
  }
}

/**
 * participant-startholdmusic: `202` + a `running` startHoldMusicOperation; the media service fetches the customPrompt
 * (if any) and the operation completes (`deleted` notification, status completed) once the music plays, or fails with
 * the prompt's resultInfo (chosen: the docs print no failure). "Only one participant can be placed on hold at any given
 * time" (page note): holding a second one is refused (chosen: 400, no error is documented). Holding the participant
 * already on hold changes the music. The bot's own participant cannot be held (chosen: 400). Graph documents no
 * participant property or roster change while held: the emulator keeps it as truth (control view `holdMusic`).
 */
export function startHoldMusic(engine: CallsEngine, call: EmulatedCall, participantId: string, body: z.infer<typeof startHoldMusicSchema>): OperationRecord {
  requireConnected(call, 'start hold music');
  const p = heldCandidate(call, participantId, 'put on hold');
  const other = [...call.conversation.participants.values()].find((x) => x.holdMusic && x.id !== p.id);
  if (other) throw new GraphError(400, 'BadRequest', `Only one participant can be placed on hold at any given time: participant '${other.id}' is on hold (stopHoldMusic first).`);
  const op = engine.newOperation(call, 'startHoldMusic', '#microsoft.graph.startHoldMusicOperation', body.clientContext, 'running');
  const uri = body.customPrompt?.mediaInfo.uri;
  p.holdMusic = { operationId: op.id, ...(uri ? { uri } : {}), since: new Date().toISOString() };
  engine.events.emit('participant.hold-music-started', { callId: call.id, participantId: p.id, person: p.personId, operationId: op.id, custom: Boolean(uri) });
  const finish = (outcome: 'ok' | ResultCode) => {
    if (outcome !== 'ok' && p.holdMusic?.operationId === op.id) delete p.holdMusic;
    engine.finishOperation(call, op, outcome === 'ok' ? { status: 'completed' } : { status: 'failed', result: outcome });
  };
  if (!uri) {
    engine.scheduler.after(engine.options.notificationDelayMs, () => finish('ok'));
    return op;
  }
  const resourceId = body.customPrompt?.mediaInfo.resourceId;
  void engine.fetcher.fetch(uri, new AbortController().signal, resourceId ? { appId: call.appId, resourceId } : undefined).then(
    (media) => finish(media.ok ? 'ok' : media.kind === 'format' ? RESULTS.promptBadFormat : RESULTS.promptUnreachable),
    () => undefined, // the emulator is closing
  );
  return op;
}

/**
 * participant-stopholdmusic: `202` + a `running` stopHoldMusicOperation, completed by a `deleted` notification; the
 * participant rejoins the call. Stopping for a participant who is not on hold completes too (chosen: nothing to undo).
 */
export function stopHoldMusic(engine: CallsEngine, call: EmulatedCall, participantId: string, clientContext: string | undefined): OperationRecord {
  requireConnected(call, 'stop hold music');
  const p = heldCandidate(call, participantId, 'take off hold');
  const op = engine.newOperation(call, 'stopHoldMusic', '#microsoft.graph.stopHoldMusicOperation', clientContext, 'running');
  const wasHeld = Boolean(p.holdMusic);
  delete p.holdMusic;
  if (wasHeld) engine.events.emit('participant.hold-music-stopped', { callId: call.id, participantId: p.id, person: p.personId, operationId: op.id });
  engine.scheduler.after(engine.options.notificationDelayMs, () => engine.finishOperation(call, op, { status: 'completed' }));
  return op;
}

function heldCandidate(call: EmulatedCall, participantId: string, what: string): Participant {
  const p = call.conversation.participants.get(participantId) ?? [...call.conversation.participants.values()].find((x) => x.id.toLowerCase() === participantId.toLowerCase());
  if (!p) throw new GraphError(404, 'itemNotFound', `Participant '${participantId}' was not found in call '${call.id}'.`);
  if (p.kind === 'bot') throw new GraphError(400, 'BadRequest', `The bot's own participant cannot be ${what}: hold music is for the other participants.`);
  return p;
}
