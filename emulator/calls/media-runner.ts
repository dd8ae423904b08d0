// One call's media queue, as the service-hosted media processor runs it: playPrompt and recordResponse operations
// in order; cancelMediaProcessing (or a barge-in) cancels the running and queued ones; recordResponse listens for
// the emulated person to speak or press a stop tone, or times out (record-session.ts).

import type { CallingEvents } from './calling-events.js';
import type { EmulatedCall, OperationRecord, PromptRecord } from './call-model.js';
import type { SpokenAudio } from './emulated-voice.js';
import type { PromptFetcher } from './prompt-fetcher.js';
import { RecordSession, type Recorded, type RecordOutcome, type RecordSettings } from './record-session.js';
import { RESULTS, type ResultCode } from './result-codes.js';
import type { Scheduler } from './scheduler.js';

export type { RecordSettings } from './record-session.js';

export interface MediaJob {
  op: OperationRecord;
  /** resourceId: mediaInfo's, the key the media service caches the prompt's media under. */
  prompts: Array<{ uri: string; resourceId?: string }>;
  record?: RecordSettings;
}

export interface OperationOutcome {
  status: 'completed' | 'failed';
  result?: ResultCode;
  completionReason?: string;
  extra?: Record<string, unknown>;
}

export interface MediaHost {
  scheduler: Scheduler;
  fetcher: PromptFetcher;
  events: CallingEvents;
  mediaSpeed: number;
  finishOperation(call: EmulatedCall, op: OperationRecord, outcome: OperationOutcome): void;
  /** Stores a recording for the call; returns where and how it can be downloaded. */
  storeRecording(call: EmulatedCall, op: OperationRecord, recorded: Recorded): { location: string; token: string };
}

interface RunningJob extends MediaJob {
  abort: AbortController;
  cancelled: boolean;
}

export class MediaRunner {
  private readonly queue: RunningJob[] = [];
  private current?: RunningJob;
  private running = false;
  private recording?: RecordSession;
  private recordingOperationId?: string;

  constructor(
    private readonly host: MediaHost,
    private readonly call: EmulatedCall,
  ) {}

  enqueue(job: MediaJob): void {
    for (const p of job.prompts) this.call.prompts.push(promptRecord(job.op, p.uri, p.resourceId));
    this.queue.push({ ...job, abort: new AbortController(), cancelled: false });
    void this.run();
  }

  /** Cancels the running and queued operations; each reports failed 400/8508 unless the call ended. */
  cancelAll(reason: 'cancelled' | 'call-ended'): OperationRecord[] {
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    for (const job of jobs) {
      job.cancelled = true;
      job.abort.abort(new Error(reason));
      for (const p of this.call.prompts) {
        if (p.operationId === job.op.id && (p.status === 'queued' || p.status === 'playing')) {
          p.status = 'cancelled';
          p.endedAt = new Date().toISOString();
        }
      }
      if (reason === 'cancelled') {
        this.host.finishOperation(this.call, job.op, {
          status: 'failed',
          result: RESULTS.operationCancelled,
          completionReason: job.record ? 'operationCanceled' : 'mediaOperationCanceled',
          ...(job.record ? { extra: { recordingLocation: '', recordingAccessToken: '' } } : {}),
        });
      } else {
        job.op.status = 'failed';
        job.op.completedAt = new Date().toISOString();
      }
    }
    this.recording?.stop();
    this.recording = undefined;
    this.recordingOperationId = undefined;
    return jobs.map((j) => j.op);
  }

  /** The recordResponse operation now listening for the person, if any. */
  get listeningOperationId(): string | undefined {
    return this.recordingOperationId;
  }

  /** The person speaks for `seconds` (media time) with no words; only a listening recordResponse hears it. */
  speak(seconds: number): boolean {
    return this.recording?.speak({ seconds }) ?? false;
  }

  /** The person says a sentence (its audio may still be being synthesized); only a listening recordResponse hears it. */
  say(audio: Promise<SpokenAudio>): boolean {
    return this.recording?.speak({ audio }) ?? false;
  }

