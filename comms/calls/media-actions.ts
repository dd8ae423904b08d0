// Media operations on service-hosted calls: playPrompt, recordResponse, subscribeToTone, sendDtmfTones,
// cancelMediaProcessing, mute/unmute self, updateRecordingStatus. Each answers with a commsOperation.
import type {
  ClientContextRequest,
  PlayPromptRequest,
  RecordResponseRequest,
  SendDtmfTonesRequest,
  UpdateRecordingStatusRequest,
  WireMediaPrompt,
} from '../../graph-models/index.js';
import type { GraphClient } from '../graph/index.js';
import { callPath, checkClientContext, checkCount, checkInt, invalidArgument } from './action-arguments.js';
import { mediaInfo, type MediaInfoInput } from './call-actions.js';
import { TONES, type CommsOperation, type Tone } from './graph-shapes.js';
import { readOperation } from './operation-response.js';

export type PromptInput = MediaInfoInput;

export function mediaPrompt(prompt: PromptInput): WireMediaPrompt {
  return { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: mediaInfo(prompt) } satisfies WireMediaPrompt;
}

function withContext<T extends ClientContextRequest>(body: T, clientContext: unknown): T {
  const value = checkClientContext(clientContext);
  if (value !== undefined) body.clientContext = value;
  return body;
}

/** Calls.Initiate.All, Calls.AccessMedia.All · call-playprompt (1–20 WAV prompts; async: completes by notification) */
export async function playPrompt(graph: GraphClient, callId: string, prompts: PromptInput[], options: { clientContext?: string } = {}): Promise<CommsOperation> {
  checkCount(prompts, 'prompts', 1, 20);
  const body = withContext<PlayPromptRequest>({ prompts: prompts.map(mediaPrompt) }, options.clientContext);
  const res = await graph.post<unknown>(callPath(callId, 'playPrompt'), body);
  return readOperation(res, 'playPromptOperation');
}

export interface RecordResponseInput {
  /** At most one prompt, played before recording. */
  prompts?: PromptInput[];
  bargeInAllowed?: boolean;
  initialSilenceTimeoutInSeconds?: number;
  maxSilenceTimeoutInSeconds?: number;
  maxRecordDurationInSeconds?: number;
  playBeep?: boolean;
  /** Keys that stop the recording, e.g. ['#', '1', '*']. */
  stopTones?: string[];
  clientContext?: string;
}

const STOP_TONE = /^[0-9#*A-D]$/;

/** Calls.AccessMedia.All · call-record (recordResponse; async: the completion carries recordingLocation + token) */
export async function recordResponse(graph: GraphClient, callId: string, input: RecordResponseInput = {}): Promise<CommsOperation> {
  const body: RecordResponseRequest = {};
  if (input.prompts !== undefined) body.prompts = checkCount(input.prompts, 'prompts', 0, 1).map((p) => mediaPrompt(p as PromptInput));
  if (input.bargeInAllowed !== undefined) body.bargeInAllowed = Boolean(input.bargeInAllowed);
  for (const key of ['initialSilenceTimeoutInSeconds', 'maxSilenceTimeoutInSeconds', 'maxRecordDurationInSeconds'] as const) {
    if (input[key] !== undefined) body[key] = checkInt(input[key], key, 1, 120);
  }
  if (input.playBeep !== undefined) body.playBeep = Boolean(input.playBeep);
  if (input.stopTones !== undefined) {
    checkCount(input.stopTones, 'stopTones', 0, 16);
    for (const tone of input.stopTones) if (typeof tone !== 'string' || !STOP_TONE.test(tone)) throw invalidArgument('stopTones hold keys 0-9, #, * or A-D');
    body.stopTones = [...input.stopTones];
  }
  withContext(body, input.clientContext);
  const res = await graph.post<unknown>(callPath(callId, 'recordResponse'), body);
  return readOperation(res, 'recordOperation');
}

/** Calls.AccessMedia.All · call-subscribetotone (completes at once; each key press arrives as a toneInfo update) */
export async function subscribeToTone(graph: GraphClient, callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
  const res = await graph.post<unknown>(callPath(callId, 'subscribeToTone'), withContext<ClientContextRequest>({}, options.clientContext), { repeatable: true });
  return readOperation(res, 'subscribeToToneOperation');
}

/** Calls.Initiate.All (checked at call creation) · call-senddtmftones (async: completes by notification) */
export async function sendDtmfTones(
  graph: GraphClient,
  callId: string,
  tones: Tone[],
  options: { delayBetweenTonesMs?: number; clientContext?: string } = {},
): Promise<CommsOperation> {
  checkCount(tones, 'tones', 1, 64);
  for (const tone of tones) if (!TONES.includes(tone)) throw invalidArgument(`tones hold ${TONES.join(', ')}`);
  const body: SendDtmfTonesRequest = { tones: [...tones] };
  if (options.delayBetweenTonesMs !== undefined) body.delayBetweenTonesMs = checkInt(options.delayBetweenTonesMs, 'delayBetweenTonesMs', 0, 10_000);
  withContext(body, options.clientContext);
  const res = await graph.post<unknown>(callPath(callId, 'sendDtmfTones'), body);
  return readOperation(res, 'sendDtmfTonesOperation');
}

/** Calls.Initiate.All, Calls.AccessMedia.All · call-cancelmediaprocessing (cancels running and queued prompts/recordings) */
export async function cancelMediaProcessing(graph: GraphClient, callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
  const res = await graph.post<unknown>(callPath(callId, 'cancelMediaProcessing'), withContext<ClientContextRequest>({}, options.clientContext), { repeatable: true });
  return readOperation(res, 'cancelMediaProcessingOperation');
}

/** Calls.Initiate.All · call-mute (the bot's own leg, group calls) */
export async function muteSelf(graph: GraphClient, callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
  const res = await graph.post<unknown>(callPath(callId, 'mute'), withContext<ClientContextRequest>({}, options.clientContext), { repeatable: true });
  return readOperation(res, 'muteParticipantOperation');
}

/** Calls.Initiate.All · call-unmute (the bot's own leg, group calls) */
export async function unmuteSelf(graph: GraphClient, callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
  const res = await graph.post<unknown>(callPath(callId, 'unmute'), withContext<ClientContextRequest>({}, options.clientContext), { repeatable: true });
  return readOperation(res, 'unmuteParticipantOperation');
}

export type RecordingStatus = 'notRecording' | 'recording' | 'failed';

/** Calls.JoinGroupCall.All, Calls.AccessMedia.All · call-updaterecordingstatus (before persisting any media) */
export async function updateRecordingStatus(
  graph: GraphClient,
  callId: string,
  status: RecordingStatus,
  options: { clientContext?: string } = {},
): Promise<CommsOperation> {
  if (!['notRecording', 'recording', 'failed'].includes(status)) throw invalidArgument('status must be notRecording, recording or failed');
  const res = await graph.post<unknown>(callPath(callId, 'updateRecordingStatus'), withContext<UpdateRecordingStatusRequest>({ status }, options.clientContext), { repeatable: true });
  return readOperation(res, 'updateRecordingStatusOperation');
}

/**
 * (checked at call creation) · the call's `operations` relationship (commsOperation; `call` resource page,
 * Get-MgCommunicationCallOperation) — re-reads an operation whose completion notification is overdue.
 */
export async function getOperation(graph: GraphClient, callId: string, operationId: string, fallbackType: string): Promise<CommsOperation> {
  const body = await graph.get<unknown>(callPath(callId, 'operations', encodeURIComponent(operationId)));
  return readOperation({ status: 200, body }, fallbackType);
}
