// The call-level actions that are not media: hang up (call-delete), keepAlive (call-keepalive), mute/unmute the bot
// (call-mute, call-unmute: group calls only), updateRecordingStatus and changeScreenSharingRole.

import type { z } from 'zod';
import type { EmulatedCall, Json } from './call-model.js';
import { requireConnected, requireGroup } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { operationJson } from './graph-shapes.js';
import type { changeScreenSharingRoleSchema, updateRecordingStatusSchema } from './graph-request-schemas.js';
import { RESULTS } from './result-codes.js';

export function hangUp(engine: CallsEngine, call: EmulatedCall): void {
  engine.endCall(call, { reason: 'hung up by the bot', result: RESULTS.hungUpByBot, terminating: true });
}

export function keepAlive(engine: CallsEngine, call: EmulatedCall): void {
  engine.touchKeepAlive(call);
  engine.events.emit('call.keep-alive', { callId: call.id });
}

export function setSelfMute(engine: CallsEngine, call: EmulatedCall, muted: boolean, clientContext: string | undefined): { id: string; json: Json } {
  requireGroup(call, muted ? 'mute' : 'unmute');
  requireConnected(call, muted ? 'mute' : 'unmute');
  const op = muted
    ? engine.newOperation(call, 'mute', '#microsoft.graph.muteParticipantOperation', clientContext, 'completed')
    : engine.newOperation(call, 'unmute', '#microsoft.graph.unmuteParticipantOperation', clientContext, 'completed');
  const me = engine.addBot(call);
  if (me.isMuted !== muted) {
    me.isMuted = muted;
    engine.notifyRoster(call.conversation);
  }
  const type = muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation';
  return { id: op.id, json: { ...operationJson(op), '@odata.context': `${engine.deps.graphUrl}/$metadata#${type}` } };
}

export function updateRecordingStatus(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof updateRecordingStatusSchema>): { id: string; json: Json } {
  requireConnected(call, 'update the recording status');
  const op = engine.newOperation(call, 'updateRecordingStatus', '#microsoft.graph.updateRecordingStatusOperation', body.clientContext, 'completed');
  const me = engine.addBot(call);
  me.recordingStatus = body.status;
  engine.events.emit('call.recording-status', { callId: call.id, status: body.status });
  engine.notifyRoster(call.conversation);
  return { id: op.id, json: operationJson(op) };
}

export function changeScreenSharingRole(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof changeScreenSharingRoleSchema>): void {
  requireGroup(call, 'changeScreenSharingRole');
  requireConnected(call, 'change the screen sharing role');
  const me = engine.addBot(call);
  me.sharingRole = body.role;
  engine.events.emit('call.screen-sharing-role', { callId: call.id, role: body.role });
  engine.notifyRoster(call.conversation);
}
