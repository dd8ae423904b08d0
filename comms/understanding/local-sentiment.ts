// Sentiment on this machine: the AFINN-165 lexicon of the npm `sentiment` package (English; negation flips the
// next word), tuned for a help line. The words people use to name their topic ("charged", "error", "broken",
// "cancelled") are not feelings and count 0; the ways callers show they are fed up that AFINN lacks ("third time",
// "nobody fixes it", "still not") count as negative. Small scores are neutral: "I want billing" is +1 in AFINN.
import Sentiment from 'sentiment';
import type { SentimentAnalyzer, SentimentLabel } from './sentiment.js';

/** |AFINN score| below this is neutral. */
const THRESHOLD = 2;
/** An AFINN sum of this size maps to ±1 in `score`. */
const FULL_SCALE = 6;

/** Topic words of a help line that AFINN scores as feelings; here they say what the call is about. */
const TOPIC_WORDS = [
  'charged', 'charge', 'charges', 'charging', 'cancel', 'cancelled', 'canceled', 'cancelling', 'error', 'errors', 'broken', 'break', 'broke',
  'stopped', 'stop', 'crash', 'crashed', 'crashes', 'crashing', 'problem', 'problems', 'issue', 'issues', 'fix', 'fixed', 'pay', 'debt', 'fine',
  'fines', 'lost', 'miss', 'missed', 'missing', 'no', 'block', 'blocked', 'freeze', 'frozen', 'accepted', 'accept', 'support', 'help', 'want',
  'like', 'please', 'free', 'save', 'secure', 'demo', 'interested', 'interest', 'credit', 'upgrade', 'upgrading', 'live', 'real', 'human',
];

/** Single words of frustration that AFINN lacks or scores too softly for a caller. */
const FRUSTRATION_WORDS: Record<string, number> = {
  nobody: -2, useless: -3, unacceptable: -3, ridiculous: -3, fed: -2, sick: -2, joke: -2, pathetic: -3, incompetent: -3, rubbish: -3,
  waited: -1, waiting: -1, forever: -1, ages: -1, complaint: -2, complain: -2, furious: -4, livid: -4, outraged: -4,
};

/** Phrases of frustration; each found counts this much on top of the words. */
const FRUSTRATION_PHRASES: ReadonlyArray<[RegExp, number]> = [
  [/\b(second|third|fourth|fifth|tenth|hundredth|\d+(st|nd|rd|th)) time\b/, -3],
  [/\b(several|many|three|four|five|six|ten|so many|countless) times\b/, -2],
  [/\b(still|again) (not|doesn't|does not|isn't|is not|won't|will not|can't|cannot)\b/, -2],
  [/\bnobody (fixes|fixed|helps|helped|answers|answered|cares|calls|called|listens)\b/, -3],
  [/\b(fed up|sick of|had enough|waste of (my )?time|not good enough|not acceptable|for hours|for weeks|for days)\b/, -2],
];

const ENGLISH = /^en(-|$)/i;

export function localSentiment(): SentimentAnalyzer {
  const analyzer = new Sentiment();
  const extras: Record<string, number> = { ...FRUSTRATION_WORDS };
  for (const word of TOPIC_WORDS) extras[word] = 0;
  return {
    id: 'afinn-165',
    async analyze(text: string, language: string): Promise<{ sentiment: SentimentLabel; score: number }> {
      if (!ENGLISH.test(language)) return { sentiment: 'neutral', score: 0 };
      const lower = text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
      let total = analyzer.analyze(lower, { extras }).score;
      for (const [pattern, value] of FRUSTRATION_PHRASES) if (pattern.test(lower)) total += value;
      const sentiment: SentimentLabel = total <= -THRESHOLD ? 'negative' : total >= THRESHOLD ? 'positive' : 'neutral';
      return { sentiment, score: Math.max(-1, Math.min(1, total / FULL_SCALE)) };
    },
  };
}
