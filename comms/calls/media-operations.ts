// The media operations on a live call: prompts, recording (downloaded into memory only), tones, the bot's own mute,
// recording status and screen-sharing role. Each runs through CallOperations (errors recorded, retries, waiting).
import * as callActions from './call-actions.js';
import { CallError } from './call-error.js';
import type { CommsOperation, Tone } from './graph-shapes.js';
import * as media from './media-actions.js';
import { downloadRecording } from './recording.js';
import type { OperationOptions, RecordedResponse } from './call-options.js';
import type { CallOperations } from './call-operations.js';
import type { CallCore } from './call-core.js';

export class MediaOperations {
  constructor(
    private readonly core: CallCore,
    private readonly ops: CallOperations,
  ) {}

  async playPrompt(callId: string, prompts: media.PromptInput[], options: OperationOptions = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    const op = await this.ops.step(callId, 'playPrompt', () => this.ops.send(callId, 'playPrompt', options.onAmbiguous, () => media.playPrompt(this.core.graph, callId, prompts, options)));
    return this.ops.await(callId, op, options.timeoutMs);
  }

  async recordResponse(callId: string, input: media.RecordResponseInput & { timeoutMs?: number; onAmbiguous?: 'repeat' | 'fail' } = {}): Promise<RecordedResponse> {
    await this.ops.requireLive(callId);
    const { timeoutMs, onAmbiguous, ...request } = input;
    const graph = this.core.graph;
    // A repeated recordResponse would queue a second recording behind the first: before repeating, cancel media
    // processing (harmless when nothing runs), so at most one recording is running.
    const started = await this.ops.step(callId, 'recordResponse', () =>
      this.ops.send(callId, 'recordResponse', onAmbiguous, () => media.recordResponse(graph, callId, request), () =>
        media.cancelMediaProcessing(graph, callId, { clientContext: 'retry-record' }).then(() => undefined),
      ),
    );
    const op = await this.ops.await(callId, started, timeoutMs);
    if (!op.recordingLocation || !op.recordingAccessToken) {
      throw new CallError('calls/recording-missing', `recordResponse ${op.id} on call ${callId} completed without a recording`, {
        callId,
        operationId: op.id,
        resultInfo: op.resultInfo,
      });
    }
    const options = this.core.options;
    const recording = await downloadRecording({
      transport: options.transport,
      recordingLocation: op.recordingLocation,
      recordingAccessToken: op.recordingAccessToken,
      allowedHosts: options.recordingHosts,
      loopbackHosts: options.recordingLoopbackHosts ?? [],
      maxBytes: options.maxRecordingBytes,
    });
    return {
      audio: recording.audio,
      contentType: recording.contentType,
      ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}),
      ...(op.completionReason ? { completionReason: op.completionReason } : {}),
    };
  }

  async subscribeToTone(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'subscribeToTone', () => media.subscribeToTone(this.core.graph, callId, options));
  }

  async sendDtmfTones(callId: string, tones: Tone[], options: OperationOptions & { delayBetweenTonesMs?: number } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    const op = await this.ops.step(callId, 'sendDtmfTones', () => media.sendDtmfTones(this.core.graph, callId, tones, options));
    const done = await this.ops.await(callId, op, options.timeoutMs);
    // call-senddtmftones: every outcome reports status "completed"; only completionReason says whether the tones
    // went out (completedSuccessfully) or not (mediaOperationCanceled, unknown). A missing reason counts as sent.
    if (done.completionReason && done.completionReason !== 'completedSuccessfully') {
      throw new CallError('calls/operation-failed', `sendDtmfTones ${done.id} on call ${callId} did not send every tone (${done.completionReason})`, {
        callId,
        operationId: done.id,
        completionReason: done.completionReason,
        ...(done.resultInfo ? { resultInfo: done.resultInfo } : {}),
      });
    }
    return done;
  }

  async cancelMediaProcessing(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'cancelMediaProcessing', () => media.cancelMediaProcessing(this.core.graph, callId, options));
  }

  async mute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'mute', () => media.muteSelf(this.core.graph, callId, options));
  }

  async unmute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'unmute', () => media.unmuteSelf(this.core.graph, callId, options));
  }

  async updateRecordingStatus(callId: string, status: media.RecordingStatus, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.ops.requireLive(callId);
    return this.ops.step(callId, 'updateRecordingStatus', () => media.updateRecordingStatus(this.core.graph, callId, status, options));
  }

  async changeScreenSharingRole(callId: string, role: 'viewer' | 'sharer'): Promise<void> {
    await this.ops.requireLive(callId);
    await this.ops.step(callId, 'changeScreenSharingRole', () => callActions.changeScreenSharingRole(this.core.graph, callId, role));
  }
}
