// From a caller's words to a decision: which intent (if any, and how sure), and how the caller sounds. Only this
// comes out; the words themselves stay with the caller of this function, which drops them.
import { describeError, type Logger } from '../runtime/index.js';
import { matchIntent, type IntentDefinition } from './intent-matcher.js';
import type { SentimentAnalyzer, SentimentLabel } from './sentiment.js';

export interface Understanding {
  intent?: string;
  /** 0..1 for the intent; 0 when there is none. */
  confidence: number;
  sentiment: SentimentLabel;
  /** −1 … +1. */
  sentimentScore: number;
}

export interface UnderstandOptions {
  /** BCP-47, e.g. `en-US`. */
  language: string;
  sentiment: SentimentAnalyzer;
  /** Where a failing sentiment analyser is reported (the intent still counts; sentiment is then neutral). */
  logger?: Logger;
}

export async function understand(text: string, intents: readonly IntentDefinition[], options: UnderstandOptions): Promise<Understanding> {
  const match = matchIntent(text, intents, options.language);
  let feeling: { sentiment: SentimentLabel; score: number } = { sentiment: 'neutral', score: 0 };
  if (text.trim() !== '') {
    try {
      feeling = await options.sentiment.analyze(text, options.language);
    } catch (err) {
      // Never the text: only which analyser failed and why.
      options.logger?.warn({ analyzer: options.sentiment.id, err: describeError(err) }, 'sentiment analysis failed; treating the reply as neutral');
    }
  }
  return {
    ...(match.intent !== undefined ? { intent: match.intent } : {}),
    confidence: match.confidence,
    sentiment: feeling.sentiment,
    sentimentScore: Math.round(feeling.score * 100) / 100,
  };
}
