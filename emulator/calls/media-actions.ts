// The service-hosted media actions: playPrompt, recordResponse, subscribeToTone, sendDtmfTones and
// cancelMediaProcessing (pages call-playprompt, call-record, call-subscribetotone, call-senddtmftones,
// call-cancelmediaprocessing). Each returns the operation as its 200 response prints it.

import type { z } from 'zod';
import { GraphError } from '../graph/graph-error.js';
import type { EmulatedCall, Json } from './call-model.js';
import { requireConnected, requireServiceHostedMedia } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { operationJson } from './graph-shapes.js';
import type { clientContextSchema, playPromptSchema, recordResponseSchema, sendDtmfTonesSchema } from './graph-request-schemas.js';
import { toneName } from './tones.js';

/** A prompt's media: its uri, and the resourceId the media service caches it under (mediaInfo), when given. */
function promptOf(mediaInfo: { uri: string; resourceId?: string | null | undefined }): { uri: string; resourceId?: string } {
  return { uri: mediaInfo.uri, ...(mediaInfo.resourceId ? { resourceId: mediaInfo.resourceId } : {}) };
}

export function playPrompt(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof playPromptSchema>): { id: string; json: Json } {
  requireServiceHostedMedia(call, 'playPrompt');
  requireConnected(call, 'play a prompt');
  const op = engine.newOperation(call, 'playPrompt', '#microsoft.graph.playPromptOperation', body.clientContext, 'running');
  engine.mediaFor(call).enqueue({ op, prompts: body.prompts.map((p) => promptOf(p.mediaInfo)) });
  return { id: op.id, json: operationJson(op) };
}

export function recordResponse(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof recordResponseSchema>): { id: string; json: Json } {
  requireServiceHostedMedia(call, 'recordResponse');
  requireConnected(call, 'record a response');
  const stopTones = (body.stopTones ?? []).map((t) => {
    const name = toneName(t);
    if (!name) throw new GraphError(400, 'BadRequest', `stopTones value '${t}' is not a tone: use 0-9, *, #, A-D (or tone0…tone9, star, pound).`);
    return name;
  });
  const runner = engine.mediaFor(call);
  if (body.bargeInAllowed) runner.cancelAll('cancelled');
  const op = engine.newOperation(call, 'recordResponse', '#microsoft.graph.recordOperation', body.clientContext, 'running', { recordingLocation: null });
  runner.enqueue({
    op,
    prompts: (body.prompts ?? []).map((p) => promptOf(p.mediaInfo)),
    record: {
      initialSilenceTimeoutInSeconds: body.initialSilenceTimeoutInSeconds ?? 5,
      maxSilenceTimeoutInSeconds: body.maxSilenceTimeoutInSeconds ?? 5,
      maxRecordDurationInSeconds: body.maxRecordDurationInSeconds ?? 5,
      stopTones,
    },
  });
  return { id: op.id, json: operationJson(op) };
}

export function subscribeToTone(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof clientContextSchema>): { id: string; json: Json } {
  requireServiceHostedMedia(call, 'subscribeToTone');
  requireConnected(call, 'subscribe to tones');
  call.toneSubscribed = true;
  const op = engine.newOperation(call, 'subscribeToTone', '#microsoft.graph.subscribeToToneOperation', body.clientContext, 'completed');
  engine.events.emit('tones.subscribed', { callId: call.id });
  return { id: op.id, json: operationJson(op) };
}

/**
 * Tones being sent, per call, so cancelMediaProcessing can stop them. The docs do not say what cancels a running
 * sendDtmfTones (call-cancelmediaprocessing lists only playPrompt and recordResponse); cancelMediaProcessing doing it
 * is this emulator's choice. The outcome is documented (call-senddtmftones, "Error case 1"): status completed,
 * completionReason mediaOperationCanceled.
 */
const sendingTones = new WeakMap<EmulatedCall, Map<string, () => void>>();

export function sendDtmfTones(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof sendDtmfTonesSchema>): { id: string; json: Json } {
  requireConnected(call, 'send DTMF tones');
  const op = engine.newOperation(call, 'sendDtmfTones', '#microsoft.graph.sendDtmfTonesOperation', body.clientContext, 'running');
  const stepMs = Math.max(body.delayBetweenTonesMs ?? 0, 100) / engine.options.mediaSpeed;
  const sent: string[] = [];
  const timers = body.tones.map((tone, i) =>
    engine.scheduler.after((i + 1) * stepMs, () => {
      sent.push(tone);
      call.dtmfSent.push(tone);
      if (sent.length < body.tones.length) return;
      pending.delete(op.id);
      engine.events.emit('dtmf.sent', { callId: call.id, tones: sent });
      engine.finishOperation(call, op, { status: 'completed', completionReason: 'completedSuccessfully' });
    }),
  );
  const pending = sendingTones.get(call) ?? new Map<string, () => void>();
  sendingTones.set(call, pending);
  pending.set(op.id, () => {
    for (const stop of timers) stop();
    engine.events.emit('dtmf.cancelled', { callId: call.id, operationId: op.id, sent: [...sent] });
    engine.finishOperation(call, op, { status: 'completed', completionReason: 'mediaOperationCanceled' });
  });
  return { id: op.id, json: operationJson(op) };
}

export function cancelMediaProcessing(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof clientContextSchema>): { id: string; json: Json } {
  requireConnected(call, 'cancel media processing');
  const op = engine.newOperation(call, 'cancelMediaProcessing', '#microsoft.graph.cancelMediaProcessingOperation', body.clientContext, 'completed');
  const cancelled = engine.mediaFor(call).cancelAll('cancelled').map((o) => o.id);
  const pending = sendingTones.get(call);
  for (const [id, cancel] of pending ?? []) {
    cancel();
    cancelled.push(id);
  }
  pending?.clear();
  engine.events.emit('media.cancelled', { callId: call.id, operations: cancelled });
  return { id: op.id, json: operationJson(op) };
}
