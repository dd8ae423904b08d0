// Speech recognition behind one small interface: a recorded reply (WAV) and what the menu expects → the text heard.
// Two engines: Debian's PocketSphinx offline (pocketsphinx-recognizer.ts, English) and Azure AI Speech's short-audio
// REST API (azure-recognizer.ts). The audio and the text are call media and data derived from it: recognisers keep
// neither, write neither to a log, and delete any temporary file before they return.

export interface RecognitionRequest {
  /** BCP-47, e.g. `en-US`. */
  language: string;
  /** What the menu expects: every intent's phrases (the local recogniser builds its language model from them). */
  phrases: readonly string[];
}

export interface Recognition {
  text: string;
  /** 0..1; 0 with text '' = nothing recognised. */
  confidence: number;
}

export interface SpeechRecognizer {
  /** e.g. `pocketsphinx:en-us`, `azure:westeurope`. */
  readonly id: string;
  supports(language: string): boolean;
  recognize(wav: Buffer, request: RecognitionRequest, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Recognition>;
}

export type RecognitionErrorCode =
  | 'speech/recognizer-unavailable'
  | 'speech/unreadable-audio'
  | 'speech/recognition-failed'
  | 'speech/timeout'
  | 'speech/unsupported-language'
  | 'speech/recognizer-misconfigured';

export class RecognitionError extends Error {
  readonly code: RecognitionErrorCode;
  constructor(code: RecognitionErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RecognitionError';
    this.code = code;
  }
}
