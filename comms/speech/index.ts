// comms/speech: prompt audio — WAV in Graph's format, a content-addressed cache, stock prompts.
export { encodeWav, readWavFormat, isGraphPromptFormat, toneSequence, PROMPT_SAMPLE_RATE, type WavFormat } from './wav.js';
export { PromptCache } from './prompt-cache.js';
export { STOCK_PROMPTS, type StockPromptName } from './stock-prompts.js';
