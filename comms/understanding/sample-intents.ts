// The sample front desk's spoken intents (comms/ivr/front-desk.sample.jsonc uses the same lists): words and short
// phrases per intent. A caller's own words around them are fine; matchIntent handles stems, numbers and small typos.
import type { IntentDefinition } from './intent-matcher.js';

export const SAMPLE_INTENT_PHRASES = {
  billing: ['billing', 'bill', 'invoice', 'charged twice', 'charge', 'overcharged', 'refund', 'payment', 'unpaid', 'credit card', 'receipt', 'statement'],
  support: ['technical support', 'support', 'stopped working', 'not working', 'broken', 'crash', 'error', 'problem', 'log in', 'password', 'headset', 'internet'],
  sales: ['sales', 'quote', 'price', 'cost', 'buy', 'purchase', 'licence', 'seats', 'upgrade', 'business plan', 'demo', 'new subscription'],
  operator: ['operator', 'human', 'real person', 'a person', 'reception', 'receptionist', 'speak with someone', 'talk to someone', 'talk to somebody', 'live agent', 'agent'],
} as const satisfies Record<string, readonly string[]>;

/** The same lists as intent definitions, in the order above. */
export const SAMPLE_INTENTS: readonly IntentDefinition[] = Object.entries(SAMPLE_INTENT_PHRASES).map(([name, phrases]) => ({ name, phrases }));
