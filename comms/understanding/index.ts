// comms/understanding: what a caller's words mean — which intent they name, and how the caller sounds.
export { matchIntent, type IntentDefinition, type IntentMatch } from './intent-matcher.js';
export { understand, type Understanding, type UnderstandOptions } from './understand.js';
export { UnderstandingError, type SentimentAnalyzer, type SentimentLabel, type UnderstandingErrorCode } from './sentiment.js';
export { localSentiment } from './local-sentiment.js';
export { azureSentiment, type AzureSentimentOptions, type SentimentTransport } from './azure-sentiment.js';
export { SAMPLE_INTENT_PHRASES, SAMPLE_INTENTS } from './sample-intents.js';
