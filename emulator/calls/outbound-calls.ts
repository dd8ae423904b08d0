// POST /communications/calls (application-post-calls): a peer-to-peer call to one target, a group call to up to 5,
// or joining a meeting (organizerMeetingInfo + chatInfo, or joinMeetingIdMeetingInfo); the targets ring as their
// emulated people behave, and the bot hears about it in the documented notification sequences.

import type { z } from 'zod';
import { GraphError } from '../graph/graph-error.js';
import type { GraphPrincipal } from '../graph/graph-auth.js';
import type { RegisteredApp } from '../identity/app-registry.js';
import { stableGuid } from '../identity/stable-id.js';
import type { EmulatedCall, Json } from './call-model.js';
import { requireCallbackUri, requireRole, ROLE } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { appIdentitySet, participantInfo } from './graph-shapes.js';
import { checkPstnCreate, sourceInstance } from './pstn.js';
import type { createCallSchema } from './graph-request-schemas.js';
import { RESULTS, type ResultCode } from './result-codes.js';
import type { RingOutcome } from './ringing.js';

type CreateCallBody = z.infer<typeof createCallSchema>;
const MAX_GROUP_TARGETS = 5;

export function createCall(engine: CallsEngine, app: RegisteredApp, principal: GraphPrincipal, body: CreateCallBody): EmulatedCall {
  requireCallbackUri(body.callbackUri);
  const targets = body.targets ?? [];
  const meetingType = body.meetingInfo ? String(body.meetingInfo['@odata.type']).replace(/^#?microsoft\.graph\./, '') : undefined;
  for (const [i, t] of targets.entries()) {
    const id = t.identity.user?.id ?? t.identity.application?.id ?? t.identity.applicationInstance?.id ?? t.identity.phone?.id ?? t.identity.guest?.id;
    if (!id) throw new GraphError(400, 'BadRequest', `targets[${i}].identity needs a user, application or phone identity with an id.`);
  }

  // PSTN (Example 9): the source is an application instance linked to the token's app id, and tenantId is given.
  const instance = sourceInstance(engine, app, body.source);
  checkPstnCreate(targets, instance, body.tenantId);

  const source = body.source
    ? { '@odata.type': '#microsoft.graph.participantInfo', ...(instance ? { countryCode: null, endpointType: null, region: null, languageId: null } : {}), ...body.source }
    : participantInfo(appIdentitySet(app.clientId, app.displayName), { countryCode: null, endpointType: null, region: null, languageId: null });
  // A phone target is echoed with region and languageId as Example 9's response prints them.
  const echoTargets = targets.map((t) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', endpointType: null, ...(t.identity.phone ? { region: null } : {}), replacesCallId: null, ...(t.identity.phone ? { languageId: null } : {}), ...t }));
  const common = {
    app,
    direction: 'outgoing' as const,
    state: 'establishing' as const,
    callbackUri: body.callbackUri,
    source,
    targets: echoTargets,
    ...(body.requestedModalities ? { requestedModalities: body.requestedModalities } : {}),
    mediaConfig: body.mediaConfig as Json,
    ...(body.subject ? { subject: body.subject } : {}),
    ...(body.callOptions ? { callOptions: body.callOptions as Json } : {}),
    ...(body.tenantId ? { tenantId: body.tenantId } : {}),
  };

  if (meetingType) {
    requireRole(principal, ROLE.joinGroup);
    const { threadId, chatInfo, failure } = meetingThread(engine, meetingType, body);
    if (failure) {
      // The service accepts the join (201), then cannot find the meeting: establishing, then deleted with the failure.
      const call = engine.newCall({ ...common, kind: 'meeting', conversation: engine.newConversation('meeting'), chatInfo, meetingInfo: body.meetingInfo as Json });
      engine.notifyState(call);
      engine.scheduler.after(engine.options.notificationDelayMs, () => engine.endCall(call, { reason: failure.message, result: failure }));
      return call;
    }
    const call = engine.newCall({ ...common, kind: 'meeting', conversation: engine.meetingConversation(threadId), chatInfo, meetingInfo: body.meetingInfo as Json });
    engine.addBot(call);
    engine.establish(call);
    return call;
  }
  if (targets.length === 0) throw new GraphError(400, 'BadRequest', 'targets is required: give one target for a peer-to-peer call, up to 5 for a group call, or meetingInfo to join a meeting.');
  if (targets.length > MAX_GROUP_TARGETS) throw new GraphError(400, 'BadRequest', `A group call created by a bot can have at most ${MAX_GROUP_TARGETS} targets.`);

  if (targets.length === 1) {
    requireRole(principal, ROLE.initiate);
    const personId = targets[0]!.identity.user?.id ?? targets[0]!.identity.phone?.id ?? undefined;
    const call = engine.newCall({ ...common, kind: 'peerToPeer', conversation: engine.newConversation('peerToPeer'), ...(personId ? { peerPersonId: personId } : {}) });
    call.state = 'establishing';
    engine.notifyState(call);
    engine.ring(personId, call.id, 'call', (outcome, user) => {
      if (call.state === 'terminated') return;
      if (outcome === 'answered' && user) {
        engine.addBot(call);
        engine.addPerson(call.conversation, user);
        call.peerPersonId = user.id;
        call.state = 'established';
        call.answeredAt = new Date().toISOString();
        engine.notifyState(call);
        engine.events.emit('call.established', { callId: call.id, answeredBy: user.id });
        return;
      }
      const result = p2pFailure(outcome);
      if (result) engine.endCall(call, { reason: `target ${outcome}`, result });
    });
    return call;
  }

  requireRole(principal, ROLE.initiateGroup);
  const call = engine.newCall({ ...common, kind: 'groupCall', conversation: engine.newConversation('groupCall') });
  engine.addBot(call);
  engine.establish(call);
  let pending = targets.length;
  let joined = 0;
  for (const target of targets) {
    engine.ring(target.identity.user?.id ?? undefined, call.id, 'call', (outcome, user) => {
      pending -= 1;
      if (call.state === 'terminated' || outcome === 'cancelled') return;
      if (outcome === 'answered' && user) {
        joined += 1;
        engine.addPerson(call.conversation, user);
        engine.notifyRoster(call.conversation);
      }
      if (pending === 0 && joined === 0 && engine.people(call.conversation).length === 0) {
        engine.endCall(call, { reason: 'no target joined the group call', result: RESULTS.noOneJoinedGroup });
      }
    });
  }
  return call;
}

function meetingThread(engine: CallsEngine, meetingType: string, body: CreateCallBody): { threadId: string; chatInfo: Json; failure?: ResultCode } {
  if (meetingType === 'organizerMeetingInfo') {
    const threadId = body.chatInfo?.threadId;
    if (!threadId) throw new GraphError(400, 'BadRequest', 'chatInfo.threadId is required to join a scheduled meeting with organizerMeetingInfo.');
    return { threadId, chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId, messageId: body.chatInfo?.messageId ?? '0', replyChainMessageId: body.chatInfo?.replyChainMessageId ?? null } };
  }
  if (meetingType === 'joinMeetingIdMeetingInfo') {
    const joinMeetingId = body.meetingInfo?.joinMeetingId;
    if (!joinMeetingId) throw new GraphError(400, 'BadRequest', 'meetingInfo.joinMeetingId is required with joinMeetingIdMeetingInfo.');
    // With the meetings service on, the id must be an onlineMeeting's (and its passcode right); the service fills chatInfo.
    const known = engine.meetingLookup?.byJoinMeetingId(joinMeetingId);
    let failure: ResultCode | undefined;
    if (engine.meetingLookup && !known) failure = RESULTS.meetingNotFound;
    else if (known?.isPasscodeRequired && (body.meetingInfo?.passcode ?? null) !== known.passcode) failure = RESULTS.meetingPasscodeInvalid;
    const threadId = known?.threadId ?? body.chatInfo?.threadId ?? `19:meeting_${stableGuid('join-meeting-id', joinMeetingId).replace(/-/g, '')}@thread.v2`;
    return { threadId, chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId, messageId: '0', replyChainMessageId: null }, ...(failure ? { failure } : {}) };
  }
  throw new GraphError(400, 'BadRequest', `meetingInfo of type '${meetingType}' is not supported by the emulator: use organizerMeetingInfo (with chatInfo) or joinMeetingIdMeetingInfo.`);
}

function p2pFailure(outcome: RingOutcome): ResultCode | undefined {
  switch (outcome) {
    case 'declined':
      return RESULTS.declinedByCallee;
    case 'busy':
      return RESULTS.calleeBusy;
    case 'unanswered':
      return RESULTS.calleeUnreachable;
    case 'no-endpoint':
      return RESULTS.noCalleeEndpoints;
    default:
      return undefined;
  }
}
