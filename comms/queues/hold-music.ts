// Switchboard's own hold music: a soft, slow arpeggio of sine tones (no recording, no licence), 16 kHz mono 16-bit
// like every prompt, about 16 seconds long so a loop of it is a short list of prompts.
import { encodeWav, PROMPT_SAMPLE_RATE, toneSequence } from '../speech/index.js';

const PHRASES: Array<Array<number>> = [
  [262, 330, 392, 523, 392, 330],
  [220, 262, 330, 440, 330, 262],
  [175, 220, 262, 349, 262, 220],
  [196, 247, 294, 392, 294, 247],
];

export function holdMusicWav(): Buffer {
  const tones: Array<[number, number]> = [];
  for (const phrase of PHRASES) {
    for (const note of phrase) tones.push([note, 560], [0, 60]);
    tones.push([0, 280]);
  }
  return encodeWav(toneSequence(tones));
}

/** Seconds of audio in a 16 kHz mono 16-bit WAV (the size of its data chunk). */
export function wavSeconds(wav: Buffer): number {
  const data = wav.indexOf('data', 12, 'ascii');
  const bytes = data < 0 ? wav.length - 44 : wav.readUInt32LE(data + 4);
  return bytes / (PROMPT_SAMPLE_RATE * 2);
}
