// Hearing a spoken reply: the recording goes to a recogniser, its text to the intent matcher and the sentiment
// analyser, and only the decision comes back. The audio and the transcript live in this function's scope and are
// dropped when it returns (Graph's media terms: no media, nor anything derived from it, is kept or logged).
import type { SpeechRecognizer } from '../speech/index.js';
import { understand, type IntentDefinition, type SentimentAnalyzer, type Understanding } from '../understanding/index.js';

export interface SpokenReplyListener {
  /** e.g. `pocketsphinx:en-us` — for logs and the doctor. */
  readonly id: string;
  /** Whether replies in this language can be understood (otherwise the menu takes keys only). */
  supports(language: string): boolean;
  /** What the caller asked for and how they sound; never what they said. */
  hear(wav: Buffer, request: { language: string; intents: readonly IntentDefinition[]; timeoutMs?: number }): Promise<Understanding>;
}

export function spokenReplyListener(deps: { recognizer: SpeechRecognizer; sentiment: SentimentAnalyzer }): SpokenReplyListener {
  return {
    id: deps.recognizer.id,
    supports: (language) => deps.recognizer.supports(language),
    async hear(wav, request) {
      const phrases = [...new Set(request.intents.flatMap((i) => i.phrases))];
      const heard = await deps.recognizer.recognize(wav, { language: request.language, phrases }, { timeoutMs: request.timeoutMs ?? 15_000 });
      if (!heard.text.trim()) return { confidence: 0, sentiment: 'neutral', sentimentScore: 0 };
      return understand(heard.text, request.intents, { language: request.language, sentiment: deps.sentiment });
    },
  };
}