  /** A tone pressed by the person; true when it was a stop tone of the running recordResponse. */
  tone(tone: string): boolean {
    return this.recording?.tone(tone) ?? false;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const job = this.queue.shift()!;
        this.current = job;
        try {
          await this.runJob(job);
        } catch {
          // Aborted: cancelAll has already reported it.
        }
        this.current = undefined;
      }
    } finally {
      this.running = false;
    }
  }

  private async runJob(job: RunningJob): Promise<void> {
    const signal = job.abort.signal;
    const failure = await this.playPrompts(job, signal);
    if (job.cancelled) return;
    if (failure) {
      this.host.finishOperation(this.call, job.op, {
        status: 'failed',
        result: failure,
        ...(job.record ? { completionReason: 'playPromptFailed', extra: { recordingLocation: '', recordingAccessToken: '' } } : {}),
      });
      return;
    }
    if (!job.record) {
      this.host.finishOperation(this.call, job.op, { status: 'completed', result: RESULTS.actionCompleted, completionReason: 'completedSuccessfully' });
      return;
    }
    const session = new RecordSession(this.host.scheduler, this.host.mediaSpeed, job.record, signal);
    this.recording = session;
    this.recordingOperationId = job.op.id;
    this.host.events.emit('recording.listening', { callId: this.call.id, operationId: job.op.id });
    const outcome = await session.done;
    this.recording = undefined;
    this.recordingOperationId = undefined;
    if (job.cancelled) return;
    // A sentence still being synthesized when the recording ended is part of it: wait for its audio.
    const recorded = outcome === 'initialSilence' ? undefined : await session.recorded();
    if (job.cancelled) return;
    this.finishRecording(job, outcome, recorded);
  }

  /** Plays the job's prompts in order; the failure's resultInfo, or undefined when all played. */
  private async playPrompts(job: RunningJob, signal: AbortSignal): Promise<ResultCode | undefined> {
    const records = this.call.prompts.filter((p) => p.operationId === job.op.id);
    for (const [index, record] of records.entries()) {
      record.status = 'playing';
      record.startedAt = new Date().toISOString();
      const media = await this.host.fetcher.fetch(record.uri, signal, record.resourceId ? { appId: this.call.appId, resourceId: record.resourceId } : undefined);
      // Started once the media service has the prompt (and knows what it says, when its server told it).
      if (media.ok && media.text) record.text = media.text;
      this.host.events.emit('prompt.started', { callId: this.call.id, operationId: job.op.id, uri: record.uri, clientContext: job.op.clientContext, text: record.text });
      if (!media.ok) {
        record.status = 'failed';
        record.problem = media.problem;
        record.endedAt = new Date().toISOString();
        for (const rest of records.slice(index + 1)) rest.status = 'cancelled';
        this.host.events.emit('prompt.failed', { callId: this.call.id, operationId: job.op.id, uri: record.uri, problem: media.problem });
        const base = media.kind === 'format' ? RESULTS.promptBadFormat : RESULTS.promptUnreachable;
        return { ...base, message: `${base.message} ${capitalise(media.problem)}.` };
      }
      record.durationSeconds = media.durationSeconds;
      await this.host.scheduler.sleep((media.durationSeconds * 1000) / this.host.mediaSpeed, signal);
      record.status = 'played';
      record.endedAt = new Date().toISOString();
      this.host.events.emit('prompt.played', { callId: this.call.id, operationId: job.op.id, uri: record.uri, durationSeconds: media.durationSeconds });
    }
    return undefined;
  }

  private finishRecording(job: RunningJob, outcome: RecordOutcome, recorded: Recorded | undefined): void {
    if (outcome === 'initialSilence' || !recorded) {
      this.host.finishOperation(this.call, job.op, {
        status: 'failed',
        result: RESULTS.recordInitialSilence,
        completionReason: 'initialSilenceTimeout',
        extra: { recordingLocation: '', recordingAccessToken: '' },
      });
      return;
    }
    const { location, token } = this.host.storeRecording(this.call, job.op, recorded);
    const result = outcome === 'maxDuration' ? RESULTS.maxRecordDuration : outcome === 'stopTone' ? RESULTS.recordStopTone : RESULTS.recordSilenceAfterSpeech;
    const completionReason = outcome === 'maxDuration' ? 'maxRecordDurationReached' : outcome === 'stopTone' ? 'stopToneDetected' : 'maxSilenceTimeout';
    this.host.finishOperation(this.call, job.op, { status: 'completed', result, completionReason, extra: { recordingLocation: location, recordingAccessToken: token } });
  }
}

function promptRecord(op: OperationRecord, uri: string, resourceId: string | undefined): PromptRecord {
  return { operationId: op.id, uri, ...(resourceId ? { resourceId } : {}), ...(op.clientContext !== undefined ? { clientContext: op.clientContext } : {}), status: 'queued', queuedAt: new Date().toISOString() };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
