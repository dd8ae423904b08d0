// The emulator's own view of a call for the console and tests (GET /emulator/calls): the truth the app's idea of
// the call is compared against — state, participants, who is ringing, prompts played, operations, tones.

import type { EmulatedCall, Json } from './call-model.js';
import type { CallsEngine } from './calls-engine.js';

export function callView(engine: CallsEngine, call: EmulatedCall): Json {
  return {
    id: call.id,
    appId: call.appId,
    kind: call.kind,
    direction: call.direction,
    state: call.state,
    subject: call.subject ?? null,
    threadId: call.conversation.threadId ?? null,
    callbackUri: call.callbackUri,
    callChainId: call.callChainId,
    myParticipantId: call.myParticipantId,
    mediaHosting: call.mediaHosting,
    mediaState: call.mediaState,
    createdAt: call.createdAt,
    answeredAt: call.answeredAt ?? null,
    endedAt: call.endedAt ?? null,
    endReason: call.endReason ?? null,
    resultInfo: call.resultInfo ? { code: call.resultInfo.code, subcode: call.resultInfo.subcode, message: call.resultInfo.message } : null,
    terminationReason: call.terminationReason ?? null,
    rejectReason: call.rejectReason ?? null,
    redirect: call.redirect ?? null,
    transfer: call.transfer ?? null,
    keepAliveAt: call.keepAliveAt,
    participants: call.state === 'terminated'
      ? []
      : [...call.conversation.participants.values()].map((p) => ({
        id: p.id,
        kind: p.kind,
        personId: p.personId ?? null,
        callId: p.callId ?? null,
        displayName: p.displayName,
        isMuted: p.isMuted,
        onHold: p.onHold,
        isInLobby: p.isInLobby,
        sharingRole: p.sharingRole,
        holdMusic: p.holdMusic ?? null,
        recordingStatus: p.recordingStatus ?? null,
        joinedAt: p.joinedAt,
      })),
    contentSharingSession: call.state === 'terminated' ? null : (engine.contentSharing.current(call.conversation) ?? null),
    ringing: engine.ringing.forCall(call.id).map((r) => ({ person: r.personId, displayName: r.displayName, reason: r.reason, since: r.since })),
    listeningOperationId: engine.listeningOperationId(call) ?? null,
    toneSubscribed: call.toneSubscribed,
    tones: call.tones,
    dtmfSent: call.dtmfSent,
    prompts: call.prompts,
    hearing: hearing(call),
    operations: [...call.operations.values()].map((op) => ({
      id: op.id,
      type: op.type,
      status: op.status,
      clientContext: op.clientContext ?? null,
      createdAt: op.createdAt,
      completedAt: op.completedAt ?? null,
      resultInfo: op.resultInfo ? { code: op.resultInfo.code, subcode: op.resultInfo.subcode, message: op.resultInfo.message } : null,
      completionReason: op.completionReason ?? null,
    })),
    recordings: call.recordings.filter((id) => engine.recordings.has(id)).map((id) => {
      const r = engine.recordings.get(id)!;
      return { id: r.id, operationId: r.operationId, seconds: r.seconds, createdAt: r.createdAt };
    }),
    notifications: call.notifications,
  };
}

/**
 * What the person on this call hears from the bot right now: hold music when a participant is held
 * (participant-startholdmusic), else the prompt playing, named by the clientContext the app gave it (`queue:music`,
 * `queue:announcement`…), or null for silence.
 */
function hearing(call: EmulatedCall): Json | null {
  if (call.state === 'terminated') return null;
  const held = [...call.conversation.participants.values()].find((p) => p.holdMusic);
  if (held?.holdMusic) return { what: 'hold music (participant-startholdmusic)', clientContext: null, since: held.holdMusic.since };
  const playing = call.prompts.find((p) => p.status === 'playing');
  if (!playing) return null;
  return { what: playing.clientContext ?? 'a prompt', clientContext: playing.clientContext ?? null, uri: playing.uri, since: playing.startedAt ?? playing.queuedAt };
}
