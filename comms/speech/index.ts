// comms/speech: prompt audio — text to WAV in Graph's format, a content-addressed cache, stock prompts.
export { encodeWav, readWavFormat, isGraphPromptFormat, toneSequence, PROMPT_SAMPLE_RATE, type WavFormat } from './wav.js';
export { PromptCache } from './prompt-cache.js';
export { STOCK_PROMPTS, type StockPromptName } from './stock-prompts.js';
export { loadEspeakSynthesizer, azureSpeechSynthesizer, toPromptFormat, SpeechError, MAX_PROMPT_TEXT, type SpeechSynthesizer } from './synthesizer.js';
export { PromptService, type PromptRef } from './prompt-service.js';
export { RecognitionError, type Recognition, type RecognitionErrorCode, type RecognitionRequest, type SpeechRecognizer } from './recognition.js';
export { loadPocketsphinxRecognizer, pocketsphinxInstalled, type PocketsphinxOptions } from './pocketsphinx-recognizer.js';
export { azureSpeechRecognizer, AZURE_MAX_SECONDS, type AzureRecognizerOptions } from './azure-recognizer.js';
