// The listening phase of one recordResponse, in media time (timers scaled by mediaSpeed): what the person says or
// presses ends it, or its timeouts do; what they said becomes the recording the bot downloads.

import type { SpokenAudio } from './emulated-voice.js';
import { composeRecording } from './recording-audio.js';
import type { Cancel, Scheduler } from './scheduler.js';
import { PROMPT_SAMPLE_RATE, pcmWav, toneWav } from './wav-audio.js';

export interface RecordSettings {
  initialSilenceTimeoutInSeconds: number;
  maxSilenceTimeoutInSeconds: number;
  maxRecordDurationInSeconds: number;
  stopTones: string[];
}

export type RecordOutcome = 'maxDuration' | 'silence' | 'stopTone' | 'initialSilence';

/** What the person says: `seconds` of sound with no words (the quiet tone), or words whose audio is on its way. */
export type Utterance = { seconds: number } | { audio: Promise<SpokenAudio> };

export interface Recorded {
  wav: Buffer;
  seconds: number;
}

type Heard = { tone: number } | { voice: Int16Array } | undefined;

export class RecordSession {
  readonly done: Promise<RecordOutcome>;
  private resolve!: (outcome: RecordOutcome) => void;
  private readonly startedAt = Date.now();
  private endedAt?: number;
  private readonly cancels: Cancel[] = [];
  private readonly heard: Array<Promise<Heard>> = [];
  private silenceCancel?: Cancel;
  /** When (wall clock) what has been said so far ends; a new sentence follows it. */
  private speechEndsAt = 0;
  /** Sentences whose audio (and so whose length) is not known yet: the silence timer waits for them. */
  private pending = 0;
  private heardSpeech = false;
  private finished = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly mediaSpeed: number,
    private readonly settings: RecordSettings,
    signal: AbortSignal,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      signal.addEventListener('abort', () => {
        this.stop();
        reject(signal.reason);
      }, { once: true });
    });
    this.cancels.push(scheduler.after(this.ms(settings.initialSilenceTimeoutInSeconds), () => {
      if (!this.heardSpeech) this.finish('initialSilence');
    }));
    this.cancels.push(scheduler.after(this.ms(settings.maxRecordDurationInSeconds), () => this.finish('maxDuration')));
  }

  /**
   * The person speaks (false once the recording has ended). Speaking stops the silence timers at once; the
   * recording then completes maxSilenceTimeoutInSeconds after the last sentence ends.
   */
  speak(utterance: Utterance): boolean {
    if (this.finished) return false;
    this.heardSpeech = true;
    this.silenceCancel?.();
    this.silenceCancel = undefined;
    if ('seconds' in utterance) {
      this.heard.push(Promise.resolve({ tone: utterance.seconds }));
      this.spoken(utterance.seconds);
      return true;
    }
    this.pending += 1;
    this.heard.push(utterance.audio.then((audio) => ({ voice: audio.samples }), () => undefined));
    utterance.audio.then(
      (audio) => this.settle(audio.seconds),
      () => this.settle(0),
    );
    return true;
  }

  tone(tone: string): boolean {
    if (this.finished || !this.settings.stopTones.includes(tone)) return false;
    this.finish('stopTone');
    return true;
  }

  /**
   * The recording, once every sentence's audio is in: with words, the sentences themselves (see composeRecording);
   * with only wordless speaking (`seconds`), the quiet tone for as long as the recording ran, as before words existed.
   */
  async recorded(): Promise<Recorded> {
    const heard = (await Promise.all(this.heard)).filter((h): h is NonNullable<Heard> => h !== undefined);
    if (!heard.some((h) => 'voice' in h)) {
      const seconds = this.elapsedSeconds();
      return { wav: toneWav(seconds), seconds };
    }
    const samples = composeRecording(heard.map((h) => ('voice' in h ? { samples: h.voice } : { toneSeconds: h.tone })), this.settings.maxRecordDurationInSeconds);
    return { wav: pcmWav(samples), seconds: samples.length / PROMPT_SAMPLE_RATE };
  }

  stop(): void {
    this.finished = true;
    this.endedAt ??= Date.now();
    for (const cancel of [...this.cancels, this.silenceCancel]) cancel?.();
  }

  private settle(seconds: number): void {
    this.pending -= 1;
    this.spoken(seconds);
  }

  /** A sentence of `seconds` is now being said (after the one still being said, if any). */
  private spoken(seconds: number): void {
    if (this.finished) return;
    this.speechEndsAt = Math.max(Date.now(), this.speechEndsAt) + this.ms(seconds);
    if (this.pending > 0) return;
    this.silenceCancel?.();
    const wait = this.speechEndsAt - Date.now() + this.ms(this.settings.maxSilenceTimeoutInSeconds);
    this.silenceCancel = this.scheduler.after(wait, () => this.finish('silence'));
  }

  private elapsedSeconds(): number {
    const media = (((this.endedAt ?? Date.now()) - this.startedAt) * this.mediaSpeed) / 1000;
    return Math.max(0.1, Math.min(media, this.settings.maxRecordDurationInSeconds));
  }

  private finish(outcome: RecordOutcome): void {
    if (this.finished) return;
    this.stop();
    this.resolve(outcome);
  }

  private ms(seconds: number): number {
    return (seconds * 1000) / this.mediaSpeed;
  }
}
