// Any PCM WAV → the prompt format Graph plays (16 kHz mono 16-bit). Resampling eSpeak's 22,050 Hz is most of a
// prompt's CPU after eSpeak itself, so the eSpeak worker thread does it too.
import wavefile from 'wavefile';
import { resampleInt16 } from './resample.js';
import { encodeWav, PROMPT_SAMPLE_RATE } from './wav.js';

/** Any PCM WAV → 16 kHz mono 16-bit, as Graph's playPrompt requires. */
export function toPromptFormat(wav: Buffer): Buffer {
  const file = new wavefile.WaveFile(wav);
  const fmt = file.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  if (fmt.numChannels !== 1) throw new Error('The synthesizer produced multi-channel audio.');
  if (fmt.bitsPerSample !== 16) file.toBitDepth('16');
  if (fmt.sampleRate === PROMPT_SAMPLE_RATE) return Buffer.from(file.toBuffer());
  const samples = file.getSamples(false, Int16Array) as unknown as Int16Array;
  return encodeWav(resampleInt16(Int16Array.from(samples), fmt.sampleRate, PROMPT_SAMPLE_RATE));
}
