// Prompts that need no synthesizer: short tone patterns, always available (also the fallback when synthesis fails).
import { encodeWav, toneSequence } from './wav.js';

export const STOCK_PROMPTS = {
  /** A rising two-note chime: "hello, you're connected". */
  welcome: () => encodeWav(toneSequence([[660, 180], [0, 40], [880, 260]])),
  /** A single low note: "please choose". */
  menu: () => encodeWav(toneSequence([[523, 300]])),
  /** A falling two-note chime: "goodbye". */
  goodbye: () => encodeWav(toneSequence([[880, 180], [0, 40], [660, 260]])),
} as const;

export type StockPromptName = keyof typeof STOCK_PROMPTS;
