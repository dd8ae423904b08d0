// How a caller sounds, from their words: the shape every sentiment analyser gives (the local AFINN lexicon, Azure AI
// Language), and the error a remote one throws.
import { CommsError } from '../runtime/index.js';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentAnalyzer {
  /** e.g. `afinn-165`, `azure-language` — for logs. */
  readonly id: string;
  /** `score` is −1 (very negative) … +1 (very positive); `language` is BCP-47 (e.g. `en-US`). */
  analyze(text: string, language: string): Promise<{ sentiment: SentimentLabel; score: number }>;
}

export type UnderstandingErrorCode = 'understanding/sentiment-unavailable' | 'understanding/sentiment-misconfigured' | 'understanding/sentiment-failed';

export class UnderstandingError extends CommsError {
  declare readonly code: UnderstandingErrorCode;
  constructor(code: UnderstandingErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
